"""Authentication: allauth's backend (login by username or e-mail), with the per-request user lookup done by
one prepared SQL statement rather than an ORM query (see docs/decisions/0003-hot-path.md)."""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend

from .models import User


class AuthenticationBackend(AllauthBackend):
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
