"""Writes of status orders: drafted, issued, applied (docs/decisions/0014-status-orders.md).

Rules checked for every student of an order, when drafted, when issued and again when applied (the student's
record locked): the student's status allows the kind (STATUS_BEFORE); nobody graduated gets an order; a student
has at most one order issued and not yet applied; an order never takes effect before the student's last change;
a transfer's group is of its programme and its basis fits the level; a health leave lasts at most
USTAZ_RECORDS_HEALTH_LEAVE_DAYS. Applying an item is idempotent: an item applied (or refused) once is left.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ustaz.academics.bases import basis_refusal
from ustaz.academics.models import Delivery, Programme, StudentRecord, StudentStatus, StudyGroup
from ustaz.accounts.models import User
from ustaz.core.models import AuditAction
from ustaz.core.services import audit_record
from ustaz.notifications import services as notifications

from .apps import ORDER_APPLIED
from .models import (
    STATUS_AFTER,
    STATUS_BEFORE,
    ExpulsionReason,
    HistoryEntry,
    LeaveReason,
    Order,
    OrderItem,
    OrderKind,
    OrderStatus,
)


@dataclass
class ItemData:
    record: StudentRecord
    to_group: StudyGroup | None = None
    to_programme: Programme | None = None
    to_delivery: str = ""
    to_dlt_basis: str = ""
    leave_reason: str = ""
    leave_until: datetime.date | None = None
    expulsion_reason: str = ""


@dataclass
class OrderData:
    kind: str
    order_date: datetime.date
    effective_on: datetime.date
    signed_by: str
    text: str = ""
    items: list[ItemData] = field(default_factory=list)


def _name(record: StudentRecord) -> str:
    return record.student.full_name or record.student.username


def _refusal(kind: str, item: OrderItem | ItemData, record: StudentRecord, effective_on: datetime.date) -> str | None:
    """Why this change cannot be made to this student (a translated message naming them), or None."""
    who = {"student": _name(record)}
    if record.status == StudentStatus.GRADUATED:
        return _("%(student)s has graduated: no order changes a graduate's record.") % who
    allowed = STATUS_BEFORE[kind]
    if kind == OrderKind.ENROLMENT:
        if HistoryEntry.objects.filter(record=record).exists():
            return _("%(student)s already has an enrolment or a later order.") % who
    elif record.status not in allowed:
        messages = {
            OrderKind.LEAVE: _("%(student)s is not studying now: academic leave is given to a studying student."),
            OrderKind.RETURN: _("%(student)s is not on academic leave."),
            OrderKind.REINSTATEMENT: _("%(student)s is not expelled: only an expelled student is reinstated."),
            OrderKind.EXPULSION: _("%(student)s is already expelled."),
            OrderKind.GRADUATION: _("%(student)s is not studying now: only a studying student graduates."),
            OrderKind.TRANSFER: _("%(student)s is expelled: reinstate them first."),
        }
        return messages[kind] % who
    last = HistoryEntry.objects.filter(record=record).aggregate(last=Max("effective_on"))["last"]
    if last is not None and effective_on < last:
        return _("%(student)s has a change on %(date)s: an order cannot take effect before it.") % {
            **who,
            "date": formats.date_format(last, "SHORT_DATE_FORMAT"),
        }
    if kind == OrderKind.TRANSFER:
        programme = item.to_programme or (item.to_group.programme if item.to_group else record.programme)
        group = item.to_group or (record.group if not item.to_programme else None)
        if not (item.to_group or item.to_programme or item.to_delivery or item.to_dlt_basis):
            return _("Say what the transfer of %(student)s changes.") % who
        if item.to_programme and item.to_programme.pk == record.programme_id and not item.to_group:
            return _("%(student)s already studies on this programme.") % who
        if group is None:
            return _("Choose a group of the new programme for %(student)s.") % who
        if group.programme_id != programme.pk:
            return _("The group %(group)s is not of the programme %(programme)s.") % {
                "group": group.name,
                "programme": programme.code,
            }
        if item.to_delivery and item.to_delivery not in Delivery.values:
            return _("Choose the delivery technology.")
        basis = item.to_dlt_basis or record.dlt_basis
        refusal = basis_refusal(basis, programme.level, bolashak_scholar=record.bolashak_scholar)
        if refusal and (item.to_dlt_basis or programme.pk != record.programme_id):
            return f"{_name(record)}: {refusal}"
    if kind == OrderKind.REINSTATEMENT:
        if item.to_group is None:
            return _("Choose the group %(student)s is reinstated into.") % who
        refusal = basis_refusal(
            record.dlt_basis, item.to_group.programme.level, bolashak_scholar=record.bolashak_scholar
        )
        if refusal:
            return f"{_name(record)}: {refusal}"
    if kind == OrderKind.LEAVE:
        if item.leave_reason not in LeaveReason.values:
            return _("Give the reason for the leave of %(student)s.") % who
        if item.leave_until is None or item.leave_until <= effective_on:
            return _("The leave of %(student)s must end after it begins.") % who
        limit = settings.RECORDS_HEALTH_LEAVE_DAYS
        if item.leave_reason == LeaveReason.HEALTH and (item.leave_until - effective_on).days > limit:
            return _("A leave for health reasons lasts at most %(days)s days.") % {"days": limit}
    if kind == OrderKind.EXPULSION and item.expulsion_reason not in ExpulsionReason.values:
        return _("Give the reason for the expulsion of %(student)s.") % who
    return None


def _check_items(kind: str, items: Iterable, effective_on: datetime.date, *, exclude_order: int | None = None):
    errors = []
    records = []
    for item in items:
        record = item.record
        records.append(record.pk)
        refusal = _refusal(kind, item, record, effective_on)
        if refusal:
            errors.append(refusal)
    if len(set(records)) != len(records):
        errors.append(_("A student is listed twice."))
    pending = (
        OrderItem.objects.filter(record_id__in=records, order__status=OrderStatus.ISSUED, applied_at__isnull=True)
        .exclude(order_id=exclude_order)
        .exclude(refusal__gt="")
        .select_related("record__student", "order")
    )
    for item in pending:
        errors.append(
            _("%(student)s already has order %(number)s waiting for its date.")
            % {"student": _name(item.record), "number": item.order.number}
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def order_draft(*, data: OrderData, by: User, request=None) -> Order:
    if data.kind not in OrderKind.values:
        raise ValidationError(_("Choose the kind of order."))
    if not data.items:
        raise ValidationError(_("Choose at least one student."))
    if data.effective_on < data.order_date and data.kind != OrderKind.ENROLMENT:
        # An order may record a change that has already happened, but not before it was signed.
        raise ValidationError(_("An order cannot take effect before its date."))
    records = StudentRecord.objects.select_related("student", "programme", "group").filter(
        pk__in=[i.record.pk for i in data.items]
    )
    by_pk = {r.pk: r for r in records}
    for item in data.items:
        item.record = by_pk[item.record.pk]
    _check_items(data.kind, data.items, data.effective_on)
    order = Order.objects.create(
        kind=data.kind,
        order_date=data.order_date,
        effective_on=data.effective_on,
        signed_by=data.signed_by.strip(),
        text=data.text.strip(),
        created_by=by,
    )
    OrderItem.objects.bulk_create(
        [
            OrderItem(
                order=order,
                record=i.record,
                to_group=i.to_group,
                to_programme=i.to_programme,
                to_delivery=i.to_delivery,
                to_dlt_basis=i.to_dlt_basis,
                leave_reason=i.leave_reason if data.kind == OrderKind.LEAVE else "",
                leave_until=i.leave_until if data.kind == OrderKind.LEAVE else None,
                expulsion_reason=i.expulsion_reason if data.kind == OrderKind.EXPULSION else "",
            )
            for i in data.items
        ]
    )
    return order


def next_number(year: int) -> str:
    """The next free number of the year among the plain numbers (the office may give another)."""
    numbers = Order.objects.filter(year=year).exclude(number="").values_list("number", flat=True)
    highest = max((int(n) for n in numbers if n.isdigit()), default=0)
    return str(highest + 1)


@transaction.atomic
def order_issue(*, order: Order, number: str, by: User, request=None, today: datetime.date | None = None) -> Order:
    """Give the draft its number; applied at once when its date has come."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.DRAFT:
        raise ValidationError(_("This order has already been issued."))
    number = number.strip()
    if not number:
        raise ValidationError(_("Give the order its number."))
    year = order.order_date.year
    if Order.objects.filter(year=year, number=number).exists():
        raise ValidationError(
            _("Order number %(number)s is already taken in %(year)s.") % {"number": number, "year": year}
        )
    items = list(
        order.items.select_related("record__student", "record__programme", "record__group", "to_group__programme")
    )
    _check_items(order.kind, items, order.effective_on, exclude_order=order.pk)
    order.number, order.year = number, year
    order.status, order.issued_by, order.issued_at = OrderStatus.ISSUED, by, timezone.now()
    try:
        with transaction.atomic():
            order.save(update_fields=["number", "year", "status", "issued_by", "issued_at"])
    except IntegrityError:
        raise ValidationError(
            _("Order number %(number)s is already taken in %(year)s.") % {"number": number, "year": year}
        ) from None
    audit_record(
        action=AuditAction.STATUS_ORDER_ISSUED,
        actor=by,
        target=order,
        request=request,
        details={
            "kind": order.kind,
            "number": number,
            "effective_on": order.effective_on.isoformat(),
            "students": [i.record.student_id for i in items],
        },
    )
    if order.effective_on <= (today or timezone.localdate()):
        order_apply(order=order, by=by, request=request, today=today)
    return order


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _apply_item(order: Order, item: OrderItem, by: User | None, request) -> bool:
    """Apply one student's change with their record locked; False when refused (kept with the reason)."""
    record = (
        StudentRecord.objects.select_for_update(of=("self",))
        .select_related("student", "programme", "group")
        .get(pk=item.record_id)
    )
    item = OrderItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
    if item.applied_at is not None or item.refusal:
        return False  # applied (or refused) already: applying again changes nothing
    item.record = record
    refusal = _refusal(order.kind, item, record, order.effective_on)
    if refusal:
        item.refusal = refusal[:300]
        item.save(update_fields=["refusal"])
        return False
    before = "" if order.kind == OrderKind.ENROLMENT else record.status
    changes: dict[str, dict[str, str]] = {}

    def change(name: str, old: str, new: str) -> None:
        if old != new:
            changes[name] = {"from": old, "to": new}

    fields = []
    if order.kind in (OrderKind.TRANSFER, OrderKind.REINSTATEMENT):
        group = item.to_group or record.group
        if group.pk != record.group_id:
            change("group", record.group.name, group.name)
            record.group = group
            fields.append("group")
        programme = group.programme if item.to_group else (item.to_programme or record.programme)
        if programme.pk != record.programme_id:
            change("programme", record.programme.code, programme.code)
            record.programme = programme
            fields.append("programme")
        if item.to_delivery and item.to_delivery != record.delivery:
            change("delivery", record.delivery, item.to_delivery)
            record.delivery = item.to_delivery
            fields.append("delivery")
        if item.to_dlt_basis and item.to_dlt_basis != record.dlt_basis:
            change("dlt_basis", record.dlt_basis, item.to_dlt_basis)
            record.dlt_basis = item.to_dlt_basis
            fields.append("dlt_basis")
    after = STATUS_AFTER[order.kind] or record.status
    if after != record.status:
        fields.append("status")
    record.status = after
    if fields:
        record.save(update_fields=fields)
    HistoryEntry.objects.create(
        record=record,
        item=item,
        effective_on=order.effective_on,
        status_from=before,
        status_to=after,
        changes=changes,
    )
    item.applied_at = timezone.now()
    item.save(update_fields=["applied_at"])
    audit_record(
        action=AuditAction.STUDENT_STATUS_CHANGED,
        actor=by,
        target=record,
        request=request,
        details={
            "order": order.pk,
            "number": order.number,
            "kind": order.kind,
            "from": before,
            "to": after,
            "changes": changes,
        },
    )
    notifications.notify(
        users=[record.student],
        kind=ORDER_APPLIED,
        title=gettext_lazy("Order %(number)s of %(date)s about you has taken effect: %(kind)s"),
        body=gettext_lazy("Your status from %(effective)s: %(status)s."),
        params={
            "number": order.number,
            "date": lazy(_date, str)(order.order_date),
            "effective": lazy(_date, str)(order.effective_on),
            "kind": OrderKind(order.kind).label,
            "status": StudentStatus(after).label,
        },
        url=reverse("records:history", args=[record.pk]),
    )
    return True


