import io

import pytest
from pypdf import PdfReader

from testkit.factories import UserFactory
from ustaz.accounts.models import User
from ustaz.core.models import AuditAction, AuditEvent

FORM = {
    "last_name": "Құнанбаева",
    "first_name": "Әйгерім",
    "patronymic": "Ғаниқызы",
    "citizenship": "KZ",
    "iin": "900101300017",
    "email": "aigerim@example.kz",
    "phone": "+77010000000",
    "time_zone": "Asia/Almaty",
    "language": "kk",
    "roles": ["student"],
    "username": "",
}


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_it_issues_an_account_with_a_one_time_password_and_a_slip(office, as_user):
    client = as_user(office)
    response = client.post("/people/issue/", FORM)
    assert response.status_code == 302
    user = User.objects.get(iin="900101300017")
    assert user.username == "qunanbaeva.a"
    assert user.must_change_password
    assert user.role_set == {"student"}
    event = AuditEvent.objects.get(action=AuditAction.ACCOUNT_ISSUED)
    assert (event.actor, event.target_id) == (office, str(user.pk))

    slips = client.get("/people/issued/slips.pdf")
    assert slips["Content-Type"] == "application/pdf"
    text = pdf_text(slips.content)
    password = client.get("/people/issued/").context["issued"][0].password
    assert user.check_password(password)
    assert "qunanbaeva.a" in text and password in text
    # The slip speaks the person's language (Kazakh here), with its letters intact.
    assert "Құнанбаева Әйгерім Ғаниқызы" in text
    assert "Бір реттік құпиясөз" in text


def test_it_refuses_a_wrong_iin_and_keeps_what_was_typed(office, as_user):
    response = as_user(office).post("/people/issue/", {**FORM, "iin": "900101300016"})
    assert response.status_code == 200
    assert "check digit" in str(response.context["form"].errors["iin"])
    assert response.context["form"]["last_name"].value() == "Құнанбаева"
    assert not User.objects.filter(last_name="Құнанбаева").exists()


def test_it_requires_the_iin_of_a_citizen_but_not_of_a_foreigner(office, as_user):
    client = as_user(office)
    response = client.post("/people/issue/", {**FORM, "iin": ""})
    assert "iin" in response.context["form"].errors
    response = client.post("/people/issue/", {**FORM, "iin": "", "citizenship": "DE", "language": "en"})
    assert response.status_code == 302
    assert User.objects.get(last_name="Құнанбаева").citizenship == "DE"


def test_only_an_administrator_makes_administrators(office, as_user):
    response = as_user(office).post("/people/issue/", {**FORM, "roles": ["admin"]})
    assert response.status_code == 200
    assert not User.objects.filter(iin=FORM["iin"]).exists()


@pytest.mark.parametrize("persona", ["student", "teacher"])
def test_it_is_refused_to_other_roles(request, persona, as_user):
    client = as_user(request.getfixturevalue(persona))
    assert client.post("/people/issue/", FORM).status_code == 403
    assert client.get("/people/issued/slips.pdf").status_code == 403


def test_roles_are_granted_and_removed_with_an_audit_trail(office, as_user):
    person = UserFactory(roles=",student,")
    client = as_user(office)
    client.post(f"/people/{person.pk}/role/", {"role": "teacher", "action": "grant"})
    client.post(f"/people/{person.pk}/role/", {"role": "student", "action": "revoke"})
    person.refresh_from_db()
    assert person.role_set == {"teacher"}
    actions = list(AuditEvent.objects.filter(target_id=str(person.pk)).values_list("action", "details"))
    assert (AuditAction.ROLE_GRANTED, {"role": "teacher"}) in actions
    assert (AuditAction.ROLE_REVOKED, {"role": "student"}) in actions


def test_a_new_one_time_password_can_be_issued(office, as_user, smtp_server):
    person = UserFactory(roles=",student,", email="lost@example.kz")
    client = as_user(office)
    client.post(f"/people/{person.pk}/password/", {"send_email": "1"})
    person.refresh_from_db()
    assert person.must_change_password
    assert len(smtp_server.messages) == 1
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_REISSUED, target_id=str(person.pk)).exists()
