"""Contracts' schedules, payments by hand and from bank statements (each bad line reported, nothing
half-recorded, nothing counted twice), balances and overdue."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from ustaz.contracts import money, selectors, services
from ustaz.contracts.models import Contract, Payment
from ustaz.core.models import AuditEvent


def test_the_schedule_splits_each_year_and_adds_up_exactly(settings):
    settings.ADMISSION_PAYMENT_SCHEDULE = [("09-15", 30), ("12-01", 30), ("03-01", 40)]
    plan = money.schedule(amount_per_year=Decimal("1000000.01"), years=2, first_year=2026)
    assert [d for d, _a in plan] == [
        datetime.date(2026, 9, 15),
        datetime.date(2026, 12, 1),
        datetime.date(2027, 3, 1),
        datetime.date(2027, 9, 15),
        datetime.date(2027, 12, 1),
        datetime.date(2028, 3, 1),
    ]
    assert sum(a for _d, a in plan[:3]) == Decimal("1000000.01")
    assert plan[0][1] == Decimal("300000.00") and plan[2][1] == Decimal("400000.01")


def test_balance_covers_installments_oldest_first_and_shows_overdue(contract, office):
    # 600 000 due 15.09.2026 and 15.01.2027, and so on.
    services.payment_record(
        contract=contract, amount=Decimal("700000"), paid_on=datetime.date(2026, 9, 1), reference="", by=office
    )
    state = selectors.balance(contract, today=datetime.date(2027, 2, 1))
    assert state.due == Decimal("1200000") and state.paid == Decimal("700000") and state.debt == Decimal("500000")
    assert [(i.due_on, left) for i, left in state.overdue] == [(datetime.date(2027, 1, 15), Decimal("500000"))]
    assert state.next_due.due_on == datetime.date(2027, 9, 15)
    assert selectors.balance(contract, today=datetime.date(2026, 9, 20)).debt == 0
    listed = selectors.with_balances(Contract.objects.all(), today=datetime.date(2027, 2, 1)).get()
    assert (listed.paid, listed.due) == (Decimal("700000"), Decimal("1200000"))


def _statement(rows, kind="csv"):
    header = ["Дата", "Договор", "Сумма", "Номер документа"]
    if kind == "csv":
        lines = [";".join(header)] + [";".join(r) for r in rows]
        return "statement.csv", ("\n".join(lines) + "\n").encode("utf-8")
    book = openpyxl.Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return "statement.xlsx", out.getvalue()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_bank_statement_is_recorded_once_and_bad_lines_are_reported(contract, office, kind):
    bad = _statement(
        [
            ["10.09.2026", contract.number, "300 000,00", "PP-1"],
            ["11.09.2026", "DL-1999-0042", "100000", "PP-2"],
            ["12.09.2026", contract.number, "сто тысяч", "PP-3"],
            ["2026-13-01", contract.number, "100000", "PP-4"],
        ],
        kind,
    )
    report = services.statement_import(filename=bad[0], content=bad[1], by=office)
    lines = dict(report.errors)
    assert set(lines) == {3, 4, 5}
    assert "DL-1999-0042" in lines[3] and "сто тысяч" in lines[4] and "2026-13-01" in lines[5]
    assert not Payment.objects.exists()  # nothing recorded half-way

    good = _statement(
        [["10.09.2026", contract.number, "300 000,00", "PP-1"], ["2026-09-14", contract.number, "300000.5", "PP-2"]],
        kind,
    )
    report = services.statement_import(filename=good[0], content=good[1], by=office)
    assert not report.errors and len(report.recorded) == 2 and report.already == 0
    again = services.statement_import(filename=good[0], content=good[1], by=office)
    assert not again.errors and again.recorded == [] and again.already == 2
    assert selectors.balance(contract).paid == Decimal("600000.50")
    assert AuditEvent.objects.filter(action="admissions.statement").count() == 2


def test_a_statement_without_its_columns_is_refused(office):
    report = services.statement_import(filename="s.csv", content=b"date;amount\n2026-09-01;5\n", by=office)
    assert report.errors and report.errors[0][0] == 1 and "contract" in report.errors[0][1]
    empty = services.statement_import(filename="s.csv", content=b"date;contract;amount;reference\n", by=office)
    assert empty.errors == [(1, "The statement has no payment lines.")] and not Payment.objects.exists()


@pytest.mark.parametrize("text", ["", "0", "-5", "12,5,5", "1e5", "abc"])
def test_malformed_amounts(text):
    with pytest.raises(ValueError):
        money.parse_amount(text)


@pytest.mark.parametrize(("text", "value"), [("150 000,50", "150000.50"), ("150,000.50", "150000.50"), ("7", "7")])
def test_amounts(text, value):
    assert money.parse_amount(text) == Decimal(value)
