"""A background import lost with its worker (killed, then restarted by the supervisor) is not polled for ever:
after ImportJob.STALLED_AFTER its page says it stopped and saved nothing."""

from __future__ import annotations

from django.utils import timezone

from ustaz.core.models import ImportJob, ImportJobStatus


def test_a_job_lost_with_its_worker_is_shown_stopped_and_no_longer_polled(office, as_user):
    job = ImportJob.objects.create(
        kind="accounts",
        runner="ustaz.accounts.services.accounts_import_job_run",
        filename="people.csv",
        created_by=office,
        total=900,
        checked=400,
        status=ImportJobStatus.CHECKING,
    )
    client = as_user(office)
    running = client.get(f"/imports/{job.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in running and "stopped without finishing" not in running
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - ImportJob.STALLED_AFTER * 2)
    lost = client.get(f"/imports/{job.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' not in lost and "stopped without finishing" in lost
