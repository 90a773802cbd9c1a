"""Names kept in Kazakh, Russian and English, shown in the reader's language."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

FALLBACK_ORDER = ("kk", "ru", "en")


class TranslatedNameModel(models.Model):
    name_kk = models.CharField(_("name (Kazakh)"), max_length=255)
    name_ru = models.CharField(_("name (Russian)"), max_length=255, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or "kk")[:2]
        first = getattr(self, f"name_{language}", "")
        if first:
            return first
        return next((v for v in (getattr(self, f"name_{c}") for c in FALLBACK_ORDER) if v), "")
