"""Behind the reverse proxy, failed logins are limited and audited per client, not per proxy."""

from django.test import Client

from testkit.factories import UserFactory
from ustaz.core.models import AuditAction, AuditEvent

PROXY = "10.0.0.5"


def fail_login(client: Client, username: str, *, peer: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post("/accounts/login/", {"login": username, "password": "wrong password"}, **extra)


def limited(response) -> bool:
    """Refused by the failed-login limit (allauth says so on the form, not with a 429)."""
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data().get("__all__", [])
    return any(error.code == "too_many_login_attempts" for error in errors)


def test_two_students_behind_one_proxy_are_limited_separately(db, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/m/ip"}
    first, second = Client(), Client()
    # Different logins each time, so that only the per-address limit can apply.
    statuses = [fail_login(first, f"nobody{n}", peer=PROXY, forwarded="198.51.100.1") for n in range(4)]
    assert [limited(response) for response in statuses] == [False, False, False, True]
    # The classmate at the next computer, through the same proxy, has not been refused.
    assert not limited(fail_login(second, "nobody9", peer=PROXY, forwarded="198.51.100.2"))


def test_a_forged_header_does_not_escape_the_limit(db, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/m/ip"}
    client = Client()
    # Straight to the server (not through the proxy), a new X-Forwarded-For each time.
    statuses = [fail_login(client, f"nobody{n}", peer="203.0.113.9", forwarded=f"192.0.2.{n}") for n in range(4)]
    assert [limited(response) for response in statuses] == [False, False, False, True]


def test_the_audit_log_records_the_clients_address(db, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    user = UserFactory(roles=",student,")
    fail_login(Client(), user.username, peer=PROXY, forwarded="192.0.2.66, 198.51.100.1")
    fail_login(Client(), user.username, peer="203.0.113.9", forwarded="198.51.100.1")
    events = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, target_repr=user.username).order_by("pk")
    assert [event.ip_address for event in events] == ["198.51.100.1", "203.0.113.9"]
