import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    ACCOUNT_ISSUED = "account.issued", _("Account issued")
    ACCOUNTS_IMPORTED = "account.imported", _("Accounts imported")
    ROLE_GRANTED = "role.granted", _("Role granted")
    ROLE_REVOKED = "role.revoked", _("Role removed")
    ACCOUNT_CHANGE_REFUSED = "account.refused", _("Account change refused")
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
    DLT_BASIS_CHANGED = "academics.basis_changed", _("Student's DLT basis changed")
    DLT_BASIS_DOCUMENT = "academics.basis_document", _("Document of a student's DLT basis saved")
    RESTRICTIVE_MEASURE_CREATED = "academics.measure_created", _("Restrictive measures switched on")
    RESTRICTIVE_MEASURE_ENDED = "academics.measure_ended", _("Restrictive measures ended early")
    GROUP_ADVISER_SET = "academics.adviser_set", _("Group's adviser set")
    STATUS_ORDER_ISSUED = "records.order_issued", _("Order on students issued")
    STATUS_ORDER_APPLIED = "records.order_applied", _("Order on students applied")
    STUDENT_STATUS_CHANGED = "records.status_changed", _("Student's status or record changed by an order")
    CONTRACT_MADE = "contracts.made", _("Study contract made")
    CONTRACT_ADDENDUM = "contracts.addendum", _("Addendum to a study contract recorded")
    REFUND_RECORDED = "contracts.refund", _("Tuition refund recorded")
    DISCOUNT_GRANTED = "contracts.discount", _("Tuition discount recorded")
    STUDY_PLAN_SUBMITTED = "plans.submitted", _("Individual study plan submitted")
    STUDY_PLAN_APPROVED = "plans.approved", _("Individual study plan approved")
    STUDY_PLAN_RETURNED = "plans.returned", _("Individual study plan returned")
    STUDY_PLAN_REOPENED = "plans.reopened", _("Individual study plan reopened")
    STUDY_PLANS_APPLIED = "plans.applied", _("Courses and enrolments made from study plans")
    ELECTIVE_WINDOW_SAVED = "plans.window", _("Elective window opened or changed")
    APPEAL_COMMISSION_SET = "grades.appeal_commission", _("Appeal commission set")
    APPEAL_DECIDED = "grades.appeal_decided", _("Appeal decided")
    ATTESTATION_COMMISSION_SAVED = "attestation.commission", _("Attestation commission saved")
    ATTESTATION_MEMBER_ADDED = "attestation.member_added", _("Member added to an attestation commission")
    ATTESTATION_MEMBER_REMOVED = "attestation.member_removed", _("Member removed from an attestation commission")
    ATTESTATION_CONFLICT_DECLARED = "attestation.conflict", _("Conflict of interest declared")
    ATTESTATION_STUDENT_SAVED = "attestation.student", _("Student's final attestation saved")


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


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", _("waiting to start")
    CHECKING = "checking", _("checking the rows")
    APPLYING = "applying", _("saving")
    DONE = "done", _("done")
    FAILED = "failed", _("refused")


class ImportJob(models.Model):
    """A large import (accounts, students) stored, checked and applied by a background task, all or nothing;
    its page shows the progress (rows checked of the total), then the result or the errors by line."""

    kind = models.CharField(_("kind"), max_length=40)
    # The function that checks and applies the file (set by code, never from a request).
    runner = models.CharField(max_length=200)
    params = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    filename = models.CharField(_("file"), max_length=200)
    # The upload, kept only until the job has run (bounded by USTAZ_IMPORT_MAX_BYTES).
    content = models.BinaryField(default=b"")
    status = models.CharField(
        _("status"), max_length=10, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    checked = models.PositiveIntegerField(_("rows checked"), default=0)
    applied = models.PositiveIntegerField(_("rows saved"), default=0)
    errors = models.JSONField(default=list, blank=True)
    result = models.JSONField(default=dict, blank=True)
    # Issued one-time passwords, encrypted, until the person who started the job collects them once.
    sealed = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.filename}"

    # A job not finished by then was lost with its worker (killed and restarted): the task is not delivered
    # again, and the import's single write transaction saved nothing of it.
    STALLED_AFTER = datetime.timedelta(minutes=30)

    @property
    def finished(self) -> bool:
        return self.status in (ImportJobStatus.DONE, ImportJobStatus.FAILED)

    @property
    def is_stalled(self) -> bool:
        return not self.finished and timezone.now() - self.created_at > self.STALLED_AFTER

    @property
    def percent(self) -> int:
        if not self.total:
            return 0
        if self.status == ImportJobStatus.APPLYING:
            return 50 + 50 * min(self.applied, self.total) // self.total
        return 50 * min(self.checked, self.total) // self.total
