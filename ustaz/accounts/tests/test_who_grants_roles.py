"""One rule on every path (pages, imports, the Django admin, the services): only an administrator grants staff
roles or touches a staff member's account; the office and the ICT centre grant the roles of study."""

import io

import pytest
from django.core.exceptions import PermissionDenied

from testkit.factories import PASSWORD, UserFactory
from ustaz.accounts import access, services
from ustaz.accounts.iin import make_iin
from ustaz.accounts.models import User
from ustaz.core.models import AuditAction, AuditEvent


@pytest.fixture
def administrator(db):
    return UserFactory(roles=",admin,", first_name="Admin", email="admin@example.kz")


def _iin(n: int) -> str:
    import datetime

    return make_iin(datetime.date(1990, 6, 1), female=False, serial=700 + n * 13)


def _refused(actor) -> list[dict]:
    return list(
        AuditEvent.objects.filter(action=AuditAction.ACCOUNT_CHANGE_REFUSED, actor=actor).values_list(
            "details", flat=True
        )
    )


def _upload(client, text: str):
    file = io.BytesIO(text.encode())
    file.name = "people.csv"
    return client.post("/people/import/", {"file": file})


# --- Imports ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["office", "ict"])
@pytest.mark.parametrize("role", ["admin", "rector", "academic_office", "ict_support"])
def test_an_import_by_the_office_or_ict_may_not_make_staff(request, persona, role, as_user):
    manager = request.getfixturevalue(persona)
    text = (
        "last_name,first_name,iin,roles,login\n"
        f"Сейітов,Ерлан,{_iin(1)},student,\n"
        f"Қасымов,Нұрлан,{_iin(2)},{role},boss\n"
    )
    response = _upload(as_user(manager), text)
    assert response.status_code == 400
    assert any(line == 3 and role in message for line, message in response.context["errors"])
    assert not User.objects.filter(iin__in=[_iin(1), _iin(2)]).exists()  # all or nothing
    assert _refused(manager) == [{"attempt": "import", "roles": [role], "file": "people.csv"}]


def test_an_administrator_imports_an_administrator(administrator, as_user):
    response = _upload(as_user(administrator), f"last_name,first_name,iin,roles\nҚасымов,Нұрлан,{_iin(2)},admin\n")
    assert response.status_code == 302
    assert User.objects.get(iin=_iin(2)).role_set == {"admin"}


def test_the_office_imports_the_new_commission_roles(office, as_user):
    text = (
        "last_name,first_name,iin,roles\n"
        f"Жұмабаева,Сәуле,{_iin(3)},teacher;admission_commission\n"
        f"Омаров,Мұрат,{_iin(4)},appeal_commission\n"
    )
    assert _upload(as_user(office), text).status_code == 302
    assert User.objects.get(iin=_iin(3)).role_set == {"teacher", "admission_commission"}
    assert User.objects.get(iin=_iin(4)).role_set == {"appeal_commission"}


def test_the_old_commission_role_is_not_accepted_any_more(office, as_user):
    response = _upload(as_user(office), f"last_name,first_name,iin,roles\nОмаров,Мұрат,{_iin(4)},commission_member\n")
    assert response.status_code == 400
    assert any("commission_member" in message for _line, message in response.context["errors"])


def test_an_import_prepared_without_the_importer_is_refused_when_issued(office):
    prepared = services.accounts_import_prepare(
        filename="people.csv", content=f"last_name,first_name,iin,roles\nҚасымов,Нұрлан,{_iin(2)},admin\n".encode()
    )
    assert not prepared.errors
    with pytest.raises(PermissionDenied):
        services.accounts_import_issue(prepared=prepared, issued_by=office)
    assert not User.objects.filter(iin=_iin(2)).exists()


# --- Issuing one account --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["office", "ict"])
def test_the_issue_form_offers_and_accepts_only_the_roles_of_study(request, persona, as_user):
    manager = request.getfixturevalue(persona)
    client = as_user(manager)
    offered = {value for value, _label in client.get("/people/issue/").context["form"].fields["roles"].widget.choices}
    assert offered == {
        "student",
        "teacher",
        "applicant",
        "admission_commission",
        "appeal_commission",
        "attestation_commission",
    }
    form = {
        "last_name": "Қасымов",
        "first_name": "Нұрлан",
        "citizenship": "KZ",
        "iin": _iin(5),
        "time_zone": "Asia/Almaty",
        "language": "kk",
        "roles": ["teacher", "rector"],
    }
    response = client.post("/people/issue/", form)
    assert response.status_code == 200
    assert response.context["form"].errors["roles"]
    assert not User.objects.filter(iin=_iin(5)).exists()
    assert _refused(manager) == [{"attempt": "issue", "roles": ["rector", "teacher"]}]


