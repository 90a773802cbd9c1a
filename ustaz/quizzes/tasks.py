"""Background work of the testing centre: an attempt is closed and graded at its deadline by the worker,
whether or not the student's browser is still there; a question bank is imported."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks import default_task_backend, task

from . import services
from .models import Attempt, AttemptStatus


@task()
def attempt_close(attempt_pk: int) -> str:
    attempt = Attempt.objects.filter(pk=attempt_pk).first()
    if attempt is None or attempt.status != AttemptStatus.OPEN:
        return "already closed"
    if timezone.now() < attempt.deadline:
        return "not yet"  # moved (extra time): the sweep closes it later
    return services.attempt_finish(attempt=attempt, timed_out=True).status


@task()
def attempts_close_overdue() -> int:
    return services.close_overdue()


@task()
def bank_import_run(job_pk: int) -> str:
    """A question bank read and written by the worker, not in the teacher's request: reading a large bank takes
    seconds (the page shows its progress)."""
    return services.bank_import_run(job_pk=job_pk)


def schedule_close(attempt_pk: int, deadline: datetime.datetime) -> None:
    """Queue the closing for the deadline where the task backend can wait (the database queue); the clock's
    sweep every minute (settings.EVERY_MINUTE) closes any the queue missed."""
    if default_task_backend.supports_defer:
        attempt_close.using(run_after=deadline + services.SAVE_GRACE).enqueue(attempt_pk)
