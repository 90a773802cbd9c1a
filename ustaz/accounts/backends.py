"""Authentication: allauth's backend (login by username or e-mail), with the per-request user lookup done by
one prepared SQL statement rather than an ORM query (see docs/decisions/0003-hot-path.md)."""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.utils import timezone

from .models import User


class AuthenticationBackend(AllauthBackend):
    def user_can_authenticate(self, user) -> bool:
        # An issued one-time password that was never replaced stops working when it expires (the slip
        # says so); the office issues a new one.
        expires = getattr(user, "issued_password_expires", None)
        if user.must_change_password and expires is not None and expires < timezone.now():
            return False
        return super().user_can_authenticate(user)

    def get_user(self, user_id):
        table = User._meta.db_table
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        found = list(User.objects.raw(f"SELECT * FROM {table} WHERE id = %s", [user_id]))  # noqa: S608
        if not found:
            return None
        user = found[0]
        return user if self.user_can_authenticate(user) else None
