from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

import testkit.fuzz  # noqa: F401  (the hypothesis profile)
from ustaz.core.numbers import check_decimal, parse_decimal


def test_it_reads_what_people_type():
    assert parse_decimal("85,5", max_digits=5, decimal_places=1) == Decimal("85.5")
    assert parse_decimal("1 250.50", max_digits=12, decimal_places=2) == Decimal("1250.50")
    assert parse_decimal("7", max_digits=4, decimal_places=2) == Decimal("7.00")


@pytest.mark.parametrize("text", ["1e30", "1e309", "100000", "99999.5"])
def test_it_refuses_numbers_too_large_for_the_column(text):
    with pytest.raises(ValidationError) as error:
        parse_decimal(text, max_digits=5, decimal_places=1)
    assert error.value.code == "too_large"


@pytest.mark.parametrize("text, code", [("NaN", "not_a_number"), ("Infinity", "infinite"), ("-inf", "infinite")])
def test_it_refuses_nan_and_infinity(text, code):
    with pytest.raises(ValidationError) as error:
        parse_decimal(text, max_digits=5, decimal_places=1)
    assert error.value.code == code


def test_it_refuses_more_decimals_than_kept_and_values_out_of_bounds():
    with pytest.raises(ValidationError):
        parse_decimal("1.25", max_digits=5, decimal_places=1)
    with pytest.raises(ValidationError):
        parse_decimal("-1", max_digits=5, decimal_places=1, minimum=0)
    with pytest.raises(ValidationError):
        parse_decimal("101", max_digits=5, decimal_places=1, maximum=100)
    assert parse_decimal("1.20", max_digits=5, decimal_places=1) == Decimal("1.2")


@given(st.text(max_size=60))
def test_any_text_is_a_fitting_number_or_a_validation_error(text):
    try:
        value = parse_decimal(text, max_digits=6, decimal_places=2)
    except ValidationError:
        return
    assert value.is_finite() and abs(value) < 10_000 and value == value.quantize(Decimal("0.01"))


@given(st.decimals(allow_nan=True, allow_infinity=True))
def test_any_decimal_is_checked(value):
    try:
        checked = check_decimal(value, max_digits=6, decimal_places=2)
    except ValidationError:
        return
    assert checked.is_finite() and abs(checked) < 10_000
