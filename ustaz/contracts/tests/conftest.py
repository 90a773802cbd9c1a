"""A paying student's contract made by the office (the fee 1 200 000 a year, 4 years from 2026: 600 000 due on
15 September and 15 January of each year by the default schedule)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from testkit.factories import ProgrammeFactory, UserFactory
from ustaz.contracts import services


def make_contract(office, *, student=None, fee="1200000", years=4, first_year=2026, **extra):
    return services.contract_create(
        student=student or UserFactory(roles=",student,"),
        programme=extra.pop("programme", None) or ProgrammeFactory(),
        first_year=first_year,
        years=years,
        fee=Decimal(fee),
        by=office,
        **extra,
    )


@pytest.fixture
def contract(db, office):
    return make_contract(office)
