"""Fuzzing the accounts import (CSV and XLSX): every input ends in issued accounts or errors by line, never
another exception; nothing is written when it is refused; memory stays bounded."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import testkit.fuzz  # noqa: F401 - loads the hypothesis profile
from testkit.fuzz import bounded_memory
from testkit.mutations import csv_bytes, mutated_bytes, mutated_rows, xlsx_bytes
from ustaz.accounts import services
from ustaz.accounts.models import User

from .test_import import valid_iin

SAMPLE = [
    ["last_name", "first_name", "patronymic", "iin", "citizenship", "email", "time_zone", "language", "roles", "login"],
    ["Сейітов", "Ерлан", "Асқарұлы", valid_iin(1), "KZ", "erlan@example.kz", "Asia/Almaty", "kk", "student", ""],
    ["Smith", "John", "", "", "GB", "john@example.com", "Europe/London", "en", "teacher", "j.smith"],
]


def _import(name: str, content: bytes) -> None:
    before = User.objects.count()
    with bounded_memory(64):
        result = services.accounts_import(filename=name, content=content, issued_by=None)
    if result.errors:
        assert all(isinstance(line, int) and isinstance(message, str) for line, message in result.errors)
        assert User.objects.count() == before
    else:
        assert User.objects.count() == before + len(result.issued)


@pytest.mark.django_db
@given(rows=mutated_rows(SAMPLE))
def test_fuzz_accounts_csv_rows(rows):
    _import("people.csv", csv_bytes(rows))


@pytest.mark.django_db
@given(content=mutated_bytes(csv_bytes(SAMPLE, ";")))
def test_fuzz_accounts_csv_bytes(content):
    _import("people.csv", content)


@pytest.mark.django_db
@given(rows=mutated_rows(SAMPLE))
def test_fuzz_accounts_xlsx_rows(rows):
    _import("people.xlsx", xlsx_bytes(rows))


@pytest.mark.django_db
@given(content=mutated_bytes(xlsx_bytes(SAMPLE)), name=st.sampled_from(["people.xlsx", "people.csv", "x.txt"]))
def test_fuzz_accounts_xlsx_bytes(content, name):
    _import(name, content)
