from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ustaz.academics.models import Course
from ustaz.core.files import generated_name


class Section(models.Model):
    """A week or a topic of a course."""

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class MaterialKind(models.TextChoices):
    FILE = "file", _("File")
    LINK = "link", _("Link")
    VIDEO = "video", _("Video link")
    PAGE = "page", _("Text page")


def material_upload_to(instance: Material, filename: str) -> str:
    # The stored name is random: the original name is kept in file_name and given back on download.
    return f"materials/{instance.course_id}/{generated_name(filename)}"


class Material(models.Model):
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="materials")
    section = models.ForeignKey(Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("kind"), max_length=10, choices=MaterialKind.choices)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    body = models.TextField(_("text (Markdown)"), blank=True)
    body_html = models.TextField(editable=False, blank=True)
    url = models.URLField(_("address"), max_length=1000, blank=True)
    file = models.FileField(_("file"), upload_to=material_upload_to, blank=True, max_length=255)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.BigIntegerField(_("size"), default=0)
    available_in_print = models.BooleanField(
        _("available in print at the University"),
        default=False,
        help_text=_("A printed copy can be had at the University (§2.4)."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["course", "is_published"])]

    def __str__(self) -> str:
        return self.title


class MaterialDownload(models.Model):
    material = models.ForeignKey(
        Material, verbose_name=_("material"), on_delete=models.CASCADE, related_name="downloads"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("download")
        verbose_name_plural = _("downloads")
        ordering = ["-at"]
        indexes = [models.Index(fields=["material", "-at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.material_id} {self.at:%Y-%m-%d %H:%M}"
