from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ustaz.accounts import services as account_services
from ustaz.accounts.models import User

from . import access, selectors, services
from .forms import (
    CommissionCreateForm,
    CommissionOrderForm,
    ConflictForm,
    ExternalMemberForm,
    MemberForm,
    StudentAttestationForm,
)
from .models import Commission, StudentAttestation


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(None if name == "__all__" or name not in form.fields else name, errors)
    else:
        form.add_error(None, exc)


@login_required
def commissions(request: HttpRequest) -> HttpResponse:
    """The office's list of commissions (with the order's warning) and the form to make one."""
    if not access.can_read_all(request.user):
        raise PermissionDenied
    can = access.capabilities(request.user)
    form = CommissionCreateForm(request.POST or None) if can["create"] else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                commission = services.commission_create(
                    programme=form.cleaned_data["programme"],
                    academic_year=form.cleaned_data["academic_year"],
                    actor=request.user,
                    request=request,
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The commission is created."))
                return redirect("attestation:commission", pk=commission.pk)
        status = 400
    return render(
        request,
        "attestation/commissions.html",
        {
            "commissions": selectors.commissions_list(access.visible_commissions(request.user)),
            "form": form,
            "can": can,
        },
        status=status,
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """A member's own commissions."""
    if not access.can_see_own(request.user):
        raise PermissionDenied
    return render(
        request,
        "attestation/mine.html",
        {"commissions": selectors.commissions_list(access.own_commissions(request.user))},
    )


def _commission_page(
    request, commission: Commission, *, order_form=None, conflict_form=None, member_form=None, status=200
):
    members = selectors.members(commission)
    commission.member_list = members
    can = access.capabilities(request.user, commission)
    students = [r.student for r in selectors.graduating_records(commission)]
    conflicts = selectors.stepped_aside(commission)
    for member in members:
        member.conflict_list = conflicts.get(member.pk, [])
    if order_form is None and can["edit"]:
        order_form = CommissionOrderForm(
            initial={
                "first_sitting_on": commission.first_sitting_on,
                "order_number": commission.order_number,
                "order_date": commission.order_date,
            }
        )
    if conflict_form is None and can["declare_conflict"]:
        conflict_form = ConflictForm(students=students)
    attestations = list(
        StudentAttestation.objects.filter(commission=commission).select_related("student", "supervisor", "reviewer")
    )
    return render(
        request,
        "attestation/commission.html",
        {
            "commission": commission,
            "members": members,
            "warning": selectors.order_warning(commission),
            "can": can,
            "order_form": order_form,
            "member_form": member_form or (MemberForm() if can["edit"] else None),
            "conflict_form": conflict_form,
            "attestations": attestations,
            "quorum_needed": selectors.quorum_needed(commission, members),
        },
        status=status,
    )


@login_required
def commission(request: HttpRequest, pk: int) -> HttpResponse:
    """The commission's page: its members, the order and its warning, the students' attestations. The office
    changes the order and the first sitting's date here (POST)."""
    if request.method == "POST":
        commission = access.get_commission_to_edit_for(request.user, pk)
        form = CommissionOrderForm(request.POST)
        if form.is_valid():
            services.commission_update(commission=commission, actor=request.user, request=request, **form.cleaned_data)
            messages.success(request, _("The commission is saved."))
            return redirect("attestation:commission", pk=commission.pk)
        return _commission_page(request, commission, order_form=form, status=400)
    return _commission_page(request, access.get_commission_for(request.user, pk))


@login_required
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    commission = access.get_commission_to_edit_for(request.user, pk)
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            services.member_add(
                commission=commission,
                person=form.cleaned_data["login"],
                role=form.cleaned_data["role"],
                is_external=form.cleaned_data["is_external"],
                position=form.cleaned_data["position"],
                actor=request.user,
                request=request,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The member is added."))
            return redirect("attestation:commission", pk=commission.pk)
    return _commission_page(request, commission, member_form=form, status=400)


@login_required
def member_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue an account to a person from outside the University and put them on the commission."""
    commission = access.get_commission_to_edit_for(request.user, pk)
    form = ExternalMemberForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _member, credential = services.external_member_issue(
                    commission=commission,
                    data=form.account_data(),
                    role=form.cleaned_data["role"],
                    position=form.cleaned_data["position"],
                    actor=request.user,
                    request=request,
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                account_services.credentials_hand_over(
                    request, [credential], send_email=form.cleaned_data["send_email"]
                )
                messages.success(request, _("The account is issued and the person is on the commission."))
                return redirect("accounts:issued")
        status = 400
    return render(request, "attestation/member_issue.html", {"commission": commission, "form": form}, status=status)


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    commission = access.get_commission_to_edit_for(request.user, pk)
    member = commission.members.filter(pk=member_pk).first()
    if member is None:
        raise Http404
    services.member_remove(commission=commission, member=member, actor=request.user, request=request)
    messages.success(request, _("The member is removed."))
    return redirect("attestation:commission", pk=commission.pk)


@login_required
@require_POST
def conflict_declare(request: HttpRequest, pk: int) -> HttpResponse:
    commission, member = access.get_voting_membership_for(request.user, pk)
    students = [r.student for r in selectors.graduating_records(commission)]
    form = ConflictForm(request.POST, students=students)
    if form.is_valid():
        try:
            services.conflict_declare(
                member=member, student=form.cleaned_data["student"], reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your conflict of interest is recorded: you step aside for this student."))
            return redirect("attestation:commission", pk=commission.pk)
    return _commission_page(request, commission, conflict_form=form, status=400)


@login_required
def admission(request: HttpRequest, pk: int) -> HttpResponse:
    """The office's list of the commission's graduating students: admitted, or not with the reasons."""
    commission = access.get_commission_for(request.user, pk)
    if not access.can_read_all(request.user):
        raise PermissionDenied
    entries = selectors.admission_list(commission)
    return render(
        request,
        "attestation/admission.html",
        {
            "commission": commission,
            "entries": entries,
            "admitted": sum(1 for e in entries if e.admitted),
            "can": access.capabilities(request.user, commission),
        },
    )


@login_required
def student(request: HttpRequest, pk: int, student_pk: int) -> HttpResponse:
    """A student's attestation: its form, topic, supervisor and reviewer (the office edits, the rector reads)."""
    commission = access.get_commission_for(request.user, pk)
    if not access.can_read_all(request.user):
        raise PermissionDenied
    record = next((r for r in selectors.graduating_records(commission) if r.student_id == student_pk), None)
    if record is None:
        raise Http404
    person: User = record.student
    existing = list(
        StudentAttestation.objects.filter(commission=commission, student=person).select_related(
            "supervisor", "reviewer"
        )
    )
    can = access.capabilities(request.user, commission)
    allowed = services.programme_forms(commission.programme_id)
    initial = None
    if existing:
        first = existing[0]
        initial = {
            "form": first.form,
            "topic": first.topic,
            "supervisor": first.supervisor,
            "supervisor_name": first.supervisor_name,
            "reviewer": first.reviewer,
            "reviewer_name": first.reviewer_name,
        }
    form = StudentAttestationForm(request.POST or None, initial=initial, forms_allowed=allowed) if can["edit"] else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.attestation_save(
                    commission=commission, student=person, data=form.data_object(), actor=request.user, request=request
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The student's attestation is saved."))
                return redirect("attestation:student", pk=commission.pk, student_pk=person.pk)
        status = 400
    admitted, reasons = selectors.admission(person)
    return render(
        request,
        "attestation/student.html",
        {
            "commission": commission,
            "student": person,
            "record": record,
            "attestations": existing,
            "form": form,
            "admitted": admitted,
            "reasons": reasons,
            "no_forms": not allowed,
        },
        status=status,
    )
