"""Retakes (rules.md): FX retakes the exam once in the office's window, F studies the discipline again in
a later term; every attempt stays in the history and the cumulative GPA counts the latest result."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from pypdf import PdfReader

from testkit.factories import CourseFactory, UserFactory, enrol
from ustaz.academics.models import AcademicYear, Enrolment, Term, TermKind
from ustaz.core.models import AuditAction, AuditEvent
from ustaz.grades import selectors, services
from ustaz.grades.models import GradeChange, GradeSource

D = Decimal
RATINGS = (("Current control 1", 90), ("Midterm 1 (RK1)", 90), ("Current control 2", 90), ("Midterm 2 (RK2)", 90))


def items_of(course):
    with translation.override("en"):
        return {i.title: i for i in services.default_items_create(course=course)}


def fill(course, student, teacher, exam=None):
    items = items_of(course)
    for title, points in RATINGS + ((("Exam", exam),) if exam is not None else ()):
        services.grade_post(
            item=items[title],
            student=student,
            points=D(points),
            posted_by=teacher,
            source=GradeSource.JOURNAL,
            approved=True,  # a past term's columns are closed
            reason="entered late",
        )
    return items


def in_a_week():
    return timezone.localdate() + datetime.timedelta(days=7)


def test_a_student_with_fx_retakes_the_exam_and_the_retake_replaces_the_first_result(
    course, teacher, student, other_student, office
):
    enrol(other_student, course)
    fill(course, student, teacher, exam=40)  # AR 90, exam 40: FX
    fill(course, other_student, teacher, exam=80)  # B+
    with translation.override("en"):
        retake = services.exam_retake_open(course=course, until=in_a_week(), opened_by=office)
    assert (retake.kind, retake.attempt, retake.title) == ("exam", 2, "Exam retake 1")
    assert AuditEvent.objects.filter(action=AuditAction.EXAM_RETAKE_OPENED, actor=office).count() == 1

    with pytest.raises(ValidationError) as refused:
        services.grade_post(
            item=retake, student=other_student, points=D(95), posted_by=teacher, source=GradeSource.JOURNAL
        )
    assert refused.value.code == "not_fx"

    services.grade_post(item=retake, student=student, points=D(70), posted_by=teacher, source=GradeSource.JOURNAL)
    result = selectors.course_result(course, student)
    assert (result.exam, result.final_score, result.letter.letter) == (D(70), D(82), "B")  # 0.6*90 + 0.4*70
    # The first attempt is kept, in the grades and in the history.
    _items, [row] = selectors.journal(course, student=student)
    assert D(40) in row.points and D(70) in row.points
    assert GradeChange.objects.filter(student=student, item__kind="exam").count() == 2
    [line] = selectors.transcript(student)[0].lines
    assert line.exam_attempts == 2

    with pytest.raises(ValidationError) as again:
        services.exam_retake_open(course=course, until=in_a_week(), opened_by=office)
    assert again.value.code == "retakes_used"


def test_the_retake_column_is_editable_only_in_the_rows_of_students_with_fx(
    course, teacher, student, other_student, office, as_user
):
    enrol(other_student, course)
    fill(course, student, teacher, exam=30)
    fill(course, other_student, teacher, exam=60)
    retake = services.exam_retake_open(course=course, until=in_a_week(), opened_by=office)
    page = as_user(teacher).get(f"/courses/{course.pk}/grades/").content.decode()
    assert page.count(f'data-i="{retake.pk}"') == 1
    group = student.student_record.group
    course.groups.add(group, other_student.student_record.group)
    statement = as_user(teacher).get(f"/courses/{course.pk}/grades/statement/{group.pk}.xlsx?retake=1")
    assert statement.status_code == 200
    assert as_user(teacher).get(f"/courses/{course.pk}/grades/statement/{group.pk}.xlsx?retake=2").status_code == 404
    # The student with FX is told of the window.
    for person in (student, other_student):
        person.language = "en"
        person.save(update_fields=["language"])
    mine = as_user(student).get(f"/courses/{course.pk}/grades/").content.decode()
    assert "You have FX: you may retake the exam until" in mine
    assert "You have FX" not in as_user(other_student).get(f"/courses/{course.pk}/grades/").content.decode()


def test_only_the_office_opens_a_retake_and_a_teacher_cannot_add_a_second_exam(course, teacher, office, as_user):
    items_of(course)
    until = in_a_week().isoformat()
    assert as_user(teacher).post(f"/courses/{course.pk}/grades/retake/", {"until": until}).status_code == 403
    assert course.grade_items.filter(attempt=2).count() == 0
    assert as_user(office).post(f"/courses/{course.pk}/grades/retake/", {"until": until}).status_code == 302
    assert course.grade_items.filter(attempt=2).count() == 1
    as_user(teacher).post(
        f"/courses/{course.pk}/grades/columns/", {"title": "Exam 2", "kind": "exam", "max_points": 100, "weight": 1}
    )
    assert course.grade_items.filter(kind="exam").count() == 2
    with pytest.raises(ValidationError):
        services.exam_retake_open(
            course=course, until=timezone.localdate() - datetime.timedelta(days=1), opened_by=office
        )


@pytest.fixture
def past_course(teacher, course):
    year = AcademicYear.objects.create(
        name="2098-2099", starts_on=datetime.date(2024, 9, 1), ends_on=datetime.date(2025, 8, 31)
    )
    term = Term.objects.create(
        academic_year=year,
        kind=TermKind.AUTUMN,
        starts_on=datetime.date(2024, 9, 2),
        ends_on=datetime.date(2025, 1, 20),
    )
    past = CourseFactory(discipline=course.discipline, term=term)
    past.teachers.add(teacher)
    return past


def test_after_an_f_the_discipline_is_studied_again_and_the_gpa_counts_the_latest_result(
    course, past_course, teacher, other_student, office, as_user, settings
):
    student = UserFactory(username="again")
    enrol(student, past_course)
    fill(past_course, student, teacher, exam=10)  # AR 90, exam 10: F
    assert selectors.course_result(past_course, student).letter.letter == "F"
    response = as_user(office).post(f"/courses/{course.pk}/grades/restudy/", {"login": "again"})
    assert response.status_code == 302
    assert Enrolment.objects.filter(course=course, student=student).exists()
    assert AuditEvent.objects.get(action=AuditAction.RESTUDY_ENROLLED).details["letter"] == "F"
    fill(course, student, teacher, exam=90)  # AR 90, exam 90: A-, 3.67

    first, second = selectors.transcript(student)
    assert first.lines[0].retaken_in == course.term and first.gpa == D("0.00")
    assert second.gpa == D("3.67") and second.cumulative_gpa == D("3.67")  # the F no longer counts
    settings.GRADING_POLICY = {"retaken_counts": "all"}
    assert selectors.transcript(student)[1].cumulative_gpa == D("1.84")  # (0 + 3.67) / 2, half up

    pdf = as_user(student).get("/transcript.pdf?language=en").content
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "studied again" in text


def test_studying_again_is_refused_without_a_failure_and_beyond_the_limit(
    course, past_course, teacher, office, settings
):
    passed = UserFactory()
    enrol(passed, past_course)
    fill(past_course, passed, teacher, exam=80)
    with pytest.raises(ValidationError) as refused:
        services.restudy_enrol(course=course, student=passed, enrolled_by=office)
    assert refused.value.code == "not_failed"
    newcomer = UserFactory()
    with pytest.raises(ValidationError) as first:
        services.restudy_enrol(course=course, student=newcomer, enrolled_by=office)
    assert first.value.code == "first_time"
    failed = UserFactory()
    enrol(failed, past_course)
    fill(past_course, failed, teacher, exam=10)
    settings.GRADES_DISCIPLINE_RETAKES = 0
    with pytest.raises(ValidationError) as limit:
        services.restudy_enrol(course=course, student=failed, enrolled_by=office)
    assert limit.value.code == "retakes_used"
    assert not Enrolment.objects.filter(course=course, student=failed).exists()


def test_a_student_with_fx_retakes_the_exam_before_studying_again(course, past_course, teacher, office):
    fx = UserFactory()
    enrol(fx, past_course)
    fill(past_course, fx, teacher, exam=40)
    with pytest.raises(ValidationError) as refused:
        services.restudy_enrol(course=course, student=fx, enrolled_by=office)
    assert refused.value.code == "retake_first"


def test_the_teacher_cannot_enrol_for_studying_again(course, past_course, teacher, as_user):
    failed = UserFactory(username="failed")
    enrol(failed, past_course)
    fill(past_course, failed, teacher, exam=10)
    assert as_user(teacher).post(f"/courses/{course.pk}/grades/restudy/", {"login": "failed"}).status_code == 403
    assert not Enrolment.objects.filter(course=course, student=failed).exists()
