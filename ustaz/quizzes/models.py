"""The testing centre (§4.2, §4.3): question banks per discipline, questions in versions (an attempt keeps the
version it was given), tests drawn from categories, attempts with a server-side deadline and every answer
saved as it is given, results into the gradebook."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ustaz.academics.models import Course, Discipline
from ustaz.grades.models import GradeItem


class QuestionType(models.TextChoices):
    SINGLE = "single", _("single choice")
    MULTIPLE = "multiple", _("multiple choice")
    TRUEFALSE = "truefalse", _("true or false")
    SHORT = "short", _("short answer")
    NUMERIC = "numeric", _("number")
    MATCHING = "matching", _("matching")
    ORDERING = "ordering", _("ordering")
    BLANKS = "blanks", _("fill in the blanks")
    ESSAY = "essay", _("essay")


class TextFormat(models.TextChoices):
    """How a question's texts (its text, options and feedback) are written, as Moodle's formats: shown
    rendered, and HTML always sanitised."""

    PLAIN = "plain", _("plain text")
    MOODLE = "moodle", _("Moodle auto-format (HTML allowed, lines kept)")
    MARKDOWN = "markdown", _("Markdown")
    HTML = "html", _("HTML")


class Bank(models.Model):
    discipline = models.ForeignKey(Discipline, verbose_name=_("discipline"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    bank = models.ForeignKey(Bank, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("category"), max_length=200)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [models.UniqueConstraint(fields=["bank", "name"], name="category_name_in_bank")]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """A question's identity; what it says is in its versions (editing makes a new one)."""

    bank = models.ForeignKey(Bank, on_delete=models.CASCADE, related_name="questions")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="questions")
    kind = models.CharField(_("type"), max_length=10, choices=QuestionType.choices)
    tags = models.JSONField(default=list, blank=True)
    current = models.ForeignKey("QuestionVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    is_archived = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return f"#{self.pk}"


def question_media_upload_to(instance: QuestionVersion, filename: str) -> str:
    return f"quizzes/{instance.question.bank_id}/{instance.question_id}/{filename[-100:]}"


class QuestionVersion(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    # A recording to listen to, a video or a picture (a painting to attribute) that goes with the question.
    media = models.FileField(upload_to=question_media_upload_to, max_length=255, blank=True)
    media_type = models.CharField(max_length=100, blank=True)
    media_kind = models.CharField(max_length=10, blank=True)  # audio, video, image
    number = models.PositiveIntegerField(default=1)
    text = models.TextField(_("question"))
    text_format = models.CharField(_("text format"), max_length=10, choices=TextFormat.choices, default="plain")
    data = models.JSONField(default=dict)  # options and key, by type (grading.py)
    feedback = models.TextField(_("feedback"), blank=True)  # general feedback, shown on review
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2, default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "number"], name="question_version_once")]

    def __str__(self) -> str:
        return f"#{self.question_id} v{self.number}"


class GradingMethod(models.TextChoices):
    HIGHEST = "highest", _("the highest attempt")
    LAST = "last", _("the last attempt")
    AVERAGE = "average", _("the average of attempts")


class ReviewPolicy(models.TextChoices):
    NEVER = "never", _("never")
    AFTER_SUBMIT = "after_submit", _("right after submitting")
    AFTER_CLOSE = "after_close", _("after the test closes")


