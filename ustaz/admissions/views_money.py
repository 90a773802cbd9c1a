"""The contract made at admission, enrolment, and the admission reports (contracts themselves: ustaz.contracts)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ustaz.academics.models import Delivery, StudyGroup
from ustaz.accounts import services as accounts_services

from . import access, contracts, enrolment, reports
from .models import Status


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
    return redirect("contracts:contract", pk=contract.pk)


def enrolment_context(user, application) -> dict:
    """For the review page: the groups an admitted applicant with a signed contract may be enrolled in."""
    if not access.is_office(user) or application.status != Status.ADMITTED:
        return {"groups": [], "enrolment_ready": False}
    contract = application.contract
    if contract is None or contract.signed_on is None:
        return {"groups": [], "enrolment_ready": False}
    return {
        "groups": list(StudyGroup.objects.filter(programme_id=application.offer.programme_id).order_by("name")),
        "deliveries": Delivery.choices,
        "enrolment_ready": True,
    }


@login_required
@require_POST
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    """The office enrols an admitted applicant whose contract is signed (from the application's page)."""
    _office(request)
    application = access.get_application_for_review(request.user, pk)
    try:
        group = StudyGroup.objects.filter(pk=_pk(request.POST.get("group", ""))).first()
        if group is None:
            raise ValidationError(_("Choose the group."))
        credential = enrolment.enrol(
            application=application,
            group=group,
            delivery=request.POST.get("delivery", ""),
            by=request.user,
            request=request,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("admissions:review", pk=pk)
    accounts_services.credentials_hand_over(request, [credential], send_email=True)
    messages.success(
        request,
        _("%(name)s is enrolled; the login is %(login)s.")
        % {"name": credential.user.full_name, "login": credential.user.username},
    )
    return redirect("accounts:issued")


def _pk(text: str) -> int:
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else 0


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