def test_the_service_refuses_a_staff_role_to_the_ict_centre(ict):
    data = services.AccountData(last_name="Қасымов", first_name="Нұрлан", iin=_iin(6), roles={"academic_office"})
    with pytest.raises(PermissionDenied):
        services.account_issue(data=data, issued_by=ict)
    assert not User.objects.filter(iin=_iin(6)).exists()
    assert len(_refused(ict)) == 1


# --- Reissuing a password and reading it -----------------------------------------------------------------


@pytest.mark.parametrize("persona", ["office", "ict"])
def test_no_one_but_an_administrator_reissues_an_administrators_password(request, persona, administrator, as_user):
    manager = request.getfixturevalue(persona)
    client = as_user(manager)
    assert client.post(f"/people/{administrator.pk}/password/").status_code == 403
    administrator.refresh_from_db()
    assert administrator.check_password(PASSWORD)
    assert not administrator.must_change_password
    page = client.get("/people/issued/")
    assert page.context["issued"] == []
    assert administrator.username not in page.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.PASSWORD_REISSUED).exists()
    assert _refused(manager) == [{"attempt": "password"}]
    # The person's page says so instead of offering the forms.
    person_page = client.get(f"/people/{administrator.pk}/").content.decode()
    assert 'id="managed-by-admin"' in person_page
    assert f"/people/{administrator.pk}/password/" not in person_page


def test_the_ict_centre_reissues_a_students_password_and_an_administrator_a_staff_members(
    ict, office, administrator, as_user
):
    student = UserFactory(roles=",student,")
    client = as_user(ict)
    assert client.post(f"/people/{student.pk}/password/").status_code == 302
    assert [c.user for c in client.get("/people/issued/").context["issued"]] == [student]
    assert as_user(ict).post(f"/people/{office.pk}/password/").status_code == 403  # a colleague on the staff
    admin_client = as_user(administrator)
    assert admin_client.post(f"/people/{office.pk}/password/").status_code == 302
    assert [c.user for c in admin_client.get("/people/issued/").context["issued"]] == [office]


def test_the_issued_passwords_page_hides_an_account_that_became_an_administrators(office, as_user):
    student = UserFactory(roles=",student,")
    client = as_user(office)
    client.post(f"/people/{student.pk}/password/")
    User.objects.filter(pk=student.pk).update(roles=",student,admin,")
    page = client.get("/people/issued/")
    assert page.context["issued"] == []
    assert client.get("/people/issued/slips.pdf").status_code == 302  # nothing to print


# --- Roles on the People pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["office", "ict"])
def test_nobody_but_an_administrator_grants_oneself_a_role(request, persona, as_user):
    manager = request.getfixturevalue(persona)
    before = manager.roles
    client = as_user(manager)
    for role in ("teacher", "admin", "academic_office"):
        assert client.post(f"/people/{manager.pk}/role/", {"role": role, "action": "grant"}).status_code == 403
    manager.refresh_from_db()
    assert manager.roles == before
    assert [d["attempt"] for d in _refused(manager)] == ["grant", "grant", "grant"]


def test_an_administrator_grants_roles_to_themselves_and_to_staff(administrator, office, as_user):
    client = as_user(administrator)
    assert client.post(f"/people/{administrator.pk}/role/", {"role": "teacher", "action": "grant"}).status_code == 302
    assert client.post(f"/people/{office.pk}/role/", {"role": "rector", "action": "grant"}).status_code == 302
    assert User.objects.get(pk=administrator.pk).role_set == {"admin", "teacher"}
    assert User.objects.get(pk=office.pk).role_set == {"academic_office", "rector"}


@pytest.mark.parametrize("persona", ["office", "ict"])
def test_a_non_administrator_cannot_remove_an_administrators_roles(request, persona, as_user):
    manager = request.getfixturevalue(persona)
    administrator = UserFactory(roles=",teacher,admin,")
    client = as_user(manager)
    for role in ("teacher", "admin"):
        assert client.post(f"/people/{administrator.pk}/role/", {"role": role, "action": "revoke"}).status_code == 403
        assert client.post(f"/people/{administrator.pk}/role/", {"role": role, "action": "grant"}).status_code == 403
    assert client.post(f"/people/{administrator.pk}/role/", {"role": "student", "action": "grant"}).status_code == 403
    assert User.objects.get(pk=administrator.pk).role_set == {"teacher", "admin"}


