"""Enrolment (§2.3): an admitted applicant with a signed contract becomes a student: a student record with the
programme, group, technology, basis and contract, and an account issued with a University login and a
one-time password (as the foundation issues them). The person's account is the applicant's own, so the
application, its documents and its history stay in the student's file."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from ustaz.academics.bases import check_basis
from ustaz.academics.models import Delivery, StudentRecord, StudyGroup
from ustaz.accounts import access as accounts_access
from ustaz.accounts.models import Role, User
from ustaz.accounts.services import (
    IssuedCredential,
    generate_one_time_password,
    login_base,
    logins_starting_with,
    unique_login,
)
from ustaz.core.models import AuditAction
from ustaz.core.services import audit_record
from ustaz.records import services as records_services

from .models import Application, Status, StatusChange


@transaction.atomic
def enrol(
    *, application: Application, group: StudyGroup, delivery: str, by: User, request: HttpRequest | None = None
) -> IssuedCredential:
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("applicant", "offer", "decision")
        .get(pk=application.pk)
    )
    if application.status != Status.ADMITTED:
        raise ValidationError(_("Only an admitted applicant is enrolled."))
    contract = application.contract
    if contract is None or contract.signed_on is None:
        raise ValidationError(_("The contract must be signed before enrolment."))
    if group.programme_id != application.offer.programme_id:
        raise ValidationError(_("The group belongs to another programme."))
    if delivery not in Delivery.values:
        raise ValidationError(_("Choose the delivery technology."))
    user = User.objects.select_for_update().get(pk=application.applicant_id)
    if not accounts_access.can_manage_person(by, user):
        # Enrolment reissues the account's login and password: not a staff member's by the office.
        raise ValidationError(_("This account holds roles only an administrator manages: an administrator enrols it."))
    if StudentRecord.objects.filter(student=user).exists():
        raise ValidationError(_("This person is already a student."))
    check_basis(application.basis, group.programme.level)
    if application.iin and User.objects.filter(iin=application.iin).exclude(pk=user.pk).exists():
        raise ValidationError(_("A person with this IIN already has an account."))
    record = StudentRecord.objects.create(
        student=user,
        programme_id=application.offer.programme_id,
        group=group,
        delivery=delivery,
        dlt_basis=application.basis,
        contract_number=contract.number,
        country_of_residence=application.country,
    )
    base = login_base(user.last_name, user.first_name)
    password = generate_one_time_password()
    user.username = unique_login(base, logins_starting_with({base}))
    user.iin = application.iin
    user.citizenship = application.citizenship
    user.time_zone = application.time_zone
    user.roles = User.encode_roles((user.role_set - {Role.APPLICANT}) | {Role.STUDENT})
    user.must_change_password = True
    user.issued_password_expires = timezone.now() + timedelta(days=settings.ISSUED_PASSWORD_DAYS)
    user.set_password(password)
    user.save()
    # The enrolment is an order in the student's history: under the rector's admission order when recorded.
    decision = application.decision
    records_services.enrolment_record(
        record=record,
        by=by,
        number=decision.order_number if decision else "",
        order_date=decision.order_date if decision else None,
        request=request,
    )
    StatusChange.objects.create(application=application, old=application.status, new=Status.ENROLLED, by=by)
    application.status = Status.ENROLLED
    application.save(update_fields=["status"])
    audit_record(
        action=AuditAction.STUDENT_ENROLLED,
        actor=by,
        target=user,
        request=request,
        details={"application": application.pk, "contract": contract.number, "group": group.name},
    )
    audit_record(
        action=AuditAction.ACCOUNT_ISSUED, actor=by, target=user, request=request, details={"roles": ["student"]}
    )
    return IssuedCredential(user=user, password=password)
