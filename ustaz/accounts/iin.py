"""The Kazakh individual identification number (IIN, ЖСН/ИИН).

Twelve digits: birth date YYMMDD, a digit for century and sex (1-2: 1800s, 3-4: 1900s, 5-6: 2000s),
four digits of a serial number and a check digit. The check digit is the weighted sum of the first
eleven digits with weights 1..11 modulo 11; where that gives 10, the weights 3..11,1,2 are used instead,
and an IIN whose second sum also gives 10 is never issued.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FIRST_WEIGHTS = tuple(range(1, 12))
SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
CENTURY_BY_DIGIT = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}


def iin_check_digit(first_eleven: str) -> int | None:
    digits = [int(c) for c in first_eleven]
    check = sum(d * w for d, w in zip(digits, FIRST_WEIGHTS, strict=True)) % 11
    if check == 10:
        check = sum(d * w for d, w in zip(digits, SECOND_WEIGHTS, strict=True)) % 11
    return None if check == 10 else check


def iin_birth_date(iin: str) -> datetime.date | None:
    century = CENTURY_BY_DIGIT.get(iin[6])
    if century is None:
        return None
    try:
        return datetime.date(century + int(iin[0:2]), int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        return None


def validate_iin(value: str) -> None:
    # isdigit() alone takes "²" and other scripts' digits, which int() refuses or reads as another number.
    if len(value) != 12 or not (value.isascii() and value.isdigit()):
        raise ValidationError(_("An IIN has exactly 12 digits."), code="iin_format")
    if iin_birth_date(value) is None:
        raise ValidationError(_("The first seven digits of this IIN are not a valid birth date."), code="iin_date")
    if iin_check_digit(value[:11]) != int(value[11]):
        raise ValidationError(_("The check digit of this IIN is wrong: please check the number."), code="iin_check")


def make_iin(birth: datetime.date, *, female: bool, serial: int) -> str:
    """Build a valid IIN (used by the demo university and the tests)."""
    century_digit = {1800: 1, 1900: 3, 2000: 5}[birth.year // 100 * 100] + (1 if female else 0)
    for bump in range(100):
        head = f"{birth:%y%m%d}{century_digit}{(serial + bump) % 10000:04d}"
        check = iin_check_digit(head)
        if check is not None:
            return f"{head}{check}"
    raise ValueError("no valid IIN near this serial")  # unreachable in practice
