"""The office's contracts and payments (the list with balances, the bank statement import, the paying students
without a contract), a contract's page with its years, schedule, payments, refunds and discounts, the PDFs,
and the student's own contract."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ustaz.academics.models import StudentRecord
from ustaz.core import tables
from ustaz.core.numbers import MAX_NUMBER_TEXT

from . import access, documents, selectors, services
from .models import Contract
from .money import AmountError, academic_year_of, parse_amount


def _office(request: HttpRequest) -> None:
    if not access.is_office(request.user):
        raise Http404


def _date(text: str, what=None) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(what or _("Give the date.")) from None


def _amount(text: str) -> Decimal:
    try:
        return parse_amount(text)
    except AmountError as error:
        raise ValidationError(_("The amount is not accepted: %(reason)s.") % {"reason": error}) from None


def _int(text: str, message) -> int:
    text = (text or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 4:
        raise ValidationError(message)
    return int(text)


@login_required
def contract(request: HttpRequest, pk: int) -> HttpResponse:
    """The contract, its years, schedule, payments, refunds, discounts and balance: for its student and for the
    office (who records here the signing, payments, refunds, discounts and addenda) and the rector."""
    contract = access.get_contract_for(request.user, pk)
    office = access.is_office(request.user)
    if request.method == "POST":
        if not office:
            raise PermissionDenied
        return _contract_action(request, contract)
    return _contract_page(request, contract, office=office)


def _contract_page(request: HttpRequest, contract: Contract, *, office: bool, status: int = 200) -> HttpResponse:
    contract = selectors.with_details(Contract.objects.filter(pk=contract.pk)).get()
    today = timezone.localdate()
    state = selectors.balance(contract, today)
    years = state.years
    return render(
        request,
        "contracts/contract.html",
        {
            "contract": contract,
            "balance": state,
            "years": years,
            "installments": sorted(contract.installments.all(), key=lambda i: (i.due_on, i.pk)),
            "overdue_ids": {i.pk: left for i, left in state.overdue},
            "payments": list(contract.payments.all()),
            "refunds": list(contract.refunds.all()),
            "discounts": [(y.year, d) for y in years for d in y.year.discounts.all()],
            "next_year": (years[-1].year.academic_year + 1) if years else academic_year_of(today),
            "office": office,
            "today": today,
        },
        status=status,
    )


def _contract_action(request: HttpRequest, contract: Contract) -> HttpResponse:
    action = request.POST.get("action", "")
    post = request.POST
    try:
        if action == "sign":
            services.contract_sign(contract=contract, signed_on=_date(post.get("signed_on", "")), by=request.user)
            messages.success(request, _("The signing is recorded."))
        elif action == "payment":
            services.payment_record(
                contract=contract,
                amount=_amount(post.get("amount", "")),
                paid_on=_date(post.get("paid_on", "")),
                reference=post.get("reference", ""),
                by=request.user,
            )
            messages.success(request, _("Payment recorded."))
        elif action == "refund":
            services.refund_record(
                contract=contract,
                amount=_amount(post.get("amount", "")),
                refunded_on=_date(post.get("refunded_on", "")),
                reason=post.get("reason", ""),
                by=request.user,
            )
            messages.success(request, _("Refund recorded."))
        elif action == "discount":
            year = contract.study_years.filter(pk=_int(post.get("year", ""), _("Choose the year."))).first()
            if year is None:
                raise ValidationError(_("Choose the year."))
            percent = amount = None
            if post.get("kind") == "percent":
                text = post.get("value", "").strip().replace(",", ".")[:MAX_NUMBER_TEXT]
                try:
                    percent = Decimal(text)
                except ArithmeticError:
                    raise ValidationError(_("The percent is not a number.")) from None
            else:
                amount = _amount(post.get("value", ""))
            services.discount_record(
                year=year,
                percent=percent,
                amount=amount,
                reason=post.get("reason", ""),
                order_number=post.get("order_number", ""),
                order_date=_date(post.get("order_date", ""), _("Give the order's date.")),
                by=request.user,
            )
            messages.success(request, _("Discount recorded."))
        elif action == "addendum":
            services.addendum_record(
                contract=contract,
                academic_year=_int(post.get("academic_year", ""), _("Give the academic year.")),
                fee=_amount(post.get("fee", "")),
                number=post.get("number", ""),
                signed_on=_date(post.get("signed_on", ""), _("Give the addendum's date.")),
                by=request.user,
            )
            messages.success(request, _("Addendum recorded."))
        else:
            raise Http404
    except ValidationError as error:
        # Refused: the page again, with the reason, answering 400 (nothing was recorded).
        messages.error(request, " ".join(error.messages))
        return _contract_page(request, contract, office=True, status=400)
    return redirect("contracts:contract", pk=contract.pk)


def _pdf_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def contract_pdf(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    if language not in documents.CONTRACT_LANGUAGES:
        raise Http404
    contract = access.get_contract_for(request.user, pk)
    return _pdf_response(documents.contract_pdf(contract, language), f"{contract.number}-{language}.pdf")


@login_required
def addendum_pdf(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    if language not in documents.CONTRACT_LANGUAGES:
        raise Http404
    year = access.get_year_for(request.user, pk)
    if not year.addendum_number:
        raise Http404
    name = f"{year.contract.number}-{year.academic_year}-{language}.pdf"
    return _pdf_response(documents.addendum_pdf(year, language), name)


@login_required
def my_contract(request: HttpRequest) -> HttpResponse:
    """The student's (or admitted applicant's) own contract, or a word that there is none."""
    found = Contract.objects.filter(student=request.user).order_by("-first_year", "-created_at").first()
    if found is not None:
        return redirect("contracts:contract", pk=found.pk)
    return render(request, "contracts/no_contract.html")


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
            report = services.StatementReport(errors=[(1, str(tables.file_too_large()))])
        else:
            report = services.statement_import(filename=upload.name, content=upload.read(), by=request.user)
            if not report.errors:
                messages.success(
                    request,
                    _("%(new)d payments recorded; %(old)d were recorded before and are not counted again.")
                    % {"new": len(report.recorded), "old": report.already},
                )
                return redirect("contracts:list")
    rows = list(selectors.with_balances(Contract.objects.select_related("student", "programme")))
    for row in rows:
        row.debt = max(row.due - row.paid, 0)
    rows.sort(key=lambda r: (-r.debt, r.number))
    return render(
        request,
        "contracts/contracts.html",
        {
            "contracts": rows,
            "report": report,
            "overdue": sum(1 for r in rows if r.debt),
            "missing": selectors.paying_students_without_contract().count(),
        },
        status=400 if report is not None and report.errors else 200,
    )


@login_required
def missing(request: HttpRequest) -> HttpResponse:
    """Paying students with no contract here (imported, or enrolled by hand): the office makes one. Paged, and
    found by name, login or group: a University of thousands imported at once has thousands of them."""
    _office(request)
    return render(request, "contracts/missing.html", _missing_context(request))


MISSING_PER_PAGE = 50


def _missing_context(request: HttpRequest, **extra) -> dict:
    today = timezone.localdate()
    query = request.GET.get("q", "").strip()[:100]
    records = selectors.paying_students_without_contract(query)
    page = Paginator(records, MISSING_PER_PAGE).get_page(request.GET.get("page"))
    return {"page": page, "records": page.object_list, "q": query, "year": academic_year_of(today), **extra}


@login_required
@require_POST
def create(request: HttpRequest, record_pk: int) -> HttpResponse:
    _office(request)
    try:
        record = StudentRecord.objects.get(pk=record_pk)
    except StudentRecord.DoesNotExist:
        raise Http404 from None
    post = request.POST
    try:
        made = services.contract_for_record(
            record=record,
            first_year=_int(post.get("first_year", ""), _("Give the first academic year.")),
            years=_int(post.get("years", ""), _("Give the number of years.")),
            fee=_amount(post.get("fee", "")),
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return render(request, "contracts/missing.html", _missing_context(request, failed=record.pk), status=400)
    messages.success(request, _("Contract %(number)s made.") % {"number": made.number})
    return redirect("contracts:contract", pk=made.pk)
