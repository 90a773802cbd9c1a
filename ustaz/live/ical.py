"""An iCalendar (RFC 5545) document of a person's events, written with the icalendar library.

One-off events are written in the person's own time zone (DTSTART;TZID=...). A weekly series is written once,
as a repeating event in the zone it was planned in (its wall-clock time kept across summer time): RRULE weekly
until its last date, EXDATE for the dates without a class (skipped when planned, cancelled since), and an
override (RECURRENCE-ID) for each occurrence that differs from the plan (moved, longer, another room). Every
event carries SEQUENCE and LAST-MODIFIED, so a calendar that subscribed replaces what changed. The library
adds a VTIMEZONE for every zone used, from the zoneinfo database, so a calendar program shows the platform's
wall-clock times even without its own zone database.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from ustaz.core.calendar import Event, Repeat

PRODID = "-//Ustaz//Distance learning//EN"


def _common(component: icalendar.Event, *, uid: str, now: datetime, sequence: int, modified: datetime | None) -> None:
    component.add("uid", f"{uid}@ustaz")
    component.add("dtstamp", now.astimezone(UTC))
    component.add("sequence", sequence)
    if modified is not None:
        component.add("last-modified", modified.astimezone(UTC))


def _texts(component: icalendar.Event, *, summary: str, description: str, location: str, url: str, base: str) -> None:
    component.add("summary", summary)
    if description:
        component.add("description", description)
    if location:
        component.add("location", location)
    if url:
        component.add("url", f"{base.rstrip('/')}{url}")


def _single(event: Event, zone: ZoneInfo, base: str, now: datetime) -> icalendar.Event:
    component = icalendar.Event()
    _common(component, uid=event.uid, now=now, sequence=event.sequence, modified=event.last_modified)
    if isinstance(event.start, datetime):
        component.add("dtstart", event.start.astimezone(zone))
        if isinstance(event.end, datetime):
            component.add("dtend", event.end.astimezone(zone))
        component.add("transp", "OPAQUE")
    else:
        end = event.end if isinstance(event.end, date) else event.start + timedelta(days=1)
        component.add("dtstart", event.start)
        component.add("dtend", end)
        component.add("transp", "TRANSPARENT")
    _texts(
        component,
        summary=event.summary,
        description=event.description,
        location=event.location,
        url=event.url,
        base=base,
    )
    component.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    return component


def _master(repeat: Repeat, base: str, now: datetime) -> icalendar.Event:
    component = icalendar.Event()
    _common(component, uid=repeat.uid, now=now, sequence=repeat.sequence, modified=repeat.last_modified)
    component.add("dtstart", repeat.first)
    component.add("dtend", repeat.first + repeat.duration)
    # UNTIL in UTC (RFC 5545 §3.3.10, as DTSTART has a zone): the last occurrence's start, included.
    component.add("rrule", {"freq": "weekly", "until": repeat.last.astimezone(UTC)})
    if repeat.excluded:
        component.add("exdate", list(repeat.excluded))
    _texts(
        component,
        summary=repeat.summary,
        description=repeat.description,
        location=repeat.location,
        url=repeat.url,
        base=base,
    )
    component.add("status", "CONFIRMED")
    component.add("transp", "OPAQUE")
    return component


def _as_planned(event: Event, repeat: Repeat) -> bool:
    return (
        event.start == event.occurrence
        and isinstance(event.end, datetime)
        and event.end - event.start == repeat.duration
        and (event.summary, event.description, event.location) == (repeat.summary, repeat.description, repeat.location)
    )


def _override(event: Event, repeat: Repeat, zone: ZoneInfo, base: str, now: datetime) -> icalendar.Event:
    component = _single(event, zone, base, now)
    component.pop("UID")
    component.add("uid", f"{repeat.uid}@ustaz")
    component.add("recurrence-id", event.occurrence.astimezone(repeat.first.tzinfo))
    return component


def calendar(
    events: list[Event], *, zone: ZoneInfo, name: str, base_url: str, now: datetime, span: tuple[datetime, datetime]
) -> bytes:
    """The feed of these events (the span is the one they were gathered for: a series whose occurrences fall in
    it is written whole, its overrides as far as the span shows them)."""
    document = icalendar.Calendar()
    document.add("prodid", PRODID)
    document.add("version", "2.0")
    document.add("calscale", "GREGORIAN")
    document.add("method", "PUBLISH")
    document.add("x-wr-calname", name)
    document.add("x-wr-timezone", zone.key)
    document.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    document.add("x-published-ttl", "PT1H")
    written: set[str] = set()
    for event in events:
        repeat, occurrence = event.repeat, event.occurrence
        if repeat is None or occurrence is None:
            document.add_component(_single(event, zone, base_url, now))
            continue
        if repeat.uid not in written:
            written.add(repeat.uid)
            document.add_component(_master(repeat, base_url, now))
        if not event.cancelled and not _as_planned(event, repeat):
            document.add_component(_override(event, repeat, zone, base_url, now))
    document.add_missing_timezones()
    return document.to_ical()
