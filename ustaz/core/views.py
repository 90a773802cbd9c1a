from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .files import storage_is_healthy

log = logging.getLogger(__name__)


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Reports database, cache and storage; 503 when any of them fails (for load balancers)."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure is reported, not raised
        log.warning("health: database: %s", exc)
        checks["database"] = "error"
    try:
        cache.set("ustaz:health", "ok", 10)
        checks["cache"] = "ok" if cache.get("ustaz:health") == "ok" else "error"
    except Exception as exc:  # noqa: BLE001
        log.warning("health: cache: %s", exc)
        checks["cache"] = "error"
    try:
        checks["storage"] = "ok" if storage_is_healthy() else "error"
    except Exception as exc:  # noqa: BLE001
        log.warning("health: storage: %s", exc)
        checks["storage"] = "error"
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)


def bare(request: HttpRequest) -> HttpResponse:
    """The floor for benchmarks: the cheapest response Django can make through the same server."""
    return HttpResponse(b"ok", content_type="text/plain")


@never_cache
@login_required
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A large import's progress; the page polls it with HTMX (or reloads itself without JavaScript)."""
    from . import access

    job = access.get_import_job_for(request.user, pk)
    context = {"job": job, "errors": [tuple(e) for e in job.errors], "next_url": job.result.get("next_url", "")}
    if request.htmx:
        return render(request, "core/_import_job.html", context)
    return render(request, "core/import_job.html", context)
