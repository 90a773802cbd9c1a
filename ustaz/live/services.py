"""Scheduling classes (once or weekly with exceptions), joining them through their conference provider,
attendance, recordings and calendar-feed secrets."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ustaz.academics.models import Course, Enrolment, StudyGroup
from ustaz.academics.selectors import taking_part
from ustaz.accounts.models import User
from ustaz.notifications import services as notifications

from . import providers
from .apps import CLASS_CHANGED, RECORDING_READY
from .models import (
    Attendance,
    AttendanceStatus,
    CalendarFeed,
    ClassStatus,
    Format,
    LiveClass,
    Provider,
    Recording,
    Series,
)

MAX_OCCURRENCES = 60


def _validate(*, format: str, provider: str, link: str, room: str) -> None:
    if format == Format.ONLINE:
        if not provider:
            raise ValidationError({"provider": _("Choose the conference for an online class.")})
        if provider == Provider.LINK and not link:
            raise ValidationError({"link": _("Give the conference link (Zoom, Webex, Google Meet, WhatsApp...).")})
        if provider == Provider.BIGBLUEBUTTON and not (settings.BBB_URL and settings.BBB_SECRET):
            raise ValidationError({"provider": _("BigBlueButton is not configured on this platform.")})
        if provider == Provider.JITSI and not settings.JITSI_URL:
            raise ValidationError({"provider": _("Jitsi Meet is not configured on this platform.")})
    elif not room:
        raise ValidationError({"room": _("Give the room of a class in person.")})


def weekly_dates(first: datetime.date, last: datetime.date, skipped: Iterable[datetime.date]) -> list[datetime.date]:
    if last < first:
        raise ValidationError({"repeat_until": _("The last date is before the first.")})
    skipped = set(skipped)
    dates = []
    day = first
    while day <= last:
        if day not in skipped:
            dates.append(day)
        day += datetime.timedelta(days=7)
    if len(dates) > MAX_OCCURRENCES:
        raise ValidationError(
            {"repeat_until": _("At most %(count)d weekly classes at once.") % {"count": MAX_OCCURRENCES}}
        )
    return dates


@transaction.atomic
def class_schedule(
    *,
    course: Course,
    by: User,
    title: str,
    starts_at: datetime.datetime,
    duration_minutes: int,
    format: str,
    provider: str = "",
    link: str = "",
    room: str = "",
    description: str = "",
    groups: Iterable[StudyGroup] = (),
    repeat_until: datetime.date | None = None,
    skipped_dates: Iterable[datetime.date] = (),
    time_zone: str | None = None,
) -> list[LiveClass]:
    """One class, or one a week from starts_at to repeat_until except the skipped dates. A weekly class keeps
    its wall-clock time in the time zone it was planned in (across a change of summer time)."""
    if format != Format.ONLINE:
        provider, link = "", ""
    _validate(format=format, provider=provider, link=link, room=room)
    groups = list(groups)
    course_groups = set(course.groups.values_list("pk", flat=True))
    if any(g.pk not in course_groups for g in groups):
        raise ValidationError({"groups": _("Choose among the course's groups.")})
    zone = ZoneInfo(time_zone or settings.TIME_ZONE)
    local_start = timezone.localtime(starts_at, zone)
    series = None
    if repeat_until:
        skipped_dates = sorted(set(skipped_dates))
        dates = weekly_dates(local_start.date(), repeat_until, skipped_dates)
        series = Series.objects.create(
            course=course,
            title=title,
            first_date=local_start.date(),
            last_date=repeat_until,
            skipped_dates=[d.isoformat() for d in skipped_dates],
            time_zone=zone.key,
            created_by=by,
        )
        starts = [datetime.datetime.combine(d, local_start.time().replace(tzinfo=None), tzinfo=zone) for d in dates]
    else:
        starts = [starts_at]
    classes = LiveClass.objects.bulk_create(
        [
            LiveClass(
                course=course,
                series=series,
                title=title,
                description=description,
                starts_at=start,
                duration_minutes=duration_minutes,
                format=format,
                provider=provider,
                link=link,
                room=room,
                created_by=by,
                occurrence_start=start if series else None,
            )
            for start in starts
        ]
    )
    if groups:
        through = LiveClass.groups.through
        through.objects.bulk_create([through(liveclass_id=c.pk, studygroup_id=g.pk) for c in classes for g in groups])
    return classes


def expected_students(live_class: LiveClass) -> list[User]:
    """The students enrolled in the course who are in the class's groups (all of them for a class of none)."""
    # Only students who take part: not those on leave, expelled or graduated (docs/decisions/0014).
    enrolments = (
        Enrolment.objects.filter(course_id=live_class.course_id)
        .filter(taking_part("student__"))
        .select_related("student")
    )
    group_ids = [g.pk for g in live_class.groups.all()]
    if group_ids:
        enrolments = enrolments.filter(student__student_record__group_id__in=group_ids)
    return [e.student for e in enrolments]


