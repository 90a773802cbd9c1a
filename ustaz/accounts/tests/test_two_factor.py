"""TOTP two-factor authentication, available to everyone (allauth.mfa behind our pages)."""

import base64
import hashlib
import hmac
import struct
import time

from django.test import Client

from testkit.factories import PASSWORD, UserFactory
from ustaz.core.models import AuditAction, AuditEvent


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238 with the usual parameters (SHA-1, 30 s, 6 digits), written here independently of allauth."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(base64.b32decode(secret, casefold=True), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def log_in(client: Client, user) -> None:
    response = client.post("/accounts/login/", {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302


def test_a_student_turns_on_the_authenticator_app_and_then_needs_its_code(db, django_capture_on_commit_callbacks):
    student = UserFactory(roles=",student,", language="kk")
    client = Client()
    log_in(client, student)
    # Changing the account's security asks for the password again first.
    response = client.get("/accounts/2fa/totp/activate/")
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert "Бұл сіз екеніңізді растаңыз" in client.get(response["Location"]).content.decode()
    client.post(response["Location"], {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    assert "Аутентификатор қосымшасын қосу" in page.content.decode()  # our page, in the user's Kazakh
    secret = page.context["form"].secret

    wrong = client.post("/accounts/2fa/totp/activate/", {"code": "000000" if totp(secret) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert "Қате код." in wrong.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/accounts/2fa/totp/activate/", {"code": totp(secret)}).status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.MFA_ENABLED, actor=student).exists()

    client.post("/accounts/logout/")
    second = Client()
    response = second.post("/accounts/login/", {"login": student.username, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert second.get("/")["Location"].startswith("/accounts/login/")  # not in yet
    # A code of the next period: allauth accepts one period either side, and a code is used once.
    response = second.post("/accounts/2fa/authenticate/", {"code": totp(secret, time.time() + 30)})
    assert response.status_code == 302
    assert second.get("/").status_code == 200
