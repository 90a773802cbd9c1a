"""The calendar feed gathers every area's events (ustaz.core.calendar): here the gradebook's entry deadlines."""

from __future__ import annotations

import datetime

import icalendar
from django.urls import reverse
from django.utils import timezone

from ustaz.grades.models import GradeItem, ItemKind, Period
from ustaz.live import services


def fetch(client, user) -> icalendar.Calendar:
    response = client.get(reverse("live:feed", args=[services.feed_token(user)]))
    assert response.status_code == 200
    return icalendar.Calendar.from_ical(response.content)


def test_a_teachers_feed_has_the_last_days_for_entering_marks(client, teacher, course):
    due = timezone.localdate() + datetime.timedelta(days=3)
    GradeItem.objects.create(
        course=course, kind=ItemKind.CURRENT, period=Period.FIRST, title="Этюдтер", max_points=100, entry_until=due
    )
    events = fetch(client, teacher).walk("VEVENT")
    deadline = next(e for e in events if "Этюдтер" in str(e["SUMMARY"]))
    assert deadline.decoded("DTSTART") == due and deadline.decoded("DTEND") == due + datetime.timedelta(days=1)


def test_a_students_feed_has_assignment_deadlines_and_tests(client, course, teacher, student, other_student):
    from ustaz.assignments import services as assignment_services
    from ustaz.assignments.models import Assignment
    from ustaz.quizzes.models import Test

    now = timezone.now()
    assignment_services.assignment_save(
        assignment=Assignment(
            course=course,
            title="Этюд жазбасы",
            opens_at=now,
            due_at=now + datetime.timedelta(days=2),
            late_policy="accept",
        ),
        by=teacher,
    )
    Test.objects.create(
        course=course,
        title="Аралық тест",
        opens_at=now + datetime.timedelta(days=3),
        closes_at=now + datetime.timedelta(days=3, hours=2),
        review="after_close",
    )
    summaries = [str(e["SUMMARY"]) for e in fetch(client, student).walk("VEVENT")]
    assert any("Этюд жазбасы" in s for s in summaries) and any("Аралық тест" in s for s in summaries)
    assert not any("Этюд" in str(e["SUMMARY"]) for e in fetch(client, other_student).walk("VEVENT"))
