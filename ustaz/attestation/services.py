"""Every write of final attestation: in a transaction, the commission's row locked where two people may race,
audited."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from ustaz.academics.models import Programme
from ustaz.accounts import services as account_services
from ustaz.accounts.models import Role, User
from ustaz.core.models import AuditAction
from ustaz.core.services import audit_record
from ustaz.curricula.models import AttestationForm, CurriculumLine, CurriculumStatus, LineKind

from . import selectors
from .models import Commission, CommissionMember, Conflict, MemberRole, StudentAttestation


def _locked(commission: Commission) -> Commission:
    return Commission.objects.select_for_update().get(pk=commission.pk)


def commission_create(*, programme: Programme, academic_year: int, actor: User, request=None) -> Commission:
    with transaction.atomic():
        if Commission.objects.filter(programme=programme, academic_year=academic_year).exists():
            raise ValidationError(_("This programme already has a commission for this academic year."))
        commission = Commission.objects.create(programme=programme, academic_year=academic_year)
        audit_record(
            action=AuditAction.ATTESTATION_COMMISSION_SAVED,
            actor=actor,
            target=commission,
            request=request,
            details={"created": True},
        )
    return commission


def commission_update(
    *, commission: Commission, first_sitting_on, order_number: str, order_date, actor: User, request=None
) -> Commission:
    with transaction.atomic():
        commission = _locked(commission)
        commission.first_sitting_on = first_sitting_on
        commission.order_number = order_number.strip()
        commission.order_date = order_date
        commission.save(update_fields=["first_sitting_on", "order_number", "order_date"])
        audit_record(
            action=AuditAction.ATTESTATION_COMMISSION_SAVED,
            actor=actor,
            target=commission,
            request=request,
            details={
                "first_sitting_on": str(first_sitting_on or ""),
                "order_number": commission.order_number,
                "order_date": str(order_date or ""),
            },
        )
    return commission


def member_add(
    *,
    commission: Commission,
    person: User,
    role: str,
    is_external: bool,
    position: str = "",
    actor: User,
    request: HttpRequest | None = None,
) -> CommissionMember:
    """Put a person on the commission. The chair comes from outside the University (rules.md)."""
    if role not in MemberRole.values:
        raise ValidationError(_("Unknown role in the commission."))
    if role == MemberRole.CHAIR and not is_external:
        raise ValidationError(_("The chair of an attestation commission comes from outside the University."))
    if person.has_role(Role.STUDENT, Role.APPLICANT):
        raise ValidationError(_("A student or an applicant cannot sit on an attestation commission."))
    with transaction.atomic():
        commission = _locked(commission)
        taken = commission.members.filter(person=person).exists()
        if taken:
            raise ValidationError(_("This person is already on the commission."))
        if role in (MemberRole.CHAIR, MemberRole.SECRETARY) and commission.members.filter(role=role).exists():
            raise ValidationError(_("The commission already has a chair or a secretary in this role."))
        try:
            with transaction.atomic():
                member = CommissionMember.objects.create(
                    commission=commission,
                    person=person,
                    role=role,
                    is_external=is_external,
                    position=position.strip(),
                )
        except IntegrityError:  # the database's constraints, should two offices race past the checks above
            raise ValidationError(_("This person is already on the commission, or the role is taken.")) from None
        audit_record(
            action=AuditAction.ATTESTATION_MEMBER_ADDED,
            actor=actor,
            target=commission,
            request=request,
            details={"person": person.pk, "role": role, "external": is_external},
        )
    return member


def external_member_issue(
    *,
    commission: Commission,
    data: account_services.AccountData,
    role: str,
    position: str,
    actor: User,
    request: HttpRequest | None = None,
) -> tuple[CommissionMember, account_services.IssuedCredential]:
    """Issue an account to a person from outside the University (the accounts service: a one-time password, the
    rule of who grants which role) holding only the role of an attestation commission member, and put them on
    the commission. Both or neither."""
    data.roles = {Role.ATTESTATION_COMMISSION}
    with transaction.atomic():
        credential = account_services.account_issue(data=data, issued_by=actor, request=request)
        member = member_add(
            commission=commission,
            person=credential.user,
            role=role,
            is_external=True,
            position=position,
            actor=actor,
            request=request,
        )
    return member, credential


def member_remove(*, commission: Commission, member: CommissionMember, actor: User, request=None) -> None:
    with transaction.atomic():
        commission = _locked(commission)
        audit_record(
            action=AuditAction.ATTESTATION_MEMBER_REMOVED,
            actor=actor,
            target=commission,
            request=request,
            details={"person": member.person_id, "role": member.role},
        )
        member.delete()


def conflict_declare(
    *, member: CommissionMember, student: User, reason: str, request: HttpRequest | None = None
) -> Conflict:
    """The member declares a conflict of interest with a student of the commission and steps aside for them."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason of the conflict of interest."))
    if not member.votes:
        raise ValidationError(_("Only the chair and the members judge students and declare conflicts."))
    graduating = {r.student_id for r in selectors.graduating_records(member.commission)}
    if student.pk not in graduating:
        raise ValidationError(_("This student is not attested by the commission."))
    try:
        with transaction.atomic():
            conflict = Conflict.objects.create(member=member, student=student, reason=reason[:1000])
            audit_record(
                action=AuditAction.ATTESTATION_CONFLICT_DECLARED,
                actor=member.person,
                target=member.commission,
                request=request,
                details={"student": student.pk, "reason": conflict.reason},
            )
    except IntegrityError:
        raise ValidationError(_("You have already declared a conflict of interest with this student.")) from None
    return conflict


