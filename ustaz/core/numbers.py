"""Numbers that people type or import, bounded to the column that keeps them.

SQLite does not enforce a DecimalField's ``max_digits``: a value too large for its column is saved there and
then breaks every page that reads it back. So every decimal that comes from outside (a form, a cell, an
imported file, a JSON body) is checked here against its field before it is written, with a translated
message, and NaN or Infinity are refused as what they are.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

# A text longer than this is no number anyone meant to type (1e309, a pasted paragraph).
MAX_NUMBER_TEXT = 40


def check_decimal(
    value: Decimal,
    *,
    max_digits: int,
    decimal_places: int,
    minimum: Decimal | int | None = None,
    maximum: Decimal | int | None = None,
) -> Decimal:
    """The value if it fits ``max_digits``/``decimal_places`` and the bounds; ValidationError otherwise."""
    if not isinstance(value, Decimal):
        try:
            value = Decimal(str(value))
        except (InvalidOperation, ValueError):
            raise ValidationError(_("This is not a number."), code="not_a_number") from None
    if value.is_nan():
        raise ValidationError(_("This is not a number."), code="not_a_number")
    if value.is_infinite():
        raise ValidationError(_("An infinite value is not accepted."), code="infinite")
    largest = Decimal(10) ** (max_digits - decimal_places) - Decimal(1).scaleb(-decimal_places)
    # Compared by magnitude first: quantizing 1e309 would overflow the decimal context.
    if value and value.adjusted() >= max_digits - decimal_places:
        raise ValidationError(
            _("The number is too large: at most %(largest)s.") % {"largest": largest}, code="too_large"
        )
    step = Decimal(1).scaleb(-decimal_places)
    if value != value.quantize(step):
        raise ValidationError(
            _("At most %(places)s digits after the decimal point.") % {"places": decimal_places}, code="precision"
        )
    value = value.quantize(step)
    if minimum is not None and value < minimum:
        raise ValidationError(_("The number must be at least %(minimum)s.") % {"minimum": minimum}, code="min_value")
    if maximum is not None and value > maximum:
        raise ValidationError(_("The number must be at most %(maximum)s.") % {"maximum": maximum}, code="max_value")
    return value


def parse_decimal(
    text: str,
    *,
    max_digits: int,
    decimal_places: int,
    minimum: Decimal | int | None = None,
    maximum: Decimal | int | None = None,
) -> Decimal:
    """What a person typed ("85", "85,5", "1 250.50") as a Decimal that fits its column."""
    cleaned = (text or "").strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not cleaned or len(cleaned) > MAX_NUMBER_TEXT:
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": (text or "")[:MAX_NUMBER_TEXT]})
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": text}, code="not_a_number") from None
    return check_decimal(value, max_digits=max_digits, decimal_places=decimal_places, minimum=minimum, maximum=maximum)


def check_for_field(
    value: Decimal,
    field: models.DecimalField,
    *,
    minimum: Decimal | int | None = None,
    maximum: Decimal | int | None = None,
) -> Decimal:
    """``check_decimal`` with the limits of a model's DecimalField (``Model._meta.get_field(name)``)."""
    return check_decimal(
        value, max_digits=field.max_digits, decimal_places=field.decimal_places, minimum=minimum, maximum=maximum
    )
