from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailDelivery(models.TextChoices):
    INSTANT = "instant", _("At once")
    DIGEST = "digest", _("In the daily digest")
    OFF = "off", _("Not by e-mail")


class Notification(models.Model):
    """One notice to one person, written in their language when it is made."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email = models.CharField(_("e-mail"), max_length=10, choices=EmailDelivery.choices, default=EmailDelivery.OFF)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    email_batch = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notice_user_newest"),
            models.Index(fields=["email", "emailed_at"], name="notice_email_pending"),
        ]

    def __str__(self) -> str:
        return self.title


class Preference(models.Model):
    """How a person wants one kind of notice by e-mail (in the platform they always see it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="notice_preferences"
    )
    kind = models.CharField(_("kind"), max_length=60)
    email = models.CharField(_("e-mail"), max_length=10, choices=EmailDelivery.choices)

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notice_preference_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.email}"