# What a calendar shows of a class: a change to any of these is a new SEQUENCE of its event.
CALENDAR_FIELDS = ("title", "description", "starts_at", "duration_minutes", "format", "provider", "room", "status")


@transaction.atomic
def class_update(*, live_class: LiveClass, by: User, **fields) -> LiveClass:
    """Change a class; the students are told when its time, format or place changes, or when it is cancelled.
    Calendars that subscribed to the feed take the change by its SEQUENCE and LAST-MODIFIED."""
    before = (live_class.starts_at, live_class.format, live_class.room, live_class.status)
    shown_before = tuple(getattr(live_class, name) for name in CALENDAR_FIELDS)
    groups = fields.pop("groups", None)
    for name, value in fields.items():
        setattr(live_class, name, value)
    if live_class.format != Format.ONLINE:
        live_class.provider, live_class.link = "", ""
    _validate(format=live_class.format, provider=live_class.provider, link=live_class.link, room=live_class.room)
    if tuple(getattr(live_class, name) for name in CALENDAR_FIELDS) != shown_before:
        live_class.sequence += 1
        if (
            live_class.series_id
            and live_class.status != before[3]
            and ClassStatus.CANCELLED in (before[3], live_class.status)
        ):
            # The series' repeating event gains or loses an excluded date.
            Series.objects.filter(pk=live_class.series_id).update(sequence=F("sequence") + 1, updated_at=timezone.now())
    live_class.save()
    if groups is not None:
        live_class.groups.set(groups)
    after = (live_class.starts_at, live_class.format, live_class.room, live_class.status)
    if before != after and live_class.starts_at > timezone.now() - datetime.timedelta(hours=1):
        _tell_change(live_class)
    return live_class


def class_cancel(*, live_class: LiveClass, by: User) -> LiveClass:
    return class_update(live_class=live_class, by=by, status=ClassStatus.CANCELLED)


def _tell_change(live_class: LiveClass) -> None:
    url = reverse("live:class", args=[live_class.course_id, live_class.pk])
    if live_class.status == ClassStatus.CANCELLED:
        title = gettext_lazy("Class cancelled: %(title)s, %(when)s")
    else:
        title = gettext_lazy("Class changed: %(title)s, now %(when)s")
    for student in expected_students(live_class):
        # Each student reads the time in their own time zone.
        when = timezone.localtime(live_class.starts_at, ZoneInfo(student.time_zone or settings.TIME_ZONE))
        notifications.notify(
            users=[student],
            kind=CLASS_CHANGED,
            title=title,
            params={"title": live_class.title, "when": when.strftime("%Y-%m-%d %H:%M")},
            url=url,
        )


# --- Joining -----------------------------------------------------------------------------------------------


def _callback_token(live_class: LiveClass) -> str:
    return salted_hmac("ustaz.live.bbb-end", live_class.meeting_id).hexdigest()


def callback_token_valid(live_class: LiveClass, token: str) -> bool:
    return constant_time_compare(_callback_token(live_class), token or "")


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@transaction.atomic
def attendance_from_join(*, live_class: LiveClass, student: User, now: datetime.datetime) -> Attendance:
    """Joining through the platform marks the student present (late after the grace minutes). The first join
    counts; a teacher's correction is never overwritten."""
    late = now > live_class.starts_at + datetime.timedelta(minutes=settings.LIVE_LATE_AFTER_MINUTES)
    attendance, created = Attendance.objects.get_or_create(
        live_class=live_class,
        student=student,
        defaults={"status": AttendanceStatus.LATE if late else AttendanceStatus.PRESENT, "joined_at": now},
    )
    if not created and attendance.joined_at is None and attendance.marked_by_id is None:
        attendance.status = AttendanceStatus.LATE if late else AttendanceStatus.PRESENT
        attendance.joined_at = now
        attendance.save(update_fields=["status", "joined_at"])
    elif not created and attendance.joined_at is None:
        attendance.joined_at = now
        attendance.save(update_fields=["joined_at"])
    return attendance


