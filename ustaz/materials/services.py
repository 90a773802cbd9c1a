"""Writes with a rule for teaching materials (§2.4, §2.5)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils.translation import gettext as _

from ustaz.academics import services as academics_services
from ustaz.academics.models import Course
from ustaz.accounts.models import User
from ustaz.core.files import clean_filename, guess_content_type
from ustaz.core.models import AuditAction
from ustaz.core.services import audit_record, client_ip

from .markup import render_markdown
from .models import Material, MaterialDownload, MaterialKind, Section


def check_material_file(upload: UploadedFile | None) -> None:
    if upload is None:
        raise ValidationError({"file": _("Choose a file to upload.")})
    if upload.size == 0:
        raise ValidationError({"file": _("The file %(name)s is empty.") % {"name": upload.name}})
    limit = settings.MATERIAL_MAX_UPLOAD_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            {
                "file": _("The file is %(size)s MB; the largest allowed is %(limit)s MB.")
                % {"size": round(upload.size / 1024 / 1024, 1), "limit": settings.MATERIAL_MAX_UPLOAD_MB}
            }
        )


@transaction.atomic
def section_create(*, course: Course, title: str) -> Section:
    last = Section.objects.filter(course=course).aggregate(m=Max("position"))["m"]
    section = Section.objects.create(course=course, title=title, position=(last or 0) + 1)
    academics_services.course_content_changed(course_id=course.pk)
    return section


@transaction.atomic
def material_save(
    *,
    material: Material,
    author: User | None = None,
    upload: UploadedFile | None = None,
) -> Material:
    """Create or update a material of any kind; the file, if any, replaces the old one."""
    if material.kind == MaterialKind.FILE and (upload is not None or not material.file):
        check_material_file(upload)
    if material.kind in (MaterialKind.LINK, MaterialKind.VIDEO) and not material.url:
        raise ValidationError({"url": _("Give the address of the link.")})
    if material.kind == MaterialKind.PAGE and not material.body.strip():
        raise ValidationError({"body": _("A text page needs some text.")})
    material.body_html = render_markdown(material.body) if material.kind == MaterialKind.PAGE else ""
    if material.pk is None:
        material.created_by = author
        last = Material.objects.filter(section=material.section).aggregate(m=Max("position"))["m"]
        material.position = (last or 0) + 1
    old_file = None
    if upload is not None:
        old_file = material.file.name if material.file else None
        material.file_name = clean_filename(upload.name)
        material.content_type = guess_content_type(material.file_name)
        material.size = upload.size
        material.file.save(material.file_name, upload, save=False)  # stored under a generated name
    material.save()
    academics_services.course_content_changed(course_id=material.course_id)
    if old_file:
        storage = material.file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return material


def material_set_published(*, material: Material, published: bool) -> None:
    with transaction.atomic():
        Material.objects.filter(pk=material.pk).update(is_published=published)
        academics_services.course_content_changed(course_id=material.course_id)
    material.is_published = published


@transaction.atomic
def material_move(*, material: Material, direction: int) -> None:
    """Swap the material with its neighbour in the section (direction -1 up, +1 down)."""
    siblings = list(
        Material.objects.select_for_update().filter(section_id=material.section_id).order_by("position", "id")
    )
    index = next(i for i, m in enumerate(siblings) if m.pk == material.pk)
    other = index + direction
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, item in enumerate(siblings, start=1):
        if item.position != position:
            Material.objects.filter(pk=item.pk).update(position=position)
    academics_services.course_content_changed(course_id=material.course_id)


@transaction.atomic
def material_delete(*, material: Material, deleted_by: User, request: HttpRequest | None = None) -> None:
    audit_record(
        action=AuditAction.MATERIAL_DELETED,
        actor=deleted_by,
        target=material,
        request=request,
        details={"course": material.course_id, "kind": material.kind, "file": material.file_name},
    )
    file_name = material.file.name if material.file else None
    storage = material.file.storage
    material.delete()
    academics_services.course_content_changed(course_id=material.course_id)
    if file_name:
        transaction.on_commit(lambda: storage.delete(file_name))


def material_download_record(*, material: Material, user: User, request: HttpRequest | None = None) -> None:
    MaterialDownload.objects.create(material=material, user=user, ip_address=client_ip(request))
