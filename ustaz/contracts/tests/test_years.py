"""Contracts per study year: the office's contract for a paying student who came without admission, a year's
fee changed or a year added by an addendum (with its own schedule and PDF in kk and ru), discounts by percent
or amount and refunds (bounded, validated, audited), and a year left unpaid owed in the next."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pypdfium2
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from testkit.factories import CourseFactory, UserFactory, enrol
from ustaz.academics.models import Funding, StudentRecord, StudentStatus
from ustaz.contracts import documents, selectors, services
from ustaz.contracts.models import Discount, Installment, Refund
from ustaz.core.models import AuditEvent

from .conftest import make_contract


def _text(pdf: bytes) -> str:
    return "".join(page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(pdf)).replace("\u00a0", " ")


@pytest.fixture
def record(db):
    """A second-year student imported with a paid contract but none in Ustaz."""
    student = UserFactory(roles=",student,", iin="010203400567")
    enrol(student, CourseFactory())
    record = StudentRecord.objects.get(student=student)
    record.year_of_study = 2
    record.save()
    return record


def test_the_office_makes_a_contract_for_a_paying_student_without_one(record, office):
    assert list(selectors.paying_students_without_contract()) == [record]
    StudentRecord.objects.filter(pk=record.pk).update(status=StudentStatus.GRADUATED)
    assert not selectors.paying_students_without_contract().exists()
    StudentRecord.objects.filter(pk=record.pk).update(status=StudentStatus.ACTIVE)
    contract = services.contract_for_record(record=record, first_year=2026, years=3, fee=Decimal("900000"), by=office)
    assert contract.student == record.student and contract.programme == record.programme
    assert contract.number == "DL-2026-0001" and contract.iin == "010203400567" and contract.basis == record.dlt_basis
    assert [(y.academic_year, y.study_year, y.fee) for y in contract.study_years.all()] == [
        (2026, 2, Decimal("900000")),
        (2027, 3, Decimal("900000")),
        (2028, 4, Decimal("900000")),
    ]
    assert Installment.objects.filter(contract=contract).count() == 6
    record.refresh_from_db()
    assert record.contract_number == contract.number
    assert not selectors.paying_students_without_contract().exists()
    assert AuditEvent.objects.filter(action="contracts.made", target_id=str(contract.pk)).exists()
    with pytest.raises(ValidationError, match="already has a contract"):
        services.contract_for_record(record=record, first_year=2026, years=1, fee=Decimal(1), by=office)


def test_a_student_not_on_a_paid_contract_or_bad_terms_are_refused(record, office):
    with pytest.raises(ValidationError, match="years"):
        services.contract_for_record(record=record, first_year=2026, years=9, fee=Decimal(1000), by=office)
    with pytest.raises(ValidationError, match="too large"):
        services.contract_for_record(record=record, first_year=2026, years=1, fee=Decimal("1e12"), by=office)
    with pytest.raises(ValidationError, match="above zero"):
        services.contract_for_record(record=record, first_year=2026, years=1, fee=Decimal(0), by=office)
    record.funding = Funding.OTHER
    record.save()
    with pytest.raises(ValidationError, match="paid contract"):
        services.contract_for_record(record=record, first_year=2026, years=1, fee=Decimal(1000), by=office)
    assert not record.student.contracts.exists()


def test_an_addendum_reprices_a_year_or_adds_the_next_with_its_schedule_and_pdfs(office):
    contract = make_contract(office, fee="1000000", years=1, first_year=2025)
    with pytest.raises(ValidationError, match="after its last"):
        services.addendum_record(
            contract=contract,
            academic_year=2027,
            fee=Decimal(1),
            number="1",
            signed_on=datetime.date(2026, 8, 1),
            by=office,
        )
    year = services.addendum_record(
        contract=contract,
        academic_year=2026,
        fee=Decimal("1100000"),
        number="1",
        signed_on=datetime.date(2026, 8, 20),
        by=office,
    )
    contract.refresh_from_db()
    assert contract.years == 2 and (year.study_year, year.fee, year.addendum_number) == (2, Decimal("1100000"), "1")
    assert [(i.due_on, i.amount) for i in year.installments.all()] == [
        (datetime.date(2026, 9, 15), Decimal("550000")),
        (datetime.date(2027, 1, 15), Decimal("550000")),
    ]
    with pytest.raises(ValidationError, match="already has an addendum"):
        services.addendum_record(
            contract=contract,
            academic_year=2025,
            fee=Decimal(5),
            number="1",
            signed_on=datetime.date(2026, 8, 20),
            by=office,
        )
    # The first year repriced: its schedule anew, the second one untouched.
    services.addendum_record(
        contract=contract,
        academic_year=2025,
        fee=Decimal("950000"),
        number="2",
        signed_on=datetime.date(2026, 8, 20),
        by=office,
    )
    assert selectors.balance(contract, today=datetime.date(2030, 1, 1)).total == Decimal("2050000")
    with pytest.raises(ValidationError, match="already has addendum No. 1"):
        services.addendum_record(
            contract=contract,
            academic_year=2026,
            fee=Decimal(5),
            number="3",
            signed_on=datetime.date(2026, 8, 20),
            by=office,
        )
    for language, words in (("kk", "бұдан әрі"), ("ru", "далее")):
        text = _text(documents.addendum_pdf(year, language))
        assert words in text and contract.number in text and "1100000" in re.sub(r"[\s\u202f]", "", text), language
        assert "2026" in text and contract.student.last_name in text
    # The contract's own PDF keeps its terms as made (its own years).
    assert contract.number in _text(documents.contract_pdf(contract, "ru"))
    assert AuditEvent.objects.filter(action="contracts.addendum").count() == 2


def test_discounts_by_percent_or_amount_lower_what_is_due_and_are_bounded(office):
    contract = make_contract(office, fee="1000000", years=2, first_year=2026)
    first, second = contract.study_years.all()
    order = {"reason": "Ағасы да оқиды", "order_number": "45-Ж", "order_date": datetime.date(2026, 9, 1), "by": office}
    services.discount_record(year=first, percent=Decimal(10), **order)
    services.discount_record(year=second, amount=Decimal("250000.50"), **order)
    assert [(d.percent, d.amount) for d in Discount.objects.order_by("pk")] == [
        (Decimal(10), Decimal("100000")),
        (None, Decimal("250000.50")),
    ]
    state = selectors.balance(contract, today=datetime.date(2028, 9, 1))
    assert [(y.discount, y.due) for y in state.years] == [
        (Decimal("100000"), Decimal("900000")),
        (Decimal("250000.50"), Decimal("749999.50")),
    ]
    assert sum(i.amount for i in first.installments.all()) == Decimal("900000")
    for bad, message in (
        ({"percent": Decimal(101)}, "at most 100"),
        ({"percent": Decimal(0)}, "at least"),
        ({"amount": Decimal("1e15")}, "too large"),
        ({"amount": Decimal("900000.01")}, "larger than its fee"),
        ({"percent": Decimal(5), "amount": Decimal(5)}, "not both"),
        ({}, "not both"),
    ):
        with pytest.raises(ValidationError, match=message):
            services.discount_record(year=first, **bad, **order)
    with pytest.raises(ValidationError, match="reason"):
        services.discount_record(year=first, percent=Decimal(1), **{**order, "reason": " "})
    with pytest.raises(ValidationError, match="order"):
        services.discount_record(year=first, percent=Decimal(1), **{**order, "order_number": ""})
    with pytest.raises(ValidationError, match="future"):
        services.discount_record(
            year=first, percent=Decimal(1), **{**order, "order_date": timezone.localdate() + datetime.timedelta(9)}
        )
    assert Discount.objects.count() == 2
    # An addendum cannot price a year under its discounts.
    with pytest.raises(ValidationError, match="discounts"):
        services.addendum_record(
            contract=contract,
            academic_year=2027,
            fee=Decimal(1000),
            number="3",
            signed_on=datetime.date(2026, 9, 1),
            by=office,
        )


def test_refunds_lower_what_is_paid_never_below_zero(office):
    contract = make_contract(office, fee="1000000", years=1, first_year=2026)
    services.payment_record(
        contract=contract, amount=Decimal(700000), paid_on=datetime.date(2026, 9, 1), reference="", by=office
    )
    with pytest.raises(ValidationError, match="cannot exceed what is paid"):
        services.refund_record(
            contract=contract, amount=Decimal("700000.01"), refunded_on=datetime.date(2026, 9, 5), reason="x", by=office
        )
    with pytest.raises(ValidationError, match="reason"):
        services.refund_record(
            contract=contract, amount=Decimal(1), refunded_on=datetime.date(2026, 9, 5), reason="  ", by=office
        )
    services.refund_record(
        contract=contract,
        amount=Decimal(200000),
        refunded_on=datetime.date(2026, 9, 5),
        reason="Артық төленді",
        by=office,
    )
    state = selectors.balance(contract, today=datetime.date(2027, 2, 1))
    assert (state.payments, state.refunded, state.paid, state.debt) == (
        Decimal(700000),
        Decimal(200000),
        Decimal(500000),
        Decimal(500000),
    )
    listed = selectors.with_balances(type(contract).objects.all(), today=datetime.date(2027, 2, 1)).get()
    assert (listed.paid, listed.due) == (Decimal(500000), Decimal(1000000))
    with pytest.raises(ValidationError, match="500000.00"):
        services.refund_record(
            contract=contract, amount=Decimal(500001), refunded_on=datetime.date(2026, 9, 5), reason="x", by=office
        )
    assert Refund.objects.count() == 1 and AuditEvent.objects.filter(action="contracts.refund").count() == 1


def test_a_year_left_unpaid_is_owed_in_the_next(office):
    contract = make_contract(office, fee="1000000", years=2, first_year=2025)
    services.payment_record(
        contract=contract, amount=Decimal(300000), paid_on=datetime.date(2025, 9, 1), reference="", by=office
    )
    state = selectors.balance(contract, today=datetime.date(2026, 10, 1))
    first, second = state.years
    assert (first.due, first.covered, first.overdue) == (Decimal(1000000), Decimal(300000), Decimal(700000))
    assert second.carried_in == Decimal(700000) and second.overdue == Decimal(500000)
    assert state.debt == Decimal(1200000)
    # A payment in the second year pays the first year's debt first.
    services.payment_record(
        contract=contract, amount=Decimal(700000), paid_on=datetime.date(2026, 10, 2), reference="", by=office
    )
    state = selectors.balance(contract, today=datetime.date(2026, 10, 3))
    assert state.years[0].unpaid == 0 and state.years[1].carried_in == 0 and state.debt == Decimal(500000)
    assert selectors.students_with_overdue([contract.student_id], datetime.date(2026, 10, 3)) == {contract.student_id}
    assert selectors.students_with_overdue([contract.student_id], datetime.date(2026, 9, 14)) == set()
