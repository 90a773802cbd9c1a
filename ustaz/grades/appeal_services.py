"""Writes of the appeal commission (decision 0019): the academic office sets a programme's and term's commission.
The decision itself is services.appeal_decide (a granted appeal changes the grade through grade_post)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ustaz.accounts.models import Role, User
from ustaz.core.models import AuditAction
from ustaz.core.services import audit_record

from .models import AppealCommission


@transaction.atomic
def commission_save(
    *, commission: AppealCommission, members: list[User], chair: User | None, actor: User
) -> AppealCommission:
    """Create or change a commission: its members hold the APPEAL_COMMISSION role; the chair is one of them."""
    members = list(members)
    if not members:
        raise ValidationError(_("An appeal commission needs at least one member."), code="members")
    if any(not m.has_role(Role.APPEAL_COMMISSION) for m in members):
        raise ValidationError(_("Every member must hold the appeal commission role."), code="role")
    if chair is not None and chair not in members:
        raise ValidationError(_("The chair must be a member of the commission."), code="chair")
    clash = AppealCommission.objects.filter(programme_id=commission.programme_id, term_id=commission.term_id)
    if commission.pk:
        AppealCommission.objects.select_for_update().filter(pk=commission.pk).first()
        clash = clash.exclude(pk=commission.pk)
    if clash.exists():
        raise ValidationError(_("This programme already has an appeal commission for this term."), code="unique")
    commission.chair = chair
    commission.save()
    commission.members.set(members)
    audit_record(
        action=AuditAction.APPEAL_COMMISSION_SET,
        actor=actor,
        target=commission,
        details={"members": sorted(m.pk for m in members), "chair": chair.pk if chair else None},
    )
    return commission
