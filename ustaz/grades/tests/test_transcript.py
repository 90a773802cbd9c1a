import io
from decimal import Decimal

from django.utils import translation
from pypdf import PdfReader

from testkit.factories import CourseFactory, enrol
from ustaz.grades import selectors, services
from ustaz.grades.models import GradeSource

WORKED = (
    ("Current control 1", 80),
    ("Midterm 1 (RK1)", 90),
    ("Current control 2", 70),
    ("Midterm 2 (RK2)", 80),
    ("Exam", 90),
)  # final 84 -> B, 3.0


def fill(course, student, teacher, marks):
    with translation.override("en"):
        items = {i.title: i for i in services.default_items_create(course=course)}
    for title, points in marks:
        services.grade_post(
            item=items[title], student=student, points=Decimal(points), posted_by=teacher, source=GradeSource.JOURNAL
        )


def test_the_transcript_gives_each_result_and_the_credit_weighted_gpa(teacher, student, course, as_user):
    course.discipline.credits = 5
    course.discipline.save()
    other = CourseFactory(discipline__credits=3, discipline__name_kk="Полифония")
    other.teachers.add(teacher)
    enrol(student, other)
    fill(course, student, teacher, WORKED)  # B, 3.0
    fill(other, student, teacher, [(t, 100) for t, _p in WORKED])  # A, 4.0
    [term] = selectors.transcript(student)
    assert [line.result.letter.letter for line in term.lines] == ["B", "A"] or [
        line.result.letter.letter for line in term.lines
    ] == ["A", "B"]
    assert term.gpa == Decimal("3.38")  # (5 * 3.0 + 3 * 4.0) / 8 = 3.375
    assert term.cumulative_gpa == Decimal("3.38")

    response = as_user(student).get("/transcript.pdf?language=kk")
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Транскрипт" in text and "Полифония" in text and "3.38" in text


def test_the_office_reads_any_transcript_and_students_only_their_own(student, other_student, office, as_user):
    assert as_user(office).get(f"/people/{student.pk}/transcript.pdf?language=ru").status_code == 200
    assert as_user(other_student).get(f"/people/{student.pk}/transcript.pdf").status_code == 403
