"""Final attestation (§4.3; rules.md "Final attestation"; docs/decisions/0018-final-attestation.md).

One commission per programme and academic year: a chair from outside the University, members and a secretary,
its composition approved by an order. Each graduating student has an attestation: its form (from the
curriculum's lines of kind "attestation"), the topic of a thesis, a supervisor and a reviewer. Sittings,
scoring and protocols come later (issue 15, items 3-6).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ustaz.academics.models import Programme
from ustaz.curricula.models import AttestationForm


class Commission(models.Model):
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="attestation_commissions"
    )
    # The year the academic year starts in: 2026 for 2026/2027.
    academic_year = models.PositiveSmallIntegerField(_("academic year"))
    first_sitting_on = models.DateField(_("first sitting"), null=True, blank=True)
    order_number = models.CharField(_("number of the order approving the composition"), max_length=40, blank=True)
    order_date = models.DateField(_("date of the order approving the composition"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("attestation commission")
        verbose_name_plural = _("attestation commissions")
        ordering = ["-academic_year", "programme__code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "academic_year"], name="attestation_commission_once")
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} {self.academic_year}/{self.academic_year + 1}"


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    MEMBER = "member", _("Member")
    SECRETARY = "secretary", _("Secretary")


# The chair and the members judge and count for the quorum; the secretary keeps the protocol.
VOTING_ROLES = (MemberRole.CHAIR, MemberRole.MEMBER)


class CommissionMember(models.Model):
    commission = models.ForeignKey(
        Commission, verbose_name=_("commission"), on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="attestation_memberships",
    )
    role = models.CharField(_("role in the commission"), max_length=10, choices=MemberRole.choices)
    is_external = models.BooleanField(_("from outside the University"), default=False)
    position = models.CharField(_("position and place of work"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("commission member")
        verbose_name_plural = _("commission members")
        ordering = ["role", "person__last_name", "person__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["commission", "person"], name="attestation_member_once"),
            models.UniqueConstraint(
                fields=["commission"], condition=models.Q(role="chair"), name="attestation_one_chair"
            ),
            models.UniqueConstraint(
                fields=["commission"], condition=models.Q(role="secretary"), name="attestation_one_secretary"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"

    @property
    def votes(self) -> bool:
        return self.role in VOTING_ROLES


class AttestationState(models.TextChoices):
    PREPARING = "preparing", _("Preparing")
    ATTESTED = "attested", _("Attested")
    FAILED = "failed", _("Failed")
    ABSENT = "absent", _("Absent")


class StudentAttestation(models.Model):
    commission = models.ForeignKey(
        Commission, verbose_name=_("commission"), on_delete=models.PROTECT, related_name="attestations"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.PROTECT,
        related_name="final_attestations",
    )
    form = models.CharField(_("form of attestation"), max_length=20, choices=AttestationForm.choices)
    topic = models.CharField(_("topic"), max_length=500, blank=True)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    supervisor_name = models.CharField(_("supervisor from outside the University"), max_length=255, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewer_name = models.CharField(_("reviewer from outside the University"), max_length=255, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=AttestationState.choices, default=AttestationState.PREPARING
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("student's final attestation")
        verbose_name_plural = _("students' final attestations")
        ordering = ["student__last_name", "student__first_name", "form"]
        constraints = [
            models.UniqueConstraint(fields=["commission", "student", "form"], name="attestation_form_once"),
        ]

    def __str__(self) -> str:
        return f"{self.student}: {self.get_form_display()}"

    @property
    def supervisor_label(self) -> str:
        return self.supervisor.full_name if self.supervisor_id else self.supervisor_name

    @property
    def reviewer_label(self) -> str:
        return self.reviewer.full_name if self.reviewer_id else self.reviewer_name


class Conflict(models.Model):
    """A member's declared conflict of interest with a student: the member steps aside for that student."""

    member = models.ForeignKey(
        CommissionMember, verbose_name=_("member"), on_delete=models.CASCADE, related_name="conflicts"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("student"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=1000)
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [models.UniqueConstraint(fields=["member", "student"], name="attestation_conflict_once")]

    def __str__(self) -> str:
        return f"{self.member.person} — {self.student}"
