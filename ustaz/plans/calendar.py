"""Where a curriculum's terms fall in the calendar, in one place (docs/decisions/0013-study-plans.md).

Term 1 of a curriculum is the autumn of the year of admission, term 2 the spring after it, term 3 the next
autumn, and so on: term n is studied in the academic year that starts in admission_year + (n - 1) // 2, in
its autumn for odd n and its spring for even n. An academic year is named by the calendar year it starts in.
"""

from __future__ import annotations

from ustaz.academics.models import AcademicYear, TermKind


def calendar_term(admission_year: int, term_number: int) -> tuple[int, str]:
    """The academic year (the calendar year it starts in) and the kind of term of a curriculum's term."""
    if term_number < 1:
        raise ValueError(f"a curriculum's terms start at 1, not {term_number}")
    return admission_year + (term_number - 1) // 2, TermKind.AUTUMN if term_number % 2 else TermKind.SPRING


def year_start(academic_year: AcademicYear) -> int:
    return academic_year.starts_on.year


def terms_of_year(admission_year: int, start: int, terms: int) -> list[int]:
    """The curriculum's terms (at most two) studied in the academic year starting in `start`."""
    return [n for n in range(1, terms + 1) if calendar_term(admission_year, n)[0] == start]


def term_number_for(admission_year: int, start: int, kind: str) -> int:
    """The curriculum's term of the given kind in the academic year (a summer term counts with the spring)."""
    first = 2 * (start - admission_year) + 1
    return first if kind == TermKind.AUTUMN else first + 1
