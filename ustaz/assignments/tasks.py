"""Background work of assignments: preparing each handed-in file, and the daily "due soon" notices."""

from __future__ import annotations

from django_tasks import task

from . import media, services, uploads
from .models import SubmissionFile


@task()
def file_process(file_pk: int) -> str:
    item = SubmissionFile.objects.filter(pk=file_pk).first()
    if item is None:
        return "gone"
    return media.process(item).processing


@task()
def upload_join(upload_pk: str) -> str:
    return uploads.upload_join(upload_pk)


@task()
def due_soon_notify() -> int:
    return services.due_soon_notify()


@task()
def uploads_clean() -> int:
    return uploads.uploads_clean()
