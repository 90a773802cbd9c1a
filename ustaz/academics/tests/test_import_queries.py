"""Checking a students file costs the same queries for N and 2N rows: lookups loaded once, none per row."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from testkit.factories import StudyGroupFactory
from ustaz.academics import services
from ustaz.academics.models import StudentRecord

from .test_students_import import HEADER, iin


def test_checking_n_and_2n_rows_costs_the_same_queries(db, office):
    group = StudyGroupFactory()
    counts = []
    for n in (5, 10):
        rows = [f"Сейітов{i},Ерлан,{iin(i)},KZ,,exchange,network,2,\n" for i in range(n)]
        rows.append(f"Қате,Жол,{iin(99)},KZ,,nowhere,network,2,\n")  # an unknown basis: only checked
        with CaptureQueriesContext(connection) as queries:
            result = services.students_import(
                group=group, filename="s.csv", content=(HEADER + "".join(rows)).encode(), issued_by=office
            )
        assert [line for line, _m in result.errors] == [n + 2]
        counts.append(len(queries))
    assert counts[0] == counts[1] == 1  # the IINs already taken (no login is given)
    assert not StudentRecord.objects.exists()
