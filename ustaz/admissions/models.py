"""Admission of distance learners (§3): campaigns with their programmes and places, applications to the
rector with their basis (§1.5), justification and documents, and every change of status kept."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ustaz.academics.models import DltBasis, Programme
from ustaz.core.files import generated_name
from ustaz.live.models import Provider

from .documents import DocumentKind


class Campaign(models.Model):
    title = models.CharField(_("title"), max_length=200)
    opens_on = models.DateField(_("applications from"))
    closes_on = models.DateField(_("applications until"))
    commission = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("admission commission"),
        blank=True,
        related_name="admission_campaigns",
        help_text=_("Its members check this campaign's applications and score its creative exams."),
    )

    class Meta:
        verbose_name = _("admission campaign")
        verbose_name_plural = _("admission campaigns")

    def __str__(self) -> str:
        return self.title


class ScoreRule(models.TextChoices):
    """How a creative exam's score comes from the commission members' scores (a programme's rule)."""

    MEAN = "mean", _("the mean of the members' scores")
    TRIMMED = "trimmed", _("the mean without the highest and the lowest (four members or more)")
    MEDIAN = "median", _("the median of the members' scores")


class Offer(models.Model):
    """A programme in a campaign: its places, its fee, its creative exams."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="offers")
    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="+")
    places = models.PositiveIntegerField(_("places"))
    fee_per_year = models.DecimalField(_("fee per year, tenge"), max_digits=12, decimal_places=2)
    creative_exams = models.TextField(_("creative exams"), blank=True)
    years = models.PositiveSmallIntegerField(_("years of study"), default=4)
    printed_materials_fee = models.DecimalField(
        _("printed materials per year, tenge"),
        max_digits=12,
        decimal_places=2,
        default=0,
        help_text=_("Added to a contract that includes printed case materials (§2.5); electronic ones are free."),
    )
    score_rule = models.CharField(
        _("exam score rule"), max_length=10, choices=ScoreRule.choices, default=ScoreRule.MEAN
    )

    class Meta:
        verbose_name = _("programme offered")
        verbose_name_plural = _("programmes offered")
        constraints = [models.UniqueConstraint(fields=["campaign", "programme"], name="offer_once")]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.programme}"


class Status(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("application status", "draft")
    SUBMITTED = "submitted", pgettext_lazy("application status", "submitted")
    RETURNED = "returned", pgettext_lazy("application status", "returned for corrections")
    CHECKED = "checked", pgettext_lazy("application status", "documents checked")
    EXAMINED = "examined", pgettext_lazy("application status", "examined")
    ADMITTED = "admitted", pgettext_lazy("application status", "admitted")
    REJECTED = "rejected", pgettext_lazy("application status", "not admitted")
    DECLINED = "declined", pgettext_lazy("application status", "declined the place")
    ENROLLED = "enrolled", pgettext_lazy("application status", "enrolled")


class Application(models.Model):
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("applicant"), on_delete=models.CASCADE, related_name="+"
    )
    offer = models.ForeignKey(Offer, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="applications")
    basis = models.CharField(_("basis for distance study (§1.5)"), max_length=30, choices=DltBasis.choices)
    justification = models.TextField(_("why distance study is needed"), blank=True)
    iin = models.CharField(_("IIN"), max_length=12, blank=True)
    citizenship = models.CharField(_("citizenship"), max_length=2, default="KZ")
    country = models.CharField(_("country of residence"), max_length=2, default="KZ")
    city = models.CharField(_("city"), max_length=100, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Almaty")
    previous_education = models.TextField(_("previous education"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    total_score = models.DecimalField(_("competitive score"), max_digits=7, decimal_places=2, null=True, blank=True)
    passed_exams = models.BooleanField(_("passed every creative exam"), default=False)
    decision = models.ForeignKey(
        "Decision",
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    # The contract made at admission (ustaz.contracts, a lower layer: the link is kept here).
    contract = models.OneToOneField(
        "contracts.Contract",
        verbose_name=_("contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application",
    )

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [models.UniqueConstraint(fields=["applicant", "offer"], name="application_once_per_offer")]

    def __str__(self) -> str:
        return f"{self.applicant} → {self.offer}"


def document_upload_to(instance: ApplicationDocument, filename: str) -> str:
    # Stored under a generated name; the name the file came with is kept (cleaned) in `name`.
    return f"admissions/{instance.application_id}/{generated_name(filename)}"


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("not checked yet")
    ACCEPTED = "accepted", _("accepted")
    RETURNED = "returned", _("returned")


class ApplicationDocument(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=30, choices=DocumentKind.choices)
    file = models.FileField(upload_to=document_upload_to, max_length=255)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    status = models.CharField(max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.PENDING)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"


class StatusChange(models.Model):
    """The application's history: who changed its status, when and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="history")
    old = models.CharField(max_length=10, choices=Status.choices, blank=True)
    new = models.CharField(max_length=10, choices=Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.old} → {self.new}"


# --- Creative exams (§3.3) -----------------------------------------------------------------------------------


class ExamFormat(models.TextChoices):
    ONLINE = "online", _("online, by videoconference")
    IN_PERSON = "in_person", _("in person")
    RECORDING = "recording", _("a submitted recording")


class CreativeExam(models.Model):
    offer = models.ForeignKey(Offer, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="exams")
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    format = models.CharField(_("form"), max_length=10, choices=ExamFormat.choices, default=ExamFormat.ONLINE)
    provider = models.CharField(_("conference"), max_length=10, choices=Provider.choices, blank=True)
    link = models.URLField(_("conference link"), max_length=500, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"), help_text=_("For a recording: the last moment to send it."))
    duration_minutes = models.PositiveSmallIntegerField(_("duration, minutes"), default=120)
    pass_score = models.DecimalField(_("pass score"), max_digits=6, decimal_places=2, default=0)
    published_at = models.DateTimeField(_("results published"), null=True, blank=True)

    class Meta:
        verbose_name = _("creative exam")
        verbose_name_plural = _("creative exams")
        ordering = ["offer", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def meeting_id(self) -> str:
        return f"ustaz-admission-exam-{self.pk}"


class Criterion(models.Model):
    exam = models.ForeignKey(CreativeExam, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=200)
    max_points = models.DecimalField(_("maximum points"), max_digits=5, decimal_places=1)
    position = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["exam", "position", "pk"]

    def __str__(self) -> str:
        return self.name


class ExamScore(models.Model):
    """One commission member's points for one criterion of one applicant."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="exam_scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(max_digits=5, decimal_places=1)
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "criterion", "member"], name="exam_score_once"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}/{self.criterion_id}/{self.member_id}: {self.points}"


class ExamResult(models.Model):
    """An applicant's score on an exam, computed by the programme's rule when the results are published."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="exam_results")
    exam = models.ForeignKey(CreativeExam, on_delete=models.CASCADE, related_name="results")
    score = models.DecimalField(max_digits=6, decimal_places=2)
    members = models.PositiveSmallIntegerField()
    passed = models.BooleanField()

    class Meta:
        ordering = ["exam__position", "exam_id"]
        constraints = [models.UniqueConstraint(fields=["application", "exam"], name="exam_result_once")]

    def __str__(self) -> str:
        return f"{self.application_id}/{self.exam_id}: {self.score}"


def recording_upload_to(instance: ExamRecording, filename: str) -> str:
    return f"admissions/{instance.application_id}/exams/{generated_name(filename)}"


class ExamRecording(models.Model):
    """The applicant's performance sent as a recording (audio, video or a scan of drawings)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="exam_recordings")
    exam = models.ForeignKey(CreativeExam, on_delete=models.CASCADE, related_name="recordings")
    file = models.FileField(upload_to=recording_upload_to, max_length=255)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "exam"], name="exam_recording_once")]

    def __str__(self) -> str:
        return self.name


# --- Decisions (the rector's order) ------------------------------------------------------------------------


class Decision(models.Model):
    offer = models.ForeignKey(Offer, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="decisions")
    order_number = models.CharField(_("order number"), max_length=40, unique=True)
    order_date = models.DateField(_("order date"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("admission decision")
        verbose_name_plural = _("admission decisions")

    def __str__(self) -> str:
        return self.order_number
