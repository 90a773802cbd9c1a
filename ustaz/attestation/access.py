"""Who may see or change final attestation.

The academic office (and an administrator) makes commissions, sets their members and order, and the students'
attestations; the rector reads them. A commission's member (its chair, members and secretary, external or
not) reads their own commission's pages only: 404 for any other commission. The role "attestation commission
member" opens nothing by itself: what a person sees follows from their memberships (decision 0018). Only a
voting member (chair or member) declares a conflict of interest, for themselves.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from ustaz.accounts.models import Role, User

from .models import Commission, CommissionMember

EDITORS = (Role.ACADEMIC_OFFICE, Role.ADMIN)
READERS_OF_ALL = (Role.ACADEMIC_OFFICE, Role.ADMIN, Role.RECTOR)


def can_edit(user: User) -> bool:
    return user.is_authenticated and user.has_role(*EDITORS)


def can_read_all(user: User) -> bool:
    return user.is_authenticated and user.has_role(*READERS_OF_ALL)


def visible_commissions(user: User) -> QuerySet[Commission]:
    if not user.is_authenticated:
        return Commission.objects.none()
    if can_read_all(user):
        return Commission.objects.all()
    return Commission.objects.filter(members__person=user).distinct()


def own_commissions(user: User) -> QuerySet[Commission]:
    if not user.is_authenticated:
        return Commission.objects.none()
    return Commission.objects.filter(members__person=user).distinct()


def can_see_own(user: User) -> bool:
    """The member's page: for the holders of the role and anyone on a commission."""
    if not user.is_authenticated:
        return False
    return user.has_role(Role.ATTESTATION_COMMISSION) or CommissionMember.objects.filter(person=user).exists()


def get_commission_for(user: User, pk: int) -> Commission:
    """The commission for the office, the rector and its own members; 404 for anybody else."""
    try:
        return visible_commissions(user).select_related("programme").get(pk=pk)
    except Commission.DoesNotExist:
        raise Http404 from None


def get_commission_to_edit_for(user: User, pk: int) -> Commission:
    """404 for those who may not read it, 403 for its readers who may not change it."""
    commission = get_commission_for(user, pk)
    if not can_edit(user):
        raise PermissionDenied
    return commission


def get_voting_membership_for(user: User, pk: int) -> tuple[Commission, CommissionMember]:
    """The commission and the user's own voting membership of it: 404 if not readable, 403 if not a voter."""
    commission = get_commission_for(user, pk)
    member = commission.members.filter(person=user, role__in=("chair", "member")).first()
    if member is None:
        raise PermissionDenied
    return commission, member


def capabilities(user: User, commission: Commission | None = None) -> dict[str, bool]:
    """What the templates may offer: the same answers as the views."""
    editor = can_edit(user)
    voting = (
        commission is not None
        and user.is_authenticated
        and any(m.person_id == user.pk and m.votes for m in getattr(commission, "member_list", []))
    )
    return {"create": editor, "edit": editor, "declare_conflict": voting, "admission": can_read_all(user)}
