import re

import pytest
from django.test import Client

from testkit.factories import PASSWORD, UserFactory
from ustaz.accounts.models import User
from ustaz.core.models import AuditAction, AuditEvent


def login(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"login": username, "password": password})


def test_the_first_login_forces_a_password_change(db):
    user = UserFactory(roles=",student,", must_change_password=True)
    client = Client()
    assert login(client, user.username, PASSWORD).status_code == 302
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/change/"
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "Жаңа-құпия-сөз-2026", "password2": "Жаңа-құпия-сөз-2026"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED, actor=user).exists()


def test_failed_logins_are_audited_and_rate_limited(db):
    user = UserFactory(roles=",student,")
    client = Client()
    statuses = [login(client, user.username, "wrong password").status_code for _ in range(6)]
    assert statuses[:5] == [200] * 5
    # After five failures for one account in five minutes even the right password is refused for a while.
    response = login(client, user.username, PASSWORD)
    assert response.status_code in (200, 429)
    assert not response.wsgi_request.user.is_authenticated
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, target_repr=user.username).count() >= 5


def test_a_successful_login_is_audited(db):
    user = UserFactory(roles=",student,")
    client = Client()
    assert login(client, user.username, PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=user).exists()


def test_staff_must_enrol_two_factor_authentication_when_the_setting_says_so(settings, office, student, as_user):
    settings.MFA_REQUIRED_FOR_STAFF = True
    response = as_user(office).get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    # Students are not made to.
    assert as_user(student).get("/").status_code == 200


def test_a_forgotten_password_is_reset_through_a_link_sent_by_smtp(db, smtp_server):
    user = UserFactory(email="forgot@example.kz", language="ru")
    client = Client()
    client.post("/language/", {"language": "ru", "next": "/accounts/password/reset/"})
    response = client.post("/accounts/password/reset/", {"email": "forgot@example.kz"})
    assert response.status_code == 302
    [mail] = smtp_server.messages
    assert mail["To"] == "forgot@example.kz"
    assert str(mail["Subject"]).strip() == "Ustaz: выберите новый пароль"  # a folded header keeps a space
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mail.get_content()).group(1)
    form_page = client.get(link, follow=True)
    assert "Выберите новый пароль" in form_page.content.decode()
    new_password = "Қобыз-сазы-2026"
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_RESET, actor=user).exists()


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_language_switch_is_remembered_on_the_account(student, as_user, language):
    client = as_user(student)
    client.post("/language/", {"language": language, "next": "/"})
    assert User.objects.get(pk=student.pk).language == language
    response = client.get("/")
    assert response["Content-Language"] == language


def test_the_language_switch_works_before_login(db):
    client = Client()
    client.post("/language/", {"language": "ru", "next": "/accounts/login/"})
    assert client.get("/accounts/login/")["Content-Language"] == "ru"


def test_profile_settings_are_saved(student, as_user):
    response = as_user(student).post(
        "/me/", {"email": "new@example.kz", "phone": "+7 701", "time_zone": "Asia/Seoul", "language": "en"}
    )
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.time_zone == "Asia/Seoul"


def test_an_expired_one_time_password_no_longer_logs_in(db):
    import datetime

    from django.utils import timezone

    user = UserFactory(
        roles=",student,",
        must_change_password=True,
        issued_password_expires=timezone.now() - datetime.timedelta(minutes=1),
    )
    client = Client()
    response = login(client, user.username, PASSWORD)
    assert response["Location"] == "/accounts/login/"
    page = client.get("/accounts/login/")
    assert "Бір реттік құпиясөзіңіздің мерзімі өтті" in page.content.decode()  # the visitor's Kazakh
    assert not page.wsgi_request.user.is_authenticated
    assert client.get("/")["Location"].startswith("/accounts/login/")
    # Once the person has chosen their own password the old expiry date does not matter.
    User.objects.filter(pk=user.pk).update(must_change_password=False)
    assert login(Client(), user.username, PASSWORD).status_code == 302


def test_the_issued_passwords_page_is_never_cached(office, as_user):
    assert "no-store" in as_user(office).get("/people/issued/")["Cache-Control"]
