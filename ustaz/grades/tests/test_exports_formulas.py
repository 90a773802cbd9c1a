"""A name that begins with "=" (or +, -, @) is text in the journal and the statement workbooks, never a formula."""

import io
from decimal import Decimal

import openpyxl

from testkit.factories import StudyGroupFactory, UserFactory
from ustaz.academics.models import DltBasis, Enrolment, StudentRecord
from ustaz.grades import services
from ustaz.grades.models import GradeSource

NAMES = ['=HYPERLINK("http://evil.example","click")', "+1+1", "-2+3", "@SUM(A1)", "\tTab"]


def _people(course, group=None):
    people = []
    for name in NAMES:
        person = UserFactory(roles=",student,", last_name=name, first_name="", username=f"u{len(people)}")
        if group is not None:
            StudentRecord.objects.create(
                student=person, programme=group.programme, group=group, dlt_basis=DltBasis.EXCHANGE
            )
        Enrolment.objects.create(course=course, student=person)
        people.append(person)
    return people


def _cells(content):
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [cell for row in book.active.iter_rows() for cell in row if cell.value is not None]


def test_the_journal_workbook_has_no_formula_and_keeps_names_and_numbers(teacher, course, as_user):
    people = _people(course)
    exam = services.default_items_create(course=course)[-1]
    services.grade_post(item=exam, student=people[0], points=Decimal(77), posted_by=teacher, source=GradeSource.JOURNAL)
    cells = _cells(as_user(teacher).get(f"/courses/{course.pk}/grades/journal.xlsx").content)
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells if c.data_type == "s"}
    assert {n.strip() for n in NAMES} <= {t.strip() for t in texts}
    assert 77 in [c.value for c in cells if c.data_type == "n"]


def test_the_statement_workbook_has_no_formula(teacher, course, as_user):
    group = StudyGroupFactory(name="=1+1")
    course.groups.add(group)
    _people(course, group)
    services.default_items_create(course=course)
    cells = _cells(as_user(teacher).get(f"/courses/{course.pk}/grades/statement/{group.pk}.xlsx").content)
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells if c.data_type == "s"}
    assert "=1+1" in texts and NAMES[0] in texts and "@SUM(A1)" in texts
    assert [c.value for c in cells if c.column == 1 and c.data_type == "n"] == [1, 2, 3, 4, 5]
