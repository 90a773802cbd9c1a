"""Reads of orders and of students' status histories."""

from __future__ import annotations

import datetime

from django.db.models import Count, QuerySet

from ustaz.academics.models import Delivery, DltBasis, StudentRecord, StudentStatus

from . import access
from .models import HistoryEntry, Order, OrderItem, OrderKind, OrderStatus


def status_on(record: StudentRecord, day: datetime.date) -> str | None:
    """The student's status on the day, derived from their history: the status given by the last change that
    had taken effect by then; before their first change, the status that change started from (None before
    their enrolment: not a student yet). A record with no history (imported before orders) has its status."""
    entries = list(
        HistoryEntry.objects.filter(record=record)
        .order_by("effective_on", "pk")
        .values_list("effective_on", "status_from", "status_to")
    )
    if not entries:
        return record.status
    current = entries[0][1] or None
    for effective_on, _from, to in entries:
        if effective_on > day:
            break
        current = to
    return current


def orders_list(*, kind: str = "", status: str = "") -> QuerySet[Order]:
    """The office's list: each order with how many students it covers (one query whatever the numbers)."""
    orders = Order.objects.annotate(students=Count("items"))
    if kind in OrderKind.values:
        orders = orders.filter(kind=kind)
    if status in OrderStatus.values:
        orders = orders.filter(status=status)
    return orders.order_by("-order_date", "-pk")


def order_items(order: Order) -> list[OrderItem]:
    return list(
        order.items.select_related(
            "record__student", "record__group", "record__programme", "to_group", "to_programme"
        ).order_by("record__student__last_name", "record__student__first_name", "pk")
    )


def _label(name: str, value: str) -> str:
    if name == "delivery" and value in Delivery.values:
        return str(Delivery(value).label)
    if name == "dlt_basis" and value in DltBasis.values:
        return str(DltBasis(value).label)
    return value


def history(record: StudentRecord) -> list[HistoryEntry]:
    """The student's history, oldest first, each entry with its order and readable changes (one query)."""
    entries = list(
        HistoryEntry.objects.filter(record=record).select_related("item__order").order_by("effective_on", "pk")
    )
    for entry in entries:
        entry.status_from_label = str(StudentStatus(entry.status_from).label) if entry.status_from else ""
        entry.status_to_label = str(StudentStatus(entry.status_to).label)
        entry.change_list = [
            (name, _label(name, change["from"]), _label(name, change["to"])) for name, change in entry.changes.items()
        ]
    return entries


def pending_items(record: StudentRecord) -> list[OrderItem]:
    """Issued orders about the student still waiting for their date."""
    return list(
        OrderItem.objects.filter(record=record, order__status=OrderStatus.ISSUED, applied_at__isnull=True, refusal="")
        .select_related("order")
        .order_by("order__effective_on")
    )


def file_section_context(viewer, record: StudentRecord) -> dict | None:
    """The student file's section "Status and orders": the status now and the history with its orders; the
    extract links for whoever may read them. Three queries whatever the length of the history."""
    if not access.can_read_history(viewer, record):
        return None
    entries = history(record)
    for entry in entries:
        entry.extract_readable = access.can_read_extract(viewer, entry.order, record)
    return {
        "status_label": StudentStatus(record.status).label,
        "entries": entries,
        "pending": pending_items(record) if access.can_read_orders(viewer) else [],
        "can_read_orders": access.can_read_orders(viewer),
        "languages": ("kk", "ru"),
    }
