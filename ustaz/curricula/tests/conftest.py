"""A bachelor's curriculum whose credits are right (rules.md: 30 a term, 60 a year, 240 in all; general 56,
basic 112, profiling 60, final attestation 12), and the personas the curricula pages are tried by."""

from __future__ import annotations

import pytest

from testkit.factories import DisciplineFactory, ProgrammeFactory, UserFactory
from ustaz.accounts.models import Role
from ustaz.curricula import services
from ustaz.curricula.models import Component, Control, Curriculum, Cycle, LineKind

# (term, cycle, credits): each term makes 30.
VALID_PLAN = [
    (1, Cycle.GENERAL, 30),
    (2, Cycle.GENERAL, 26),
    (2, Cycle.BASIC, 4),
    (3, Cycle.BASIC, 30),
    (4, Cycle.BASIC, 30),
    (5, Cycle.BASIC, 30),
    (6, Cycle.BASIC, 18),
    (6, Cycle.PROFILING, 12),
    (7, Cycle.PROFILING, 30),
    (8, Cycle.PROFILING, 18),
]


def discipline_line(curriculum, term, cycle, credits, **extra):
    data = services.LineData(
        kind=LineKind.DISCIPLINE,
        term=term,
        credits=credits,
        cycle=cycle,
        discipline=extra.pop("discipline", None) or DisciplineFactory(),
        component=extra.pop("component", Component.COMPULSORY),
        control=extra.pop("control", Control.EXAM),
        **extra,
    )
    return services.line_save(curriculum=curriculum, data=data)


def attestation_line(curriculum, term=8, credits=12, form="creative_exam"):
    data = services.LineData(
        kind=LineKind.ATTESTATION, term=term, credits=credits, cycle=Cycle.FINAL_ATTESTATION, attestation_form=form
    )
    return services.line_save(curriculum=curriculum, data=data)


def make_valid(programme=None, admission_year=2025, actor=None) -> Curriculum:
    programme = programme or ProgrammeFactory()
    curriculum = services.curriculum_create(programme=programme, admission_year=admission_year, terms=8, actor=actor)
    for term, cycle, credits in VALID_PLAN:
        discipline_line(curriculum, term, cycle, credits)
    attestation_line(curriculum)
    return curriculum


@pytest.fixture
def rector(db):
    return UserFactory(roles=f",{Role.RECTOR},", first_name="Rector")


@pytest.fixture
def applicant(db):
    return UserFactory(roles=f",{Role.APPLICANT},", first_name="Applicant")


@pytest.fixture
def commission(db):
    return UserFactory(roles=f",{Role.ADMISSION_COMMISSION},", first_name="Commission")
