"""The private iCalendar feed: read alike by two independent parsers, weekly classes as one repeating event,
changes carried by SEQUENCE, in the person's own time zone, revocable."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
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


def occurrences(body: bytes, start: datetime.datetime, end: datetime.datetime) -> dict[str, list]:
    """What two independent parsers make of the feed: each occurrence (UID, start, end, status) between two
    moments, repeating events expanded with their excluded dates and overrides. icalendar (with a weekly
    expansion of our own in the master's zone, RECURRENCE-ID overriding) and vobject (dateutil's rrule set)."""
    results = {}
    calendar = icalendar.Calendar.from_ical(body)
    found = []
    overrides = {
        (str(e["UID"]), e.decoded("RECURRENCE-ID")): e for e in calendar.walk("VEVENT") if "RECURRENCE-ID" in e
    }
    for event in calendar.walk("VEVENT"):
        if "RECURRENCE-ID" in event:
            continue
        if "RRULE" not in event:
            found.append((str(event["UID"]), event.decoded("DTSTART"), event.decoded("DTEND"), str(event["STATUS"])))
            continue
        first, length = event.decoded("DTSTART"), event.decoded("DTEND") - event.decoded("DTSTART")
        assert event.decoded("RRULE")["FREQ"] == ["WEEKLY"]
        until = event.decoded("RRULE")["UNTIL"][0]
        exdates = event.get("EXDATE", [])
        excluded = {d.dt for exdate in (exdates if isinstance(exdates, list) else [exdates]) for d in exdate.dts}
        n, moment = 0, first
        while moment <= until:
            if moment not in excluded:
                override = overrides.get((str(event["UID"]), moment))
                if override is not None:
                    found.append(
                        (str(event["UID"]), override.decoded("DTSTART"), override.decoded("DTEND"), "CONFIRMED")
                    )
                else:
                    found.append((str(event["UID"]), moment, moment + length, "CONFIRMED"))
            n += 1
            # Weekly in the master's own zone: the wall-clock time kept across summer time.
            moment = (first.replace(tzinfo=None) + datetime.timedelta(weeks=n)).replace(tzinfo=first.tzinfo)
    results["icalendar"] = _between(found, start, end)
    # vobject, as a calendar program with its own zone database reads a TZID: dateutil, under vobject, reads
    # only a VTIMEZONE's first observances, not the RDATE lists the icalendar library writes, so the zones are
    # taken from the zone database by their TZID, as Google, Apple and Thunderbird do.
    text = re.sub(r"BEGIN:VTIMEZONE\r\n.*?END:VTIMEZONE\r\n", "", body.decode(), flags=re.S)
    for tzid in set(re.findall(r"TZID=([^:;]+)", text)):
        vobject.icalendar.registerTzid(tzid, ZoneInfo(tzid))
    parsed = vobject.readOne(text)
    found = []
    events = parsed.contents.get("vevent", [])
    overridden = {(e.uid.value, e.recurrence_id.value): e for e in events if "recurrence-id" in e.contents}
    for event in events:
        if "recurrence-id" in event.contents:
            continue
        status = event.status.value if "status" in event.contents else "CONFIRMED"
        if "rrule" not in event.contents:
            start_, end_ = event.dtstart.value, event.dtend.value
            found.append((event.uid.value, start_, end_, status))
            continue
        length = event.dtend.value - event.dtstart.value
        for moment in event.getrruleset(addRDate=True):
            moment = moment
            override = overridden.get((event.uid.value, moment))
            if override is not None:
                found.append(
                    (
                        event.uid.value,
                        override.dtstart.value,
                        override.dtend.value,
                        "CONFIRMED",
                    )
                )
            else:
                found.append((event.uid.value, moment, moment + length, status))
    results["vobject"] = _between(found, start, end)
    return results


def _between(found, start, end) -> list:
    return sorted(
        (uid, s.astimezone(datetime.UTC), e.astimezone(datetime.UTC), status)
        for uid, s, e, status in found
        if start <= s < end
    )


def expected(classes) -> list:
    return sorted(
        (
            f"live-series-{c.series_id}@ustaz" if c.series_id else f"live-class-{c.pk}@ustaz",
            c.starts_at.astimezone(datetime.UTC),
            c.ends_at.astimezone(datetime.UTC),
            "CONFIRMED",
        )
        for c in classes
        if c.status != "cancelled"
    )


WIDE = (datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC), datetime.datetime(2200, 1, 1, tzinfo=datetime.UTC))


def feed_body(client, user) -> bytes:
    return client.get(reverse("live:feed", args=[services.feed_token(user)])).content


@pytest.mark.parametrize("zone", ["Asia/Almaty", "Europe/Berlin"])
def test_a_weekly_class_is_one_repeating_event_in_the_zone_it_was_planned_in(client, student, classes, zone):
    student.time_zone = zone
    student.save()
    calendar = fetch(client, student)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    (event,) = calendar.walk("VEVENT")  # one event, not one per occurrence
    assert str(event["UID"]) == f"live-series-{classes[0].series_id}@ustaz"
    assert event.decoded("RRULE")["FREQ"] == ["WEEKLY"]
    start = event.decoded("DTSTART")
    assert str(event["DTSTART"].params["TZID"]) == "Asia/Almaty" and (start.hour, start.minute) == (15, 0)
    assert start == classes[0].starts_at and event.decoded("DTEND") - start == datetime.timedelta(minutes=90)
    assert str(event["SUMMARY"]).endswith("Домбыра; ансамбль, 2-топ")
    assert str(event["LOCATION"]) == "Құрманғазы залы"
    assert "SEQUENCE" in event and "LAST-MODIFIED" in event
    assert "Asia/Almaty" in {str(z["TZID"]) for z in calendar.walk("VTIMEZONE")}
    body = feed_body(client, student)
    seen = occurrences(body, *WIDE)
    assert seen["icalendar"] == seen["vobject"] == expected(classes)
    # Escaping: the raw text has the semicolon and comma escaped.
    assert "Домбыра\\; ансамбль\\, 2-топ" in body.decode().replace("\r\n ", "")


def test_a_one_off_class_is_in_the_persons_time_zone(client, student, teacher, course):
    student.time_zone = "Europe/Berlin"
    student.save()
    classes = services.class_schedule(
        course=course,
        by=teacher,
        title="Консультация",
        starts_at=(timezone.now() + datetime.timedelta(days=3)).replace(second=0, microsecond=0),
        duration_minutes=45,
        format=Format.IN_PERSON,
        room="12",
    )
    (event,) = fetch(client, student).walk("VEVENT")
    assert str(event["DTSTART"].params["TZID"]) == "Europe/Berlin" and "RRULE" not in event
    assert str(event["UID"]) == f"live-class-{classes[0].pk}@ustaz"
    assert str(event["URL"]).endswith(reverse("live:class", args=[course.pk, classes[0].pk]))
    seen = occurrences(feed_body(client, student), *WIDE)
    assert seen["icalendar"] == seen["vobject"] == expected(classes)


def test_a_series_keeps_its_wall_clock_time_across_summer_time(student, course, teacher):
    # Planned in Berlin at 18:00 from early March to mid-April 2027: summer time starts on 28 March.
    classes = services.class_schedule(
        course=course,
        by=teacher,
        title="Мастер-класс",
        starts_at=datetime.datetime(2027, 3, 1, 18, 0, tzinfo=ZoneInfo("Europe/Berlin")),
        duration_minutes=60,
        format=Format.IN_PERSON,
        room="Зал",
        repeat_until=datetime.date(2027, 4, 12),
        skipped_dates=[datetime.date(2027, 3, 15)],
        time_zone="Europe/Berlin",
    )
    from ustaz.live.selectors import calendar_events

    body = ical.calendar(
        calendar_events(student, *WIDE),
        zone=ZoneInfo("Asia/Almaty"),
        name="x",
        base_url="https://ustaz.example.kz",
        now=timezone.now(),
        span=WIDE,
    )
    seen = occurrences(body, *WIDE)
    assert seen["icalendar"] == seen["vobject"] == expected(classes)
    berlin = sorted({start.astimezone(ZoneInfo("Europe/Berlin")).hour for _uid, start, _end, _s in seen["vobject"]})
    assert berlin == [18] and len(seen["vobject"]) == 6  # seven Mondays, one skipped
    assert b"EXDATE;TZID=Europe/Berlin:20270315T180000" in body.replace(b"\r\n ", b"")
    assert b"BEGIN:DAYLIGHT" in body  # the zone's summer time described for calendars without a zone database


def test_a_moved_or_cancelled_class_updates_calendars(client, student, teacher, classes):
    (before,) = icalendar.Calendar.from_ical(feed_body(client, student)).walk("VEVENT")
    moved_to = classes[1].starts_at + datetime.timedelta(hours=2)
    services.class_update(live_class=classes[1], by=teacher, starts_at=moved_to)
    body = feed_body(client, student)
    master, override = sorted(icalendar.Calendar.from_ical(body).walk("VEVENT"), key=lambda e: "RECURRENCE-ID" in e)
    assert override.decoded("RECURRENCE-ID") == classes[1].occurrence_start
    assert override.decoded("DTSTART") == moved_to
    assert override.decoded("SEQUENCE") == 1 and str(override["UID"]) == str(master["UID"])
    for parser, seen in occurrences(body, *WIDE).items():
        assert [s for _u, s, _e, _st in seen] == [classes[0].starts_at, moved_to], parser
    # Cancelling the first: an excluded date of the series, whose SEQUENCE goes up.
    services.class_cancel(live_class=classes[0], by=teacher)
    body = feed_body(client, student)
    master = next(e for e in icalendar.Calendar.from_ical(body).walk("VEVENT") if "RRULE" in e)
    assert master.decoded("SEQUENCE") == before.decoded("SEQUENCE") + 1
    assert master.decoded("LAST-MODIFIED") >= before.decoded("LAST-MODIFIED")
    for parser, seen in occurrences(body, *WIDE).items():
        assert [s for _u, s, _e, _st in seen] == [moved_to], parser


def test_a_teacher_sees_the_classes_they_teach(client, teacher, classes):
    assert occurrences(feed_body(client, teacher), *WIDE)["vobject"] == expected(classes)


def test_a_stranger_feed_has_none_of_the_course(client, other_student, classes):
    assert fetch(client, other_student).walk("VEVENT") == []


def test_a_cancelled_one_off_class_stays_in_the_feed_as_cancelled(client, student, teacher, course):
    (one,) = services.class_schedule(
        course=course,
        by=teacher,
        title="Консультация",
        starts_at=(timezone.now() + datetime.timedelta(days=2)).replace(second=0, microsecond=0),
        duration_minutes=45,
        format=Format.IN_PERSON,
        room="12",
    )
    services.class_cancel(live_class=one, by=teacher)
    (event,) = fetch(client, student).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED" and event.decoded("SEQUENCE") == 1 and "RRULE" not in event


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
    with django_assert_max_num_queries(7):
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
    with django_assert_max_num_queries(7):
        body = client.get(url).content
    assert len(occurrences(body, timezone.now(), timezone.now() + datetime.timedelta(days=200))["vobject"]) > 10


def test_a_polled_feed_writes_its_last_fetch_at_most_hourly(client, student, classes):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("live:feed", args=[services.feed_token(student)])
    client.get(url)
    assert CalendarFeed.objects.get(user=student).last_fetched_at is not None
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert not [q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE")]
