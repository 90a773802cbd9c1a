import datetime

import pytest

from ustaz.academics.models import AcademicYear
from ustaz.plans.calendar import calendar_term, term_number_for, terms_of_year, year_start


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        (1, (2025, "autumn")),
        (2, (2025, "spring")),
        (3, (2026, "autumn")),
        (4, (2026, "spring")),
        (7, (2028, "autumn")),
        (8, (2028, "spring")),
    ],
)
def test_a_curriculum_term_falls_in_the_year_of_admission_plus_its_year_of_study(term, expected):
    assert calendar_term(2025, term) == expected


def test_there_is_no_term_zero():
    with pytest.raises(ValueError, match="start at 1"):
        calendar_term(2025, 0)


def test_a_year_holds_the_two_terms_of_that_year_of_study():
    assert terms_of_year(2025, 2025, 8) == [1, 2]
    assert terms_of_year(2025, 2027, 8) == [5, 6]
    assert terms_of_year(2025, 2029, 8) == []  # after the curriculum's last term
    assert terms_of_year(2025, 2024, 8) == []  # before admission


def test_the_term_number_of_a_kind_in_a_year_is_the_inverse():
    assert term_number_for(2025, 2026, "autumn") == 3
    assert term_number_for(2025, 2026, "spring") == 4
    for n in range(1, 9):
        start, kind = calendar_term(2025, n)
        assert term_number_for(2025, start, kind) == n


def test_an_academic_year_is_named_by_the_calendar_year_it_starts_in():
    year = AcademicYear(name="2026-2027", starts_on=datetime.date(2026, 9, 1), ends_on=datetime.date(2027, 6, 30))
    assert year_start(year) == 2026
