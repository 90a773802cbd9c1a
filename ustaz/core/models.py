from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    ACCOUNT_ISSUED = "account.issued", _("Account issued")
    ACCOUNTS_IMPORTED = "account.imported", _("Accounts imported")
    ROLE_GRANTED = "role.granted", _("Role granted")
    ROLE_REVOKED = "role.revoked", _("Role removed")
    PASSWORD_RESET = "password.reset", _("Password reset")
    PASSWORD_REISSUED = "password.reissued", _("One-time password issued again")
    PASSWORD_CHANGED = "password.changed", _("Password changed")
    LOGIN = "login.succeeded", _("Logged in")
    LOGIN_FAILED = "login.failed", _("Failed login")
    MFA_ENABLED = "mfa.enabled", _("Two-factor authentication enabled")
    MFA_DISABLED = "mfa.disabled", _("Two-factor authentication disabled")
    MATERIAL_DELETED = "material.deleted", _("Material deleted")
    EXAM_RETAKE_OPENED = "grades.retake_opened", _("Exam retake opened")
    RESTUDY_ENROLLED = "grades.restudy_enrolled", _("Enrolled to study a discipline again")
    QUIZ_REGRADED = "quizzes.regraded", _("Test question regraded")
    EXAM_RESULTS_PUBLISHED = "admissions.exam_published", _("Creative exam results published")
    ADMISSION_DECIDED = "admissions.decided", _("Admission decision recorded")
    PAYMENT_RECORDED = "admissions.payment", _("Tuition payment recorded")
    STATEMENT_IMPORTED = "admissions.statement", _("Bank statement imported")
    STUDENT_ENROLLED = "admissions.enrolled", _("Applicant enrolled as a student")
    CURRICULUM_APPROVED = "curricula.approved", _("Curriculum approved")
    CURRICULUM_VERSION_MADE = "curricula.version", _("New version of a curriculum drafted")
    CURRICULUM_IMPORTED = "curricula.imported", _("Curriculum imported")


class AuditEvent(models.Model):
    """One security-relevant action: who did it, to whom or what, when, from where."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=40, choices=AuditAction.choices, db_index=True)
    target_type = models.CharField(_("object type"), max_length=60, blank=True)
    target_id = models.CharField(_("object id"), max_length=60, blank=True)
    target_repr = models.CharField(_("object"), max_length=300, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.target_repr}"


class ScheduledRun(models.Model):
    """One run of a daily job of the SCHEDULE setting: the unique day lets only one clock process start it,
    however many run."""

    name = models.CharField(_("job"), max_length=200)
    day = models.DateField(_("day"))
    started_at = models.DateTimeField(_("started"), auto_now_add=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [models.UniqueConstraint(fields=["name", "day"], name="scheduled_run_once_a_day")]

    def __str__(self) -> str:
        return f"{self.name} {self.day}"
