"""Who may do what with accounts."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Role, User

ACCOUNT_MANAGERS = (Role.ACADEMIC_OFFICE, Role.ICT_SUPPORT, Role.ADMIN)


def can_manage_accounts(user: User) -> bool:
    return user.is_authenticated and user.has_role(*ACCOUNT_MANAGERS)


def can_view_audit_log(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.ICT_SUPPORT, Role.ADMIN)


def can_grant_role(user: User, role: str) -> bool:
    # Only an administrator makes administrators.
    if role == Role.ADMIN:
        return user.is_authenticated and user.has_role(Role.ADMIN)
    return can_manage_accounts(user)


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
