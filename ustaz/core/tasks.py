"""Background tasks of the core: large imports."""

from __future__ import annotations

from django_tasks import task


@task()
def import_job_run(job_id: int) -> None:
    from .imports import job_run

    job_run(job_id)
