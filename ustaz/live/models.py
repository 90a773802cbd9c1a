"""Classes of a course (§2.6.1 online, §2.2 blended in person), their attendance and recordings, and each
person's private calendar feed."""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ustaz.academics.models import Course, StudyGroup


class Format(models.TextChoices):
    ONLINE = "online", _("online")
    IN_PERSON = "in_person", _("in person")


class Provider(models.TextChoices):
    BIGBLUEBUTTON = "bbb", _("BigBlueButton")
    JITSI = "jitsi", _("Jitsi Meet")
    LINK = "link", _("other conference (link)")


class ClassStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    CANCELLED = "cancelled", _("cancelled")
    ENDED = "ended", _("ended")


def _meeting_id() -> str:
    return uuid.uuid4().hex


class Series(models.Model):
    """A class repeated weekly: its occurrences are LiveClass rows (each may be moved or cancelled)."""

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    first_date = models.DateField(_("first date"))
    last_date = models.DateField(_("last date"))
    skipped_dates = models.JSONField(_("dates without the class"), default=list, blank=True)
    # The zone whose wall-clock time the classes keep (the calendar feed repeats them in it, across summer time).
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Bumped when a class of the series is cancelled (the feed's repeating event loses a date): calendars that
    # subscribed see the change (iCalendar SEQUENCE and LAST-MODIFIED).
    sequence = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("weekly series")
        verbose_name_plural = _("weekly series")

    def __str__(self) -> str:
        return self.title


class LiveClass(models.Model):
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="live_classes")
    series = models.ForeignKey(
        Series, verbose_name=_("series"), null=True, blank=True, on_delete=models.SET_NULL, related_name="classes"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration, minutes"), default=80)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices, default=Format.ONLINE)
    provider = models.CharField(_("conference"), max_length=10, choices=Provider.choices, blank=True)
    link = models.URLField(_("conference link"), max_length=500, blank=True)
    room = models.CharField(_("room"), max_length=100, blank=True)
    groups = models.ManyToManyField(
        StudyGroup,
        verbose_name=_("groups"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty for all groups of the course."),
    )
    meeting_id = models.CharField(max_length=40, default=_meeting_id, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=ClassStatus.choices, default=ClassStatus.SCHEDULED)
    # For a class of a series: when it was planned to start (moved or not), the occurrence it stands for.
    occurrence_start = models.DateTimeField(null=True, blank=True, editable=False)
    # Bumped by every change people's calendars must take (iCalendar SEQUENCE); updated_at is LAST-MODIFIED.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["course", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_online(self) -> bool:
        return self.format == Format.ONLINE


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("present")
    LATE = "late", _("late")
    EXCUSED = "excused", _("absent with a reason")
    ABSENT = "absent", _("absent")


class Attendance(models.Model):
    """A student's attendance of a class; no row means not marked (absent once the class is over)."""

    live_class = models.ForeignKey(
        LiveClass, verbose_name=_("class"), on_delete=models.CASCADE, related_name="attendances"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("student"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)
    joined_at = models.DateTimeField(_("joined"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("corrected by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("corrected"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["live_class", "student"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.student} · {self.live_class}: {self.get_status_display()}"


class Recording(models.Model):
    live_class = models.ForeignKey(
        LiveClass, verbose_name=_("class"), on_delete=models.CASCADE, related_name="recordings"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    url = models.URLField(_("address"), max_length=1000)
    record_id = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recording")
        verbose_name_plural = _("recordings")
        ordering = ["started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["live_class", "record_id"], condition=~models.Q(record_id=""), name="recording_once"
            )
        ]

    def __str__(self) -> str:
        return self.title or self.url


def _feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret of a person's iCalendar feed address; revoking gives a new one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=_feed_token)
    created_at = models.DateTimeField(auto_now=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)
