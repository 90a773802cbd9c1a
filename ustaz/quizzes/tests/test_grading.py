"""Every question type's scoring, with the edges: partial credit, tolerance limits, case and whitespace,
responses of the wrong shape."""

from __future__ import annotations

import pytest

from ustaz.quizzes.grading import public, score


def test_single_choice():
    data = {"options": ["Құрманғазы", "Тәттімбет", "Дәулеткерей"], "correct": 0}
    assert score("single", data, 0) == 1.0
    assert score("single", data, 2) == 0.0
    assert score("single", data, "0") == 1.0
    assert score("single", data, None) == 0.0
    assert score("single", data, "abc") == 0.0  # wrong shape: nothing, no error


@pytest.mark.parametrize(
    ("chosen", "all_or_nothing", "each"),
    [
        ([0, 2], 1.0, 1.0),  # exactly right
        ([0], 0.0, 0.5),  # one of two right
        ([0, 2, 1], 0.0, 0.5),  # both right, one of two wrong: 1 - 0.5
        ([1, 3], 0.0, 0.0),  # only wrong: never below zero
        ([0, 1, 2, 3], 0.0, 0.0),  # everything ticked earns nothing
        ([], 0.0, 0.0),
    ],
)
def test_multiple_choice_partial_credit(chosen, all_or_nothing, each):
    data = {"options": ["a", "b", "c", "d"], "correct": [0, 2]}
    assert score("multiple", {**data, "partial": "all"}, chosen) == all_or_nothing
    assert score("multiple", {**data, "partial": "each"}, chosen) == pytest.approx(each)


def test_true_false():
    assert score("truefalse", {"correct": False}, False) == 1.0
    assert score("truefalse", {"correct": False}, "false") == 1.0
    assert score("truefalse", {"correct": True}, False) == 0.0


def test_short_answer_variants_case_and_whitespace():
    data = {"answers": ["Абай Құнанбайұлы", "Абай"], "case_sensitive": False}
    assert score("short", data, "  абай   құнанбайұлы ") == 1.0
    assert score("short", data, "АБАЙ") == 1.0
    assert score("short", data, "Абайдың") == 0.0
    strict = {"answers": ["Do"], "case_sensitive": True}
    assert score("short", strict, "Do") == 1.0 and score("short", strict, "do") == 0.0


@pytest.mark.parametrize(
    ("given", "right"),
    [
        ("440", True),
        ("439,5", True),
        ("440.5", True),
        ("440.51", False),
        ("439.49", False),
        ("abc", False),
        (440, True),
    ],
)
def test_numeric_tolerance_edges(given, right):
    assert score("numeric", {"answer": 440, "tolerance": 0.5}, given) == (1.0 if right else 0.0)


def test_numeric_exact_without_tolerance():
    assert score("numeric", {"answer": "0.1"}, "0.1") == 1.0
    assert score("numeric", {"answer": "0.1"}, "0.10000001") == 0.0


def test_matching_each_pair_earns_its_share():
    data = {
        "left": ["Адай", "Сарыарқа", "Балбырауын"],
        "right": ["Құрманғазы", "Құрманғазы", "Құрманғазы"],
        "pairs": {"0": 0, "1": 1, "2": 2},
    }
    assert score("matching", data, {"0": 0, "1": 1, "2": 2}) == 1.0
    assert score("matching", data, {"0": 0, "1": 2}) == pytest.approx(1 / 3)


def test_ordering_all_or_nothing_or_by_position():
    data = {"items": ["до", "ре", "ми", "фа"]}
    assert score("ordering", data, [0, 1, 2, 3]) == 1.0
    assert score("ordering", data, [1, 0, 2, 3]) == 0.0
    assert score("ordering", {**data, "partial": True}, [1, 0, 2, 3]) == 0.5
    assert score("ordering", data, [0, 1, 2]) == 0.0  # too short


def test_fill_in_the_blanks():
    data = {"text": "Домбыраның {1} ішегі бар, ол {2} аспап.", "blanks": {"1": ["екі", "2"], "2": ["шертпелі"]}}
    assert score("blanks", data, {"1": "2", "2": "Шертпелі"}) == 1.0
    assert score("blanks", data, {"1": "үш", "2": "шертпелі"}) == 0.5


def test_an_essay_is_graded_by_hand():
    assert score("essay", {}, "Күй — аспаптық шығарма...") is None


def test_the_public_part_never_holds_the_key():
    for kind, data in [
        ("single", {"options": ["a", "b"], "correct": 1}),
        ("multiple", {"options": ["a", "b"], "correct": [1]}),
        ("short", {"answers": ["x"]}),
        ("numeric", {"answer": 3, "tolerance": 0}),
        ("matching", {"left": ["a"], "right": ["b"], "pairs": {"0": 0}}),
        ("blanks", {"text": "{1}", "blanks": {"1": ["x"]}}),
    ]:
        shown = public(kind, data)
        assert not {"correct", "answers", "answer", "pairs"} & set(shown)
        assert "x" not in str(shown.get("blanks", ""))
