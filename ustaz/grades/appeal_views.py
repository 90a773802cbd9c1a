"""The appeal commission's pages (decision 0019): the appeals a person may see, the decision of a member of the
appeal's commission, its protocol (PDF kk/ru) and the academic office's commissions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ustaz.core.files import content_disposition

from . import access, appeal_selectors, appeal_services, services
from .appeal_forms import AppealCommissionForm
from .models import AppealCommission, AppealStatus


@login_required
def appeals(request: HttpRequest) -> HttpResponse:
    """A member's commissions' appeals; every appeal for the office (to see). Deadlines shown, overdue marked."""
    if not access.can_see_appeals(request.user):
        raise PermissionDenied
    listed = appeal_selectors.appeals_for(request.user).order_by("status", "filed_at")[:300]
    return render(
        request,
        "grades/appeals.html",
        {
            "appeals": appeal_selectors.with_deadlines(listed),
            "can_manage": access.can_manage_appeal_commissions(request.user),
        },
    )


@login_required
def appeal_decide(request: HttpRequest, appeal_pk: int) -> HttpResponse:
    appeal = access.get_appeal_for(request.user, appeal_pk)
    can_decide = access.can_decide_appeal(request.user, appeal)
    error = None
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied
        granted = request.POST.get("granted") == "1"
        try:
            new_points = services.parse_points(request.POST.get("new_points", "")) if granted else None
            services.appeal_decide(
                appeal=appeal,
                decided_by=request.user,
                granted=granted,
                decision=request.POST.get("decision", ""),
                new_points=new_points,
            )
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("grades:appeals")
    appeal.decide_by = appeal_selectors.decision_deadline(appeal.filed_at)
    appeal.overdue = appeal.status == AppealStatus.PENDING and timezone.now() > appeal.decide_by
    return render(
        request,
        "grades/appeal.html",
        {
            "appeal": appeal,
            "commission": appeal_selectors.commission_of(appeal),
            "can_decide": can_decide,
            "error": error,
            "post": request.POST,
        },
        status=400 if error else 200,
    )


@login_required
def appeal_protocol(request: HttpRequest, appeal_pk: int, lang: str) -> HttpResponse:
    """The protocol of a decided appeal, in Kazakh or Russian, for whoever may see the appeal."""
    appeal = access.get_appeal_for(request.user, appeal_pk)
    if appeal.status == AppealStatus.PENDING:
        raise Http404
    from .appeal_exports import protocol_pdf

    with translation.override(lang):
        pdf = protocol_pdf(appeal=appeal, commission=appeal_selectors.commission_of(appeal))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(f"appeal-{appeal.pk}-protocol-{lang}.pdf", inline=False)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def commissions(request: HttpRequest) -> HttpResponse:
    if not access.can_manage_appeal_commissions(request.user):
        raise PermissionDenied
    return render(request, "grades/appeal_commissions.html", {"commissions": appeal_selectors.commissions()[:300]})


@login_required
def commission_edit(request: HttpRequest, commission_pk: int | None = None) -> HttpResponse:
    if not access.can_manage_appeal_commissions(request.user):
        raise PermissionDenied
    commission = get_object_or_404(AppealCommission, pk=commission_pk) if commission_pk else AppealCommission()
    form = AppealCommissionForm(request.POST or None, instance=commission)
    if request.method == "POST" and form.is_valid():
        try:
            appeal_services.commission_save(
                commission=form.save(commit=False),
                members=form.cleaned_data["members"],
                chair=form.cleaned_data["chair"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, _("The appeal commission is saved."))
            return redirect("grades:appeal_commissions")
    return render(
        request,
        "grades/appeal_commission_form.html",
        {"form": form, "commission": commission},
        status=400 if form.errors else 200,
    )
