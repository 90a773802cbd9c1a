"""Checking a bank statement costs the same queries for N and 2N lines: lookups loaded once, none per line."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ustaz.contracts import services
from ustaz.contracts.models import Payment


def test_checking_n_and_2n_lines_costs_the_same_queries(contract, office):
    counts = []
    for n in (10, 20):
        lines = [f"2026-09-01;{contract.number};100;PP-{i}" for i in range(n)] + ["2026-09-01;NO-SUCH;100;PP-x"]
        content = ("date;contract;amount;reference\n" + "\n".join(lines)).encode()
        with CaptureQueriesContext(connection) as queries:
            report = services.statement_import(filename="s.csv", content=content, by=office)
        assert [line for line, _m in report.errors] == [n + 2]
        counts.append(len(queries))
    assert counts[0] == counts[1] == 2  # the contracts named, the bank documents already recorded
    assert not Payment.objects.exists()