class Test(models.Model):
    # Whether the viewer manages the test, set by quizzes.access (not stored).
    can_manage: bool = False

    __test__ = False  # not a pytest test class

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(_("instructions"), blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    time_limit_minutes = models.PositiveIntegerField(_("time limit, minutes"), default=45)
    attempts_allowed = models.PositiveSmallIntegerField(_("attempts"), default=1)
    grading_method = models.CharField(
        _("which counts"), max_length=10, choices=GradingMethod.choices, default=GradingMethod.HIGHEST
    )
    pass_percent = models.PositiveSmallIntegerField(_("pass mark, %"), default=50)
    review = models.CharField(_("students see their answers"), max_length=15, choices=ReviewPolicy.choices)
    shuffle_options = models.BooleanField(_("shuffle the options"), default=True)
    grade_item = models.ForeignKey(
        GradeItem, verbose_name=_("journal column"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("test")
        verbose_name_plural = _("tests")

    def __str__(self) -> str:
        return self.title


class Section(models.Model):
    """Draw `count` questions at random from a category."""

    test = models.ForeignKey(Test, on_delete=models.CASCADE, related_name="sections")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    count = models.PositiveSmallIntegerField(default=5)

    def __str__(self) -> str:
        return f"{self.test}: {self.count} × {self.category}"


class Accommodation(models.Model):
    """A student's own conditions (§1.5, special needs): extra time, other dates."""

    test = models.ForeignKey(Test, on_delete=models.CASCADE, related_name="accommodations")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    extra_minutes = models.PositiveIntegerField(default=0)
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["test", "student"], name="accommodation_once")]

    def __str__(self) -> str:
        return f"{self.student} +{self.extra_minutes}"


class AttemptStatus(models.TextChoices):
    OPEN = "open", _("in progress")
    SUBMITTED = "submitted", _("submitted")
    TIMED_OUT = "timed_out", _("closed at the deadline")


class Attempt(models.Model):
    test = models.ForeignKey(Test, on_delete=models.CASCADE, related_name="attempts")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField(default=1)
    started_at = models.DateTimeField(auto_now_add=True)
    deadline = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=AttemptStatus.choices, default=AttemptStatus.OPEN)
    # The questions drawn: [{"version": id, "order": [option indexes as shown]}, ...]
    layout = models.JSONField(default=list)
    score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(max_digits=7, decimal_places=2, default=0)
    needs_grading = models.BooleanField(default=False)
    session_key = models.CharField(max_length=64, blank=True)  # one active session per attempt

    class Meta:
        constraints = [models.UniqueConstraint(fields=["test", "student", "number"], name="attempt_number_once")]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return f"{self.test} · {self.student} · {self.number}"


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    position = models.PositiveSmallIntegerField()  # the question's place in the attempt
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    response = models.JSONField(null=True, blank=True)
    flagged = models.BooleanField(default=False)
    saved_at = models.DateTimeField(auto_now=True)
    points = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["attempt", "position"], name="answer_once_per_question")]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.position}"


class EventKind(models.TextChoices):
    STARTED = "started", _("started")
    SAVED = "saved", _("answer saved")
    FOCUS_LOST = "focus_lost", _("left the page")
    FOCUS_BACK = "focus_back", _("came back to the page")
    IP_CHANGED = "ip_changed", _("IP address changed")
    OTHER_DEVICE = "other_device", _("opened on another device")
    TAKEN_OVER = "taken_over", _("taken over in another browser or device")
    SUBMITTED = "submitted", _("submitted")
    TIMED_OUT = "timed_out", _("closed at the deadline")


class AttemptEvent(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=15, choices=EventKind.choices)
    at = models.DateTimeField(auto_now_add=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.attempt_id} {self.kind}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting for its turn")
    READING = "reading", _("reading the file")
    WRITING = "writing", _("saving the questions")
    DONE = "done", _("imported")
    FAILED = "failed", _("not imported")


def bank_import_upload_to(instance: BankImport, filename: str) -> str:
    return f"quizzes/imports/{instance.bank_id}/{filename[-100:]}"


class BankImport(models.Model):
    """A file imported into a bank by the task worker (a large bank takes seconds to read): its progress for the
    page, and the errors by line when nothing was imported. The file is removed once it has been read."""

    bank = models.ForeignKey(Bank, on_delete=models.CASCADE, related_name="imports")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to=bank_import_upload_to, max_length=255, blank=True)
    filename = models.CharField(max_length=255, blank=True)  # as uploaded, for the page
    fmt = models.CharField(max_length=20)
    encoding = models.CharField(max_length=20, default="auto")
    category = models.CharField(max_length=200)
    language = models.CharField(max_length=8, blank=True)  # of the page it came from: its errors are in it
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    lines_read = models.PositiveIntegerField(default=0)
    questions = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [[line, message], ...]

    class Meta:
        indexes = [models.Index(fields=["bank", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.bank_id}: {self.filename} ({self.status})"

    # An import not finished this long after it was queued was lost (the worker stopped): the page says so
    # instead of polling for ever. Reading and writing a bank within the limits takes seconds.
    STALLED_AFTER = datetime.timedelta(minutes=30)

    @property
    def is_stalled(self) -> bool:
        running = self.status in (ImportStatus.QUEUED, ImportStatus.READING, ImportStatus.WRITING)
        return running and timezone.now() - self.created_at > self.STALLED_AFTER

    @property
    def is_running(self) -> bool:
        running = self.status in (ImportStatus.QUEUED, ImportStatus.READING, ImportStatus.WRITING)
        return running and not self.is_stalled
