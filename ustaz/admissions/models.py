"""Admission of distance learners (§3): campaigns with their programmes and places, applications to the
rector with their basis (§1.5), justification and documents, and every change of status kept."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ustaz.academics.models import DltBasis, Programme

from .documents import DocumentKind


class Campaign(models.Model):
    title = models.CharField(_("title"), max_length=200)
    opens_on = models.DateField(_("applications from"))
    closes_on = models.DateField(_("applications until"))

    class Meta:
        verbose_name = _("admission campaign")
        verbose_name_plural = _("admission campaigns")

    def __str__(self) -> str:
        return self.title


class Offer(models.Model):
    """A programme in a campaign: its places, its fee, its creative exams."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="offers")
    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="+")
    places = models.PositiveIntegerField(_("places"))
    fee_per_year = models.DecimalField(_("fee per year, tenge"), max_digits=12, decimal_places=2)
    creative_exams = models.TextField(_("creative exams"), blank=True)

    class Meta:
        verbose_name = _("programme offered")
        verbose_name_plural = _("programmes offered")
        constraints = [models.UniqueConstraint(fields=["campaign", "programme"], name="offer_once")]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.programme}"


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned for corrections")
    CHECKED = "checked", _("documents checked")
    ADMITTED = "admitted", _("admitted")
    REJECTED = "rejected", _("not admitted")


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

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [models.UniqueConstraint(fields=["applicant", "offer"], name="application_once_per_offer")]

    def __str__(self) -> str:
        return f"{self.applicant} → {self.offer}"


def document_upload_to(instance: ApplicationDocument, filename: str) -> str:
    return f"admissions/{instance.application_id}/{uuid.uuid4().hex}/{filename[-100:]}"


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
