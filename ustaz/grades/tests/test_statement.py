import io
from decimal import Decimal

import openpyxl
from django.utils import translation
from pypdf import PdfReader

from testkit.factories import StudyGroupFactory, UserFactory
from ustaz.academics.models import DltBasis, Enrolment, StudentRecord
from ustaz.grades import services
from ustaz.grades.models import GradeSource


def in_group(course, group, last_name):
    person = UserFactory(roles=",student,", last_name=last_name, first_name="Әлихан")
    StudentRecord.objects.create(student=person, programme=group.programme, group=group, dlt_basis=DltBasis.EXCHANGE)
    Enrolment.objects.create(course=course, student=person)
    return person


def test_the_exam_statement_of_a_group_in_pdf_and_excel(teacher, course, as_user):
    group, other_group = StudyGroupFactory(name="INS-24"), StudyGroupFactory(name="VOC-24")
    course.groups.add(group, other_group)
    passed = in_group(course, group, "Құнанбаев")
    in_group(course, other_group, "Жұмабаев")
    with translation.override("en"):
        items = {i.title: i for i in services.default_items_create(course=course)}
    for title, points in (
        ("Current control 1", 80),
        ("Midterm 1 (RK1)", 90),
        ("Current control 2", 70),
        ("Midterm 2 (RK2)", 80),
        ("Exam", 90),
    ):
        services.grade_post(
            item=items[title], student=passed, points=Decimal(points), posted_by=teacher, source=GradeSource.JOURNAL
        )
    client = as_user(teacher)
    client.post("/language/", {"language": "kk", "next": "/"})
    pdf = client.get(f"/courses/{course.pk}/grades/statement/{group.pk}.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Емтихан ведомосы" in text  # the statement's title, in Kazakh
    assert "Құнанбаев Әлихан" in text and "Жұмабаев" not in text
    assert "84.0" in text and "B" in text and "жақсы" in text

    xlsx = client.get(f"/courses/{course.pk}/grades/statement/{group.pk}.xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(min_row=5, values_only=True))
    assert len(rows) == 1
    assert rows[0][1] == "Құнанбаев Әлихан" and rows[0][6] == 84.0 and rows[0][7] == "B"


def test_the_statement_is_for_the_courses_teachers_and_groups_only(teacher, student, course, as_user):
    group = StudyGroupFactory()
    course.groups.add(group)
    assert as_user(student).get(f"/courses/{course.pk}/grades/statement/{group.pk}.pdf").status_code == 403
    stranger_group = StudyGroupFactory()
    assert as_user(teacher).get(f"/courses/{course.pk}/grades/statement/{stranger_group.pk}.pdf").status_code == 404
    assert as_user(teacher).get(f"/courses/{course.pk}/grades/statement/{group.pk}.doc").status_code == 404
