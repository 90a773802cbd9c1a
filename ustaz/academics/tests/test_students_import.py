import datetime
import io

import pytest

from testkit.factories import CourseFactory, StudyGroupFactory
from ustaz.academics.models import Delivery, DltBasis, Enrolment, StudentRecord
from ustaz.accounts.iin import make_iin
from ustaz.accounts.models import User

HEADER = "last_name,first_name,iin,citizenship,email,dlt_basis,delivery,year_of_study,country_of_residence\n"


def iin(n: int) -> str:
    return make_iin(datetime.date(2005, 5, 5), female=False, serial=900 + n * 11)


def post(client, group, text: str):
    upload = io.BytesIO(text.encode())
    upload.name = "students.csv"
    return client.post("/office/students/import/", {"group": group.pk, "file": upload})


def test_the_office_imports_students_into_a_group_and_its_courses(office, as_user):
    group = StudyGroupFactory()
    current = CourseFactory()
    current.groups.add(group)
    response = post(
        as_user(office),
        group,
        HEADER
        + (
            f"Сейітов,Ерлан,{iin(1)},KZ,erlan@example.kz,exchange,network,2,TR\n"
            f"Абенова,Дана,{iin(2)},KZ,,Академиялық ұтқырлық бағдарламасы,Кейсовая,,\n"  # names in kk and ru
            "Müller,Anna,,DE,anna@example.de,foreign_family,blended,1,\n"
        ),
    )
    assert response.status_code == 302, (response.context["errors"], response.context["form"].errors)
    records = {r.student.last_name: r for r in StudentRecord.objects.select_related("student")}
    assert set(records) == {"Сейітов", "Абенова", "Müller"}
    assert records["Сейітов"].dlt_basis == DltBasis.EXCHANGE
    assert records["Сейітов"].country_of_residence == "TR"
    assert records["Сейітов"].year_of_study == 2
    assert records["Абенова"].delivery == Delivery.CASE
    assert records["Абенова"].dlt_basis == DltBasis.ACADEMIC_MOBILITY
    assert records["Müller"].country_of_residence == "DE"
    assert all(r.group == group and r.programme == group.programme for r in records.values())
    assert Enrolment.objects.filter(course=current).count() == 3
    assert all(r.student.role_set == {"student"} and r.student.must_change_password for r in records.values())


def test_a_wrong_row_creates_nothing_and_is_reported_by_line(office, as_user):
    group = StudyGroupFactory()
    before = User.objects.count()
    response = post(
        as_user(office),
        group,
        HEADER + (f"Сейітов,Ерлан,{iin(1)},KZ,,exchange,network,2,\nАбенова,Дана,{iin(2)},KZ,,somewhere,network,9,\n"),
    )
    assert response.status_code == 400  # refused: nothing created
    lines = {line for line, _message in response.context["errors"]}
    assert lines == {3}
    messages = " ".join(m for _line, m in response.context["errors"])
    assert "somewhere" in messages and "year_of_study" in messages
    assert User.objects.count() == before
    assert not StudentRecord.objects.exists()


@pytest.mark.parametrize("persona", ["teacher", "student", "ict"])
def test_only_the_academic_office_imports_students(db, request, persona, as_user):
    group = StudyGroupFactory()
    response = post(as_user(request.getfixturevalue(persona)), group, HEADER)
    assert response.status_code == 403
