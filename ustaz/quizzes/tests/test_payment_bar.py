"""The testing centre asks the gradebook's payment bar: with USTAZ_GRADES_BAR_OVERDUE_PAYMENT on, a student
owing an overdue contract installment may not begin a test that is the course's exam (a midterm test is not
barred); an attempt already begun still counts."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from testkit.factories import ProgrammeFactory
from ustaz.contracts import services as contract_services
from ustaz.contracts.money import academic_year_of
from ustaz.grades.models import GradeItem, ItemKind, Period
from ustaz.quizzes import services
from ustaz.quizzes.models import Attempt, Bank, Category, Section, Test


def _test(course, teacher, kind):
    bank = Bank.objects.create(discipline=course.discipline, name="Банк")
    services.bank_import(
        bank=bank, category="Күйлер", raw="Домбыра шертпелі ме? {T}\n".encode(), fmt="gift", by=teacher
    )
    column = GradeItem.objects.create(
        course=course,
        kind=kind,
        period=None if kind == ItemKind.EXAM else Period.SECOND,
        title=str(kind),
        max_points=100,
        position=1,
    )
    now = timezone.now()
    test = Test.objects.create(
        course=course,
        title=f"Тест {kind}",
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(hours=2),
        time_limit_minutes=30,
        grade_item=column,
    )
    Section.objects.create(test=test, category=Category.objects.get(bank=bank), count=1)
    return test


@pytest.fixture
def owing(student, office):
    contract_services.contract_create(
        student=student,
        programme=ProgrammeFactory(),
        first_year=academic_year_of(timezone.localdate()) - 1,
        years=2,
        fee=Decimal(1000000),
        by=office,
    )
    return student


def test_an_exam_test_is_barred_for_a_student_owing_money_when_the_setting_says_so(settings, course, teacher, owing):
    exam = _test(course, teacher, ItemKind.EXAM)
    midterm = _test(course, teacher, ItemKind.MIDTERM)
    settings.GRADES_BAR_OVERDUE_PAYMENT = True
    with pytest.raises(ValidationError, match="overdue"):
        services.attempt_start(test=exam, student=owing)
    assert not Attempt.objects.filter(test=exam).exists()
    assert services.attempt_start(test=midterm, student=owing).pk
    settings.GRADES_BAR_OVERDUE_PAYMENT = False
    assert services.attempt_start(test=exam, student=owing).pk
