"""The diploma's result (issue 15, item 7): the final transcript with disciplines, practices and the final
attestation, its PDF in Kazakh, the honours check from real grades, who reads what, and the office's group page
whose queries do not grow with the number of students."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from pypdf import PdfReader

from testkit.factories import CourseFactory, StudyGroupFactory, UserFactory, enrol
from ustaz.academics.models import AcademicYear, Term, TermKind
from ustaz.accounts.models import Role
from ustaz.curricula.models import Curriculum, CurriculumLine, CurriculumStatus, Cycle, LineKind
from ustaz.grades import diploma, services
from ustaz.grades.models import GradeSource

TITLES = ("Current control 1", "Midterm 1 (RK1)", "Current control 2", "Midterm 2 (RK2)", "Exam")


def fill(course, student, teacher, score, **approval):
    """Every column at the same score: the final score is that score (0.6 * AR + 0.4 * exam)."""
    with translation.override("en"):
        items = {i.title: i for i in course.grade_items.all()} or {
            i.title: i for i in services.default_items_create(course=course)
        }
    for title in TITLES:
        services.grade_post(
            item=items[title],
            student=student,
            points=Decimal(score),
            posted_by=teacher,
            source=GradeSource.JOURNAL,
            **approval,
        )


@pytest.fixture
def programme_year(db, teacher):
    """A group graduating this year: a curriculum in force with two disciplines, a practice and the final
    attestation, each taught by a course of the teacher."""
    group = StudyGroupFactory(advisor=teacher)
    curriculum = Curriculum.objects.create(
        programme=group.programme, admission_year=group.admission_year, terms=8, status=CurriculumStatus.APPROVED
    )
    courses = {}
    for key, kind, cycle, name in (
        ("history", LineKind.DISCIPLINE, Cycle.BASIC, "Дәстүрлі өнер тарихы"),
        ("harmony", LineKind.DISCIPLINE, Cycle.PROFILING, "Гармония"),
        ("practice", LineKind.PRACTICE, Cycle.PROFILING, "Диплом алдындағы практика"),
        ("attestation", LineKind.ATTESTATION, Cycle.FINAL_ATTESTATION, "Дипломдық жобаны қорғау"),
    ):
        course = CourseFactory(discipline__name_kk=name, discipline__name_ru=name, discipline__credits=5)
        course.teachers.add(teacher)
        course.groups.add(group)
        CurriculumLine.objects.create(
            curriculum=curriculum,
            kind=kind,
            term=8,
            discipline=course.discipline,
            credits=5,
            cycle=cycle,
            attestation_form="thesis" if kind == LineKind.ATTESTATION else "",
            practice_kind="pre_diploma" if kind == LineKind.PRACTICE else "",
        )
        courses[key] = course
    return group, courses


def graduate(group, courses, teacher, scores, **names):
    student = UserFactory(roles=f",{Role.STUDENT},", **names)
    for key, course in courses.items():
        enrol(student, course, group)
        if key in scores:
            fill(course, student, teacher, scores[key])
    return student


EXCELLENT = {"history": 96, "harmony": 92, "practice": 96, "attestation": 96}


def test_the_final_transcript_sorts_practice_and_attestation_and_qualifies_an_excellent_graduate(
    programme_year, teacher
):
    group, courses = programme_year
    student = graduate(group, courses, teacher, EXCELLENT)
    t = diploma.final_transcript(student.student_record)
    kinds = {s.kind: sorted(line.course.discipline_id for line in s.lines) for s in t.sections}
    assert kinds == {
        "discipline": sorted([courses["history"].discipline_id, courses["harmony"].discipline_id]),
        "practice": [courses["practice"].discipline_id],
        "attestation": [courses["attestation"].discipline_id],
    }
    assert t.gpa == Decimal("3.92")  # (3 * 4.0 + 3.67) / 4 = 3.9175
    assert (t.credits_earned, t.credits_required) == (20, 20)
    assert t.honours.qualifies and t.honours.failing == ()


def test_a_graduate_who_does_not_qualify_is_told_which_conditions_fail(programme_year, teacher):
    group, courses = programme_year
    # C in an exam (67), B+ at the attestation (86): GPA (4 + 4 + 2 + 3.33) / 4 = 3.33.
    student = graduate(group, courses, teacher, {"history": 96, "harmony": 67, "practice": 96, "attestation": 86})
    t = diploma.final_transcript(student.student_record)
    assert t.gpa == Decimal("3.33")
    assert t.honours.failing == ("gpa", "exam", "attestation")


def test_a_discipline_studied_again_is_a_retake_and_counts_by_its_latest_result(programme_year, teacher):
    group, courses = programme_year
    student = graduate(group, courses, teacher, EXCELLENT)
    today = timezone.localdate()
    year = AcademicYear.objects.create(
        name="2090-2091", starts_on=today - datetime.timedelta(days=900), ends_on=today - datetime.timedelta(days=600)
    )
    old_term = Term.objects.create(
        academic_year=year,
        kind=TermKind.AUTUMN,
        starts_on=today - datetime.timedelta(days=900),
        ends_on=today - datetime.timedelta(days=780),
    )
    earlier = CourseFactory(discipline=courses["harmony"].discipline, term=old_term)
    earlier.teachers.add(teacher)
    enrol(student, earlier, group)
    fill(earlier, student, teacher, 20, approved=True, reason="archive")  # F: studied again this year with A-
    t = diploma.final_transcript(student.student_record)
    assert t.retakes == 1
    assert t.gpa == Decimal("3.92")  # the latest result counts (GradingPolicy retaken_counts "latest")
    assert t.honours.failing == ("retakes",)


def test_the_pdf_in_kazakh_keeps_kazakh_letters(programme_year, teacher, as_user):
    group, courses = programme_year
    student = graduate(group, courses, teacher, EXCELLENT, last_name="Құрманғазы", first_name="Әлихан")
    response = as_user(student).get(f"/people/{student.pk}/final-transcript.pdf?language=kk")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    for expected in ("Құрманғазы Әлихан", "Дәстүрлі өнер тарихы", "Гармония", "қорғау", "3.92", "20"):
        assert expected in text, text


@pytest.mark.parametrize(
    ("language", "shown", "name"),
    [
        ("kk", "kk", "Гармония"),
        ("ru", "ru", "Гармония"),
        ("en", "en", "Harmony"),
        ("xx", "en", "Harmony"),
        ("", "en", "Harmony"),
    ],
)
def test_the_page_is_shown_in_the_language_chosen_or_the_readers_own(
    programme_year, teacher, as_user, language, shown, name
):
    group, courses = programme_year
    student = graduate(group, courses, teacher, EXCELLENT)
    response = as_user(student).get(
        f"/people/{student.pk}/final-transcript/?language={language}", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<div lang="{shown}">' in html and name in html
    assert f"final-transcript.pdf?language={shown}" in html


def test_who_reads_a_final_transcript_and_a_groups_honours(programme_year, teacher, office, as_user):
    group, courses = programme_year
    student = graduate(group, courses, teacher, EXCELLENT)
    classmate = graduate(group, courses, teacher, {})
    other_teacher = UserFactory(roles=f",{Role.TEACHER},")
    rector = UserFactory(roles=f",{Role.RECTOR},")
    own = f"/people/{student.pk}/final-transcript/"
    honours = f"/groups/{group.pk}/honours/"
    for person, transcript_status, honours_status in (
        (student, 200, 404),
        (classmate, 404, 404),
        (teacher, 200, 200),  # the group's adviser
        (other_teacher, 404, 404),
        (office, 200, 200),
        (rector, 200, 200),
    ):
        client = as_user(person)
        assert client.get(own).status_code == transcript_status, person
        assert client.get(own.replace("/final-transcript/", "/final-transcript.pdf")).status_code == transcript_status
        assert client.get(honours).status_code == honours_status, person
        if transcript_status == 200:  # the transcript links to the group's honours page for whoever reads it
            assert (f'href="{honours}"' in client.get(own).content.decode()) is (honours_status == 200)
    assert as_user(office).get(f"/people/{office.pk}/final-transcript/").status_code == 404  # no student record


def test_the_groups_honours_page_names_who_qualifies_and_why_others_do_not(programme_year, teacher, office, as_user):
    group, courses = programme_year
    graduate(group, courses, teacher, EXCELLENT, last_name="Әбенова")
    graduate(group, courses, teacher, {**EXCELLENT, "attestation": 86}, last_name="Бекова")
    page = as_user(office).get(f"/groups/{group.pk}/honours/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "Әбенова" in html and "Бекова" in html
    assert html.count("does not qualify") == 1
    assert "the final attestation&#x27;s grade (B+) is not A, A-" in html
    built = diploma.graduates(group)
    assert [t.honours.failing for t in built.transcripts] == [(), ("attestation",)]
    assert built.qualifying == 1


def test_the_groups_honours_page_reads_as_many_queries_for_six_students_as_for_two(
    programme_year, teacher, office, as_user
):
    group, courses = programme_year
    client = as_user(office)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/groups/{group.pk}/honours/").status_code == 200
        return len(queries)

    empty = client.get(f"/groups/{group.pk}/honours/").content.decode()
    assert "The group has no students." in empty
    for _n in range(2):
        graduate(group, courses, teacher, EXCELLENT)
    small = count()
    for _n in range(4):
        graduate(group, courses, teacher, {**EXCELLENT, "harmony": 67})
    assert count() == small


def test_a_form_of_attestation_no_course_teaches_is_listed_without_a_grade_and_fails_honours(
    programme_year, teacher, as_user
):
    """As the curricula's editor keeps it, a line of the final attestation names no discipline: the transcript
    lists it with its credits and no grade, and honours wait for its grade."""
    group, courses = programme_year
    curriculum = Curriculum.objects.get(programme=group.programme)
    CurriculumLine.objects.create(
        curriculum=curriculum,
        kind=LineKind.ATTESTATION,
        term=8,
        credits=6,
        cycle=Cycle.FINAL_ATTESTATION,
        attestation_form="comprehensive_exam",
    )
    student = graduate(group, courses, teacher, EXCELLENT)
    t = diploma.final_transcript(student.student_record)
    [attestation] = [s for s in t.sections if s.kind == "attestation"]
    planned = [line for line in attestation.lines if line.course is None]
    assert [(line.credits, line.letter) for line in planned] == [(6, None)]
    assert (t.credits_earned, t.credits_required) == (20, 26)
    assert t.gpa == Decimal("3.92")  # the ungraded line is left out
    assert t.honours.failing == ("attestation",)
    html = as_user(student).get(f"/people/{student.pk}/final-transcript/?language=en").content.decode()
    assert "Comprehensive exam" in html and "Term 8" in html
