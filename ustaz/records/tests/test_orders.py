"""Each kind of order: its effect on the record and the history, its validity, status_on over dates, the
daily job, applying again, audit and the student's notice."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from testkit.factories import ProgrammeFactory, StudyGroupFactory
from ustaz.academics.models import Delivery, DltBasis, Level, StudentStatus
from ustaz.core.models import AuditAction, AuditEvent
from ustaz.notifications.models import Notification
from ustaz.records import selectors, services
from ustaz.records.models import ExpulsionReason, HistoryEntry, LeaveReason, OrderKind, OrderStatus
from ustaz.records.services import ItemData, OrderData

from .conftest import days, make_student, order_of


def refresh(record):
    record.refresh_from_db()
    return record


def test_leave_and_return_change_the_status_and_keep_the_history(record, office):
    leave = order_of(OrderKind.LEAVE, [record], by=office, leave_reason=LeaveReason.HEALTH, leave_until=days(200))
    assert leave.status == OrderStatus.APPLIED
    assert refresh(record).status == StudentStatus.ACADEMIC_LEAVE
    back = order_of(OrderKind.RETURN, [record], by=office)
    assert refresh(record).status == StudentStatus.ACTIVE
    entries = selectors.history(record)
    assert [(e.status_from, e.status_to, e.order.pk) for e in entries] == [
        (StudentStatus.ACTIVE, StudentStatus.ACADEMIC_LEAVE, leave.pk),
        (StudentStatus.ACADEMIC_LEAVE, StudentStatus.ACTIVE, back.pk),
    ]


def test_expulsion_and_reinstatement_into_a_group(record, office):
    order_of(OrderKind.EXPULSION, [record], by=office, expulsion_reason=ExpulsionReason.UNPAID)
    assert refresh(record).status == StudentStatus.EXPELLED
    old_group = record.group
    other = StudyGroupFactory(programme=record.programme)
    order_of(OrderKind.REINSTATEMENT, [record], by=office, to_group=other)
    assert refresh(record).status == StudentStatus.ACTIVE
    assert record.group == other
    last = HistoryEntry.objects.filter(record=record).latest("pk")
    assert last.changes == {"group": {"from": old_group.name, "to": other.name}}


def test_graduation_ends_every_later_order(record, office):
    order_of(OrderKind.GRADUATION, [record], by=office)
    assert refresh(record).status == StudentStatus.GRADUATED
    for kind, extra in [
        (OrderKind.REINSTATEMENT, {"to_group": record.group}),
        (OrderKind.EXPULSION, {"expulsion_reason": ExpulsionReason.OWN_WISH}),
        (OrderKind.TRANSFER, {"to_delivery": Delivery.CASE}),
    ]:
        with pytest.raises(ValidationError, match="has graduated"):
            order_of(kind, [record], by=office, **extra)


def test_transfer_between_groups_programmes_technologies_and_bases(record, office):
    programme = ProgrammeFactory(level=Level.BACHELOR)
    group = StudyGroupFactory(programme=programme)
    order_of(
        OrderKind.TRANSFER,
        [record],
        by=office,
        to_group=group,
        to_delivery=Delivery.CASE,
        to_dlt_basis=DltBasis.MILITARY_SERVICE,
    )
    record = refresh(record)
    assert (record.group, record.programme, record.delivery, record.dlt_basis) == (
        group,
        programme,
        Delivery.CASE,
        DltBasis.MILITARY_SERVICE,
    )
    assert record.status == StudentStatus.ACTIVE
    assert set(HistoryEntry.objects.get(record=record).changes) == {"group", "programme", "delivery", "dlt_basis"}


def test_a_transfer_refuses_a_group_of_another_programme_and_a_basis_of_another_level(record, office):
    with pytest.raises(ValidationError, match="is not of the programme"):
        order_of(OrderKind.TRANSFER, [record], by=office, to_programme=ProgrammeFactory(), to_group=StudyGroupFactory())
    vocational = ProgrammeFactory(level=Level.VOCATIONAL)
    with pytest.raises(ValidationError, match="does not apply at the level"):
        order_of(OrderKind.TRANSFER, [record], by=office, to_group=StudyGroupFactory(programme=vocational))
    with pytest.raises(ValidationError, match="Say what the transfer"):
        order_of(OrderKind.TRANSFER, [record], by=office)
    assert refresh(record).programme_id == record.programme_id
    assert not HistoryEntry.objects.exists()


def test_validity_of_leave_return_and_reinstatement(record, office, settings):
    with pytest.raises(ValidationError, match="is not on academic leave"):
        order_of(OrderKind.RETURN, [record], by=office)
    with pytest.raises(ValidationError, match="is not expelled"):
        order_of(OrderKind.REINSTATEMENT, [record], by=office, to_group=record.group)
    settings.RECORDS_HEALTH_LEAVE_DAYS = 365
    with pytest.raises(ValidationError, match="at most 365 days"):
        order_of(OrderKind.LEAVE, [record], by=office, leave_reason=LeaveReason.HEALTH, leave_until=days(400))
    # Other reasons have no such limit (military service lasts as it lasts).
    order_of(OrderKind.LEAVE, [record], by=office, leave_reason=LeaveReason.MILITARY, leave_until=days(400))
    with pytest.raises(ValidationError, match="is not studying now"):
        order_of(OrderKind.LEAVE, [record], by=office, leave_reason=LeaveReason.OTHER, leave_until=days(30))
    order_of(OrderKind.EXPULSION, [record], by=office, expulsion_reason=ExpulsionReason.OWN_WISH)
    with pytest.raises(ValidationError, match="already expelled"):
        order_of(OrderKind.EXPULSION, [record], by=office, expulsion_reason=ExpulsionReason.OWN_WISH)


def test_a_future_order_waits_for_the_daily_job_and_applying_again_changes_nothing(record, office, settings):
    order = order_of(
        OrderKind.LEAVE,
        [record],
        by=office,
        effective_on=days(10),
        leave_reason=LeaveReason.OTHER,
        leave_until=days(100),
    )
    assert order.status == OrderStatus.ISSUED
    assert services.orders_apply_due() == 0
    assert refresh(record).status == StudentStatus.ACTIVE
    assert selectors.status_on(record, days(20)) == StudentStatus.ACTIVE  # not applied yet: not in the history
    assert services.orders_apply_due(days(9)) == 0
    services.order_apply(order=order)  # asked early: waits for its date
    assert refresh(record).status == StudentStatus.ACTIVE
    assert services.orders_apply_due(days(10)) == 1
    assert services.orders_apply_due(days(11)) == 0
    services.order_apply(order=order, today=days(12))
    order.refresh_from_db()
    assert order.status == OrderStatus.APPLIED
    assert refresh(record).status == StudentStatus.ACADEMIC_LEAVE
    assert HistoryEntry.objects.filter(record=record).count() == 1
    assert Notification.objects.filter(user=record.student, kind="records.order_applied").count() == 1
    assert "ustaz.records.tasks.orders_apply_due" in [job for job, _hour in settings.SCHEDULE]


def test_status_on_any_date_comes_from_the_history(record, office):
    order_of(
        OrderKind.EXPULSION,
        [record],
        by=office,
        order_date=days(-300),
        effective_on=days(-300),
        expulsion_reason=ExpulsionReason.ACADEMIC_DEBT,
    )
    order_of(
        OrderKind.REINSTATEMENT,
        [record],
        by=office,
        order_date=days(-100),
        effective_on=days(-100),
        to_group=record.group,
    )
    assert selectors.status_on(record, days(-301)) == StudentStatus.ACTIVE
    assert selectors.status_on(record, days(-300)) == StudentStatus.EXPELLED
    assert selectors.status_on(record, days(-101)) == StudentStatus.EXPELLED
    assert selectors.status_on(record, days(-100)) == StudentStatus.ACTIVE
    assert selectors.status_on(record, days(0)) == StudentStatus.ACTIVE
    # An order cannot take effect before the student's last change.
    with pytest.raises(ValidationError, match="cannot take effect before"):
        order_of(
            OrderKind.EXPULSION,
            [record],
            by=office,
            order_date=days(-200),
            effective_on=days(-200),
            expulsion_reason=ExpulsionReason.OTHER,
        )


def test_status_on_before_enrolment_is_none_and_a_record_without_history_has_its_status(group, office):
    fresh = make_student(group)
    assert selectors.status_on(fresh, days(-1000)) == StudentStatus.ACTIVE
    order_of(OrderKind.ENROLMENT, [fresh], by=office, order_date=days(-30), effective_on=days(-30))
    assert selectors.status_on(fresh, days(-31)) is None
    assert selectors.status_on(fresh, days(-30)) == StudentStatus.ACTIVE
    with pytest.raises(ValidationError, match="already has an enrolment"):
        order_of(OrderKind.ENROLMENT, [fresh], by=office)


def test_one_order_waiting_per_student_and_numbers_unique_per_year(record, office):
    order_of(
        OrderKind.LEAVE,
        [record],
        by=office,
        effective_on=days(5),
        leave_reason=LeaveReason.OTHER,
        leave_until=days(50),
        number="17",
    )
    with pytest.raises(ValidationError, match="waiting for its date"):
        order_of(OrderKind.EXPULSION, [record], by=office, expulsion_reason=ExpulsionReason.OTHER)
    other = make_student(record.group)
    draft = services.order_draft(
        data=OrderData(
            kind=OrderKind.GRADUATION,
            order_date=timezone.localdate(),
            effective_on=days(0),
            signed_by="Rector",
            items=[ItemData(record=other)],
        ),
        by=office,
    )
    with pytest.raises(ValidationError, match="already taken"):
        services.order_issue(order=draft, number="17", by=office)
    services.order_issue(order=draft, number="18", by=office)
    with pytest.raises(ValidationError, match="already been issued"):
        services.order_issue(order=draft, number="19", by=office)


def test_an_item_no_longer_valid_on_its_date_is_refused_and_kept(record, office):
    order = order_of(OrderKind.GRADUATION, [record], by=office, effective_on=days(3))
    # Meanwhile (as by the admin) the student's status changed: the order's date comes and it is refused.
    type(record).objects.filter(pk=record.pk).update(status=StudentStatus.EXPELLED)
    assert services.orders_apply_due(days(3)) == 0
    item = order.items.get()
    assert "not studying now" in item.refusal
    assert refresh(record).status == StudentStatus.EXPELLED


def test_issue_and_application_and_the_status_change_are_audited(record, office):
    order = order_of(OrderKind.EXPULSION, [record], by=office, expulsion_reason=ExpulsionReason.RULES)
    actions = list(AuditEvent.objects.filter(actor=office).values_list("action", "target_id"))
    assert (AuditAction.STATUS_ORDER_ISSUED, str(order.pk)) in actions
    assert (AuditAction.STATUS_ORDER_APPLIED, str(order.pk)) in actions
    change = AuditEvent.objects.get(action=AuditAction.STUDENT_STATUS_CHANGED)
    assert change.target_id == str(record.pk)
    assert change.details["from"] == StudentStatus.ACTIVE and change.details["to"] == StudentStatus.EXPELLED


def test_the_student_is_told_in_their_language(record, office):
    record.student.language = "ru"
    record.student.save(update_fields=["language"])
    order_of(OrderKind.EXPULSION, [record], by=office, expulsion_reason=ExpulsionReason.OWN_WISH, number="5")
    notice = Notification.objects.get(user=record.student)
    # The status is named in the reader's language (the notice's own words are in i18n/pending until merged).
    assert "5" in notice.title
    assert "Отчислен" in notice.body
    # It links to their history, which they may read (the office's order page is not theirs).
    assert notice.url == reverse("records:history", args=[record.pk])
    assert client_for(record.student).get(notice.url).status_code == 200


def test_a_draft_is_deleted_an_issued_order_is_kept(record, office):
    draft = services.order_draft(
        data=OrderData(
            kind=OrderKind.GRADUATION,
            order_date=days(0),
            effective_on=days(0),
            signed_by="R",
            items=[ItemData(record=record)],
        ),
        by=office,
    )
    services.order_delete(order=draft, by=office)
    order = order_of(OrderKind.GRADUATION, [record], by=office)
    with pytest.raises(ValidationError, match="issued order is kept"):
        services.order_delete(order=order, by=office)
