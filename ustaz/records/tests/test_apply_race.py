"""The daily job run twice at the same moment (two workers): each student's change is applied once, one
history entry, one notice. Runs on SQLite (a file copy, as installed) and, with USTAZ_DATABASE_URL, on
PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from testkit.factories import StudyGroupFactory
from testkit.races import in_thread, writers_queue_as_in_production
from ustaz.academics.models import StudentRecord, StudentStatus
from ustaz.notifications.models import Notification
from ustaz.records import services
from ustaz.records.models import HistoryEntry, LeaveReason, OrderKind, OrderStatus

from .conftest import days, make_student, order_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_workers_apply_an_order_once(office, tmp_path):
    group = StudyGroupFactory()
    students = [make_student(group) for _ in range(6)]
    order = order_of(
        OrderKind.LEAVE,
        students,
        by=office,
        effective_on=days(3),
        leave_reason=LeaveReason.OTHER,
        leave_until=days(90),
    )
    assert order.status == OrderStatus.ISSUED
    start = threading.Barrier(2)
    applied: list[int] = []
    failures: list = []

    def worker():
        try:
            start.wait(timeout=60)
            applied.append(services.orders_apply_due(days(3)))
        except BaseException as error:  # reported below, not lost in the thread
            failures.append(error)
        finally:
            connections.close_all()

    with writers_queue_as_in_production(tmp_path):
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        entries = in_thread(HistoryEntry.objects.count)
        notices = in_thread(lambda: Notification.objects.filter(kind="records.order_applied").count())
        statuses = in_thread(lambda: set(StudentRecord.objects.filter(group=group).values_list("status", flat=True)))
    assert failures == []
    assert sum(applied) == 6  # each student counted by one worker only
    assert entries == 6 and notices == 6
    assert statuses == {StudentStatus.ACADEMIC_LEAVE}
