"""The credit-technology rules of a discipline's result (../shared/docs/rules.md), as pure functions.

Arithmetic is decimal, never binary floating point, so that 94.45 and 49.95 round the way a person
rounds them. Rounding, written down once:
- every computed score (a rating, the admission rating, the final score) is kept to one decimal,
  rounded half up: 84.45 -> 84.5, 84.44 -> 84.4;
- the letter is read from the final score rounded half up to a whole number: 94.5 -> 95 -> A,
  94.4 -> 94 -> A-, 49.5 -> 50 -> D, 49.4 -> 49 -> FX;
- a GPA is kept to two decimals, rounded half up: 2.4665 -> 2.47.
The University's choices ([U] in rules.md) are settings, read through `GradingPolicy.from_settings()`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

ONE_DECIMAL = Decimal("0.1")
TWO_DECIMALS = Decimal("0.01")
WHOLE = Decimal("1")
HUNDRED = Decimal(100)

Number = Decimal | int | str


def to_decimal(value: Number) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def round_score(value: Number) -> Decimal:
    """A computed score, to one decimal, half up."""
    return to_decimal(value).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def round_gpa(value: Number) -> Decimal:
    return to_decimal(value).quantize(TWO_DECIMALS, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Letter:
    letter: str
    points: Decimal
    lowest_score: int  # the lowest whole score that earns this letter
    traditional: str  # excellent, good, satisfactory, unsatisfactory


TRADITIONAL_LABELS = {
    "excellent": _("excellent"),
    "good": _("good"),
    "satisfactory": _("satisfactory"),
    "unsatisfactory": _("unsatisfactory"),
}


@dataclass(frozen=True)
class GradingPolicy:
    """The points where rules.md lets the University choose, with its defaults."""

    # "average": admitted when AR >= 50; "each": when R1 >= 50 and R2 >= 50 as well.
    admission_rule: str = "average"
    admission_minimum: Decimal = Decimal(50)
    exam_minimum: Decimal = Decimal(50)  # an exam below it gives no final score
    fx_minimum: Decimal = Decimal(25)  # below the exam minimum: FX from here, F under it
    admission_weight: Decimal = Decimal("0.6")
    exam_weight: Decimal = Decimal("0.4")
    fx_points: Decimal = Decimal("0.5")  # FX in the GPA: 0.5, or 0
    c_plus_traditional: str = "good"  # C+ is "good", or "satisfactory"
    retaken_counts: str = "latest"  # a discipline studied again: "latest" result in the GPA, or "all"
    # rules.md "[U, default off] when the student has no overdue contract payment": settings
    # GRADES_BAR_OVERDUE_PAYMENT. Whether a student owes one is a fact the caller gives (ustaz.contracts).
    bar_overdue_payment: bool = False

    @classmethod
    def from_settings(cls) -> GradingPolicy:
        configured = getattr(settings, "GRADING_POLICY", {})
        values = {
            k: (to_decimal(v) if isinstance(getattr(cls, k, None), Decimal) else v) for k, v in configured.items()
        }
        values.setdefault("bar_overdue_payment", bool(getattr(settings, "GRADES_BAR_OVERDUE_PAYMENT", False)))
        return cls(**values)

    def scale(self) -> tuple[Letter, ...]:
        """The letter scale, highest first (rules.md, 'Letter scale')."""
        return (
            Letter("A", Decimal("4.0"), 95, "excellent"),
            Letter("A-", Decimal("3.67"), 90, "excellent"),
            Letter("B+", Decimal("3.33"), 85, "good"),
            Letter("B", Decimal("3.0"), 80, "good"),
            Letter("B-", Decimal("2.67"), 75, "good"),
            Letter("C+", Decimal("2.33"), 70, self.c_plus_traditional),
            Letter("C", Decimal("2.0"), 65, "satisfactory"),
            Letter("C-", Decimal("1.67"), 60, "satisfactory"),
            Letter("D+", Decimal("1.33"), 55, "satisfactory"),
            Letter("D", Decimal("1.0"), 50, "satisfactory"),
            Letter("FX", self.fx_points, 25, "unsatisfactory"),
            Letter("F", Decimal("0"), 0, "unsatisfactory"),
        )

    def letter_for(self, score: Number) -> Letter:
        """The letter of a score from 0 to 100, read from the score rounded half up to a whole number."""
        score = to_decimal(score)
        if not Decimal(0) <= score <= HUNDRED:
            raise ValueError(f"a score is between 0 and 100, not {score}")
        whole = int(score.quantize(WHOLE, rounding=ROUND_HALF_UP))
        return next(letter for letter in self.scale() if whole >= letter.lowest_score)

    def letter_named(self, name: str) -> Letter:
        return next(letter for letter in self.scale() if letter.letter == name)


def average(values: Iterable[Number]) -> Decimal | None:
    """The mean of current-control marks (unrounded), or None when there are none yet."""
    marks = [to_decimal(v) for v in values]
    return sum(marks, Decimal(0)) / len(marks) if marks else None


def rating(current_average: Number, midterm: Number) -> Decimal:
    """R1 (weeks 1-7 with RK1) or R2 (weeks 8-15 with RK2): (average current control + midterm) / 2."""
    return round_score((to_decimal(current_average) + to_decimal(midterm)) / 2)


def admission_rating(r1: Number, r2: Number) -> Decimal:
    """AR = (R1 + R2) / 2."""
    return round_score((to_decimal(r1) + to_decimal(r2)) / 2)


def barred_for_payment(policy: GradingPolicy, overdue_payment: bool) -> bool:
    """Not admitted to the exam for an overdue contract payment: only when the University's setting says so."""
    return policy.bar_overdue_payment and overdue_payment


