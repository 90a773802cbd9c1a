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