def programme_forms(programme_id: int) -> list[str]:
    """The forms of attestation of the programme's curricula in force (their lines of kind "attestation")."""
    forms = set(
        CurriculumLine.objects.filter(
            curriculum__programme_id=programme_id,
            curriculum__status=CurriculumStatus.APPROVED,
            kind=LineKind.ATTESTATION,
        )
        .exclude(attestation_form="")
        .values_list("attestation_form", flat=True)
    )
    return [value for value in AttestationForm.values if value in forms]


@dataclass
class AttestationData:
    form: str
    topic: str = ""
    supervisor: User | None = None
    supervisor_name: str = ""
    reviewer: User | None = None
    reviewer_name: str = ""


def attestation_errors(commission: Commission, student: User, data: AttestationData) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if data.form not in programme_forms(commission.programme_id):
        add("form", _("This form of attestation is not in the programme's curriculum."))
    if data.form == AttestationForm.THESIS and not data.topic.strip():
        add("topic", _("A thesis or project needs its topic."))
    for name, person, text in (
        ("supervisor", data.supervisor, data.supervisor_name),
        ("reviewer", data.reviewer, data.reviewer_name),
    ):
        if person is not None and text.strip():
            add(name, _("Choose a teacher or write the name of a person from outside, not both."))
        if person is not None and not person.has_role(Role.TEACHER):
            add(name, _("Only a teacher of the University is chosen here; write the name of a person from outside."))
    if data.supervisor is not None and data.supervisor == data.reviewer:
        add("reviewer", _("The reviewer is not the supervisor."))
    if student.pk not in {r.student_id for r in selectors.graduating_records(commission)}:
        add("__all__", _("This student is not attested by the commission."))
    return errors


def attestation_save(
    *, commission: Commission, student: User, data: AttestationData, actor: User, request=None
) -> StudentAttestation:
    errors = attestation_errors(commission, student, data)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _locked(commission)
        attestation, created = StudentAttestation.objects.update_or_create(
            commission=commission,
            student=student,
            form=data.form,
            defaults={
                "topic": data.topic.strip(),
                "supervisor": data.supervisor,
                "supervisor_name": data.supervisor_name.strip(),
                "reviewer": data.reviewer,
                "reviewer_name": data.reviewer_name.strip(),
            },
        )
        audit_record(
            action=AuditAction.ATTESTATION_STUDENT_SAVED,
            actor=actor,
            target=attestation,
            request=request,
            details={"created": created, "form": data.form, "topic": attestation.topic},
        )
    return attestation
