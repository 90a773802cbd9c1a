from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.dateparse import parse_date

from ustaz.core.models import AuditAction, AuditEvent

from . import access


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The ICT centre's search over security-relevant events."""
    access.require(access.can_view_audit_log(request.user))
    events = AuditEvent.objects.select_related("actor").order_by("-at", "-id")
    action = request.GET.get("action", "")
    if action in AuditAction.values:
        events = events.filter(action=action)
    query = request.GET.get("q", "").strip()
    if query:
        events = events.filter(
            Q(target_repr__icontains=query)
            | Q(actor__username__icontains=query)
            | Q(actor__last_name__icontains=query)
            | Q(ip_address__startswith=query)
        )
    date_from = parse_date(request.GET.get("from", "") or "")
    date_to = parse_date(request.GET.get("to", "") or "")
    if date_from:
        events = events.filter(at__date__gte=date_from)
    if date_to:
        events = events.filter(at__date__lte=date_to)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/audit_log.html",
        {
            "page": page,
            "actions": AuditAction.choices,
            "action": action,
            "query": query,
            "date_from": date_from or "",
            "date_to": date_to or "",
        },
    )
