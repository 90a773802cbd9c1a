import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from ustaz.accounts.iin import iin_check_digit, make_iin, validate_iin


@pytest.mark.parametrize("iin", ["900101300017", "850615450012"])
def test_it_accepts_valid_iins(iin):
    validate_iin(iin)


def test_it_uses_the_second_weights_when_the_first_sum_gives_ten():
    # The first weights sum to 131 = 11 * 11 + 10, so the second weights decide: 78 = 7 * 11 + 1.
    head = "90010130081"
    assert sum(int(d) * w for d, w in zip(head, range(1, 12), strict=True)) == 131
    assert iin_check_digit(head) == 1
    validate_iin(head + "1")


def test_it_refuses_a_number_whose_both_sums_give_ten():
    # 90010130080: 120 % 11 == 10 and 76 % 11 == 10, so no IIN starts this way.
    assert iin_check_digit("90010130080") is None
    with pytest.raises(ValidationError):
        validate_iin("900101300800")


@pytest.mark.parametrize(
    ("iin", "code"),
    [
        ("12345", "iin_format"),
        ("90010130001a", "iin_format"),
        ("901301300017", "iin_date"),
        ("900101900017", "iin_date"),
        ("900101300016", "iin_check"),
    ],
)
def test_it_rejects_invalid_iins_with_a_reason(iin, code):
    with pytest.raises(ValidationError) as error:
        validate_iin(iin)
    assert error.value.code == code


@given(
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2099, 12, 31)),
    st.booleans(),
    st.integers(0, 9999),
)
def test_made_iins_are_always_valid(birth, female, serial):
    validate_iin(make_iin(birth, female=female, serial=serial))


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_a_changed_digit_is_caught(iin):
    # Whatever twelve digits: a valid IIN with one digit changed is never valid again (single-error detection).
    try:
        validate_iin(iin)
    except ValidationError:
        return
    changed = iin[:8] + str((int(iin[8]) + 1) % 10) + iin[9:]
    with pytest.raises(ValidationError):
        validate_iin(changed)


@pytest.mark.parametrize("digit", ["²", "٣", "３"])
def test_digits_of_other_scripts_are_no_iin(digit):
    # str.isdigit() takes superscripts, Arabic-Indic and full-width digits: int() refuses the first and reads
    # the others, so such an IIN would crash a page or slip past the uniqueness check.
    valid = make_iin(datetime.date(1990, 1, 1), female=False, serial=1)
    with pytest.raises(ValidationError) as error:
        validate_iin(valid[:11] + digit)
    assert error.value.code == "iin_format"