def order_apply(*, order: Order, by: User | None = None, request=None, today: datetime.date | None = None) -> int:
    """Apply an issued order whose date has come, each student in their own transaction (one refused student
    does not hold the others back); returns how many students changed. Idempotent."""
    applied = 0
    if order.effective_on > (today or timezone.localdate()):
        return applied  # the daily job applies it on its date
    for item_pk in list(order.items.filter(applied_at__isnull=True, refusal="").values_list("pk", flat=True)):
        with transaction.atomic():
            locked = Order.objects.select_for_update().get(pk=order.pk)
            if locked.status == OrderStatus.DRAFT:
                return applied
            item = OrderItem.objects.get(pk=item_pk)
            applied += _apply_item(locked, item, by, request)
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status == OrderStatus.ISSUED:
            locked.status, locked.applied_at = OrderStatus.APPLIED, timezone.now()
            locked.save(update_fields=["status", "applied_at"])
            audit_record(
                action=AuditAction.STATUS_ORDER_APPLIED,
                actor=by,
                target=locked,
                request=request,
                details={"number": locked.number, "kind": locked.kind, "applied": applied},
            )
    order.status = OrderStatus.APPLIED
    return applied


def orders_apply_due(today: datetime.date | None = None) -> int:
    """The daily job: apply every issued order whose date has come; returns the students changed."""
    today = today or timezone.localdate()
    changed = 0
    for order in Order.objects.filter(status=OrderStatus.ISSUED, effective_on__lte=today).order_by(
        "effective_on", "pk"
    ):
        changed += order_apply(order=order, today=today)
    return changed


