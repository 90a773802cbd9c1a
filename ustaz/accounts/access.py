"""Who may do what with accounts.

One rule for every path that grants roles, issues accounts, reissues passwords or edits a person (the People
pages, the imports, the Django admin, the services): an administrator grants every role; the academic office
and the ICT centre grant only the roles of study (student, teacher, applicant, the
commissions: admission, appeal, final attestation). The staff
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

STUDY_ROLES = frozenset(
    {
        Role.STUDENT,
        Role.TEACHER,
        Role.APPLICANT,
        Role.ADMISSION_COMMISSION,
        Role.APPEAL_COMMISSION,
        Role.ATTESTATION_COMMISSION,
    }
)
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


# --- The account policy (§2.3): what an account must do before it may use the platform -----------------

CHANGE_PASSWORD = "change_password"  # noqa: S105 - the name of a step, not a password
ACTIVATE_TOTP = "activate_totp"


def account_policy_step(user: User) -> str | None:
    """CHANGE_PASSWORD while an issued one-time password is unchanged; ACTIVATE_TOTP for staff without TOTP
    when USTAZ_MFA_REQUIRED_FOR_STAFF is on; None when nothing is pending. Pages (AccountPolicyMiddleware)
    and WebSockets (AccountPolicySocketMiddleware, and each action of a chat connection) ask this one
    function."""
    from django.conf import settings

    if not user.is_authenticated:
        return None
    if user.must_change_password:
        return CHANGE_PASSWORD
    if settings.MFA_REQUIRED_FOR_STAFF and user.is_staff_role:
        from allauth.mfa.models import Authenticator

        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            return ACTIVATE_TOTP
    return None
