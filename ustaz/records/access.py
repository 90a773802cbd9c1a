"""Who may see or do what with orders on students (docs/decisions/0014-status-orders.md).

The academic office (and an administrator) drafts, issues and deletes drafts; the rector reads every order.
A student reads their own history and the extract of each issued order about them (the order's PDF with
their part only), whatever their status: an expelled or graduated student keeps read access to their record.
The adviser of a student's group reads that student's history. Everybody else: 403 for the office's pages, 404
for an order or a student's history (their existence is not told).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from ustaz.academics import access as academics_access
from ustaz.academics.models import StudentRecord
from ustaz.accounts.models import User

from .models import Order, OrderStatus


def can_manage_orders(user: User) -> bool:
    return academics_access.can_manage_structure(user)


def can_read_orders(user: User) -> bool:
    """Every order and every student's history: the office, the rector, an administrator."""
    return academics_access.can_oversee_courses(user)


def can_read_history(user: User, record: StudentRecord) -> bool:
    if not user.is_authenticated:
        return False
    return record.student_id == user.pk or can_read_orders(user) or academics_access.is_advisor_of(user, record)


def can_read_extract(user: User, order: Order, record: StudentRecord) -> bool:
    """The student's own extract of an issued order (and every extract for those who read every order)."""
    if can_read_orders(user):
        return True
    return order.status != OrderStatus.DRAFT and record.student_id == user.pk


def get_order_for(user: User, pk: int) -> Order:
    if not can_read_orders(user):
        raise Http404
    try:
        return Order.objects.select_related("created_by", "issued_by").get(pk=pk)
    except Order.DoesNotExist:
        raise Http404 from None


def get_order_to_manage_for(user: User, pk: int) -> Order:
    order = get_order_for(user, pk)
    if not can_manage_orders(user):
        raise PermissionDenied
    return order


def get_record_for_history(user: User, pk: int) -> StudentRecord:
    if not user.is_authenticated:
        raise PermissionDenied
    try:
        record = StudentRecord.objects.select_related("student", "group", "programme").get(pk=pk)
    except StudentRecord.DoesNotExist:
        raise Http404 from None
    if not can_read_history(user, record):
        raise Http404
    return record


def get_extract_for(user: User, pk: int, record_pk: int) -> tuple[Order, StudentRecord]:
    """The order and the student whose extract is asked; 404 when the person may not read it."""
    if not user.is_authenticated:
        raise PermissionDenied
    order = Order.objects.filter(pk=pk).first()
    record = (
        StudentRecord.objects.select_related("student", "group", "programme")
        .filter(pk=record_pk, order_items__order_id=pk)
        .first()
    )
    if order is None or record is None or not can_read_extract(user, order, record):
        raise Http404
    return order, record
