"""The honours rule (rules.md "Final attestation"): each condition failing alone, all together, at the edges,
and each setting refused at start-up when it is wrong."""

from decimal import Decimal

import pytest
from django.core.checks import run_checks
from django.utils import translation

from ustaz.grades.rules import HonoursPolicy, RuleInputError, honours

GOOD = {"gpa": Decimal("3.8"), "exam_letters": ["A", "B+", "C+"], "attestation_letters": ["A-"], "retakes": 0}


def check(**changes):
    return honours(**{**GOOD, **changes})


def test_a_graduate_meeting_every_condition_qualifies():
    result = check()
    assert result.qualifies and result.failing == ()


@pytest.mark.parametrize(
    ("gpa", "qualifies"),
    [("3.5", True), ("3.495", True), ("3.494", False), ("3.49", False), ("4", True), (None, False)],
)
def test_the_gpa_is_read_to_two_decimals_as_the_transcript_shows_it(gpa, qualifies):
    result = check(gpa=None if gpa is None else Decimal(gpa))
    assert result.qualifies is qualifies
    assert result.failing == (() if qualifies else ("gpa",))


@pytest.mark.parametrize(("letter", "qualifies"), [("C+", True), ("C", False), ("B-", True), ("FX", False)])
def test_no_exam_grade_below_c_plus(letter, qualifies):
    result = check(exam_letters=["A", letter])
    assert result.failing == (() if qualifies else ("exam",))


@pytest.mark.parametrize(
    ("letters", "qualifies"),
    [(["A"], True), (["A-"], True), (["B+"], False), ([], False), (["A", "B+"], False), (["A", None], False)],
)
def test_the_final_attestation_is_a_or_a_minus(letters, qualifies):
    result = check(attestation_letters=letters)
    assert result.failing == (() if qualifies else ("attestation",))


def test_one_retake_fails_and_none_does_not():
    assert check(retakes=1).failing == ("retakes",)
    assert check(retakes=0).qualifies


def test_every_condition_failing_together_is_listed_in_order_with_its_values():
    with translation.override("en"):
        result = check(gpa=Decimal("2.9"), exam_letters=["C"], attestation_letters=["B"], retakes=2)
        reasons = result.reasons
    assert not result.qualifies
    assert result.failing == ("gpa", "exam", "attestation", "retakes")
    assert reasons == [
        "the cumulative GPA 2.90 is below 3.5",
        "exam grades below C+: C",
        "the final attestation's grade (B) is not A, A-",
        "retakes: 2",
    ]


def test_each_condition_follows_its_setting():
    lenient = HonoursPolicy(
        min_gpa=Decimal("3.0"), min_exam_letter="C", attestation_letters=("A", "A-", "B+"), no_retakes=False
    )
    result = honours(gpa=Decimal("3.0"), exam_letters=["C"], attestation_letters=["B+"], retakes=1, policy=lenient)
    assert result.qualifies
    strict = HonoursPolicy(min_gpa=Decimal("3.9"), min_exam_letter="B", attestation_letters=("A",))
    result = honours(policy=strict, **GOOD)
    assert result.failing == ("gpa", "exam", "attestation")


def test_letters_and_counts_not_on_the_scale_are_refused():
    with pytest.raises(RuleInputError):
        check(exam_letters=["Z"])
    with pytest.raises(RuleInputError):
        check(attestation_letters=["A+"])
    with pytest.raises(RuleInputError):
        check(retakes=-1)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("HONOURS_MIN_GPA", "4.5"),
        ("HONOURS_MIN_GPA", "three"),
        ("HONOURS_MIN_EXAM", "C++"),
        ("HONOURS_ATTESTATION", ["A", "excellent"]),
        ("HONOURS_ATTESTATION", []),
        ("HONOURS_NO_RETAKES", "maybe"),
    ],
)
def test_a_wrong_setting_stops_the_platform_at_start(settings, name, value):
    setattr(settings, name, value)
    errors = [e for e in run_checks() if e.id == "ustaz.E020"]
    assert len(errors) == 1 and "honours" in errors[0].msg


def test_the_defaults_and_values_from_the_environment_are_accepted(settings):
    assert not [e for e in run_checks() if e.id == "ustaz.E020"]
    settings.HONOURS_MIN_GPA = "3.67"
    settings.HONOURS_ATTESTATION = "A"
    settings.HONOURS_NO_RETAKES = "false"
    policy = HonoursPolicy.from_settings()
    assert policy == HonoursPolicy(min_gpa=Decimal("3.67"), attestation_letters=("A",), no_retakes=False)
