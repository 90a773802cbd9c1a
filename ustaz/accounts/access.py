"""Who may do what with accounts.

One rule for every path that grants roles, issues accounts, reissues passwords or edits a person (the People
pages, the imports, the Django admin, the services): an administrator grants every role; the academic office
and the ICT centre grant only the roles of study (student, teacher, applicant, the two commissions). The staff
roles (academic office, ICT centre, rector, administrator) are granted by an administrator alone. A person's
account (its roles, password, e-mail, activity) may be touched only by someone who could grant every role
that person holds, so nobody but an administrator touches an administrator or another member of staff, and
nobody but an administrator changes their own roles (a staff member holds a role they cannot grant).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Role, User

ACCOUNT_MANAGERS = (Role.ACADEMIC_OFFICE, Role.ICT_SUPPORT, Role.ADMIN)

STUDY_ROLES = frozenset({Role.STUDENT, Role.TEACHER, Role.APPLICANT, Role.ADMISSION_COMMISSION, Role.APPEAL_COMMISSION})
# Which roles each managing role may grant (and so whose accounts it may touch).
GRANTABLE_BY: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(Role.values),
    Role.ACADEMIC_OFFICE: STUDY_ROLES,
    Role.ICT_SUPPORT: STUDY_ROLES,
}


def can_manage_accounts(user: User) -> bool:
    return user.is_authenticated and user.has_role(*ACCOUNT_MANAGERS)


def can_view_audit_log(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.ICT_SUPPORT, Role.ADMIN)


def grantable_roles(user: User) -> frozenset[str]:
    """The roles this person may grant (and remove)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return GRANTABLE_BY[Role.ADMIN]
    granted: frozenset[str] = frozenset()
    for role in user.role_set:
        granted |= GRANTABLE_BY.get(role, frozenset())
    return granted


def can_grant_role(user: User, role: str) -> bool:
    return role in grantable_roles(user)


def can_grant_roles(user: User, roles: Iterable[str]) -> bool:
    return set(roles) <= grantable_roles(user)


def can_manage_person(user: User, person: User) -> bool:
    """May this user change the person's account: roles, password, e-mail and other data, activity?"""
    if not can_manage_accounts(user):
        return False
    if person.is_superuser:
        # Django's own flag makes an administrator whatever the roles say.
        return can_grant_role(user, Role.ADMIN)
    return can_grant_roles(user, person.role_set)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def get_person_for(user: User, pk: int) -> User:
    require(can_manage_accounts(user))
    return get_object_or_404(User, pk=pk)
