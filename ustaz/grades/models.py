from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ustaz.academics.models import Course, Discipline, Programme, Term


class ItemKind(models.TextChoices):
    CURRENT = "current", _("Current control")
    MIDTERM = "midterm", _("Midterm control")
    EXAM = "exam", _("Exam")


class Period(models.IntegerChoices):
    """Current control and midterms belong to the first (weeks 1-7, RK1) or second (weeks 8-15, RK2) rating."""

    FIRST = 1, _("Rating 1 (weeks 1-7)")
    SECOND = 2, _("Rating 2 (weeks 8-15)")


class Column(models.Model):
    """What a journal column and a scheme's column share: kind, rating, title, maximum and weight."""

    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    period = models.PositiveSmallIntegerField(_("rating"), choices=Period.choices, null=True, blank=True)
    title = models.CharField(_("title"), max_length=120)
    max_points = models.DecimalField(
        _("maximum points"),
        max_digits=5,
        decimal_places=1,
        default=Decimal(100),
        validators=[MinValueValidator(Decimal("0.1"))],
    )
    weight = models.DecimalField(
        _("weight within current control"),
        max_digits=4,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    class Meta:
        abstract = True


class GradeItem(Column):
    """A column of the course's journal: a current-control task, a midterm control or the exam."""

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="grade_items")
    position = models.PositiveIntegerField(_("position"), default=0)
    entry_until = models.DateField(
        _("entries until"),
        null=True,
        blank=True,
        help_text=_("After this day only the academic office changes the column (rules.md: ten days)."),
    )
    is_locked = models.BooleanField(
        _("locked"), default=False, help_text=_("A locked column is changed only with the academic office's approval.")
    )
    attempt = models.PositiveSmallIntegerField(
        _("attempt"), default=1, help_text=_("1 for the exam; 2 and on for the retakes of students with FX.")
    )

    class Meta:
        verbose_name = _("journal column")
        verbose_name_plural = _("journal columns")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="exam", period__isnull=True)
                | models.Q(period__in=[1, 2]) & ~models.Q(kind="exam"),
                name="grade_item_period_matches_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(attempt=1) | models.Q(kind="exam", attempt__gt=1),
                name="grade_item_retake_is_an_exam",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        """Closed to the teacher: locked by hand, or past its entry date (in the University's time zone)."""
        from django.utils import timezone

        return self.is_locked or (self.entry_until is not None and timezone.localdate() > self.entry_until)


class GradingScheme(models.Model):
    """The academic office's journal scheme for a discipline or for a programme's courses. A course's
    journal starts from its discipline's scheme, else its groups' programme's, else rules.md's default."""

    name = models.CharField(_("name"), max_length=120)
    discipline = models.OneToOneField(
        Discipline,
        verbose_name=_("discipline"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="grading_scheme",
    )
    programme = models.OneToOneField(
        Programme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="grading_scheme",
    )

    class Meta:
        verbose_name = _("grading scheme")
        verbose_name_plural = _("grading schemes")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(discipline__isnull=False, programme__isnull=True)
                | models.Q(discipline__isnull=True, programme__isnull=False),
                name="grading_scheme_for_discipline_or_programme",
                violation_error_message=_("A scheme is for a discipline or for a programme: choose one of them."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class SchemeItem(Column):
    """A column of a grading scheme; `week` sets its entry date by the ten-day rule of rules.md."""

    scheme = models.ForeignKey(
        GradingScheme, verbose_name=_("grading scheme"), on_delete=models.CASCADE, related_name="items"
    )
    week = models.PositiveSmallIntegerField(
        _("week"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("The week of the term its marks belong to: entries close on the Wednesday of the next week."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("scheme column")
        verbose_name_plural = _("scheme columns")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="exam", period__isnull=True)
                | models.Q(period__in=[1, 2]) & ~models.Q(kind="exam"),
                name="scheme_item_period_matches_kind",
                violation_error_message=_("The exam has no rating; every other column belongs to rating 1 or 2."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class GradeSource(models.TextChoices):
    JOURNAL = "journal", _("Journal")
    IMPORT = "import", _("Import")
    QUIZ = "quiz", _("Test")
    ASSIGNMENT = "assignment", _("Assignment")
    APPEAL = "appeal", _("Appeal")
    ATTESTATION = "attestation", _("Attestation")
    PRACTICE = "practice", _("Practice")


class Grade(models.Model):
    """A student's points for one journal column. Written only by grades.services.grade_post."""

    item = models.ForeignKey(
        GradeItem, verbose_name=_("journal column"), on_delete=models.CASCADE, related_name="grades"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("student"), on_delete=models.CASCADE, related_name="grades"
    )
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("posted by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    posted_at = models.DateTimeField(_("posted"), auto_now=True)
    source = models.CharField(_("source"), max_length=20, choices=GradeSource.choices)

    class Meta:
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        constraints = [models.UniqueConstraint(fields=["item", "student"], name="grade_unique_item_student")]

    def __str__(self) -> str:
        return f"{self.student_id} {self.item_id}: {self.points}"


class GradeChange(models.Model):
    """Every change of a grade: who, when, old value, new value, why and through what."""

    item = models.ForeignKey(
        GradeItem, verbose_name=_("journal column"), on_delete=models.CASCADE, related_name="changes"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("student"), on_delete=models.CASCADE, related_name="+"
    )
    old_points = models.DecimalField(_("old value"), max_digits=5, decimal_places=1, null=True, blank=True)
    new_points = models.DecimalField(_("new value"), max_digits=5, decimal_places=1, null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True, db_index=True)
    source = models.CharField(_("source"), max_length=20, choices=GradeSource.choices)
    source_ref = models.CharField(_("from where"), max_length=200, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("grade change")
        verbose_name_plural = _("grade changes")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.old_points} → {self.new_points}"


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the commission")
    GRANTED = "granted", _("Granted")
    REJECTED = "rejected", _("Rejected")


class Appeal(models.Model):
    """A student's appeal of an exam grade (rules.md: within one working day of its publication)."""

    item = models.ForeignKey(
        GradeItem, verbose_name=_("journal column"), on_delete=models.CASCADE, related_name="appeals"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("student"), on_delete=models.CASCADE, related_name="appeals"
    )
    points_appealed = models.DecimalField(_("appealed grade"), max_digits=5, decimal_places=1)
    grounds = models.TextField(_("grounds"), help_text=_("Name the questions or parts and justify each."))
    filed_at = models.DateTimeField(_("filed"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.PENDING)
    decision = models.TextField(_("the commission's decision"), blank=True)
    new_points = models.DecimalField(_("new grade"), max_digits=5, decimal_places=1, null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["filed_at"]
        constraints = [models.UniqueConstraint(fields=["item", "student"], name="appeal_once_per_exam")]

    def __str__(self) -> str:
        return f"{self.student_id} {self.item_id} {self.status}"


class AppealCommission(models.Model):
    """The appeal commission of one programme and term (rules.md: it decides appeals within one working day and
    records a protocol). Members hold the APPEAL_COMMISSION role; the academic office sets them."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="appeal_commissions"
    )
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="appeal_commissions")
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chair"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), related_name="appeal_commissions", blank=True
    )

    class Meta:
        verbose_name = _("appeal commission")
        verbose_name_plural = _("appeal commissions")
        ordering = ["-term__starts_on", "programme__code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "term"], name="appeal_commission_once_per_programme_term")
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.term}"
