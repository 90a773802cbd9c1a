"""An iCalendar (RFC 5545) document of a person's events, in their own time zone.

Times are written as local times of the person's zone (DTSTART;TZID=Europe/Berlin:...) with a VTIMEZONE that
lists that zone's offsets and their changes over the feed's span, read from the zoneinfo database, so that a
calendar program shows the same wall-clock times as the platform even without its own zone database.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from ustaz.core.calendar import Event

CRLF = "\r\n"


def escape(text: str) -> str:
    """TEXT values (RFC 5545 §3.3.11): backslash, semicolon, comma and newline escaped."""
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets are folded (§3.1), never inside a UTF-8 sequence."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        limit = 75 if not parts else 74  # a continuation line starts with a space
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return (CRLF + " ").join(parts)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _local(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y%m%dT%H%M%S")


def _offset(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    sign = "+" if seconds >= 0 else "-"
    seconds = abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{seconds:02d}" if seconds else "")


def transitions(zone: ZoneInfo, start: datetime, end: datetime) -> list[tuple[datetime, timedelta, timedelta, bool]]:
    """The zone's changes of offset between two moments: (UTC instant, offset before, offset after, is DST after).
    Found by stepping a day at a time and bisecting to the second where the offset changes."""
    found = []
    moment = start.astimezone(UTC)
    step = timedelta(days=1)
    before = moment.astimezone(zone).utcoffset()
    while moment < end:
        following = moment + step
        after = following.astimezone(zone).utcoffset()
        if after != before:
            low, high = moment, following
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == before:
                    low = middle
                else:
                    high = middle
            high = high.replace(microsecond=0)
            found.append((high, before, after, bool(high.astimezone(zone).dst())))
            before = after
        moment = following
    return found


def vtimezone(zone: ZoneInfo, start: datetime, end: datetime) -> list[str]:
    lines = ["BEGIN:VTIMEZONE", f"TZID:{zone.key}"]
    first_offset = start.astimezone(zone).utcoffset()
    changes = transitions(zone, start, end)
    # The offset in force at the start of the span, as a component starting well before it.
    initial_dst = bool(start.astimezone(zone).dst())
    lines += [
        "BEGIN:" + ("DAYLIGHT" if initial_dst else "STANDARD"),
        "DTSTART:19700101T000000",
        f"TZOFFSETFROM:{_offset(first_offset)}",
        f"TZOFFSETTO:{_offset(first_offset)}",
        f"TZNAME:{start.astimezone(zone).tzname()}",
        "END:" + ("DAYLIGHT" if initial_dst else "STANDARD"),
    ]
    for instant, before, after, is_dst in changes:
        kind = "DAYLIGHT" if is_dst else "STANDARD"
        local_before = (instant + before).replace(tzinfo=None)  # wall-clock time in the old offset
        lines += [
            f"BEGIN:{kind}",
            f"DTSTART:{local_before.strftime('%Y%m%dT%H%M%S')}",
            f"TZOFFSETFROM:{_offset(before)}",
            f"TZOFFSETTO:{_offset(after)}",
            f"TZNAME:{instant.astimezone(zone).tzname()}",
            f"END:{kind}",
        ]
    lines.append("END:VTIMEZONE")
    return lines


def calendar(
    events: list[Event], *, zone: ZoneInfo, name: str, base_url: str, now: datetime, span: tuple[datetime, datetime]
) -> bytes:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Ustaz//Distance learning//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        f"X-WR-TIMEZONE:{zone.key}",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ]
    lines += vtimezone(zone, span[0], span[1])
    stamp = _utc(now)
    for event in events:
        lines += ["BEGIN:VEVENT", f"UID:{event.uid}@ustaz", f"DTSTAMP:{stamp}"]
        if isinstance(event.start, datetime):
            lines.append(f"DTSTART;TZID={zone.key}:{_local(event.start, zone)}")
            if isinstance(event.end, datetime):
                lines.append(f"DTEND;TZID={zone.key}:{_local(event.end, zone)}")
        else:
            end = event.end if isinstance(event.end, date) else event.start + timedelta(days=1)
            lines.append(f"DTSTART;VALUE=DATE:{event.start.strftime('%Y%m%d')}")
            lines.append(f"DTEND;VALUE=DATE:{end.strftime('%Y%m%d')}")
        lines.append(f"SUMMARY:{escape(event.summary)}")
        if event.description:
            lines.append(f"DESCRIPTION:{escape(event.description)}")
        if event.location:
            lines.append(f"LOCATION:{escape(event.location)}")
        if event.url:
            lines.append(f"URL:{base_url.rstrip('/')}{event.url}")
        lines.append("STATUS:" + ("CANCELLED" if event.cancelled else "CONFIRMED"))
        lines.append("TRANSP:" + ("TRANSPARENT" if not isinstance(event.start, datetime) else "OPAQUE"))
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return (CRLF.join(fold(line) for line in lines) + CRLF).encode()
