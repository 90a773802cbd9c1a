"""Orders that change a student's status (rules.md "Study plans and a student's status"; docs/decisions/
0014-status-orders.md).

An order is drafted by the academic office, issued with a number (unique within the calendar year of its
date) and applied on the day it takes effect: at once when that day has come, otherwise by the daily job. Each
student it covers is an item with what changes for them; applying an item writes the student's record and one
history entry (what changed from and to, by which order), from which the status on any day is derived.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ustaz.academics.models import Delivery, DltBasis, Programme, StudentRecord, StudentStatus, StudyGroup


class OrderKind(models.TextChoices):
    ENROLMENT = "enrolment", _("Enrolment")
    TRANSFER = "transfer", _("Transfer")
    LEAVE = "leave", _("Academic leave")
    RETURN = "return", _("Return from academic leave")
    EXPULSION = "expulsion", _("Expulsion")
    REINSTATEMENT = "reinstatement", _("Reinstatement")
    GRADUATION = "graduation", _("Graduation")


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued, waiting for its date")
    APPLIED = "applied", _("Applied")


class LeaveReason(models.TextChoices):
    HEALTH = "health", _("Health")
    MILITARY = "military", _("Military service")
    CHILDCARE = "childcare", _("Childbirth and childcare")
    OTHER = "other", _("Other")


class ExpulsionReason(models.TextChoices):
    OWN_WISH = "own_wish", _("At the student's own wish")
    ACADEMIC_DEBT = "academic_debt", _("Academic debt")
    UNPAID = "unpaid", _("Contract not paid")
    RULES = "rules", _("Breach of the University's rules")
    OTHER = "other", _("Other")


# The status a student must have for an order of each kind, and the status it gives.
STATUS_BEFORE: dict[str, tuple[str, ...]] = {
    OrderKind.ENROLMENT: (),
    OrderKind.TRANSFER: (StudentStatus.ACTIVE, StudentStatus.ACADEMIC_LEAVE),
    OrderKind.LEAVE: (StudentStatus.ACTIVE,),
    OrderKind.RETURN: (StudentStatus.ACADEMIC_LEAVE,),
    OrderKind.EXPULSION: (StudentStatus.ACTIVE, StudentStatus.ACADEMIC_LEAVE),
    OrderKind.REINSTATEMENT: (StudentStatus.EXPELLED,),
    OrderKind.GRADUATION: (StudentStatus.ACTIVE,),
}
STATUS_AFTER: dict[str, str | None] = {
    OrderKind.ENROLMENT: StudentStatus.ACTIVE,
    OrderKind.TRANSFER: None,  # unchanged
    OrderKind.LEAVE: StudentStatus.ACADEMIC_LEAVE,
    OrderKind.RETURN: StudentStatus.ACTIVE,
    OrderKind.EXPULSION: StudentStatus.EXPELLED,
    OrderKind.REINSTATEMENT: StudentStatus.ACTIVE,
    OrderKind.GRADUATION: StudentStatus.GRADUATED,
}


class Order(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=OrderKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.DRAFT)
    # Empty while a draft; unique within the calendar year of the order's date once issued.
    number = models.CharField(_("order number"), max_length=40, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, editable=False)
    order_date = models.DateField(_("date of the order"))
    effective_on = models.DateField(_("takes effect on"))
    signed_by = models.CharField(_("signed by"), max_length=200, help_text=_("Position and name of the signatory."))
    text = models.TextField(_("text of the order"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drafted by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("drafted"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-order_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "number"], condition=~models.Q(number=""), name="records_order_number_per_year"
            )
        ]
        indexes = [models.Index(fields=["status", "effective_on"])]

    def __str__(self) -> str:
        return self.number or str(_("draft order"))


class OrderItem(models.Model):
    """One student covered by an order, with what changes for them."""

    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="items")
    record = models.ForeignKey(
        StudentRecord, verbose_name=_("student"), on_delete=models.PROTECT, related_name="order_items"
    )
    # Transfer (any of these) and reinstatement (the group).
    to_group = models.ForeignKey(
        StudyGroup, verbose_name=_("to group"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_programme = models.ForeignKey(
        Programme, verbose_name=_("to programme"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_delivery = models.CharField(_("to delivery technology"), max_length=10, choices=Delivery.choices, blank=True)
    to_dlt_basis = models.CharField(_("to DLT basis"), max_length=30, choices=DltBasis.choices, blank=True)
    # Academic leave.
    leave_reason = models.CharField(_("reason for leave"), max_length=20, choices=LeaveReason.choices, blank=True)
    leave_until = models.DateField(_("on leave until"), null=True, blank=True)
    # Expulsion.
    expulsion_reason = models.CharField(
        _("reason for expulsion"), max_length=20, choices=ExpulsionReason.choices, blank=True
    )
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    # Why the item could not be applied on its date (the student's status had changed meanwhile).
    refusal = models.CharField(_("not applied because"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("student in an order")
        verbose_name_plural = _("students in orders")
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["order", "record"], name="records_item_once_per_order")]

    def __str__(self) -> str:
        return f"{self.order} · {self.record_id}"


class HistoryEntry(models.Model):
    """What an applied order changed in a student's record (one entry per item, never two)."""

    # Set by records.selectors for a page (not stored).
    status_to_label: str  # a translated label (lazy)
    status_from_label: str
    extract_readable: bool = False
    change_list: list

    record = models.ForeignKey(
        StudentRecord, verbose_name=_("student"), on_delete=models.CASCADE, related_name="history"
    )
    item = models.OneToOneField(OrderItem, verbose_name=_("order"), on_delete=models.PROTECT, related_name="entry")
    effective_on = models.DateField(_("takes effect on"))
    status_from = models.CharField(_("status before"), max_length=10, choices=StudentStatus.choices, blank=True)
    status_to = models.CharField(_("status after"), max_length=10, choices=StudentStatus.choices)
    # {field: {"from": label, "to": label}} for the group, programme, delivery and basis that changed.
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    applied_at = models.DateTimeField(_("applied"), auto_now_add=True)

    class Meta:
        verbose_name = _("status history entry")
        verbose_name_plural = _("status history")
        ordering = ["record", "effective_on", "pk"]
        indexes = [models.Index(fields=["record", "effective_on"])]

    def __str__(self) -> str:
        return f"{self.effective_on:%d.%m.%Y} {self.status_from} → {self.status_to}"

    @property
    def order(self) -> Order:
        """The order that made this change (its item loaded with select_related("item__order"))."""
        return self.item.order
