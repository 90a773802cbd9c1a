"""Who may see what of the core: an import job is its starter's own."""

from __future__ import annotations

from django.http import Http404

from .models import ImportJob


def can_view_import_job(user, job: ImportJob) -> bool:
    return user.is_authenticated and job.created_by_id == user.pk


def get_import_job_for(user, pk: int) -> ImportJob:
    """The job if the user started it; 404 otherwise (another's import is not even said to exist)."""
    job = ImportJob.objects.filter(pk=pk).defer("content").first()
    if job is None or not can_view_import_job(user, job):
        raise Http404
    return job