def join(*, live_class: LiveClass, user: User, moderator: bool, now: datetime.datetime | None = None) -> str:
    """The address that takes this person into the class's conference (ConferenceError with the reason the
    user should read when the conference server fails or the class has not started)."""
    now = now or timezone.now()
    url = providers.enter(
        provider=live_class.provider,
        meeting_id=live_class.meeting_id,
        room=f"ustaz-{live_class.meeting_id}",
        full_name=user.full_name or user.username,
        email=user.email,
        user_id=str(user.pk),
        moderator=moderator,
        valid_for=int((live_class.ends_at - now).total_seconds()) + 3600,
        link=live_class.link,
        not_started=_("The teacher has not started the class yet. Try again in a minute."),
        create={
            "name": f"{live_class.course.title}: {live_class.title}"[:250],
            "welcome": _("Welcome to %(title)s.") % {"title": live_class.title},
            "record": True,
            "logout_url": _absolute(reverse("live:class", args=[live_class.course_id, live_class.pk])),
            "end_callback_url": _absolute(
                reverse("live:bbb_ended", args=[live_class.pk]) + f"?token={_callback_token(live_class)}"
            ),
            "recording_ready_url": _absolute(reverse("live:bbb_recording_ready")),
            "duration_minutes": live_class.duration_minutes + 60,
        },
    )
    if live_class.course.is_enrolled:
        attendance_from_join(live_class=live_class, student=user, now=now)
    return url


# --- Attendance --------------------------------------------------------------------------------------------


@transaction.atomic
def attendance_correct(*, live_class: LiveClass, by: User, marks: Mapping[int, tuple[str, str]]) -> int:
    """Set the status (and note) of students of the class, by student id; returns how many changed."""
    expected = {s.pk for s in expected_students(live_class)}
    unknown = set(marks) - expected
    if unknown:
        raise ValidationError(_("Some of these people are not students of this class."))
    valid = set(AttendanceStatus.values)
    existing = {a.student_id: a for a in Attendance.objects.filter(live_class=live_class, student_id__in=marks)}
    now = timezone.now()
    changed = 0
    for student_id, (status, note) in marks.items():
        if status not in valid:
            raise ValidationError(_("Unknown attendance mark."))
        row = existing.get(student_id)
        if row is None:
            Attendance.objects.create(
                live_class=live_class, student_id=student_id, status=status, note=note, marked_by=by, marked_at=now
            )
            changed += 1
        elif row.status != status or row.note != note:
            row.status, row.note, row.marked_by, row.marked_at = status, note, by, now
            row.save(update_fields=["status", "note", "marked_by", "marked_at"])
            changed += 1
    return changed


# --- BigBlueButton callbacks and recordings ----------------------------------------------------------------


def meeting_end(*, live_class: LiveClass, by: User) -> None:
    """The teacher ends the BigBlueButton meeting for everyone (the server then calls back as it ends)."""
    if live_class.provider == Provider.BIGBLUEBUTTON:
        providers.bigbluebutton().end(live_class.meeting_id)
    meeting_ended(live_class)


def meeting_ended(live_class: LiveClass) -> None:
    if live_class.status != ClassStatus.CANCELLED:
        LiveClass.objects.filter(pk=live_class.pk).update(status=ClassStatus.ENDED)


def recordings_fetch(live_class: LiveClass) -> list[Recording]:
    """Attach the class's published BigBlueButton recordings (once each) and tell its students of new ones."""
    found = providers.bigbluebutton().recordings(live_class.meeting_id)
    known = set(Recording.objects.filter(live_class=live_class).values_list("record_id", flat=True))
    new = [
        Recording(
            live_class=live_class,
            record_id=r.record_id,
            url=r.url,
            started_at=r.started_at,
            ended_at=r.ended_at,
            title=live_class.title,
        )
        for r in found
        if r.published and r.record_id not in known
    ]
    with transaction.atomic():
        Recording.objects.bulk_create(new, ignore_conflicts=True)
        if new:
            _tell_recording(live_class)
    return new


@transaction.atomic
def recording_add(*, live_class: LiveClass, by: User, url: str, title: str = "") -> Recording:
    recording = Recording.objects.create(live_class=live_class, url=url, title=title or live_class.title)
    _tell_recording(live_class)
    return recording


def _tell_recording(live_class: LiveClass) -> None:
    notifications.notify(
        users=expected_students(live_class),
        kind=RECORDING_READY,
        title=gettext_lazy("The recording of %(title)s is ready"),
        params={"title": live_class.title},
        url=reverse("live:class", args=[live_class.course_id, live_class.pk]),
    )


# --- Calendar feed -----------------------------------------------------------------------------------------


def feed_token(user: User) -> str:
    return CalendarFeed.objects.get_or_create(user=user)[0].token


@transaction.atomic
def feed_revoke(user: User) -> str:
    """A new secret address; the old one stops working at once."""
    CalendarFeed.objects.filter(user=user).delete()
    return CalendarFeed.objects.create(user=user).token
