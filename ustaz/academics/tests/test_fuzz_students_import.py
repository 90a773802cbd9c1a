"""Fuzzing the students import: records and accounts, or errors by line with nothing written."""

from __future__ import annotations

import pytest
from hypothesis import given

import testkit.fuzz  # noqa: F401 - loads the hypothesis profile
from testkit.factories import StudyGroupFactory
from testkit.fuzz import bounded_memory
from testkit.mutations import csv_bytes, mutated_bytes, mutated_rows, xlsx_bytes
from ustaz.academics import services
from ustaz.academics.models import StudentRecord
from ustaz.accounts.models import User

from .test_students_import import iin

SAMPLE = [
    [
        "last_name",
        "first_name",
        "iin",
        "citizenship",
        "dlt_basis",
        "delivery",
        "funding",
        "year_of_study",
        "country_of_residence",
        "contract_number",
    ],
    ["Сейітов", "Ерлан", iin(1), "KZ", "exchange", "network", "", "2", "TR", "DL-2026-0001"],
    ["Müller", "Anna", "", "DE", "foreign_family", "blended", "", "1", "", ""],
]


@pytest.fixture
def group(db):
    return StudyGroupFactory()


def _import(group, name, content):
    users, records = User.objects.count(), StudentRecord.objects.count()
    with bounded_memory(64):
        result = services.students_import(group=group, filename=name, content=content, issued_by=None)
    if result.errors:
        assert (User.objects.count(), StudentRecord.objects.count()) == (users, records)
    else:
        assert StudentRecord.objects.count() == records + len(result.issued)


@given(rows=mutated_rows(SAMPLE))
def test_fuzz_students_rows_csv_and_xlsx(group, rows):
    _import(group, "s.csv", csv_bytes(rows))
    _import(group, "s.xlsx", xlsx_bytes(rows))


@given(content=mutated_bytes(csv_bytes(SAMPLE)))
def test_fuzz_students_bytes(group, content):
    _import(group, "s.csv", content)
