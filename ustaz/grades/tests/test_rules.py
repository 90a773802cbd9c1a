"""Every formula of rules.md, the whole letter scale at its boundaries, and its worked examples."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ustaz.grades.rules import (
    GradingPolicy,
    average,
    discipline_result,
    gpa,
    is_admitted,
    rating,
    round_score,
)

POLICY = GradingPolicy()
D = Decimal


@pytest.mark.parametrize(
    ("score", "letter", "points", "traditional"),
    [
        ("100", "A", "4.0", "excellent"),
        ("95", "A", "4.0", "excellent"),
        ("94.5", "A", "4.0", "excellent"),
        ("94.4", "A-", "3.67", "excellent"),
        ("90", "A-", "3.67", "excellent"),
        ("89.5", "A-", "3.67", "excellent"),
        ("89.4", "B+", "3.33", "good"),
        ("85", "B+", "3.33", "good"),
        ("84.9", "B+", "3.33", "good"),
        ("84.4", "B", "3.0", "good"),
        ("80", "B", "3.0", "good"),
        ("79.5", "B", "3.0", "good"),
        ("79.4", "B-", "2.67", "good"),
        ("75", "B-", "2.67", "good"),
        ("74.4", "C+", "2.33", "good"),
        ("70", "C+", "2.33", "good"),
        ("69.4", "C", "2.0", "satisfactory"),
        ("65", "C", "2.0", "satisfactory"),
        ("64.4", "C-", "1.67", "satisfactory"),
        ("60", "C-", "1.67", "satisfactory"),
        ("59.4", "D+", "1.33", "satisfactory"),
        ("55", "D+", "1.33", "satisfactory"),
        ("54.4", "D", "1.0", "satisfactory"),
        ("50", "D", "1.0", "satisfactory"),
        ("49.5", "D", "1.0", "satisfactory"),
        ("49.9", "D", "1.0", "satisfactory"),
        ("49.4", "FX", "0.5", "unsatisfactory"),
        ("25", "FX", "0.5", "unsatisfactory"),
        ("24.5", "FX", "0.5", "unsatisfactory"),
        ("24.4", "F", "0", "unsatisfactory"),
        ("0", "F", "0", "unsatisfactory"),
    ],
)
def test_the_letter_scale_at_every_boundary(score, letter, points, traditional):
    found = POLICY.letter_for(D(score))
    assert (found.letter, found.points, found.traditional) == (letter, D(points), traditional)


def test_the_universitys_choices_change_the_scale():
    strict = GradingPolicy(c_plus_traditional="satisfactory", fx_points=D(0))
    assert strict.letter_for(72).traditional == "satisfactory"
    assert strict.letter_for(40).points == 0


def test_scores_outside_0_to_100_are_refused():
    with pytest.raises(ValueError):
        POLICY.letter_for(D("100.1"))
    with pytest.raises(ValueError):
        discipline_result(90, 90, D(-1))


def test_rounding_is_half_up_to_one_decimal():
    assert round_score(D("84.45")) == D("84.5")
    assert round_score(D("84.44")) == D("84.4")
    assert round_score(D("49.95")) == D("50.0")
    assert rating(D("80.33"), 90) == D("85.2")  # (80.33 + 90) / 2 = 85.165
    assert average([80, 85, 90]) == D(85)
    assert average([]) is None


@pytest.mark.parametrize(
    ("r1", "r2", "exam", "ar", "admitted", "final", "letter"),
    [
        # current 80, RK1 90 -> R1 85; current 70, RK2 80 -> R2 75; exam 90 -> 48 + 36 = 84 -> B
        (rating(80, 90), rating(70, 80), 90, "80", True, "84", "B"),
        (60, 50, 55, "55", True, "55", "D+"),
        (50, 46, None, "48", False, None, None),
        (55, 45, None, "50", True, None, None),
        (90, 90, 40, "90", True, None, "FX"),
        (90, 90, 20, "90", True, None, "F"),
    ],
)
def test_the_worked_examples_of_rules_md(r1, r2, exam, ar, admitted, final, letter):
    result = discipline_result(r1, r2, exam)
    assert result.admission_rating == D(ar)
    assert result.admitted is admitted
    assert result.final_score == (D(final) if final else None)
    assert (result.letter.letter if result.letter else None) == letter


def test_the_each_rating_option_refuses_a_rating_below_50():
    assert is_admitted(55, 45)
    assert not is_admitted(55, 45, GradingPolicy(admission_rule="each"))


def test_not_admitted_becomes_f_when_the_session_closes():
    assert discipline_result(40, 40).letter is None
    closed = discipline_result(40, 40, session_closed=True)
    assert closed.letter.letter == "F" and closed.is_academic_debt


def test_the_gpa_example_of_rules_md():
    letters = {name: POLICY.letter_named(name) for name in ("A", "B-", "C", "D+")}
    result = gpa([(5, letters["A"]), (5, letters["B-"]), (4, letters["C"]), (6, letters["D+"])])
    assert result == D("2.47")  # 49.33 / 20 = 2.4665
    assert gpa([(5, letters["A"]), (3, None)]) == D("4.00")  # ungraded left out
    assert gpa([]) is None


def test_fx_counts_as_the_policy_says_in_the_gpa():
    assert gpa([(5, POLICY.letter_named("FX"))]) == D("0.50")
    assert gpa([(5, GradingPolicy(fx_points=D(0)).letter_named("FX"))]) == D("0.00")


scores = st.decimals(min_value=0, max_value=100, places=1)


@given(scores, scores, scores)
def test_the_final_score_stays_within_0_and_100(r1, r2, exam):
    result = discipline_result(r1, r2, exam)
    assert D(0) <= result.admission_rating <= D(100)
    if result.final_score is not None:
        assert D(50) <= result.final_score <= D(100)


@given(scores, scores)
def test_the_letter_never_falls_as_the_score_rises(low, high):
    low, high = min(low, high), max(low, high)
    assert POLICY.letter_for(low).points <= POLICY.letter_for(high).points


@given(scores, scores, scores, scores)
def test_a_better_exam_never_gives_a_worse_letter(r1, r2, exam_a, exam_b):
    worse, better = sorted((exam_a, exam_b))
    first, second = discipline_result(r1, r2, worse), discipline_result(r1, r2, better)
    if first.letter and second.letter:
        assert first.letter.points <= second.letter.points


def test_the_policy_is_read_from_settings(settings):
    settings.GRADING_POLICY = {"admission_rule": "each", "admission_weight": "0.5", "exam_weight": "0.5"}
    policy = GradingPolicy.from_settings()
    assert policy.admission_rule == "each"
    assert discipline_result(80, 80, 60, policy=policy).final_score == D(70)
