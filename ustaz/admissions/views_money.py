"""Contracts, payments and balances, enrolment, and the admission reports."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ustaz.academics.models import Delivery, StudyGroup
from ustaz.accounts import services as accounts_services
from ustaz.core import tables

from . import access, contracts, enrolment, reports
from .models import Contract, Status


def _office(request: HttpRequest) -> None:
    if not access.is_office(request.user):
        raise Http404


@login_required
@require_POST
def contract_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The office makes the contract of an admitted applicant (from the application's page)."""
    _office(request)
    application = access.get_application_for_review(request.user, pk)
    try:
        contract = contracts.contract_create(
            application=application, printed_materials=request.POST.get("printed_materials") == "on", by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("admissions:review", pk=pk)
    messages.success(request, _("Contract %(number)s made.") % {"number": contract.number})
    return redirect("admissions:contract", pk=contract.pk)


@login_required
def contract(request: HttpRequest, pk: int) -> HttpResponse:
    """The contract, its schedule, its payments and balance: for its student and for the office, who also
    records the signing, payments and the enrolment here."""
    contract = access.get_contract_for(request.user, pk)
    office = access.is_office(request.user)
    if request.method == "POST":
        if not office:
            raise PermissionDenied
        return _contract_action(request, contract)
    return _contract_page(request, contract, office=office)


def _contract_page(request: HttpRequest, contract: Contract, *, office: bool, status: int = 200) -> HttpResponse:
    application = contract.application
    return render(
        request,
        "admissions/contract.html",
        {
            "contract": contract,
            "application": application,
            "balance": contracts.balance(contract),
            "installments": list(contract.installments.all()),
            "payments": list(contract.payments.all()),
            "office": office,
            "groups": list(StudyGroup.objects.filter(programme_id=application.offer.programme_id).order_by("name"))
            if office and application.status == Status.ADMITTED
            else [],
            "deliveries": Delivery.choices,
            "today": timezone.localdate(),
        },
        status=status,
    )


def _contract_action(request: HttpRequest, contract: Contract) -> HttpResponse:
    action = request.POST.get("action", "")
    try:
        if action == "sign":
            contracts.contract_sign(
                contract=contract, signed_on=_date(request.POST.get("signed_on", "")), by=request.user
            )
            messages.success(request, _("The signing is recorded."))
        elif action == "payment":
            try:
                amount = contracts.parse_amount(request.POST.get("amount", ""))
            except contracts.AmountError as error:
                raise ValidationError(_("The amount is not accepted: %(reason)s.") % {"reason": error}) from None
            contracts.payment_record(
                contract=contract,
                amount=amount,
                paid_on=_date(request.POST.get("paid_on", "")),
                reference=request.POST.get("reference", ""),
                by=request.user,
            )
            messages.success(request, _("Payment recorded."))
        elif action == "enrol":
            group = get_object_or_404(StudyGroup, pk=request.POST.get("group") or 0)
            credential = enrolment.enrol(
                application=contract.application,
                group=group,
                delivery=request.POST.get("delivery", ""),
                by=request.user,
                request=request,
            )
            accounts_services.credentials_hand_over(request, [credential], send_email=True)
            messages.success(
                request,
                _("%(name)s is enrolled; the login is %(login)s.")
                % {"name": credential.user.full_name, "login": credential.user.username},
            )
            return redirect("accounts:issued")
        else:
            raise Http404
    except ValidationError as error:
        # Refused: the page again, with the reason, answering 400 (nothing was recorded).
        messages.error(request, " ".join(error.messages))
        return _contract_page(request, contract, office=True, status=400)
    return redirect("admissions:contract", pk=contract.pk)


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(_("Give the date.")) from None


@login_required
def contract_pdf(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    if language not in contracts.CONTRACT_LANGUAGES:
        raise Http404
    contract = access.get_contract_for(request.user, pk)
    response = HttpResponse(contracts.contract_pdf(contract, language), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{contract.number}-{language}.pdf"'
    return response


@login_required
def my_contract(request: HttpRequest) -> HttpResponse:
    """The student's (or admitted applicant's) own contract, or a word that there is none."""
    found = Contract.objects.filter(application__applicant=request.user).order_by("-created_at").first()
    if found is not None:
        return redirect("admissions:contract", pk=found.pk)
    return render(request, "admissions/no_contract.html")


@login_required
def contracts_list(request: HttpRequest) -> HttpResponse:
    """Every contract with what is paid and what is due to date; overdue first. The bank statement import."""
    _office(request)
    report = None
    if request.method == "POST":
        upload = request.FILES.get("statement")
        if upload is None:
            messages.error(request, _("Choose a file."))
        elif upload.size > settings.IMPORT_MAX_BYTES:
            report = contracts.StatementReport(errors=[(1, str(tables.file_too_large()))])
        else:
            report = contracts.statement_import(filename=upload.name, content=upload.read(), by=request.user)
            if not report.errors:
                messages.success(
                    request,
                    _("%(new)d payments recorded; %(old)d were recorded before and are not counted again.")
                    % {"new": len(report.recorded), "old": report.already},
                )
                return redirect("admissions:contracts")
    rows = list(
        contracts.with_balances(
            Contract.objects.select_related("application__applicant", "application__offer__programme")
        )
    )
    for row in rows:
        row.debt = max(row.due - row.paid, 0)
    rows.sort(key=lambda r: (-r.debt, r.number))
    return render(
        request,
        "admissions/contracts.html",
        {"contracts": rows, "report": report, "overdue": sum(1 for r in rows if r.debt)},
        status=400 if report is not None and report.errors else 200,
    )


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """Applications by programme, basis, country and status, and the funnel; as tables with bars, or XLSX."""
    if not access.is_reviewer(request.user):
        raise Http404
    campaigns = list(access.campaigns_for(request.user).order_by("-opens_on"))
    chosen = None
    if request.GET.get("campaign"):
        chosen = next((c for c in campaigns if str(c.pk) == request.GET["campaign"]), None)
        if chosen is None:
            raise Http404
    elif not access.can_decide(request.user):
        # A commission member sees only their campaigns: one of them, never all.
        if not campaigns:
            raise Http404
        chosen = campaigns[0]
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            reports.workbook(chosen, drafts=access.sees_drafts(request.user)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="admission-report.xlsx"'
        return response
    return render(
        request,
        "admissions/report.html",
        {
            "campaigns": campaigns,
            "chosen": chosen,
            "tables": reports.tables(chosen, drafts=access.sees_drafts(request.user)),
            "all_allowed": access.can_decide(request.user),
        },
    )
