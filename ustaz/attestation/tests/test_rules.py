"""The pure rules: the quorum at its edges, the order's month, the graduating year."""

import datetime
from fractions import Fraction

import pytest

from ustaz.attestation import rules

TWO_THIRDS = Fraction(2, 3)


@pytest.mark.parametrize(("members", "needed"), [(3, 2), (4, 3), (5, 4), (6, 4), (7, 5), (9, 6)])
def test_quorum_is_two_thirds_of_the_voting_members_rounded_up(members, needed):
    assert rules.quorum_needed(members, TWO_THIRDS) == needed
    assert rules.has_quorum(voting_members=members, present=needed, fraction=TWO_THIRDS)
    assert not rules.has_quorum(voting_members=members, present=needed - 1, fraction=TWO_THIRDS)


def test_five_members_need_four_three_are_not_enough():
    assert rules.has_quorum(voting_members=5, present=4, fraction=TWO_THIRDS)
    assert not rules.has_quorum(voting_members=5, present=3, fraction=TWO_THIRDS)


def test_an_empty_commission_never_has_a_quorum():
    assert not rules.has_quorum(voting_members=0, present=0, fraction=TWO_THIRDS)


def test_the_fraction_is_a_setting_and_refuses_nonsense():
    assert rules.parse_fraction("2/3") == TWO_THIRDS
    assert rules.quorum_needed(5, rules.parse_fraction("3/4")) == 4
    assert rules.quorum_needed(8, rules.parse_fraction("0.5")) == 4
    for wrong in ("0", "3/2", "-1/2"):
        with pytest.raises(ValueError):
            rules.parse_fraction(wrong)


SITTING = datetime.date(2026, 6, 1)


@pytest.mark.parametrize(
    ("number", "date", "sitting", "problem"),
    [
        ("", datetime.date(2026, 4, 1), SITTING, "missing"),
        ("12-П", None, SITTING, "missing"),
        ("  ", datetime.date(2026, 4, 1), SITTING, "missing"),
        ("12-П", SITTING - datetime.timedelta(days=29), SITTING, "late"),
        ("12-П", SITTING, SITTING, "late"),
        ("12-П", SITTING - datetime.timedelta(days=30), SITTING, None),
        ("12-П", datetime.date(2026, 1, 10), SITTING, None),
        ("12-П", datetime.date(2026, 5, 30), None, None),  # no sitting date yet: only the order itself is checked
    ],
)
def test_the_order_is_recorded_at_least_a_month_before_the_first_sitting(number, date, sitting, problem):
    assert rules.order_problem(order_number=number, order_date=date, first_sitting=sitting, days=30) == problem


def test_graduating_year_of_admission():
    assert rules.graduating_admission_year(academic_year=2025, terms=8) == 2022
    assert rules.graduating_admission_year(academic_year=2025, terms=4) == 2024
    assert rules.graduating_admission_year(academic_year=2025, terms=10) == 2021
