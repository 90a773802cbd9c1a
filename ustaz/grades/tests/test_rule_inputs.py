"""The grade rules refuse nonsense (issue 14, item 3): ratings outside 0-100, NaN, None, text; a policy with a
misspelt rule or weights that do not add up, found when the platform starts; and the half point of an exam
decided once, the way a letter reads it."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.checks import run_checks
from hypothesis import given
from hypothesis import strategies as st

from ustaz.grades import rules
from ustaz.grades.rules import GradingPolicy, RuleInputError, discipline_result

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("r1", "r2", "exam"),
    [
        (-10, 200, 90),  # the case: gave A-
        (101, 80, 90),
        (80, 80, 100.01),
        (80, 80, -1),
        ("NaN", 80, 90),
        (80, "Infinity", 90),
        (80, 80, "-Infinity"),
        (None, 80, 90),
        (80, "eighty", 90),
        (True, 80, 90),
        (80, 80, [90]),
        (Decimal("NaN"), 80, 90),
        (float("nan"), 80, 90),
    ],
)
def test_a_result_from_nonsense_is_refused_with_a_reason(r1, r2, exam):
    with pytest.raises(RuleInputError) as refused:
        discipline_result(r1, r2, exam)
    assert str(refused.value)  # says what was wrong
    assert isinstance(refused.value, ValueError)


def test_nan_is_never_a_rating():
    with pytest.raises(RuleInputError):
        rules.rating(Decimal("NaN"), 80)
    with pytest.raises(RuleInputError):
        rules.average([80, "NaN"])
    with pytest.raises(RuleInputError):
        rules.admission_rating(float("inf"), 50)


@given(
    st.one_of(st.none(), st.booleans(), st.text(max_size=8), st.floats(allow_nan=True), st.integers(-1000, 1000)),
    st.integers(0, 100),
    st.one_of(st.none(), st.integers(0, 100)),
)
def test_any_input_gives_a_result_or_a_rule_error_never_another(r1, r2, exam):
    try:
        result = discipline_result(r1, r2, exam)
    except RuleInputError:
        return
    assert Decimal(0) <= result.admission_rating <= 100
    assert result.letter is None or result.letter.letter in {letter.letter for letter in GradingPolicy().scale()}


@pytest.mark.parametrize(
    ("exam", "letter", "final"),
    [
        ("49.5", "C-", Decimal("61.8")),  # passes: 49.5 reads 50, as a letter would; final 0.6*70 + 0.4*49.5
        ("49.4", "FX", None),
        ("24.5", "FX", None),  # 25: FX, as a score of 24.5 is
        ("24.4", "F", None),
    ],
)
def test_the_half_point_of_an_exam_reads_as_a_letters(exam, letter, final):
    result = discipline_result(70, 70, exam)
    assert result.letter.letter == letter and result.final_score == final
    assert GradingPolicy().letter_for("24.5").letter == "FX" and GradingPolicy().letter_for("49.5").letter == "D"


@pytest.mark.parametrize(
    ("policy", "says"),
    [
        ({"admission_rule": "avarage"}, "admission_rule"),
        ({"admission_weight": "0.7"}, "add up to 1"),
        ({"admission_weight": "0.5", "exam_weight": "0.6"}, "add up to 1"),
        ({"exam_minimum": "150"}, "exam_minimum"),
        ({"fx_minimum": "60"}, "fx_minimum"),
        ({"retaken_counts": "best"}, "retaken_counts"),
        ({"c_plus_traditional": "fine"}, "c_plus_traditional"),
        ({"fx_points": "2"}, "fx_points"),
        ({"admision_rule": "each"}, "has no admision_rule"),
        ({"exam_weight": "NaN"}, "finite"),
    ],
)
def test_a_wrong_policy_stops_the_platform_at_its_checks(settings, policy, says):
    settings.GRADING_POLICY = policy
    with pytest.raises(RuleInputError, match=says):
        GradingPolicy.from_settings()
    errors = [e for e in run_checks() if e.id == "ustaz.E001"]
    assert errors and says.split()[-1] in errors[0].msg


def test_a_valid_policy_passes_the_checks(settings):
    settings.GRADING_POLICY = {"admission_rule": "each", "admission_weight": "0.5", "exam_weight": "0.5"}
    assert not [e for e in run_checks() if e.id == "ustaz.E001"]
    policy = GradingPolicy.from_settings()
    assert policy.admission_rule == "each" and policy.exam_weight == Decimal("0.5")


def test_the_policy_is_set_by_the_environment_alone():
    env = {
        **os.environ,
        "USTAZ_GRADING_ADMISSION_RULE": "each",
        "USTAZ_GRADING_ADMISSION_WEIGHT": "0.5",
        "USTAZ_GRADING_EXAM_WEIGHT": "0.5",
        "DJANGO_SETTINGS_MODULE": "ustaz.settings",
    }
    code = (
        "import django; django.setup(); from ustaz.grades.rules import GradingPolicy as P; "
        "p = P.from_settings(); print(p.admission_rule, p.exam_weight)"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)  # noqa: S603
    assert out.stdout.split()[-2:] == ["each", "0.5"]
    # A misspelt value in the environment: manage.py check fails and says why.
    env["USTAZ_GRADING_ADMISSION_RULE"] = "avarage"
    checked = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert checked.returncode != 0 and "ustaz.E001" in checked.stderr and "avarage" in checked.stderr
