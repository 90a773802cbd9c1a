import io
from decimal import Decimal

import openpyxl

from testkit.factories import UserFactory, enrol
from ustaz.grades import services
from ustaz.grades.models import Grade, GradeChange, GradeSource


def xlsx(rows) -> io.BytesIO:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "grades.xlsx"
    return buffer


def test_a_column_is_imported_from_excel_with_its_history(teacher, student, course, as_user):
    classmate = UserFactory(roles=",student,", iin="900101300017")
    enrol(classmate, course)
    exam = services.default_items_create(course=course)[-1]
    upload = xlsx([["login", "iin", "points"], [student.username, "", 81.5], ["", "900101300017", "64"]])
    response = as_user(teacher).post(f"/courses/{course.pk}/grades/import/", {"item": exam.pk, "file": upload})
    assert response.status_code == 302
    assert dict(Grade.objects.values_list("student_id", "points")) == {
        student.pk: Decimal("81.5"),
        classmate.pk: Decimal(64),
    }
    assert set(GradeChange.objects.values_list("source", flat=True)) == {GradeSource.IMPORT}


def test_one_wrong_row_writes_nothing_and_each_is_reported(teacher, student, other_student, course, as_user):
    exam = services.default_items_create(course=course)[-1]
    upload = xlsx(
        [
            ["login", "points"],
            [student.username, 70],
            [other_student.username, 50],
            [student.username, 60],
            ["nobody", 40],
        ]
    )
    response = as_user(teacher).post(f"/courses/{course.pk}/grades/import/", {"item": exam.pk, "file": upload})
    assert response.status_code == 400  # refused: nothing written
    lines = [line for line, _message in response.context["errors"]]
    assert lines == [3, 4, 5]  # not in the course, the same student again, unknown
    assert not Grade.objects.exists()


def test_out_of_range_points_are_refused_by_line(teacher, student, course, as_user):
    exam = services.default_items_create(course=course)[-1]
    upload = xlsx([["login", "points"], [student.username, 120]])
    response = as_user(teacher).post(f"/courses/{course.pk}/grades/import/", {"item": exam.pk, "file": upload})
    assert response.context["errors"][0][0] == 2
    assert not Grade.objects.exists()


def test_students_may_not_import(student, course, as_user):
    exam = services.default_items_create(course=course)[-1]
    upload = xlsx([["login", "points"], [student.username, 100]])
    assert (
        as_user(student).post(f"/courses/{course.pk}/grades/import/", {"item": exam.pk, "file": upload}).status_code
        == 403
    )
    assert not Grade.objects.exists()
