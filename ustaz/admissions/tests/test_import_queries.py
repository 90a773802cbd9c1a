"""Checking a bank statement costs the same queries for N and 2N lines: lookups loaded once, none per line."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ustaz.admissions import contracts
from ustaz.admissions.models import Payment

from .test_contracts import admitted  # noqa: F401 - the fixture


def test_checking_n_and_2n_lines_costs_the_same_queries(admitted, office):  # noqa: F811
    contract = contracts.contract_create(application=admitted, printed_materials=False, by=office)
    counts = []
    for n in (10, 20):
        lines = [f"2026-09-01;{contract.number};100;PP-{i}" for i in range(n)] + ["2026-09-01;NO-SUCH;100;PP-x"]
        content = ("date;contract;amount;reference\n" + "\n".join(lines)).encode()
        with CaptureQueriesContext(connection) as queries:
            report = contracts.statement_import(filename="s.csv", content=content, by=office)
        assert [line for line, _m in report.errors] == [n + 2]
        counts.append(len(queries))
    assert counts[0] == counts[1] == 2  # the contracts named, the bank documents already recorded
    assert not Payment.objects.exists()