def test_the_office_grants_study_roles_but_not_staff_roles(office, as_user):
    teacher = UserFactory(roles=",teacher,")
    client = as_user(office)
    assert (
        client.post(f"/people/{teacher.pk}/role/", {"role": "appeal_commission", "action": "grant"}).status_code == 302
    )
    for role in ("rector", "ict_support", "academic_office", "admin"):
        assert client.post(f"/people/{teacher.pk}/role/", {"role": role, "action": "grant"}).status_code == 403
    assert User.objects.get(pk=teacher.pk).role_set == {"teacher", "appeal_commission"}


def test_the_services_refuse_what_the_pages_refuse(office, ict):
    administrator = UserFactory(roles=",admin,")
    with pytest.raises(PermissionDenied):
        services.role_grant(user=office, role="teacher", granted_by=office)
    with pytest.raises(PermissionDenied):
        services.role_revoke(user=administrator, role="admin", revoked_by=ict)
    with pytest.raises(PermissionDenied):
        services.password_reissue(user=administrator, issued_by=ict)
    assert User.objects.get(pk=administrator.pk).role_set == {"admin"}
    assert User.objects.get(pk=office.pk).role_set == {"academic_office"}
    # No actor is the system itself (the demo loader, a management command).
    services.role_grant(user=office, role="rector", granted_by=None)
    assert User.objects.get(pk=office.pk).role_set == {"academic_office", "rector"}


def test_the_rule_in_one_place(office, ict, administrator):
    student = UserFactory(roles=",student,")
    rector = UserFactory(roles=",rector,")
    superuser = UserFactory(roles="", is_superuser=True)
    assert access.can_manage_person(office, student) and access.can_manage_person(ict, student)
    assert not access.can_manage_person(office, rector) and not access.can_manage_person(ict, office)
    assert not access.can_manage_person(office, superuser)
    assert not access.can_manage_person(rector, student)  # the rector manages no accounts
    assert access.can_manage_person(administrator, rector) and access.can_manage_person(administrator, superuser)
    assert access.can_grant_role(superuser, "admin")


# --- The Django admin ---------------------------------------------------------------------------------------


def _admin_form(person: User, **changes) -> dict:
    data = {
        "username": person.username,
        "last_name": person.last_name,
        "first_name": person.first_name,
        "patronymic": person.patronymic,
        "iin": person.iin,
        "citizenship": person.citizenship,
        "email": person.email,
        "phone": person.phone,
        "time_zone": person.time_zone,
        "language": person.language,
        "is_active": "on" if person.is_active else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


@pytest.mark.parametrize("persona", ["office", "ict"])
@pytest.mark.parametrize("changes", [{"email": "attacker@example.kz"}, {"is_active": ""}, {"username": "someone-else"}])
def test_the_admin_refuses_changes_to_an_administrator_by_others(request, persona, changes, administrator, as_user):
    client = as_user(request.getfixturevalue(persona))
    url = f"/admin/accounts/user/{administrator.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and not page.context["has_change_permission"]  # shown read-only
    assert client.post(url, _admin_form(administrator, **changes)).status_code == 403
    assert _refused(request.getfixturevalue(persona)) == [{"attempt": "admin"}]
    stored = User.objects.get(pk=administrator.pk)
    assert (stored.email, stored.is_active, stored.username) == (
        administrator.email,
        True,
        administrator.username,
    )


def test_the_admin_lets_the_office_change_a_student_and_an_administrator_an_administrator(
    office, administrator, as_user
):
    student = UserFactory(roles=",student,")
    response = as_user(office).post(
        f"/admin/accounts/user/{student.pk}/change/", _admin_form(student, email="new@example.kz")
    )
    assert response.status_code == 302
    assert User.objects.get(pk=student.pk).email == "new@example.kz"
    colleague = UserFactory(roles=",admin,")
    response = as_user(administrator).post(
        f"/admin/accounts/user/{colleague.pk}/change/", _admin_form(colleague, email="second@example.kz")
    )
    assert response.status_code == 302
    assert User.objects.get(pk=colleague.pk).email == "second@example.kz"


def test_the_admin_offers_no_way_around_the_people_pages(office, administrator, as_user):
    client = as_user(office)
    assert client.get("/admin/accounts/user/add/").status_code == 403
    changelist = client.get("/admin/accounts/user/")
    assert changelist.status_code == 200 and 'name="action"' not in changelist.content.decode()
    # A bulk action posted by hand finds none to run.
    client.post("/admin/accounts/user/", {"action": "delete_selected", "_selected_action": [administrator.pk]})
    assert User.objects.filter(pk=administrator.pk, is_active=True).exists()
    # The change form has no password field to set; its roles are read-only.
    form = client.get(f"/admin/accounts/user/{administrator.pk}/change/").context["adminform"].form
    assert "password" not in form.fields and "roles" not in form.fields
