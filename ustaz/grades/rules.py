"""The credit-technology rules of a discipline's result (../shared/docs/rules.md), as pure functions.

Arithmetic is decimal, never binary floating point, so that 94.45 and 49.95 round the way a person
rounds them. Rounding, written down once:
- every computed score (a rating, the admission rating, the final score) is kept to one decimal,
  rounded half up: 84.45 -> 84.5, 84.44 -> 84.4;
- the letter is read from the final score rounded half up to a whole number: 94.5 -> 95 -> A,
  94.4 -> 94 -> A-, 49.5 -> 50 -> D, 49.4 -> 49 -> FX;
- a GPA is kept to two decimals, rounded half up: 2.4665 -> 2.47;
- an exam score is kept to one decimal like any score and measured against the exam and FX minimums after the
  same rounding as a letter (to a whole number, half up): an exam of 49.5 passes (50), 49.4 does not (49); an
  exam of 24.5 is FX (25), 24.4 is F. A student is never failed by a half point a letter would have given them.
Every input is checked: a rating, a mark or an exam is a number from 0 to 100 (NaN, infinities, None, booleans
and text are refused with RuleInputError, a ValueError that says what was wrong).
The University's choices ([U] in rules.md) are settings, read through `GradingPolicy.from_settings()` and checked
when the platform starts (ustaz.grades.checks): GRADING_POLICY, or USTAZ_GRADING_<KEY> environment variables.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

ONE_DECIMAL = Decimal("0.1")
TWO_DECIMALS = Decimal("0.01")
WHOLE = Decimal("1")
HUNDRED = Decimal(100)

Number = Decimal | int | str


class RuleInputError(ValueError):
    """A value a grade rule cannot take (not a number, not finite, out of its range)."""


def to_decimal(value: Number) -> Decimal:
    """A finite decimal from a Decimal, an int or a numeric text; RuleInputError for anything else."""
    if isinstance(value, bool) or value is None:
        raise RuleInputError(f"a number is expected, not {value!r}")
    if isinstance(value, float):
        value = str(value)
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int | str):
        try:
            number = Decimal(str(value).strip())
        except ArithmeticError:
            raise RuleInputError(f"a number is expected, not {value!r}") from None
    else:
        raise RuleInputError(f"a number is expected, not {value!r}")
    if not number.is_finite():
        raise RuleInputError(f"a finite number is expected, not {value!r}")
    return number


def score_in_range(value: Number, what: str = "a score") -> Decimal:
    """A mark, rating or exam score: a finite number from 0 to 100."""
    number = to_decimal(value)
    if not Decimal(0) <= number <= HUNDRED:
        raise RuleInputError(f"{what} is between 0 and 100, not {value}")
    return number


def whole(value: Decimal) -> Decimal:
    """A score rounded half up to a whole number, as letters and minimums read it."""
    return value.quantize(WHOLE, rounding=ROUND_HALF_UP)


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

    def __post_init__(self) -> None:
        choices = {
            "admission_rule": ("average", "each"),
            "c_plus_traditional": ("good", "satisfactory"),
            "retaken_counts": ("latest", "all"),
        }
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise RuleInputError(
                    f"GRADING_POLICY {name} is one of {', '.join(allowed)}, not {getattr(self, name)!r}"
                )
        for name in ("admission_minimum", "exam_minimum", "fx_minimum"):
            object.__setattr__(self, name, score_in_range(getattr(self, name), f"GRADING_POLICY {name}"))
        for name in ("admission_weight", "exam_weight", "fx_points"):
            value = to_decimal(getattr(self, name))
            if not Decimal(0) <= value <= 1:
                raise RuleInputError(f"GRADING_POLICY {name} is between 0 and 1, not {value}")
            object.__setattr__(self, name, value)
        if self.admission_weight + self.exam_weight != 1:
            raise RuleInputError(
                f"GRADING_POLICY admission_weight and exam_weight add up to 1, not "
                f"{self.admission_weight + self.exam_weight}"
            )
        if self.fx_minimum > self.exam_minimum:
            raise RuleInputError("GRADING_POLICY fx_minimum is not above exam_minimum")
        if not isinstance(self.bar_overdue_payment, bool):
            raise RuleInputError("GRADING_POLICY bar_overdue_payment is true or false")

    @classmethod
    def keys(cls) -> tuple[str, ...]:
        return tuple(cls.__dataclass_fields__)

    @classmethod
    def from_settings(cls) -> GradingPolicy:
        configured = dict(getattr(settings, "GRADING_POLICY", {}) or {})
        unknown = sorted(set(configured) - set(cls.keys()))
        if unknown:
            raise RuleInputError(f"GRADING_POLICY has no {', '.join(unknown)} (its keys: {', '.join(cls.keys())})")
        configured.setdefault("bar_overdue_payment", bool(getattr(settings, "GRADES_BAR_OVERDUE_PAYMENT", False)))
        return cls(**configured)

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
        rounded = int(whole(score_in_range(score)))
        return next(letter for letter in self.scale() if rounded >= letter.lowest_score)

    def letter_named(self, name: str) -> Letter:
        return next(letter for letter in self.scale() if letter.letter == name)


def average(values: Iterable[Number]) -> Decimal | None:
    """The mean of current-control marks (unrounded), or None when there are none yet."""
    marks = [score_in_range(v, "a mark") for v in values]
    return sum(marks, Decimal(0)) / len(marks) if marks else None


def rating(current_average: Number, midterm: Number) -> Decimal:
    """R1 (weeks 1-7 with RK1) or R2 (weeks 8-15 with RK2): (average current control + midterm) / 2."""
    return round_score(
        (score_in_range(current_average, "a current average") + score_in_range(midterm, "a midterm")) / 2
    )


def admission_rating(r1: Number, r2: Number) -> Decimal:
    """AR = (R1 + R2) / 2."""
    return round_score((score_in_range(r1, "R1") + score_in_range(r2, "R2")) / 2)


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
    exam = score_in_range(exam, "an exam score")
    if whole(exam) < policy.exam_minimum:
        letter = policy.letter_named("FX" if whole(exam) >= policy.fx_minimum else "F")
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


# --- Honours: a diploma with distinction (rules.md, "Final attestation"; docs/decisions/0020) --------------------
HONOURS_CONDITIONS = {
    "gpa": _("the cumulative GPA %(gpa)s is below %(minimum)s"),
    "exam": _("exam grades below %(minimum)s: %(letters)s"),
    "attestation": _("the final attestation's grade (%(letters)s) is not %(required)s"),
    "retakes": _("retakes: %(count)s"),
}


@dataclass(frozen=True)
class HonoursPolicy:
    """One university's rule, each condition a setting (USTAZ_HONOURS_*): GPA >= 3.5, no exam grade below C+,
    the final attestation A or A-, no retakes."""

    min_gpa: Decimal = Decimal("3.5")
    min_exam_letter: str = "C+"
    attestation_letters: tuple[str, ...] = ("A", "A-")
    no_retakes: bool = True

    def __post_init__(self) -> None:
        letters = [letter.letter for letter in GradingPolicy().scale()]
        gpa_value = to_decimal(self.min_gpa)
        if not Decimal(0) <= gpa_value <= Decimal(4):
            raise RuleInputError(f"USTAZ_HONOURS_MIN_GPA is between 0 and 4, not {gpa_value}")
        object.__setattr__(self, "min_gpa", gpa_value)
        if self.min_exam_letter not in letters:
            raise RuleInputError(
                f"USTAZ_HONOURS_MIN_EXAM is a letter ({', '.join(letters)}), not {self.min_exam_letter!r}"
            )
        attestation = tuple(self.attestation_letters)
        wrong = [name for name in attestation if name not in letters]
        if not attestation or wrong:
            raise RuleInputError(
                f"USTAZ_HONOURS_ATTESTATION is a list of letters ({', '.join(letters)}), not {list(attestation)!r}"
            )
        object.__setattr__(self, "attestation_letters", attestation)
        if not isinstance(self.no_retakes, bool):
            raise RuleInputError("USTAZ_HONOURS_NO_RETAKES is true or false")

    @classmethod
    def from_settings(cls) -> HonoursPolicy:
        no_retakes = getattr(settings, "HONOURS_NO_RETAKES", True)
        if isinstance(no_retakes, str):
            answers = {"true": True, "yes": True, "on": True, "1": True, "false": False, "no": False, "off": False}
            if no_retakes.strip().lower() not in answers:
                raise RuleInputError(f"USTAZ_HONOURS_NO_RETAKES is true or false, not {no_retakes!r}")
            no_retakes = answers[no_retakes.strip().lower()]
        attestation = getattr(settings, "HONOURS_ATTESTATION", cls.attestation_letters)
        if isinstance(attestation, str):
            attestation = [name.strip() for name in attestation.split(",") if name.strip()]
        return cls(
            min_gpa=getattr(settings, "HONOURS_MIN_GPA", cls.min_gpa),
            min_exam_letter=str(getattr(settings, "HONOURS_MIN_EXAM", cls.min_exam_letter)).strip(),
            attestation_letters=tuple(attestation),
            no_retakes=no_retakes,
        )


@dataclass(frozen=True)
class Honours:
    qualifies: bool
    failing: tuple[str, ...]  # keys of HONOURS_CONDITIONS, in their order
    details: dict = field(default_factory=dict, compare=False)  # each failing condition's values, for its reason

    @property
    def reasons(self) -> list[str]:
        """Each failing condition in words, with the graduate's values and the rule's (in the active language)."""
        return [str(HONOURS_CONDITIONS[key]) % self.details.get(key, {}) for key in self.failing]


def honours(
    *,
    gpa: Number | None,
    exam_letters: Iterable[str],
    attestation_letters: Iterable[str | None],
    retakes: int,
    policy: HonoursPolicy | None = None,
) -> Honours:
    """Whether a graduate's diploma is one with distinction, from plain facts: the cumulative GPA (None while
    nothing is graded), the letters of the exams (disciplines and practices), the letters of the final
    attestation (none, or None for a form not graded yet: it fails) and the number of retakes (an exam retaken
    or a discipline studied again).

    The GPA is read as the transcript shows it, to two decimals half up: 3.495 is 3.50 and qualifies, 3.494 is
    3.49 and does not. Letters are compared by their place on the scale, not by points (FX and F may both be 0)."""
    policy = policy or HonoursPolicy()
    order = [letter.letter for letter in GradingPolicy().scale()]  # highest first

    def rank(name: str) -> int:
        if name not in order:
            raise RuleInputError(f"a letter is expected, not {name!r}")
        return order.index(name)

    exams = [rank(name) for name in exam_letters]
    attestation = list(attestation_letters)  # None: a form of the attestation with no grade yet
    for name in attestation:
        if name is not None:
            rank(name)
    if isinstance(retakes, bool) or not isinstance(retakes, int) or retakes < 0:
        raise RuleInputError(f"a number of retakes is expected, not {retakes!r}")
    failing: list[str] = []
    details: dict[str, dict] = {}
    if gpa is None or round_gpa(gpa) < policy.min_gpa:
        failing.append("gpa")
        details["gpa"] = {"gpa": "—" if gpa is None else round_gpa(gpa), "minimum": policy.min_gpa}
    lowest = rank(policy.min_exam_letter)
    below = [order[place] for place in sorted(exams) if place > lowest]
    if below:
        failing.append("exam")
        details["exam"] = {"minimum": policy.min_exam_letter, "letters": ", ".join(below)}
    if not attestation or any(name not in policy.attestation_letters for name in attestation):
        failing.append("attestation")
        details["attestation"] = {
            "letters": ", ".join(name or "—" for name in attestation) or "—",
            "required": ", ".join(policy.attestation_letters),
        }
    if policy.no_retakes and retakes:
        failing.append("retakes")
        details["retakes"] = {"count": retakes}
    return Honours(not failing, tuple(failing), details)
