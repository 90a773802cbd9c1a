"""Fuzzing bank statements (CSV/XLSX), parse_amount and parse_date: a result or the parser's own error."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

import testkit.fuzz  # noqa: F401 - loads the hypothesis profile
from testkit.factories import UserFactory
from testkit.fuzz import bounded_memory
from testkit.mutations import csv_bytes, mutated_bytes, mutated_rows, texts, xlsx_bytes
from ustaz.contracts import money, services
from ustaz.contracts.models import Payment

SAMPLE = [
    ["Дата", "Договор", "Сумма", "Номер документа"],
    ["10.09.2026", "DL-2026-0001", "300 000,00", "PP-1"],
    ["2026-09-11", "DL-2026-0001", "150000.50", "PP-2"],
]
# Built once: a workbook carries the time it was saved, and hypothesis needs the same sample every time.
SAMPLE_CSV = csv_bytes(SAMPLE, ";")
SAMPLE_XLSX = xlsx_bytes(SAMPLE)


@pytest.fixture
def office(db):
    return UserFactory(roles=",academic_office,")


def _import(office, name, content):
    before = Payment.objects.count()
    with bounded_memory(64):
        report = services.statement_import(filename=name, content=content, by=office)
    if report.errors:
        assert Payment.objects.count() == before and not report.recorded
        assert all(isinstance(line, int) and isinstance(m, str) for line, m in report.errors)


@given(rows=mutated_rows(SAMPLE))
def test_fuzz_statement_rows(office, rows):
    _import(office, "s.csv", csv_bytes(rows, ";"))
    _import(office, "s.xlsx", xlsx_bytes(rows))


@given(data=st.data())
def test_fuzz_statement_bytes(office, data):
    _import(office, "s.csv", data.draw(mutated_bytes(SAMPLE_CSV)))
    _import(office, "s.xlsx", data.draw(mutated_bytes(SAMPLE_XLSX)))


@given(text=st.one_of(texts, st.text(max_size=60)))
def test_fuzz_parse_amount(text):
    try:
        amount = money.parse_amount(text)
    except money.AmountError as error:
        assert str(error)
    else:
        assert amount.is_finite() and 0 < amount < 10**10


@given(text=st.one_of(texts, st.text(max_size=40), st.dates().map(lambda d: d.strftime("%d.%m.%Y"))))
def test_fuzz_parse_date(text):
    try:
        value = money.parse_date(text)
    except ValueError:
        pass
    else:
        assert isinstance(value, datetime.date)
