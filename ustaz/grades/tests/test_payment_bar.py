"""rules.md "[U, default off] when the student has no overdue contract payment": with the setting on, a student
who owes an overdue installment is not admitted to the exam (the journal and the student's page say why, the
exam cell is closed to them, grade_post refuses it); off, nothing changes. The journal asks ustaz.contracts once
for all its students."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from testkit.factories import ProgrammeFactory, UserFactory, enrol
from ustaz.contracts import services as contract_services
from ustaz.contracts.money import academic_year_of
from ustaz.grades import rules, selectors, services
from ustaz.grades.models import Grade, GradeSource

TODAY = timezone.localdate()


def _contract(student, office, *, paid: bool):
    """A contract from last academic year: its first installment is past its date; paid, or not."""
    contract = contract_services.contract_create(
        student=student,
        programme=ProgrammeFactory(),
        first_year=academic_year_of(TODAY) - 1,
        years=2,
        fee=Decimal("1000000"),
        by=office,
    )
    if paid:
        due = sum((i.amount for i in contract.installments.all() if i.due_on < TODAY), Decimal(0))
        contract_services.payment_record(contract=contract, amount=due, paid_on=TODAY, reference="", by=office)
    return contract


def _admitted_by_ratings(course, student, teacher):
    items = services.default_items_create(course=course)
    for item in items[:-1]:  # the current controls and midterms; the last is the exam
        services.grade_post(item=item, student=student, points=Decimal(80), posted_by=teacher, source="journal")
    return items[-1]


@pytest.fixture
def owing(db, course, office):
    person = UserFactory(roles=",student,", last_name="Owing")
    enrol(person, course)
    _contract(person, office, paid=False)
    return person


@pytest.fixture
def paying(db, course, office):
    person = UserFactory(roles=",student,", last_name="Paying")
    enrol(person, course)
    _contract(person, office, paid=True)
    return person


def test_the_rule_takes_the_overdue_payment_as_a_fact():
    barring = rules.GradingPolicy(bar_overdue_payment=True)
    assert rules.is_admitted(80, 80, barring) and not rules.is_admitted(80, 80, barring, overdue_payment=True)
    assert rules.is_admitted(80, 80, rules.GradingPolicy(), overdue_payment=True)  # the default: off
    result = rules.discipline_result(80, 80, policy=barring, overdue_payment=True)
    assert not result.admitted and result.overdue_payment and result.letter is None
    closed = rules.discipline_result(80, 80, policy=barring, overdue_payment=True, session_closed=True)
    assert closed.letter.letter == "F" and closed.is_academic_debt
    # An exam already sat keeps its result: the bar is for admission to it.
    sat = rules.discipline_result(80, 80, 90, policy=barring, overdue_payment=True)
    assert sat.admitted and sat.final_score == Decimal("84.0") and not sat.overdue_payment


def test_off_by_default_a_student_owing_money_is_admitted(settings, course, teacher, owing, as_user):
    assert settings.GRADES_BAR_OVERDUE_PAYMENT is False
    exam = _admitted_by_ratings(course, owing, teacher)
    _items, rows = selectors.journal(course)
    assert rows[0].standing.result.admitted and not rows[0].exam_barred
    services.grade_post(item=exam, student=owing, points=Decimal(70), posted_by=teacher, source=GradeSource.JOURNAL)
    assert Grade.objects.filter(item=exam, student=owing).exists()


def test_on_a_student_with_an_overdue_installment_is_not_admitted(
    settings, course, teacher, owing, paying, office, as_user
):
    settings.GRADES_BAR_OVERDUE_PAYMENT = True
    exam = _admitted_by_ratings(course, owing, teacher)
    for item in course.grade_items.exclude(pk=exam.pk):
        services.grade_post(item=item, student=paying, points=Decimal(80), posted_by=teacher, source="journal")
    rows = {row.student: row for row in selectors.journal(course)[1]}
    assert not rows[owing].standing.result.admitted and rows[owing].standing.result.overdue_payment
    assert rows[paying].standing.result.admitted and not rows[paying].exam_barred
    page = as_user(teacher).get(f"/courses/{course.pk}/grades/").content.decode()
    assert "not admitted: overdue payment" in page
    assert f'id="c{paying.pk}-{exam.pk}" class="jc"><input' in page
    assert f'id="c{owing.pk}-{exam.pk}" class="jc"><input' not in page  # the exam cell is closed to them
    with pytest.raises(ValidationError) as refused:
        services.grade_post(item=exam, student=owing, points=Decimal(70), posted_by=teacher, source="journal")
    assert refused.value.code == "overdue_payment" and not Grade.objects.filter(item=exam, student=owing).exists()
    html = as_user(teacher).post(
        f"/courses/{course.pk}/grades/cell/",
        {"item": exam.pk, "student": owing.pk, "value": "70"},
        HTTP_HX_REQUEST="true",
    )
    assert html.status_code < 500 and not Grade.objects.filter(item=exam, student=owing).exists()
    mine = as_user(owing).get(f"/courses/{course.pk}/grades/").content.decode()
    assert "a contract payment is overdue" in mine
    # Paid: admitted again, the exam is entered.
    contract = owing.contracts.get()
    due = sum((i.amount for i in contract.installments.all() if i.due_on < TODAY), Decimal(0))
    contract_services.payment_record(contract=contract, amount=due, paid_on=TODAY, reference="", by=office)
    services.grade_post(item=exam, student=owing, points=Decimal(70), posted_by=teacher, source="journal")
    assert selectors.course_result(course, owing).final_score == Decimal("76.0")


def test_a_grade_already_entered_stays_when_a_payment_falls_overdue(settings, course, teacher, owing):
    exam = _admitted_by_ratings(course, owing, teacher)
    services.grade_post(item=exam, student=owing, points=Decimal(90), posted_by=teacher, source="journal")
    settings.GRADES_BAR_OVERDUE_PAYMENT = True
    result = selectors.course_result(course, owing)
    assert result.admitted and result.final_score == Decimal("84.0")
    # Correcting the exam already entered is not refused.
    services.grade_post(item=exam, student=owing, points=Decimal(85), posted_by=teacher, source="journal")


def test_the_journal_asks_for_payments_once_for_all_its_students(settings, course, teacher, office):
    settings.GRADES_BAR_OVERDUE_PAYMENT = True
    services.default_items_create(course=course)
    counts = []
    for size in (3, 12):
        while course.enrolments.count() < size:
            person = UserFactory(roles=",student,")
            enrol(person, course)
            _contract(person, office, paid=course.enrolments.count() % 2 == 0)
        with CaptureQueriesContext(connection) as queries:
            _items, rows = selectors.journal(course)
        assert len(rows) == size and any(r.standing.result is None for r in rows)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    settings.GRADES_BAR_OVERDUE_PAYMENT = False
    with CaptureQueriesContext(connection) as queries:
        selectors.journal(course)
    assert len(queries) == counts[0] - 1  # off: no question to contracts at all


def test_the_grades_import_refuses_a_barred_students_first_exam_score_by_line(settings, course, teacher, owing, paying):
    settings.GRADES_BAR_OVERDUE_PAYMENT = True
    exam = services.default_items_create(course=course)[-1]
    content = f"login,points\n{paying.username},80\n{owing.username},70\n".encode()
    written, errors = services.grades_import(item=exam, filename="e.csv", content=content, posted_by=teacher)
    assert written == 0 and [line for line, _m in errors] == [3] and "overdue" in errors[0][1]
    assert not Grade.objects.filter(item=exam).exists()


def test_a_term_gone_by_is_not_judged_by_todays_payments(settings, course, teacher, owing):
    settings.GRADES_BAR_OVERDUE_PAYMENT = True
    exam = _admitted_by_ratings(course, owing, teacher)
    term = course.term
    term.starts_on, term.ends_on = TODAY.replace(year=TODAY.year - 2), TODAY.replace(year=TODAY.year - 1)
    term.save()
    course.refresh_from_db()
    _items, rows = selectors.journal(course)
    assert rows[0].standing.result.admitted and not rows[0].exam_barred
    services.grade_post(item=exam, student=owing, points=Decimal(70), posted_by=teacher, source="journal")
