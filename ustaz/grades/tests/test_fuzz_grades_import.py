"""Fuzzing the grades import and parse_points: a result or its own translated error; nothing written on error."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

import testkit.fuzz  # noqa: F401 - loads the hypothesis profile
from testkit.factories import UserFactory, enrol
from testkit.fuzz import bounded_memory
from testkit.mutations import csv_bytes, mutated_bytes, mutated_rows, texts, xlsx_bytes
from ustaz.grades import services
from ustaz.grades.models import Grade, GradeChange

SAMPLE = [["login", "iin", "points"], ["fuzz.one", "", "81.5"], ["", "900101300017", "64"]]
# Built once: a workbook carries the time it was saved, and hypothesis needs the same sample every time.
SAMPLE_CSV = csv_bytes(SAMPLE)
SAMPLE_XLSX = xlsx_bytes(SAMPLE)


@pytest.fixture
def exam(course):
    for username, iin in (("fuzz.one", ""), ("fuzz.two", "900101300017")):
        enrol(UserFactory(roles=",student,", username=username, iin=iin), course)
    return services.default_items_create(course=course)[-1]


def _import(exam, teacher, name, content):
    before = (Grade.objects.count(), GradeChange.objects.count())
    with bounded_memory(64):
        count, errors = services.grades_import(item=exam, filename=name, content=content, posted_by=teacher)
    if errors:
        assert count == 0 and all(isinstance(m, str) for _line, m in errors)
        assert (Grade.objects.count(), GradeChange.objects.count()) == before


@given(rows=mutated_rows(SAMPLE))
def test_fuzz_grades_import_rows(exam, teacher, rows):
    _import(exam, teacher, "g.csv", csv_bytes(rows))
    _import(exam, teacher, "g.xlsx", xlsx_bytes(rows))


@given(data=st.data())
def test_fuzz_grades_import_bytes(exam, teacher, data):
    _import(exam, teacher, "g.xlsx", data.draw(mutated_bytes(SAMPLE_XLSX)))
    _import(exam, teacher, "g.csv", data.draw(mutated_bytes(SAMPLE_CSV)))


@given(text=st.one_of(texts, st.text(max_size=60)))
def test_fuzz_parse_points(text):
    try:
        value = services.parse_points(text)
    except ValidationError as error:
        assert error.messages
    else:
        assert value is None or (value.is_finite() and abs(value) < Decimal("10000"))
