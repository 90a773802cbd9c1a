"""Paid-study contracts (§3.4) of every paying student, whether they came through admission on the platform or
were imported or enrolled by hand: the contract's study years with their fees (an addendum when a year's fee
changes), each year's schedule of installments, payments (by hand or from a bank statement), refunds and
discounts. Printed materials included or not (§2.5).

A contract belongs to the student (the person: an applicant's account becomes the student's at enrolment).
Admission, an upper layer, links its application to the contract it made; nothing here points up."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ustaz.academics.models import DltBasis, Programme


class Contract(models.Model):
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("student"), on_delete=models.PROTECT, related_name="contracts"
    )
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    number = models.CharField(_("contract number"), max_length=40, unique=True)
    # The fee the contract was made with; a later year's fee may differ (its addendum, ContractYear.fee).
    amount_per_year = models.DecimalField(_("amount per year, tenge"), max_digits=12, decimal_places=2)
    years = models.PositiveSmallIntegerField(_("years of study"))
    first_year = models.PositiveSmallIntegerField(
        _("first academic year"), help_text=_("The calendar year the contract's first academic year starts.")
    )
    printed_materials = models.BooleanField(_("printed materials included"), default=False)
    # The student's details as the contract states them (from the application, or from the student's record).
    iin = models.CharField(_("IIN"), max_length=12, blank=True)
    basis = models.CharField(_("basis for distance study (§1.5)"), max_length=30, choices=DltBasis.choices, blank=True)
    address = models.CharField(_("country and city"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_on = models.DateField(_("signed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.number


class ContractYear(models.Model):
    """One academic year of a contract with its fee. A year added or repriced after the contract was made
    carries its addendum's number and date."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="study_years"
    )
    academic_year = models.PositiveSmallIntegerField(_("academic year"), help_text=_("The calendar year it starts."))
    study_year = models.PositiveSmallIntegerField(_("year of study"))
    fee = models.DecimalField(_("fee, tenge"), max_digits=12, decimal_places=2)
    addendum_number = models.CharField(_("addendum number"), max_length=40, blank=True)
    addendum_date = models.DateField(_("addendum date"), null=True, blank=True)

    class Meta:
        verbose_name = _("contract year")
        verbose_name_plural = _("contract years")
        ordering = ["contract", "academic_year"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "academic_year"], name="contract_year_once"),
            models.UniqueConstraint(
                fields=["contract", "addendum_number"],
                condition=~models.Q(addendum_number=""),
                name="contract_addendum_number_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id}: {self.academic_year}/{self.academic_year + 1}"


class Installment(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="installments")
    year = models.ForeignKey(ContractYear, on_delete=models.CASCADE, related_name="installments")
    due_on = models.DateField(_("due on"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.due_on}: {self.amount}"


class PaymentSource(models.TextChoices):
    MANUAL = "manual", _("recorded by hand")
    STATEMENT = "statement", _("bank statement")


class Payment(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("bank document number"), max_length=60, blank=True)
    source = models.CharField(max_length=10, choices=PaymentSource.choices, default=PaymentSource.MANUAL)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "pk"]
        constraints = [
            # A bank document is counted once, however many times its statement is imported.
            models.UniqueConstraint(
                fields=["reference"], condition=~models.Q(reference=""), name="contract_payment_reference_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.paid_on}: {self.amount}"


class Refund(models.Model):
    """Money paid back to the student: it lowers what is paid."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    refunded_on = models.DateField(_("refunded on"))
    reason = models.CharField(_("reason"), max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["refunded_on", "pk"]

    def __str__(self) -> str:
        return f"{self.refunded_on}: −{self.amount}"


class Discount(models.Model):
    """A discount on one year's fee, by percent or by amount, granted by an order: it lowers what is due."""

    year = models.ForeignKey(ContractYear, verbose_name=_("year"), on_delete=models.PROTECT, related_name="discounts")
    percent = models.DecimalField(_("percent"), max_digits=5, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2, help_text=_("What it takes off."))
    reason = models.CharField(_("reason"), max_length=300)
    order_number = models.CharField(_("order number"), max_length=40)
    order_date = models.DateField(_("order date"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("discount")
        verbose_name_plural = _("discounts")
        ordering = ["year", "pk"]

    def __str__(self) -> str:
        return f"{self.year_id}: −{self.amount}"
