"""Individual study plans (issue 22, item 2; docs/decisions/0013-study-plans.md).

The academic office opens an elective window for an academic year (the year the choice is for). In it each
studying student gets a plan for that year: every line of their curriculum in force falling in the year's two
terms (compulsory lines added by the platform, electives chosen by the student per elective group), plus the
exams retaken after FX and the disciplines studied again after F, from their gradebook. The student submits
it; their group's adviser approves it or returns it with a reason. Approved plans are what the term's courses
and enrolments are made from.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ustaz.academics.models import AcademicYear, Course, Discipline, Programme, Term, TermKind
from ustaz.curricula.models import Curriculum, CurriculumLine, ElectiveGroup


class ElectiveWindow(models.Model):
    """The days in which students choose their electives for an academic year, for all programmes (none
    chosen) or for the programmes chosen."""

    academic_year = models.ForeignKey(
        AcademicYear, verbose_name=_("academic year of the plans"), on_delete=models.PROTECT, related_name="+"
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"), help_text=_("The last day students may submit their plans."))
    programmes = models.ManyToManyField(
        Programme,
        verbose_name=_("programmes"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty for every programme."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("elective window")
        verbose_name_plural = _("elective windows")
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")), name="window_dates_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.academic_year} ({self.opens_on:%d.%m.%Y}–{self.closes_on:%d.%m.%Y})"

    def is_open(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.opens_on <= day <= self.closes_on


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Being chosen")
    SUBMITTED = "submitted", _("Submitted to the adviser")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")


class StudyPlan(models.Model):
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("student"), on_delete=models.CASCADE, related_name="study_plans"
    )
    academic_year = models.ForeignKey(
        AcademicYear, verbose_name=_("academic year"), on_delete=models.PROTECT, related_name="+"
    )
    curriculum = models.ForeignKey(Curriculum, verbose_name=_("curriculum"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("individual study plan")
        verbose_name_plural = _("individual study plans")
        ordering = ["-academic_year__starts_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["student", "academic_year"], name="study_plan_once_a_year")]

    def __str__(self) -> str:
        return f"{self.student} {self.academic_year}"

    @property
    def is_editable(self) -> bool:
        return self.status in (PlanStatus.DRAFT, PlanStatus.RETURNED)


class PlanLineKind(models.TextChoices):
    CURRICULUM = "curriculum", _("Curriculum")
    RETAKE = "retake", _("Exam retaken (FX)")
    RESTUDY = "restudy", _("Studied again (F)")


class PlanLine(models.Model):
    """One discipline (or practice, or form of the final attestation) of a plan, in one term of its year."""

    # Set by plans.selectors for a page (not stored).
    title: str

    plan = models.ForeignKey(StudyPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("kind"), max_length=10, choices=PlanLineKind.choices, default=PlanLineKind.CURRICULUM)
    curriculum_line = models.ForeignKey(
        CurriculumLine,
        verbose_name=_("curriculum line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    elective_group = models.ForeignKey(
        ElectiveGroup,
        verbose_name=_("elective group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    discipline = models.ForeignKey(
        Discipline, verbose_name=_("discipline"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The curriculum's term (1, 2, ...) and the calendar term of the plan's year it falls in.
    term_number = models.PositiveSmallIntegerField(_("term of the curriculum"))
    term_kind = models.CharField(_("term"), max_length=10, choices=TermKind.choices)
    credits = models.PositiveSmallIntegerField(_("credits"))
    # 1 for a first study; for a retake the exam's attempt, for a discipline studied again the study's.
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    failed_course = models.ForeignKey(
        Course, verbose_name=_("failed course"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("line of a study plan")
        verbose_name_plural = _("lines of study plans")
        ordering = ["term_number", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "curriculum_line"],
                condition=models.Q(curriculum_line__isnull=False),
                name="plan_line_curriculum_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.term_number}: {self.discipline_id}"


class PlannedCourse(models.Model):
    """A course made from the approved plans: one per discipline and term, so applying the plans again finds it
    instead of making a second one."""

    course = models.OneToOneField(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="+")
    discipline = models.ForeignKey(Discipline, verbose_name=_("discipline"), on_delete=models.PROTECT, related_name="+")
    curriculum_line = models.ForeignKey(
        CurriculumLine,
        verbose_name=_("curriculum line"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("course made from plans")
        verbose_name_plural = _("courses made from plans")
        constraints = [
            models.UniqueConstraint(fields=["term", "discipline"], name="planned_course_once_a_term"),
        ]

    def __str__(self) -> str:
        return str(self.course_id)
