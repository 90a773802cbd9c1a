from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from .addresses import client_address
from .models import AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address, through the trusted proxies only (see addresses.client_address)."""
    return client_address(request)


def audit_record(
    *,
    action: str,
    actor: Any = None,
    target: models.Model | None = None,
    target_repr: str = "",
    details: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Write one audit event. Call it inside the transaction of the action it records."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=(target_repr or (str(target) if target is not None else ""))[:300],
        details=details or {},
        ip_address=client_ip(request),
    )


def scheduled_jobs_start(now=None) -> list[str]:
    """Queue each daily job of settings.SCHEDULE ((task path, hour) pairs, in the University's time zone)
    whose hour has come and that has not run today; returns the jobs queued. Safe to call from several
    processes at once: the first to record the day's run queues the job."""
    from django.conf import settings
    from django.db import IntegrityError, transaction
    from django.utils import timezone
    from django.utils.module_loading import import_string

    from .models import ScheduledRun

    now = timezone.localtime(now)
    started = []
    for path, hour in settings.SCHEDULE:
        if now.hour < hour or ScheduledRun.objects.filter(name=path, day=now.date()).exists():
            continue
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(name=path, day=now.date())
                job = import_string(path)
                transaction.on_commit(job.enqueue)
        except IntegrityError:
            continue  # another clock took it
        started.append(path)
    return started