def is_admitted(r1: Number, r2: Number, policy: GradingPolicy | None = None, *, overdue_payment: bool = False) -> bool:
    policy = policy or GradingPolicy()
    if barred_for_payment(policy, overdue_payment):
        return False
    if admission_rating(r1, r2) < policy.admission_minimum:
        return False
    if policy.admission_rule == "each":
        return to_decimal(r1) >= policy.admission_minimum and to_decimal(r2) >= policy.admission_minimum
    return True


@dataclass(frozen=True)
class DisciplineResult:
    admission_rating: Decimal
    admitted: bool
    exam: Decimal | None
    final_score: Decimal | None  # only when admitted and the exam is passed
    letter: Letter | None  # None until there is something to read it from
    overdue_payment: bool = False  # not admitted (only) for an overdue contract payment

    @property
    def is_academic_debt(self) -> bool:
        return self.letter is not None and self.letter.letter in ("FX", "F")

    @property
    def is_fx(self) -> bool:
        """FX: the exam may be retaken without studying the discipline again."""
        return self.letter is not None and self.letter.letter == "FX"


def discipline_result(
    r1: Number,
    r2: Number,
    exam: Number | None = None,
    *,
    session_closed: bool = False,
    policy: GradingPolicy | None = None,
    overdue_payment: bool = False,
) -> DisciplineResult:
    """The result of a discipline from its two ratings and the exam (rules.md, 'A discipline's result').

    - Not admitted (AR below the minimum, or a rating below it under the each-rating rule): no exam; the
      discipline is an academic debt, F once the session closes.
    - Exam below the exam minimum: no final score; FX from the FX minimum (the exam may be retaken), F below.
    - Otherwise final = admission weight * AR + exam weight * exam, and the letter comes from it.
    - Admitted by the ratings but owing an overdue contract payment, when the setting bars it, and with no exam
      score yet: not admitted either ("not admitted: overdue payment"). An exam already sat keeps its result.
    """
    policy = policy or GradingPolicy()
    ar = admission_rating(r1, r2)
    admitted = is_admitted(r1, r2, policy)
    if not admitted:
        letter = policy.letter_named("F") if session_closed else None
        return DisciplineResult(ar, False, None, None, letter)
    if exam is None and barred_for_payment(policy, overdue_payment):
        letter = policy.letter_named("F") if session_closed else None
        return DisciplineResult(ar, False, None, None, letter, overdue_payment=True)
    if exam is None:
        return DisciplineResult(ar, True, None, None, None)
    exam = to_decimal(exam)
    if not Decimal(0) <= exam <= HUNDRED:
        raise ValueError(f"an exam score is between 0 and 100, not {exam}")
    if exam < policy.exam_minimum:
        letter = policy.letter_named("FX" if exam >= policy.fx_minimum else "F")
        return DisciplineResult(ar, True, exam, None, letter)
    final = round_score(policy.admission_weight * ar + policy.exam_weight * exam)
    return DisciplineResult(ar, True, exam, final, policy.letter_for(final))


def gpa(results: Iterable[tuple[Number, Letter | None]]) -> Decimal | None:
    """Credit-weighted GPA: sum(credits * points) / sum(credits), to two decimals; ungraded ones left out."""
    total_credits = Decimal(0)
    total_points = Decimal(0)
    for credits, letter in results:
        if letter is None:
            continue
        total_credits += to_decimal(credits)
        total_points += to_decimal(credits) * letter.points
    if not total_credits:
        return None
    return round_gpa(total_points / total_credits)
