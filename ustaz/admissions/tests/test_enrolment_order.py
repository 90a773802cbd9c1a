"""Admission's enrolment is recorded as an order under the rector's admission order (number and date)."""

import datetime

from testkit.factories import StudyGroupFactory
from ustaz.academics.models import StudentRecord, StudentStatus
from ustaz.admissions import contracts, enrolment
from ustaz.admissions.tests.test_contracts import admitted  # noqa: F401 - the fixture
from ustaz.records import selectors
from ustaz.records.models import Order, OrderKind, OrderStatus


def test_enrolment_from_admission_is_an_order_under_the_rectors_admission_order(admitted, office):  # noqa: F811
    group = StudyGroupFactory(programme=admitted.offer.programme, name="ИО-26-1", admission_year=2026)
    contract = contracts.contract_create(application=admitted, printed_materials=False, by=office)
    contracts.contract_sign(contract=contract, signed_on=datetime.date(2026, 8, 29), by=office)
    enrolment.enrol(application=admitted, group=group, delivery="network", by=office)
    record = StudentRecord.objects.get(student_id=admitted.applicant_id)
    order = Order.objects.get()
    assert (order.kind, order.number, order.order_date, order.status) == (
        OrderKind.ENROLMENT,
        "12-Қ",
        datetime.date(2026, 8, 28),
        OrderStatus.APPLIED,
    )
    assert [e.order.pk for e in selectors.history(record)] == [order.pk]
    assert selectors.status_on(record, datetime.date(2026, 8, 27)) is None
    assert selectors.status_on(record, datetime.date(2026, 8, 28)) == StudentStatus.ACTIVE
