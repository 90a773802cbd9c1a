"""Events of a person's calendar, gathered from every area that has some (classes, deadlines, tests).

An area registers a source in its AppConfig.ready(): a function (user, start, end) -> iterable of Event, with
a constant number of queries. The calendar feed (in `live`) asks all of them; no area imports another.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any


@dataclass(frozen=True)
class Repeat:
    """A weekly series an event is one occurrence of: the feed writes the series once, as a repeating event
    (RRULE) with its excluded dates (EXDATE), and an occurrence that differs from the plan as an override of its
    date (RECURRENCE-ID); pages list the occurrences as they are."""

    uid: str  # the series' own, shared by its occurrences in the feed
    first: datetime  # the first occurrence as planned, in the series' own zone (the rule repeats its wall time)
    last: datetime  # the last occurrence as planned
    duration: timedelta
    excluded: tuple[datetime, ...] = ()  # planned occurrences that do not take place
    summary: str = ""
    description: str = ""
    location: str = ""
    url: str = ""
    sequence: int = 0
    last_modified: datetime | None = None


@dataclass(frozen=True)
class Event:
    uid: str  # stable across fetches, unique in the University: "<area>-<kind>-<pk>"
    summary: str
    start: datetime | date  # a date for an all-day event (a deadline day)
    end: datetime | date | None = None
    description: str = ""
    location: str = ""
    url: str = ""
    cancelled: bool = False
    last_modified: datetime | None = None
    sequence: int = 0  # bumped by every change calendars must take
    repeat: Repeat | None = None  # the series this event is an occurrence of
    occurrence: datetime | None = None  # with repeat: the start it was planned at


Source = Callable[[Any, datetime, datetime], Iterable[Event]]  # (user, start, end)
_sources: list[Source] = []


def register(source: Source) -> None:
    if source not in _sources:
        _sources.append(source)


def events_for(user: Any, start: datetime, end: datetime) -> list[Event]:
    events: list[Event] = []
    for source in _sources:
        events.extend(source(user, start, end))
    return sorted(events, key=lambda e: (_instant(e.start), e.uid))


def _instant(moment: datetime | date) -> float:
    if isinstance(moment, datetime):
        return moment.timestamp()
    return datetime(moment.year, moment.month, moment.day, tzinfo=UTC).timestamp()
