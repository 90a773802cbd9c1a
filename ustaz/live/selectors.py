"""Reads of classes for pages and the calendar feed, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ustaz.academics import access as academics_access
from ustaz.academics.models import Course, Enrolment
from ustaz.accounts.models import Role, User
from ustaz.core.calendar import Event, Repeat

from .models import Attendance, AttendanceStatus, ClassStatus, Format, LiveClass, Series


def _classes() -> QuerySet[LiveClass]:
    return LiveClass.objects.prefetch_related("groups").annotate(recording_count=Count("recordings"))


def course_classes(course: Course, *, group_id: int | None = None, student: User | None = None) -> list[LiveClass]:
    """The course's classes; for a student, only those of their group, each with their own attendance."""
    classes = _classes().filter(course=course)
    if student is not None:
        classes = classes.filter(Q(groups=None) | Q(groups=group_id)).distinct()
        classes = classes.prefetch_related(
            Prefetch("attendances", queryset=Attendance.objects.filter(student=student), to_attr="mine")
        )
    return list(classes.order_by("starts_at", "pk"))


@dataclass
class RosterRow:
    student: User
    attendance: Attendance | None
    group_name: str


def class_roster(live_class: LiveClass) -> list[RosterRow]:
    """The students expected at the class, with their attendance (or none yet), by name."""
    enrolments = Enrolment.objects.filter(course_id=live_class.course_id).select_related(
        "student", "student__student_record__group"
    )
    group_ids = [g.pk for g in live_class.groups.all()]
    if group_ids:
        enrolments = enrolments.filter(student__student_record__group_id__in=group_ids)
    marks = {a.student_id: a for a in Attendance.objects.filter(live_class=live_class)}
    rows = []
    for enrolment in enrolments:
        student = enrolment.student
        record = getattr(student, "student_record", None)
        rows.append(RosterRow(student, marks.get(student.pk), record.group.name if record and record.group else ""))
    rows.sort(key=lambda r: (r.student.last_name, r.student.first_name, r.student.username))
    return rows


ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


@dataclass
class AttendanceRow:
    student: User
    group_name: str
    cells: list[str] = field(default_factory=list)  # per class: a status, "" (not expected) or "absent"
    attended: int = 0
    expected: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.attended / self.expected) if self.expected else None


def course_attendance(course: Course, now: datetime | None = None) -> tuple[list[LiveClass], list[AttendanceRow]]:
    """Every student of the course against every class held so far (not cancelled): the office's and the
    teacher's view of attendance. Four queries whatever the size."""
    now = now or timezone.now()
    classes = list(
        LiveClass.objects.filter(course=course, starts_at__lte=now)
        .exclude(status=ClassStatus.CANCELLED)
        .prefetch_related("groups")
        .order_by("starts_at", "pk")
    )
    enrolments = Enrolment.objects.filter(course=course).select_related("student", "student__student_record__group")
    marks = {
        (a.live_class_id, a.student_id): a.status
        for a in Attendance.objects.filter(live_class__in=classes).only("live_class_id", "student_id", "status")
    }
    class_groups = [{g.pk for g in c.groups.all()} for c in classes]
    rows = []
    for enrolment in enrolments:
        student = enrolment.student
        record = getattr(student, "student_record", None)
        group_id = record.group_id if record else None
        row = AttendanceRow(student, record.group.name if record and record.group else "")
        for live_class, groups in zip(classes, class_groups, strict=True):
            if groups and group_id not in groups:
                row.cells.append("")
                continue
            status = marks.get((live_class.pk, student.pk), AttendanceStatus.ABSENT)
            row.cells.append(status)
            row.expected += 1
            row.attended += status in ATTENDED
        rows.append(row)
    rows.sort(key=lambda r: (r.group_name, r.student.last_name, r.student.first_name, r.student.username))
    return classes, rows


def upcoming_for(user: User, start: datetime, end: datetime) -> list[LiveClass]:
    """The classes of the person's courses between two moments: taught, or of their group where enrolled."""
    taught = Q(course__teachers=user) if user.has_role(Role.TEACHER) else Q(pk__in=[])
    enrolled = Q(pk__in=[])
    if user.has_role(Role.STUDENT):
        group_id = user.student_record.group_id if hasattr(user, "student_record") else None
        enrolled = (
            Q(course__enrolments__student=user)
            & (Q(groups=None) | Q(groups=group_id))
            & academics_access.takes_part_q(user)  # not on leave, expelled or graduated
        )
    return list(
        LiveClass.objects.filter(taught | enrolled, starts_at__gte=start, starts_at__lt=end)
        .select_related("course__discipline", "series")
        .distinct()
        .order_by("starts_at", "pk")
    )


def _repeats(classes: list[LiveClass]) -> dict[int, Repeat]:
    """The series of these classes, each with its planned dates and the dates without a class (skipped when
    planned, or cancelled since): one query for the cancelled classes of all of them."""
    series: dict[int, Series] = {}
    planned_time: dict[int, datetime] = {}
    for c in classes:
        if c.series is not None and c.occurrence_start is not None:
            series[c.series.pk] = c.series
            planned_time[c.series.pk] = c.occurrence_start
    if not series:
        return {}
    cancelled: dict[int, list[datetime]] = {}
    for series_id, planned in LiveClass.objects.filter(
        series_id__in=series, status=ClassStatus.CANCELLED, occurrence_start__isnull=False
    ).values_list("series_id", "occurrence_start"):
        if planned is not None:
            cancelled.setdefault(series_id, []).append(planned)
    repeats = {}
    for series_id, one in series.items():
        zone = _zone(one.time_zone)
        wall = planned_time[series_id].astimezone(zone).time().replace(tzinfo=None)
        first = datetime.combine(one.first_date, wall, tzinfo=zone)
        sample = next(c for c in classes if c.series_id == series_id)
        skipped = [datetime.combine(date.fromisoformat(d), wall, tzinfo=zone) for d in one.skipped_dates]
        repeats[series_id] = Repeat(
            uid=f"live-series-{series_id}",
            first=first,
            last=datetime.combine(one.last_date, wall, tzinfo=zone),
            duration=timedelta(minutes=sample.duration_minutes),
            excluded=tuple(sorted({*skipped, *(p.astimezone(zone) for p in cancelled.get(series_id, []))})),
            summary=f"{sample.course.title}: {one.title}",
            description=sample.description,
            location=_location(sample),
            url=reverse("live:course", args=[sample.course_id]),
            sequence=one.sequence,
            last_modified=one.updated_at,
        )
    return repeats


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or settings.TIME_ZONE)
    except (KeyError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def _location(live_class: LiveClass) -> str:
    if live_class.format == Format.ONLINE:
        return _("Online: %(conference)s") % {"conference": live_class.get_provider_display()}
    return live_class.room


def calendar_events(user: User, start: datetime, end: datetime) -> list[Event]:
    classes = upcoming_for(user, start, end)
    repeats = _repeats(classes)
    return [
        Event(
            uid=f"live-class-{live_class.pk}",
            summary=f"{live_class.course.title}: {live_class.title}",
            start=live_class.starts_at,
            end=live_class.ends_at,
            description=live_class.description,
            location=_location(live_class),
            url=reverse("live:class", args=[live_class.course_id, live_class.pk]),
            cancelled=live_class.status == ClassStatus.CANCELLED,
            last_modified=live_class.updated_at,
            sequence=live_class.sequence,
            repeat=repeats.get(live_class.series_id) if live_class.series_id and live_class.occurrence_start else None,
            occurrence=live_class.occurrence_start,
        )
        for live_class in classes
    ]
