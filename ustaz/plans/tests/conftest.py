"""A programme whose group was admitted in 2025, its curriculum in force, the academic year 2026-2027 (the
group's second: terms 3 and 4) with its terms, an elective window open for it, and the group's adviser."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from testkit.factories import DisciplineFactory, ProgrammeFactory, StudyGroupFactory, UserFactory
from ustaz.academics.models import AcademicYear, DltBasis, StudentRecord, StudentStatus, Term, TermKind
from ustaz.accounts.models import Role
from ustaz.curricula import services as curricula
from ustaz.curricula.models import Component, Control, Curriculum, CurriculumStatus, Cycle, LineKind
from ustaz.plans import services


@dataclass
class School:
    programme: object
    group: object
    adviser: object
    office: object
    curriculum: object
    year: object  # AcademicYear 2026-2027
    autumn: object  # Term
    spring: object
    window: object
    compulsory: list  # CurriculumLine of terms 3 and 4
    elective_a: object  # options of the group EL-3 (term 3, choose 5): a 5, b 5, c 3, d 2
    elective_b: object
    elective_c: object
    elective_d: object
    group_el3: object
    first_year_line: object  # a line of term 1 (not in this year's plan)


def add_line(curriculum, term, credits, *, group=None, discipline=None, kind=LineKind.DISCIPLINE, **extra):
    return curricula.line_save(
        curriculum=curriculum,
        data=curricula.LineData(
            kind=kind,
            term=term,
            credits=credits,
            cycle=Cycle.BASIC,
            discipline=discipline if discipline is not None else DisciplineFactory(credits=credits),
            component=Component.ELECTIVE if group else Component.COMPULSORY,
            control=Control.EXAM,
            elective_group=group,
            **extra,
        ),
    )


def make_student(group, *, status=StudentStatus.ACTIVE, name="Student"):
    user = UserFactory(roles=f",{Role.STUDENT},", first_name=name)
    StudentRecord.objects.create(
        student=user,
        programme=group.programme,
        group=group,
        dlt_basis=DltBasis.HIGHER_BLENDED,
        status=status,
        year_of_study=2,
    )
    return user


def make_year(start: int, *, today_inside: bool = False):
    year, _ = AcademicYear.objects.get_or_create(
        name=f"{start}-{start + 1}",
        defaults={"starts_on": datetime.date(start, 9, 1), "ends_on": datetime.date(start + 1, 6, 30)},
    )
    autumn, _ = Term.objects.get_or_create(
        academic_year=year,
        kind=TermKind.AUTUMN,
        defaults={"starts_on": datetime.date(start, 9, 1), "ends_on": datetime.date(start, 12, 31)},
    )
    spring, _ = Term.objects.get_or_create(
        academic_year=year,
        kind=TermKind.SPRING,
        defaults={"starts_on": datetime.date(start + 1, 1, 15), "ends_on": datetime.date(start + 1, 6, 15)},
    )
    return year, autumn, spring


@pytest.fixture
def school(db):
    office = UserFactory(roles=f",{Role.ACADEMIC_OFFICE},", first_name="Office")
    adviser = UserFactory(roles=f",{Role.TEACHER},", first_name="Adviser")
    programme = ProgrammeFactory()
    group = StudyGroupFactory(programme=programme, admission_year=2025, advisor=adviser)
    curriculum = curricula.curriculum_create(programme=programme, admission_year=2025, terms=8, actor=office)
    first_year_line = add_line(curriculum, 1, 5)
    compulsory = [add_line(curriculum, 3, 10), add_line(curriculum, 3, 15), add_line(curriculum, 4, 25)]
    with translation.override("en"):
        el3 = curricula.group_save(
            curriculum=curriculum,
            data=curricula.GroupData(code="EL-3", term=3, cycle=Cycle.BASIC, credits_to_choose=5, name_kk="Таңдау 3"),
        )
        el4 = curricula.group_save(
            curriculum=curriculum,
            data=curricula.GroupData(code="EL-4", term=4, cycle=Cycle.BASIC, credits_to_choose=5, name_kk="Таңдау 4"),
        )
    a, b, c, d = (add_line(curriculum, 3, n, group=el3) for n in (5, 5, 3, 2))
    add_line(curriculum, 4, 5, group=el4)
    add_line(curriculum, 4, 5, group=el4)
    Curriculum.objects.filter(pk=curriculum.pk).update(status=CurriculumStatus.APPROVED)
    year, autumn, spring = make_year(2026)
    today = timezone.localdate()
    window = services.window_save(
        academic_year=year,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=min(today + datetime.timedelta(days=14), year.ends_on - datetime.timedelta(days=1)),
        by=office,
    )
    return School(
        programme=programme,
        group=group,
        adviser=adviser,
        office=office,
        curriculum=curriculum,
        year=year,
        autumn=autumn,
        spring=spring,
        window=window,
        compulsory=compulsory,
        elective_a=a,
        elective_b=b,
        elective_c=c,
        elective_d=d,
        group_el3=el3,
        first_year_line=first_year_line,
    )


def el4_options(school):
    return list(school.curriculum.lines.filter(elective_group__code="EL-4").order_by("pk"))


def full_choice(school):
    """A complete choice: 5 credits of EL-3 (c + d) and one EL-4 discipline."""
    return [school.elective_c.pk, school.elective_d.pk, el4_options(school)[0].pk]


D = Decimal
