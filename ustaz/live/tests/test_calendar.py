"""The private iCalendar feed: valid for the icalendar library, in the person's own time zone, revocable."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from ustaz.live import ical, services
from ustaz.live.models import CalendarFeed, Format


@pytest.fixture
def classes(course, teacher):
    # A Monday class at 15:00 Almaty time, next week and the week after (weekly, one series).
    start = timezone.localtime(timezone.now(), ZoneInfo("Asia/Almaty")).replace(
        hour=15, minute=0, second=0, microsecond=0
    ) + datetime.timedelta(days=7)
    return services.class_schedule(
        course=course,
        by=teacher,
        title="Домбыра; ансамбль, 2-топ",
        starts_at=start,
        duration_minutes=90,
        format=Format.IN_PERSON,
        room="Құрманғазы залы",
        repeat_until=(start + datetime.timedelta(days=7)).date(),
        time_zone="Asia/Almaty",
    )


def fetch(client, user) -> icalendar.Calendar:
    url = reverse("live:feed", args=[services.feed_token(user)])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content
    assert body.endswith(b"\r\n") and all(len(line) <= 75 for line in body.split(b"\r\n"))
    return icalendar.Calendar.from_ical(body)


@pytest.mark.parametrize(("zone", "hour"), [("Asia/Almaty", 15), ("Europe/Berlin", None)])
def test_the_feed_is_valid_and_in_the_persons_time_zone(client, student, classes, zone, hour):
    student.time_zone = zone
    student.save()
    calendar = fetch(client, student)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    zones = [c for c in calendar.walk("VTIMEZONE")]
    assert [str(z["TZID"]) for z in zones] == [zone]
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    for event, live_class in zip(events, classes, strict=True):
        start = event.decoded("DTSTART")
        assert start.tzinfo is not None and str(event["DTSTART"].params["TZID"]) == zone
        # The same instant as stored, written as the person's wall-clock time.
        assert start == live_class.starts_at
        local = live_class.starts_at.astimezone(ZoneInfo(zone))
        assert (start.hour, start.minute) == (local.hour, local.minute)
        if hour is not None:
            assert start.hour == hour
        assert event.decoded("DTEND") - start == datetime.timedelta(minutes=90)
        assert str(event["SUMMARY"]).endswith("Домбыра; ансамбль, 2-топ")
        assert str(event["LOCATION"]) == "Құрманғазы залы"
        assert str(event["UID"]) == f"live-class-{live_class.pk}@ustaz"
        assert str(event["URL"]).endswith(reverse("live:class", args=[live_class.course_id, live_class.pk]))
    # Escaping: the raw text has the semicolon and comma escaped.
    raw = client.get(reverse("live:feed", args=[services.feed_token(student)])).content.decode()
    assert "SUMMARY:" in raw and "Домбыра\\; ансамбль\\, 2-топ" in raw.replace("\r\n ", "")


def test_the_vtimezone_describes_summer_time_for_berlin():
    zone = ZoneInfo("Europe/Berlin")
    span = (datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC), datetime.datetime(2099, 12, 31, tzinfo=datetime.UTC))
    text = "\r\n".join(ical.vtimezone(zone, *span))
    parsed = icalendar.Calendar.from_ical(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n" + text + "\r\nEND:VCALENDAR\r\n"
    )
    timezone_component = parsed.walk("VTIMEZONE")[0]
    # Two changes in 2099: the last Sundays of March and October, at 01:00 UTC.
    changes = ical.transitions(zone, *span)
    assert [(c[0].month, c[0].day, c[0].hour, c[3]) for c in changes] == [(3, 29, 1, True), (10, 25, 1, False)]
    assert "DTSTART:20990329T020000" in text and "TZOFFSETTO:+0200" in text
    assert "DTSTART:20991025T030000" in text and "TZOFFSETTO:+0100" in text
    assert len(timezone_component.walk("DAYLIGHT")) == 1


def test_a_teacher_sees_the_classes_they_teach(client, teacher, classes):
    assert len(fetch(client, teacher).walk("VEVENT")) == 2


def test_a_stranger_feed_has_none_of_the_course(client, other_student, classes):
    assert fetch(client, other_student).walk("VEVENT") == []


def test_a_cancelled_class_stays_in_the_feed_as_cancelled(client, student, teacher, classes):
    services.class_cancel(live_class=classes[0], by=teacher)
    statuses = [str(e["STATUS"]) for e in fetch(client, student).walk("VEVENT")]
    assert statuses == ["CANCELLED", "CONFIRMED"]


def test_revoking_the_address_stops_the_old_one(as_user, client, student, classes):
    old = services.feed_token(student)
    page = as_user(student).get(reverse("live:calendar"))
    assert old in page.content.decode() and "Домбыра" in page.content.decode()
    as_user(student).post(reverse("live:calendar"))
    assert client.get(reverse("live:feed", args=[old])).status_code == 404
    new = CalendarFeed.objects.get(user=student).token
    assert new != old and client.get(reverse("live:feed", args=[new])).status_code == 200


def test_an_unknown_or_inactive_feed_is_not_found(client, student):
    assert client.get(reverse("live:feed", args=["guess"])).status_code == 404
    token = services.feed_token(student)
    student.is_active = False
    student.save()
    assert client.get(reverse("live:feed", args=[token])).status_code == 404


def test_the_feed_queries_do_not_grow(client, student, teacher, course, classes, django_assert_max_num_queries):
    url = reverse("live:feed", args=[services.feed_token(student)])
    with django_assert_max_num_queries(6):
        client.get(url)
    services.class_schedule(
        course=course,
        by=teacher,
        title="Тағы",
        starts_at=timezone.now() + datetime.timedelta(days=1),
        duration_minutes=50,
        format=Format.IN_PERSON,
        room="1",
        repeat_until=(timezone.now() + datetime.timedelta(days=120)).date(),
    )
    with django_assert_max_num_queries(6):
        assert len(icalendar.Calendar.from_ical(client.get(url).content).walk("VEVENT")) > 10


def test_a_polled_feed_writes_its_last_fetch_at_most_hourly(client, student, classes):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("live:feed", args=[services.feed_token(student)])
    client.get(url)
    assert CalendarFeed.objects.get(user=student).last_fetched_at is not None
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert not [q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE")]
