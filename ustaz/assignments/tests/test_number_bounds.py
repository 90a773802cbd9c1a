"""Points and time codes that people type are bounded: a rubric or a review cannot store 1e30, NaN or Infinity."""

from __future__ import annotations

import pytest
from django import forms

from ustaz.assignments import views
from ustaz.assignments.forms import ReviewForm, parse_rubric


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Technique: weak=0; strong=" + "9" * 400, "at most 9999.9 points"),
        ("Technique: weak=0; strong=99999", "at most 9999.9 points"),
        ("A: x=5000\nB: y=5000", "at most 9999.9 points in all"),
    ],
)
def test_a_rubric_beyond_the_points_column_is_refused(text, message):
    with pytest.raises(forms.ValidationError, match=message):
        parse_rubric(text)


def test_a_rubric_within_the_column_is_read():
    assert parse_rubric("Technique: weak=0; strong=20.5") == [
        {"title": "Technique", "levels": [{"title": "weak", "points": 0.0}, {"title": "strong", "points": 20.5}]}
    ]


@pytest.mark.parametrize("points", ["1e30", "NaN", "Infinity", "123456"])
def test_a_review_of_1e30_or_not_finite_points_is_refused(points):
    form = ReviewForm(data={"points": points, "feedback": ""})
    assert not form.is_valid() and "points" in form.errors


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-1", 1e400, "1e30"])
def test_time_codes_must_be_finite_seconds(value):
    with pytest.raises(ValueError):
        views._seconds(value)


def test_a_time_code_in_seconds_is_kept():
    assert views._seconds("12.5") == 12.5 and views._seconds(None) is None
