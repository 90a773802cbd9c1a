import io

import openpyxl
import pytest

from ustaz.accounts.iin import make_iin
from ustaz.accounts.models import User
from ustaz.core.models import AuditAction, AuditEvent

HEADER = "last_name,first_name,patronymic,iin,citizenship,email,roles,login,language\n"


def valid_iin(n: int) -> str:
    import datetime

    return make_iin(datetime.date(2004, 3, 15), female=n % 2 == 0, serial=500 + n * 7)


def upload(client, name: str, content: bytes, send_email: bool = False):
    file = io.BytesIO(content)
    file.name = name
    data = {"file": file}
    if send_email:
        data["send_email"] = "on"
    return client.post("/people/import/", data)


def test_it_reports_every_bad_row_and_creates_nothing(office, as_user):
    User.objects.create(username="taken.login")
    csv_text = HEADER + (
        f"Сейітов,Ерлан,Асқарұлы,{valid_iin(1)},KZ,erlan@example.kz,student,,kk\n"
        "Абенова,Дана,,900101300016,KZ,dana@example.kz,student,,kk\n"  # wrong check digit
        f"Омаров,Мұрат,,{valid_iin(3)},KZ,,student,taken.login,ru\n"  # login already taken
        f"Омаров,Мұрат,,{valid_iin(4)},KZ,,teacher,dup.login,ru\n"
        f"Есенов,Арман,,{valid_iin(5)},KZ,,student,dup.login,ru\n"  # same login as the line above
        "Smith,John,,,GB,john@example.com,wizard,,en\n"  # unknown role; IIN optional for a foreigner
    )
    before = User.objects.count()
    response = upload(as_user(office), "people.csv", csv_text.encode())
    assert response.status_code == 400  # refused: nothing created
    errors = response.context["errors"]
    lines = sorted({line for line, _message in errors})
    assert lines == [3, 4, 6, 7]
    assert any("check digit" in message for line, message in errors if line == 3)
    assert any("taken.login" in message for line, message in errors if line == 4)
    assert any("line 5" in message for line, message in errors if line == 6)
    assert any("wizard" in message for line, message in errors if line == 7)
    assert User.objects.count() == before
    assert not AuditEvent.objects.filter(action=AuditAction.ACCOUNT_ISSUED).exists()


def test_it_reports_a_missing_column_and_creates_nothing(office, as_user):
    response = upload(as_user(office), "people.csv", b"last_name,first_name,roles\n\xd0\x90,B,student\n")
    assert response.context["errors"] == [(1, "Missing columns: iin.")]
    assert not User.objects.filter(roles__contains="student").exists()


def test_it_refuses_a_file_that_is_not_a_spreadsheet(office, as_user):
    response = upload(as_user(office), "people.xlsx", b"this is no workbook")
    assert response.context["errors"][0][0] == 1
    assert "Excel" in response.context["errors"][0][1]


def test_it_imports_a_valid_xlsx_and_issues_accounts(office, as_user, smtp_server):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["last_name", "first_name", "patronymic", "iin", "email", "roles", "language", "time_zone"])
    sheet.append(["Сейітов", "Ерлан", "Асқарұлы", valid_iin(10), "erlan@example.kz", "student", "kk", "Asia/Almaty"])
    sheet.append(
        [
            "Жұмабаева",
            "Ақмарал",
            "",
            valid_iin(11),
            "akmaral@example.kz",
            "teacher, admission_commission",
            "ru",
            "Europe/Berlin",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = as_user(office)
    response = upload(client, "people.xlsx", buffer.getvalue(), send_email=True)
    assert response.status_code == 302
    erlan = User.objects.get(iin=valid_iin(10))
    akmaral = User.objects.get(iin=valid_iin(11))
    assert erlan.username == "seiitov.e"
    assert erlan.must_change_password
    assert akmaral.role_set == {"teacher", "admission_commission"}
    assert akmaral.time_zone == "Europe/Berlin"
    assert AuditEvent.objects.filter(action=AuditAction.ACCOUNT_ISSUED, actor=office).count() == 2
    assert AuditEvent.objects.filter(action=AuditAction.ACCOUNTS_IMPORTED, actor=office).count() == 1
    # Each person got their credentials by real SMTP, in their own language.
    by_address = {m["To"]: m for m in smtp_server.messages}
    assert set(by_address) == {"erlan@example.kz", "akmaral@example.kz"}
    assert "seiitov.e" in by_address["erlan@example.kz"].get_content()
    assert by_address["akmaral@example.kz"]["Subject"] != by_address["erlan@example.kz"]["Subject"]
    # The issued page shows each one-time password once, and the password works.
    issued = client.get("/people/issued/")
    shown = {c.user.username: c.password for c in issued.context["issued"]}
    assert erlan.check_password(shown["seiitov.e"])


@pytest.mark.parametrize("role_name", ["student", "teacher", "other_student"])
def test_it_is_refused_to_anyone_but_the_office_and_ict(request, role_name, as_user):
    user = request.getfixturevalue(role_name)
    assert as_user(user).post("/people/import/", {}).status_code == 403
    assert as_user(user).get("/people/").status_code == 403


def test_it_sends_the_anonymous_to_login(client, db):
    response = client.get("/people/import/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_importing_many_people_does_not_query_per_person(office, as_user, django_assert_max_num_queries):
    rows = "".join(f"Фамилия{n},Имя,,{valid_iin(100 + n)},KZ,,student,,kk\n" for n in range(60))
    client = as_user(office)
    with django_assert_max_num_queries(60 * 2 + 20):  # per person: the account and its audit row
        response = upload(client, "people.csv", (HEADER + rows).encode())
    assert response.status_code == 302
    assert User.objects.filter(last_name__startswith="Фамилия").count() == 60
