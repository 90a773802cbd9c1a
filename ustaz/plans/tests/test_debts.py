"""Retakes (FX: the exam retaken) and disciplines studied again (F) come into the plan from the gradebook,
with their attempt."""

import datetime
from decimal import Decimal

from django.utils import translation

from testkit.factories import CourseFactory, DisciplineFactory
from ustaz.academics.models import AcademicYear, Enrolment, Term, TermKind
from ustaz.grades import services as grades
from ustaz.grades.models import GradeSource, ItemKind
from ustaz.plans import selectors, services
from ustaz.plans.models import PlanLineKind

from .conftest import full_choice, make_student

RATINGS = (("Current control 1", 90), ("Midterm 1 (RK1)", 90), ("Current control 2", 90), ("Midterm 2 (RK2)", 90))


def last_years_autumn():
    year, _ = AcademicYear.objects.get_or_create(
        name="2025-2026", defaults={"starts_on": datetime.date(2025, 9, 1), "ends_on": datetime.date(2026, 6, 30)}
    )
    term, _ = Term.objects.get_or_create(
        academic_year=year,
        kind=TermKind.AUTUMN,
        defaults={"starts_on": datetime.date(2025, 9, 1), "ends_on": datetime.date(2025, 12, 31)},
    )
    return term


def failed(student, teacher, exam, *, credits=4):
    course = CourseFactory(term=last_years_autumn(), discipline=DisciplineFactory(credits=credits))
    Enrolment.objects.create(course=course, student=student)
    with translation.override("en"):
        items = {i.title: i for i in grades.default_items_create(course=course)}
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


def test_fx_comes_as_the_exam_retaken_and_f_as_the_discipline_studied_again(school):
    student = make_student(school.group)
    fx = failed(student, school.adviser, 40)  # AR 90, exam 40: FX
    f = failed(student, school.adviser, 5, credits=6)  # exam 5: F
    passed = failed(student, school.adviser, 90)
    debts = {d.discipline.pk: d for d in selectors.debts(student, school.year.starts_on)}
    assert set(debts) == {fx.discipline_id, f.discipline_id}
    assert passed.discipline_id not in debts
    assert (debts[fx.discipline_id].kind, debts[fx.discipline_id].attempt) == (PlanLineKind.RETAKE, 2)
    assert (debts[f.discipline_id].kind, debts[f.discipline_id].attempt) == (PlanLineKind.RESTUDY, 2)

    plan = services.plan_save(student=student, academic_year=school.year, chosen_ids=full_choice(school), submit=True)
    retake = plan.lines.get(discipline=fx.discipline)
    restudy = plan.lines.get(discipline=f.discipline)
    assert (retake.kind, retake.attempt, retake.term_number, retake.failed_course) == ("retake", 2, 3, fx)
    assert (restudy.kind, restudy.attempt, restudy.term_number, restudy.credits) == ("restudy", 2, 3, 6)
    # The discipline studied again counts in its term; the exam retaken does not count again.
    terms = {t.number: t.credits for t in selectors.credits_by_term(list(plan.lines.all()), [3, 4])}
    assert terms[3] == 30 + 6


def test_fx_after_the_retakes_is_studied_again(school, office):
    student = make_student(school.group)
    course = failed(student, school.adviser, 40)
    retake = grades.item_create(
        course=course, kind=ItemKind.EXAM, period=None, title="Exam retake 1", entry_until=None, attempt=2
    )
    grades.grade_post(
        item=retake,
        student=student,
        points=Decimal(40),
        posted_by=school.adviser,
        source=GradeSource.JOURNAL,
        approved=True,
        reason="late",
    )
    (debt,) = selectors.debts(student, school.year.starts_on)
    assert (debt.kind, debt.attempt) == (PlanLineKind.RESTUDY, 2)


def test_a_debt_of_the_plans_own_year_or_later_is_not_brought_in(school):
    student = make_student(school.group)
    course = failed(student, school.adviser, 5)
    assert selectors.debts(student, course.term.starts_on) == []


def test_applying_enrols_a_discipline_studied_again_by_the_gradebooks_rule(school):
    from ustaz.academics.models import Course
    from ustaz.core.models import AuditAction, AuditEvent

    student = make_student(school.group)
    f = failed(student, school.adviser, 5)  # F last autumn
    fx = failed(student, school.adviser, 40)  # FX: retaken in its own course, nothing to enrol
    plan = services.plan_save(student=student, academic_year=school.year, chosen_ids=full_choice(school), submit=True)
    services.plan_approve(plan=plan, by=school.adviser)
    done = services.plans_apply(term=school.autumn, by=school.office)
    again = Course.objects.get(term=school.autumn, discipline=f.discipline)
    assert Enrolment.objects.filter(course=again, student=student).exists()
    assert not Course.objects.filter(term=school.autumn, discipline=fx.discipline).exists()
    event = AuditEvent.objects.get(action=AuditAction.RESTUDY_ENROLLED)
    assert event.details["after"] == f.pk and event.actor == school.office
    assert done.restudy_refused == 0
    # Applying again enrols nobody twice, the restudy neither.
    assert services.plans_apply(term=school.autumn, by=school.office).enrolments_added == 0
    assert AuditEvent.objects.filter(action=AuditAction.RESTUDY_ENROLLED).count() == 1
