"""Large imports as background jobs (ImportJob): stored, then checked and applied by a task, all or nothing,
with the progress written where the page that polls it reads it.

An area starts one with ``import_job_start(kind=..., runner="ustaz.<app>.services.<function>", ...)``; the
runner takes the job, checks the file (``job_progress(job, checked=n)`` as it goes), and ends it with
``job_refuse(job, errors)`` or ``job_done(job, result)``. Nothing here knows the areas (layer 0). A job that is
not a file's import names itself on its page with ``params["title"]`` and says what it did with
``result["summary"]`` (both already translated, in the language of whoever started it).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .models import ImportJob, ImportJobStatus

log = logging.getLogger(__name__)

# The most errors a refused job keeps to show (the first ones by line); the count is shown too.
MAX_ERRORS_KEPT = 1000


def import_job_start(
    *, kind: str, runner: str, filename: str, content: bytes, created_by: Any, total: int, params: dict
) -> ImportJob:
    """Store the upload and queue its task once the job is committed."""
    if not runner.startswith("ustaz."):
        raise ValueError(runner)
    job = ImportJob.objects.create(
        kind=kind,
        runner=runner,
        filename=filename[:200],
        content=content,
        created_by=created_by,
        total=total,
        params=params,
    )
    from .tasks import import_job_run

    transaction.on_commit(lambda: import_job_run.enqueue(job.pk))
    return job


def job_progress(job: ImportJob, **fields: Any) -> None:
    """Write the progress (checked=, applied=, status=, total=) at once, outside any transaction of the job."""
    for name, value in fields.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def job_refuse(job: ImportJob, errors: list[tuple[int, str]]) -> None:
    job.errors = [[line, message] for line, message in sorted(errors)[:MAX_ERRORS_KEPT]]
    job.result = {"error_count": len(errors)}
    _finish(job, ImportJobStatus.FAILED)


def job_done(job: ImportJob, result: dict) -> None:
    job.result = result
    _finish(job, ImportJobStatus.DONE)


def _finish(job: ImportJob, status: str) -> None:
    job.status = status
    job.finished_at = timezone.now()
    job.content = b""
    job.save(update_fields=["status", "finished_at", "content", "errors", "result", "sealed", "checked", "applied"])


def job_run(job_id: int) -> None:
    """Run a queued job once (a second delivery of the task finds it started and does nothing)."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJobStatus.QUEUED).update(status=ImportJobStatus.CHECKING)
    if not claimed:
        return
    job = ImportJob.objects.get(pk=job_id)
    from django.utils import translation

    with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
        try:
            import_string(job.runner)(job)
        except Exception:
            log.exception("import job %s failed", job_id)
            job_refuse(job, [(1, _("The import stopped on an unexpected error; nothing was saved. Try again."))])


# --- Issued passwords kept for their one collection ----------------------------------------------------------
def _fernet():
    from cryptography.fernet import Fernet

    key = hashlib.sha256(b"ustaz.import-credentials:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(items: list[dict]) -> str:
    return _fernet().encrypt(json.dumps(items).encode()).decode()


def unseal(token: str) -> list[dict]:
    from cryptography.fernet import InvalidToken

    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except (InvalidToken, ValueError):
        return []


def job_collect_sealed(job: ImportJob) -> list[dict]:
    """The sealed items of a finished job, once: they are wiped as they are read."""
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        token, locked.sealed = locked.sealed, ""
        locked.save(update_fields=["sealed"])
    return unseal(token) if token else []
