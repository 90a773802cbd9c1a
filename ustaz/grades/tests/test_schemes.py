"""The academic office's grading schemes, and entry dates by the ten-day rule of rules.md."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from testkit.factories import CourseFactory, StudyGroupFactory, current_term
from ustaz.academics.models import AcademicYear, Term, TermKind
from ustaz.grades import services
from ustaz.grades.models import GradingScheme, SchemeItem


@pytest.fixture
def autumn(db):
    year = AcademicYear.objects.create(
        name="2026-2027", starts_on=datetime.date(2026, 9, 1), ends_on=datetime.date(2027, 8, 31)
    )
    # 1 September 2026 is a Tuesday: week 1 runs from Monday 31 August.
    return Term.objects.create(
        academic_year=year,
        kind=TermKind.AUTUMN,
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2027, 1, 20),
    )


def test_a_weeks_marks_are_entered_until_the_wednesday_of_the_next_week(autumn, settings):
    assert services.entry_deadline(autumn, 1) == datetime.date(2026, 9, 9)  # Mon 31 Aug + 9 days: Wednesday
    assert services.entry_deadline(autumn, 7) == datetime.date(2026, 10, 21)
    assert services.entry_deadline(autumn, 15) == datetime.date(2026, 12, 16)
    assert services.entry_deadline(autumn, 15).weekday() == 2
    settings.GRADES_ENTRY_DAYS = 7
    assert services.entry_deadline(autumn, 1) == datetime.date(2026, 9, 6)


def test_without_a_scheme_the_journal_follows_rules_md_with_entry_dates(autumn):
    course = CourseFactory(term=autumn)
    with translation.override("en"):
        items = services.default_items_create(course=course)
    assert [(i.title, i.kind, i.period, i.entry_until) for i in items] == [
        ("Current control 1", "current", 1, datetime.date(2026, 10, 21)),
        ("Midterm 1 (RK1)", "midterm", 1, datetime.date(2026, 10, 21)),
        ("Current control 2", "current", 2, datetime.date(2026, 12, 16)),
        ("Midterm 2 (RK2)", "midterm", 2, datetime.date(2026, 12, 16)),
        ("Exam", "exam", None, None),
    ]


def scheme(name, **target):
    made = GradingScheme.objects.create(name=name, **target)
    SchemeItem.objects.bulk_create(
        [
            SchemeItem(
                scheme=made,
                kind="current",
                period=1,
                title=f"{name}: etude",
                max_points=Decimal(20),
                weight=Decimal(2),
                week=3,
                position=1,
            ),
            SchemeItem(scheme=made, kind="midterm", period=1, title=f"{name}: RK1", week=8, position=2),
            SchemeItem(scheme=made, kind="current", period=2, title=f"{name}: coursework", week=14, position=3),
            SchemeItem(scheme=made, kind="midterm", period=2, title=f"{name}: RK2", week=15, position=4),
            SchemeItem(scheme=made, kind="exam", title=f"{name}: creative exam", position=5),
        ]
    )
    return made


def test_a_course_starts_from_its_disciplines_scheme_else_its_programmes(autumn):
    group = StudyGroupFactory()
    by_programme = CourseFactory(term=autumn)
    by_programme.groups.add(group)
    by_discipline = CourseFactory(term=autumn)
    by_discipline.groups.add(group)
    scheme("Programme", programme=group.programme)
    scheme("Discipline", discipline=by_discipline.discipline)

    items = services.default_items_create(course=by_discipline)
    assert [i.title for i in items][-1] == "Discipline: creative exam"
    etude = items[0]
    assert (etude.max_points, etude.weight, etude.entry_until) == (Decimal(20), Decimal(2), datetime.date(2026, 9, 23))
    assert services.default_items_create(course=by_programme)[1].title == "Programme: RK1"

    # Groups of two programmes: no single programme scheme applies.
    mixed = CourseFactory(term=autumn)
    mixed.groups.add(group, StudyGroupFactory())
    assert services.scheme_for(mixed) is None


def test_a_scheme_is_for_a_discipline_or_a_programme_not_both_nor_neither(db):
    course = CourseFactory(term=current_term())
    group = StudyGroupFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        GradingScheme.objects.create(name="neither")
    with pytest.raises(IntegrityError), transaction.atomic():
        GradingScheme.objects.create(name="both", discipline=course.discipline, programme=group.programme)


def test_the_office_edits_schemes_in_the_admin_and_a_teacher_does_not(office, teacher, as_user, course):
    page = as_user(office).get("/admin/grades/gradingscheme/add/")
    assert page.status_code == 200
    assert b'name="items-TOTAL_FORMS"' in page.content  # the columns are edited inline
    response = as_user(office).post(
        "/admin/grades/gradingscheme/add/",
        {
            "name": "Piano",
            "discipline": course.discipline.pk,
            "items-TOTAL_FORMS": "2",
            "items-INITIAL_FORMS": "0",
            "items-0-position": "1",
            "items-0-kind": "current",
            "items-0-period": "1",
            "items-0-title": "Scales",
            "items-0-max_points": "10",
            "items-0-weight": "1",
            "items-0-week": "2",
            "items-1-position": "2",
            "items-1-kind": "exam",
            "items-1-period": "",
            "items-1-title": "Recital",
            "items-1-max_points": "100",
            "items-1-weight": "1",
            "items-1-week": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert [i.title for i in GradingScheme.objects.get(name="Piano").items.all()] == ["Scales", "Recital"]
    assert as_user(teacher).get("/admin/grades/gradingscheme/add/").status_code == 302
