"""Written work and creative works (§4.2): assignments of a course, submissions in versions with their files
(uploaded resumably, checked by content, processed for the browser), reviews with time-coded and region
comments, grades into the gradebook."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ustaz.academics.models import Course
from ustaz.core.files import generated_name
from ustaz.core.sniff import AUDIO, DOCUMENT, IMAGE, PDF, VIDEO
from ustaz.grades.models import GradeItem


class Kind(models.TextChoices):
    WRITTEN = "written", _("written work")
    AUDIO = "audio", _("creative work: audio")
    VIDEO = "video", _("creative work: video")
    IMAGE = "image", _("creative work: image or scan")
    SCORE = "score", _("creative work: score (PDF)")
    MIXED = "mixed", _("mixed")


# What each kind accepts unless the teacher chooses otherwise.
KIND_ACCEPTS = {
    Kind.WRITTEN: [DOCUMENT, PDF],
    Kind.AUDIO: [AUDIO],
    Kind.VIDEO: [VIDEO],
    Kind.IMAGE: [IMAGE, PDF],
    Kind.SCORE: [PDF, IMAGE],
    Kind.MIXED: [AUDIO, VIDEO, IMAGE, PDF, DOCUMENT],
}


class LatePolicy(models.TextChoices):
    ACCEPT = "accept", _("accepted and marked late")
    PENALTY = "penalty", _("accepted with a penalty")
    REFUSE = "refuse", _("not accepted after the due time")


class Assignment(models.Model):
    # Whether the viewer reviews its submissions, set by assignments.access (not stored).
    can_review: bool = False

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(_("instructions"), blank=True)
    instructions_html = models.TextField(editable=False, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.WRITTEN)
    accepts = models.JSONField(_("accepted files"), default=list)
    max_size_mb = models.PositiveIntegerField(_("largest file, MB"), default=2048)
    allows_text = models.BooleanField(_("text can be written on the page"), default=True)
    opens_at = models.DateTimeField(_("opens"))
    due_at = models.DateTimeField(_("due"))
    late_policy = models.CharField(_("after the due time"), max_length=10, choices=LatePolicy.choices)
    late_penalty_percent = models.PositiveSmallIntegerField(_("late penalty, %"), default=0)
    allows_resubmission = models.BooleanField(_("resubmission allowed"), default=True)
    max_points = models.DecimalField(_("points"), max_digits=5, decimal_places=1, default=100)
    grade_item = models.ForeignKey(
        GradeItem,
        verbose_name=_("journal column"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The gradebook column the grade goes to."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["due_at", "pk"]

    def __str__(self) -> str:
        return self.title


def instructions_upload_to(instance: AssignmentFile, filename: str) -> str:
    # Stored under a generated name; the name the file came with is kept (cleaned) in `name`.
    return f"assignments/{instance.assignment_id}/instructions/{generated_name(filename)}"


class AssignmentFile(models.Model):
    """A file of the instructions (a score to learn, a text to analyse, an example recording)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=instructions_upload_to, max_length=255)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    """A rubric line: the levels a work may reach on it, each with its points."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="criteria")
    title = models.CharField(_("criterion"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    levels = models.JSONField(_("levels"), default=list)  # [{"title": ..., "points": n}, ...]

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def max_points(self):
        return max((level["points"] for level in self.levels), default=0)


class Upload(models.Model):
    """A resumable (tus) upload: its bytes are kept in storage as the chunks received, then joined."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=200)
    length = models.PositiveBigIntegerField()
    offset = models.PositiveBigIntegerField(default=0)
    chunks = models.JSONField(default=list)  # storage names, in order
    category = models.CharField(max_length=10, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    stored_name = models.CharField(max_length=255, blank=True)  # the joined file (a generated name)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)  # joined
    join_started_at = models.DateTimeField(null=True, blank=True)  # a join task holds it
    join_failure = models.CharField(max_length=100, blank=True)  # why the last join failed (it may run again)
    used = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.filename} ({self.offset}/{self.length})"


class Submission(models.Model):
    """One version of a student's work; a resubmission is a new version, earlier ones stay."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="submissions")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveSmallIntegerField(default=1)
    text = models.TextField(_("text"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    is_late = models.BooleanField(_("late"), default=False)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["assignment", "student", "version"]
        constraints = [models.UniqueConstraint(fields=["assignment", "student", "version"], name="submission_version")]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.student} · v{self.version}"


class Processing(models.TextChoices):
    PENDING = "pending", _("being prepared")
    READY = "ready", _("ready")
    FAILED = "failed", _("could not be processed")
    NO_PREVIEW = "no_preview", _("no preview")  # beyond the bounds of settings.MEDIA_*: kept, not drawn


class SubmissionFile(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(max_length=255)
    name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    category = models.CharField(max_length=10)
    content_type = models.CharField(max_length=100)
    processing = models.CharField(max_length=10, choices=Processing.choices, default=Processing.PENDING)
    failure = models.CharField(max_length=300, blank=True)
    probe = models.JSONField(default=dict, blank=True)  # duration, codecs, width, height, pages
    rendition = models.FileField(max_length=255, blank=True)  # browser-playable copy (when the original is not)
    rendition_type = models.CharField(max_length=50, blank=True)
    poster = models.FileField(max_length=255, blank=True)  # a frame of a video, a thumbnail of an image
    waveform = models.JSONField(default=list, blank=True)  # peaks 0..1 of an audio track
    previews = models.JSONField(default=list, blank=True)  # storage names of PDF page images

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_media(self) -> bool:
        return self.category in (AUDIO, VIDEO)

    @property
    def is_visual(self) -> bool:
        return self.category in (IMAGE, PDF)


class Review(models.Model):
    submission = models.OneToOneField(Submission, on_delete=models.CASCADE, related_name="review")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    feedback = models.TextField(_("feedback"), blank=True)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1, null=True, blank=True)
    rubric = models.JSONField(default=dict, blank=True)  # criterion id -> chosen level index
    reviewed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.submission}: {self.points}"


class Comment(models.Model):
    """A remark on a file: at a time range of audio or video, or on a region of an image or PDF page."""

    file = models.ForeignKey(SubmissionFile, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("comment"), max_length=4000)
    start = models.FloatField(_("from, seconds"), null=True, blank=True)
    end = models.FloatField(_("to, seconds"), null=True, blank=True)
    page = models.PositiveSmallIntegerField(null=True, blank=True)
    region = models.JSONField(null=True, blank=True)  # {"x","y","w","h"} as fractions of the image
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start", "page", "pk"]

    def __str__(self) -> str:
        return self.text[:50]
