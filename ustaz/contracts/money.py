"""Pure money rules of the contracts: a study year's schedule of installments, and the sums and dates people
type or banks send, bounded to the columns that keep them (ustaz.core.numbers)."""

from __future__ import annotations

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ustaz.core.numbers import MAX_NUMBER_TEXT, check_for_field

from .models import Payment

CENT = Decimal("0.01")


def schedule(*, amount_per_year: Decimal, years: int, first_year: int) -> list[tuple[datetime.date, Decimal]]:
    """The installments of every study year by `settings.ADMISSION_PAYMENT_SCHEDULE` ([("MM-DD", percent)...],
    months before September falling in the academic year's second calendar year); the last of a year takes
    what rounding leaves, so a year's installments add up to its amount exactly."""
    plan = settings.ADMISSION_PAYMENT_SCHEDULE
    if sum(Decimal(str(p)) for _d, p in plan) != 100:
        raise ValueError("ADMISSION_PAYMENT_SCHEDULE: the percentages must add up to 100")
    result = []
    for year in range(years):
        left = amount_per_year
        for index, (month_day, percent) in enumerate(plan):
            month, day = (int(x) for x in month_day.split("-"))
            calendar_year = first_year + year + (1 if month < 9 else 0)
            if index == len(plan) - 1:
                amount = left
            else:
                amount = (amount_per_year * Decimal(str(percent)) / 100).quantize(CENT, rounding=ROUND_HALF_UP)
            left -= amount
            result.append((datetime.date(calendar_year, month, day), amount))
    return result


def academic_year_of(day: datetime.date) -> int:
    """The calendar year the academic year holding this day starts (September to August)."""
    return day.year if day.month >= 9 else day.year - 1


class AmountError(ValueError):
    """Not a sum of money a payment can keep; ``str()`` is the translated reason, to be shown as it is."""


def parse_amount(text: str) -> Decimal:
    """ "150 000,50", "150000.50", "150,000.50" → Decimal; AmountError (a ValueError) otherwise: not a sum,
    not positive, or more than a payment's column keeps (40 digits would break every money page)."""
    text = text or ""
    not_money = AmountError(_("the amount “%(amount)s” is not a sum of money") % {"amount": text[:MAX_NUMBER_TEXT]})
    if len(text) > MAX_NUMBER_TEXT * 2:
        raise not_money
    cleaned = re.sub(r"[\s\u00a0₸]|KZT|тг\.?", "", text.strip(), flags=re.IGNORECASE)
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d{1,2})?", cleaned):
        cleaned = cleaned.replace(",", "")
    cleaned = cleaned.replace(",", ".")
    # ASCII digits only: \d would take other scripts' digits too.
    if not re.fullmatch(r"[0-9]+(\.[0-9]{1,2})?", cleaned):
        raise not_money
    amount = Decimal(cleaned)
    if amount <= 0:
        raise not_money
    try:
        return check_for_field(amount, Payment._meta.get_field("amount"))
    except ValidationError as error:
        raise AmountError(_("the amount %(amount)s is too large") % {"amount": cleaned[:MAX_NUMBER_TEXT]}) from error


def parse_date(text: str) -> datetime.date:
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise ValueError(text)
