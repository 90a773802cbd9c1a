"""The numbers of the testing centre, bounded before they are kept: a question's points to its column, the key of
a numeric question and its tolerance, the weights of options in an imported bank, a test's pass mark. SQLite
keeps whatever it is given, and a value too large for its column (or NaN, or an infinity) then breaks every
page that reads it back; PostgreSQL refuses it with a 500. So every number from a form, a file or a JSON body
passes here first and is refused with a translated message."""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ustaz.core.numbers import MAX_NUMBER_TEXT, check_decimal, check_for_field

# A numeric question's key and tolerance live in the version's JSON: below a trillion, ten decimals at most.
KEY_DIGITS, KEY_PLACES = 22, 10
# A test draws at most this many questions from one category.
MAX_SECTION_COUNT = 1000


def _decimal(value) -> Decimal:
    """A number given as text (decimal comma accepted), int, float or Decimal; ValidationError otherwise."""
    if isinstance(value, bool):
        raise ValidationError(_("This is not a number."), code="not_a_number")
    if isinstance(value, float):
        if math.isnan(value):
            raise ValidationError(_("This is not a number."), code="not_a_number")
        if math.isinf(value):
            raise ValidationError(_("An infinite value is not accepted."), code="infinite")
        return Decimal(repr(value))
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not text or len(text) > MAX_NUMBER_TEXT:
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": str(value)[:MAX_NUMBER_TEXT]})
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": str(value)[:MAX_NUMBER_TEXT]}) from None


def points(value) -> Decimal:
    """A question's points: more than 0 and within QuestionVersion.points."""
    from .models import QuestionVersion

    checked = check_for_field(_decimal(value), QuestionVersion._meta.get_field("points"))
    if checked <= 0:
        raise ValidationError(_("The points must be more than 0."), code="min_value")
    return checked


def key_decimal(value) -> Decimal:
    return check_decimal(_decimal(value), max_digits=KEY_DIGITS, decimal_places=KEY_PLACES)


def key_number(value) -> float:
    """The right answer of a numeric question, as kept in the version's data."""
    return float(key_decimal(value))


def tolerance(value) -> float:
    return float(check_decimal(_decimal(value), max_digits=KEY_DIGITS, decimal_places=KEY_PLACES, minimum=0))


def weight(value) -> Decimal:
    """An option's share of a question in percent (GIFT ~%50%, Moodle's fraction): from -100 to 100, kept to
    five decimals (Moodle writes a third as 33.33333)."""
    number = _decimal(value)
    if number.is_finite() and number and number.adjusted() < 4:
        number = number.quantize(Decimal("0.00001"))
    return check_decimal(number, max_digits=10, decimal_places=5, minimum=-100, maximum=100)
