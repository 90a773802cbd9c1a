"""Curricula (working study plans): per programme and year of admission, in versions.

A curriculum is drafted by the academic office, approved, and then read-only; a later change is a new version
drafted from the one in force. Its lines are what individual study plans and status orders will refer to: a
discipline, a practice or a form of the final attestation, in a term, with its credits (docs/decisions/0011).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ustaz.academics.models import Discipline, Programme
from ustaz.core.i18n import TranslatedNameModel


class CurriculumStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved, in force")
    SUPERSEDED = "superseded", _("Superseded by a later version")


class Curriculum(models.Model):
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="curricula"
    )
    admission_year = models.PositiveSmallIntegerField(_("year of admission"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    terms = models.PositiveSmallIntegerField(_("terms"))
    status = models.CharField(
        _("status"), max_length=12, choices=CurriculumStatus.choices, default=CurriculumStatus.DRAFT
    )
    based_on = models.ForeignKey(
        "self", verbose_name=_("based on"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("curriculum")
        verbose_name_plural = _("curricula")
        ordering = ["programme__code", "-admission_year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "admission_year", "version"], name="curriculum_unique_version"
            ),
            # One version in force and at most one draft per programme and year of admission.
            models.UniqueConstraint(
                fields=["programme", "admission_year"],
                condition=models.Q(status="approved"),
                name="curriculum_one_in_force",
            ),
            models.UniqueConstraint(
                fields=["programme", "admission_year"],
                condition=models.Q(status="draft"),
                name="curriculum_one_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} {self.admission_year} v{self.version}"

    @property
    def is_draft(self) -> bool:
        return self.status == CurriculumStatus.DRAFT


class Cycle(models.TextChoices):
    GENERAL = "general", _("General education disciplines")
    BASIC = "basic", _("Basic disciplines")
    PROFILING = "profiling", _("Profiling disciplines")
    FINAL_ATTESTATION = "final_attestation", _("Final attestation")


class Component(models.TextChoices):
    COMPULSORY = "compulsory", _("Compulsory component")
    UNIVERSITY = "university", _("University component")
    ELECTIVE = "elective", _("Elective component")


class Control(models.TextChoices):
    EXAM = "exam", _("Exam")
    DIFFERENTIATED_CREDIT = "differentiated_credit", _("Differentiated credit")
    COURSE_WORK = "course_work", _("Course work")


class LineKind(models.TextChoices):
    DISCIPLINE = "discipline", _("Discipline")
    PRACTICE = "practice", _("Practice")
    ATTESTATION = "attestation", _("Final attestation")


class PracticeKind(models.TextChoices):
    EDUCATIONAL = "educational", _("Educational practice")
    PRODUCTION = "production", _("Production practice")
    PRE_DIPLOMA = "pre_diploma", _("Pre-diploma practice")


class AttestationForm(models.TextChoices):
    THESIS = "thesis", _("Defence of a thesis or project")
    COMPREHENSIVE_EXAM = "comprehensive_exam", _("Comprehensive exam")
    CREATIVE_EXAM = "creative_exam", _("Creative exam or performance")


class ElectiveGroup(TranslatedNameModel):
    """Disciplines of one term of which the student chooses so many credits."""

    # Set by curricula.selectors for a page (not stored).
    options: list
    cycle_label: str

    curriculum = models.ForeignKey(
        Curriculum, verbose_name=_("curriculum"), on_delete=models.CASCADE, related_name="elective_groups"
    )
    code = models.CharField(_("code"), max_length=20)
    term = models.PositiveSmallIntegerField(_("term"))
    cycle = models.CharField(_("cycle"), max_length=20, choices=Cycle.choices)
    credits_to_choose = models.PositiveSmallIntegerField(_("credits to choose"))

    class Meta:
        verbose_name = _("elective group")
        verbose_name_plural = _("elective groups")
        ordering = ["term", "code"]
        constraints = [models.UniqueConstraint(fields=["curriculum", "code"], name="elective_group_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CurriculumLine(models.Model):
    """A discipline, a practice or a form of the final attestation in one term of a curriculum."""

    # Set by curricula.selectors for a page (not stored).
    label: str
    cycle_label: str
    control_label: str
    component_label: str

    curriculum = models.ForeignKey(
        Curriculum, verbose_name=_("curriculum"), on_delete=models.CASCADE, related_name="lines"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=LineKind.choices, default=LineKind.DISCIPLINE)
    term = models.PositiveSmallIntegerField(_("term"))
    discipline = models.ForeignKey(
        Discipline,
        verbose_name=_("discipline"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="curriculum_lines",
    )
    credits = models.PositiveSmallIntegerField(_("credits (ECTS)"))
    cycle = models.CharField(_("cycle"), max_length=20, choices=Cycle.choices)
    component = models.CharField(_("component"), max_length=12, choices=Component.choices, blank=True)
    control = models.CharField(_("kind of control"), max_length=24, choices=Control.choices, blank=True)
    elective_group = models.ForeignKey(
        ElectiveGroup,
        verbose_name=_("elective group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="lines",
    )
    practice_kind = models.CharField(_("kind of practice"), max_length=12, choices=PracticeKind.choices, blank=True)
    weeks = models.PositiveSmallIntegerField(_("weeks"), null=True, blank=True)
    attestation_form = models.CharField(
        _("form of attestation"), max_length=20, choices=AttestationForm.choices, blank=True
    )

    class Meta:
        verbose_name = _("curriculum line")
        verbose_name_plural = _("curriculum lines")
        ordering = ["term", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["curriculum", "term", "discipline"],
                condition=models.Q(discipline__isnull=False),
                name="curriculum_line_discipline_once_a_term",
            )
        ]

    def __str__(self) -> str:
        return f"{self.term}: {self.title}"

    @property
    def title(self) -> str:
        if self.kind == LineKind.PRACTICE:
            label = self.get_practice_kind_display()
            return f"{label}: {self.discipline.name}" if self.discipline_id else label
        if self.kind == LineKind.ATTESTATION:
            return str(self.get_attestation_form_display())
        return self.discipline.name if self.discipline_id else ""
