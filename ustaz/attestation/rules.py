"""The rules of final attestation as pure functions (no database): tested at their edges."""

from __future__ import annotations

import datetime
import math
from fractions import Fraction


def parse_fraction(text: str) -> Fraction:
    """ "2/3" or "0.67" as a fraction strictly between 0 and 1 inclusive of 1."""
    value = Fraction(text.strip())
    if not 0 < value <= 1:
        raise ValueError(f"a quorum is a fraction in (0, 1], not {text!r}")
    return value


def quorum_needed(voting_members: int, fraction: Fraction) -> int:
    """How many voting members must be present (and not stepped aside): the fraction, rounded up."""
    return math.ceil(voting_members * fraction)


def has_quorum(*, voting_members: int, present: int, fraction: Fraction) -> bool:
    """present: voting members present and not stepped aside for the student."""
    if voting_members <= 0:
        return False
    return present >= quorum_needed(voting_members, fraction)


def order_problem(
    *, order_number: str, order_date: datetime.date | None, first_sitting: datetime.date | None, days: int
) -> str | None:
    """Why the order approving a commission's composition does not satisfy the rule, as a code:
    "missing" (no number or date), "late" (dated less than `days` before the first sitting), or None."""
    if not order_number.strip() or order_date is None:
        return "missing"
    if first_sitting is not None and (first_sitting - order_date).days < days:
        return "late"
    return None


def graduating_admission_year(*, academic_year: int, terms: int) -> int:
    """The year of admission of the students who finish a curriculum of `terms` terms in the academic year
    starting in `academic_year` (8 terms: admitted 2022, graduating in 2025/2026)."""
    return academic_year - (math.ceil(terms / 2) - 1)