@transaction.atomic
def order_delete(*, order: Order, by: User, request=None) -> None:
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.DRAFT:
        raise ValidationError(_("An issued order is kept: issue another order to change its effect."))
    order.delete()


# --- Enrolment from admission --------------------------------------------------------------------------------
def enrolment_record(
    *,
    record: StudentRecord,
    by: User,
    number: str = "",
    order_date: datetime.date | None = None,
    signed_by: str = "",
    request=None,
) -> Order:
    """Record a student's enrolment as an order (admission calls this when it enrols an applicant): under the
    rector's admission order when there is one (number and date, one order for all its applicants), otherwise
    under a new order of today numbered next in the year. Applied at once."""
    today = timezone.localdate()
    order_date = order_date or today
    order = None
    if number:
        order = (
            Order.objects.select_for_update()
            .filter(year=order_date.year, number=number, kind=OrderKind.ENROLMENT)
            .first()
        )
    if order is None:
        if number and Order.objects.filter(year=order_date.year, number=number).exists():
            number = ""  # that number belongs to another kind of order: a number of our own
        order = Order.objects.create(
            kind=OrderKind.ENROLMENT,
            status=OrderStatus.ISSUED,
            number=number or next_number(order_date.year),
            year=order_date.year,
            order_date=order_date,
            effective_on=max(order_date, today) if not number else order_date,
            signed_by=signed_by or settings.RECORDS_DEFAULT_SIGNATORY,
            text=str(gettext_lazy("Enrolment of admitted applicants.")),
            created_by=by,
            issued_by=by,
            issued_at=timezone.now(),
        )
        audit_record(
            action=AuditAction.STATUS_ORDER_ISSUED,
            actor=by,
            target=order,
            request=request,
            details={"kind": order.kind, "number": order.number, "from_admission": True},
        )
    item, _created = OrderItem.objects.get_or_create(order=order, record=record)
    if order.status == OrderStatus.APPLIED:
        order.status = OrderStatus.ISSUED  # reopened for the newly added student, applied again just below
        order.save(update_fields=["status"])
    order_apply(order=order, by=by, request=request)
    return order
