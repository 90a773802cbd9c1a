"""A programme's graduating group (admitted 2022, eight terms: graduating in 2025/2026), its approved curriculum
with two disciplines, an elective group and the attestation's lines, and the gradebook's results."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import translation

from testkit.factories import CourseFactory, DisciplineFactory, ProgrammeFactory, StudyGroupFactory, UserFactory
from ustaz.academics.models import AcademicYear, Enrolment, StudentRecord, Term, TermKind
from ustaz.accounts.models import Role
from ustaz.attestation import services
from ustaz.attestation.models import Commission
from ustaz.curricula.models import (
    AttestationForm,
    Curriculum,
    CurriculumLine,
    CurriculumStatus,
    Cycle,
    ElectiveGroup,
    LineKind,
)
from ustaz.grades import services as grades
from ustaz.grades.models import GradeSource

RATINGS = (("Current control 1", 90), ("Midterm 1 (RK1)", 90), ("Current control 2", 90), ("Midterm 2 (RK2)", 90))
YEAR = 2025  # the commission's academic year: 2025/2026


def past_term():
    year, _ = AcademicYear.objects.get_or_create(
        name="2024-2025", defaults={"starts_on": datetime.date(2024, 9, 1), "ends_on": datetime.date(2025, 6, 30)}
    )
    term, _ = Term.objects.get_or_create(
        academic_year=year,
        kind=TermKind.AUTUMN,
        defaults={"starts_on": datetime.date(2024, 9, 1), "ends_on": datetime.date(2024, 12, 31)},
    )
    return term


@dataclass
class School:
    programme: object
    group: object
    curriculum: Curriculum
    required: list  # the disciplines of the compulsory lines
    options: list  # the disciplines of the elective group's two lines (5 credits to choose of 5 + 5)
    commission: Commission
    office: object
    teacher: object


def result(student, discipline, exam, teacher):
    """The student's course of the discipline in a closed term, graded: exam 90 gives A, 40 FX, 5 F."""
    course = CourseFactory(term=past_term(), discipline=discipline)
    Enrolment.objects.create(course=course, student=student)
    with translation.override("en"):
        items = {i.title: i for i in grades.default_items_create(course=course)}
    if exam is None:
        return course
    for title, points in (*RATINGS, ("Exam", exam)):
        grades.grade_post(
            item=items[title],
            student=student,
            points=Decimal(points),
            posted_by=teacher,
            source=GradeSource.JOURNAL,
            approved=True,
            reason="entered late",
        )
    return course


def graduate(school: School, name: str = "Student", group=None):
    user = UserFactory(roles=f",{Role.STUDENT},", first_name=name)
    StudentRecord.objects.create(
        student=user,
        programme=school.programme,
        group=group or school.group,
        delivery="network",
        dlt_basis="higher_blended",
    )
    return user


def pass_all(school: School, student):
    for discipline in school.required:
        result(student, discipline, 90, school.teacher)
    result(student, school.options[0], 90, school.teacher)


@pytest.fixture
def school(db, office, teacher):
    programme = ProgrammeFactory()
    group = StudyGroupFactory(programme=programme, admission_year=2022)
    curriculum = Curriculum.objects.create(
        programme=programme, admission_year=2022, terms=8, status=CurriculumStatus.APPROVED
    )
    required = [DisciplineFactory(credits=5), DisciplineFactory(credits=6)]
    for term, discipline in enumerate(required, start=1):
        CurriculumLine.objects.create(
            curriculum=curriculum, term=term, discipline=discipline, credits=discipline.credits, cycle=Cycle.BASIC
        )
    elective = ElectiveGroup.objects.create(
        curriculum=curriculum, code="E1", term=5, cycle=Cycle.PROFILING, credits_to_choose=5, name_kk="Таңдау"
    )
    options = [DisciplineFactory(credits=5), DisciplineFactory(credits=5)]
    for discipline in options:
        CurriculumLine.objects.create(
            curriculum=curriculum,
            term=5,
            discipline=discipline,
            credits=5,
            cycle=Cycle.PROFILING,
            elective_group=elective,
        )
    for form in (AttestationForm.THESIS, AttestationForm.COMPREHENSIVE_EXAM):
        CurriculumLine.objects.create(
            curriculum=curriculum,
            term=8,
            kind=LineKind.ATTESTATION,
            credits=6,
            cycle=Cycle.FINAL_ATTESTATION,
            attestation_form=form,
        )
    commission = services.commission_create(programme=programme, academic_year=YEAR, actor=office)
    return School(programme, group, curriculum, required, options, commission, office, teacher)


@pytest.fixture
def rector(db):
    return UserFactory(roles=f",{Role.RECTOR},", first_name="Rector")


@pytest.fixture
def external(db):
    return UserFactory(roles=f",{Role.ATTESTATION_COMMISSION},", first_name="External")
