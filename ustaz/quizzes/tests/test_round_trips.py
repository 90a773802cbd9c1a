"""Our exports read back by our imports, equal (issue 14, item 1), for every format under property-based tests:
GIFT and Moodle XML with every kind they hold (weights, fractions, feedback, formats, categories, titles),
Aiken and Platonus with single choice, the Excel template with its kinds and points.

Short runs by default; `USTAZ_FUZZ=long .venv/bin/python -m pytest ustaz/quizzes/tests/test_round_trips.py` runs
longer (testkit/fuzz.py)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

import testkit.fuzz  # noqa: F401 - loads the fuzzing profile
from ustaz.quizzes import grading, importers
from ustaz.quizzes.importers import Parsed

# Kazakh, Russian and Latin letters, digits, and every character GIFT gives a meaning to.
# Latin letters enough to write T, F, true, \\n and [html].
LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһіАӘҒҚҢӨҰҮҺІTtFfRrUuEenhml0123456789"
SPECIAL = "~=#{}:\\%[]->/*<>&\"'$.,!?()"
words = st.text(alphabet=LETTERS + SPECIAL, min_size=1, max_size=12)
one_line = st.lists(words, min_size=1, max_size=5).map(" ".join)
lines = st.lists(one_line, min_size=1, max_size=3).map("\n".join)  # a text of several lines
maybe = st.one_of(st.just(""), one_line)
short_text = one_line.filter(lambda text: "->" not in text)  # "->" makes GIFT answers a matching question
formats = st.sampled_from(importers.TEXT_FORMATS)
categories = st.lists(st.text(alphabet=LETTERS, min_size=1, max_size=8), min_size=1, max_size=3).map("/".join)
percent = st.integers(-100, 99).filter(bool) | st.decimals(-99, 99, places=5).filter(bool).map(
    lambda value: importers._number_value(value)
)
key_numbers = st.decimals(-(10**6), 10**6, places=4).map(float)
tolerances = st.decimals(0, 1000, places=4).map(float)
points = st.decimals(Decimal("0.25"), Decimal("100"), places=2)


def _feedback(draw, size: int) -> dict:
    notes = draw(st.lists(maybe, min_size=size, max_size=size))
    return {"option_feedback": notes} if any(notes) else {}


@st.composite
def single(draw, rich: bool = True) -> dict:
    options = draw(st.lists(lines, min_size=2, max_size=6))
    correct = draw(st.integers(0, len(options) - 1))
    data = {"options": options, "correct": correct}
    if rich:
        fractions = draw(st.dictionaries(st.sampled_from([str(i) for i in range(len(options))]), percent))
        fractions.pop(str(correct), None)
        if fractions:
            data["fractions"] = dict(sorted(fractions.items(), key=lambda item: int(item[0])))
        data.update(_feedback(draw, len(options)))
    return data


@st.composite
def multiple(draw) -> dict:
    options = draw(st.lists(one_line, min_size=2, max_size=6))
    right = sorted(draw(st.sets(st.integers(0, len(options) - 1), min_size=1)))
    cuts = sorted(draw(st.lists(st.integers(1, 99), min_size=len(right) - 1, max_size=len(right) - 1)))
    shares = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
    if any(share <= 0 for share in shares):
        shares = [100 // len(right)] * (len(right) - 1) + [100 - 100 // len(right) * (len(right) - 1)]
    weights = dict(zip(right, shares, strict=True))
    for i in range(len(options)):
        if i not in weights and draw(st.booleans()):
            weights[i] = -draw(st.integers(1, 100))
    data = {
        "options": options,
        "correct": right,
        "partial": "each",
        "weights": {str(i): weights[i] for i in sorted(weights)},
    }
    data.update(_feedback(draw, len(options)))
    return data


@st.composite
def truefalse(draw) -> dict:
    data = {"correct": draw(st.booleans())}
    for key in ("feedback_wrong", "feedback_right"):
        note = draw(maybe)
        if note:
            data[key] = note
    return data


@st.composite
def short(draw) -> dict:
    answers = draw(st.lists(short_text, min_size=1, max_size=4))
    full = draw(st.integers(0, len(answers) - 1))
    fractions = {str(i): draw(percent) for i in range(len(answers)) if i != full and draw(st.booleans())}
    data = {"answers": answers}
    if fractions:
        data["fractions"] = fractions
    notes = draw(st.lists(maybe, min_size=len(answers), max_size=len(answers)))
    if any(notes):
        data["answer_feedback"] = notes
    return data


@st.composite
def numeric(draw) -> dict:
    answers = [
        {"answer": draw(key_numbers), "tolerance": draw(tolerances), "fraction": draw(percent), "feedback": draw(maybe)}
        for _n in range(draw(st.integers(1, 3)))
    ]
    answers[draw(st.integers(0, len(answers) - 1))]["fraction"] = 100
    answers = [{**a, "fraction": min(a["fraction"], 100)} for a in answers]
    best = max(answers, key=lambda answer: answer["fraction"])
    data = {"answer": best["answer"], "tolerance": best["tolerance"]}
    other = draw(maybe)
    if len(answers) > 1 or other or best["feedback"]:
        data["answers"] = answers
    if other:
        data["other_feedback"] = other
    return data


@st.composite
def matching(draw) -> dict:
    left = draw(st.lists(short_text, min_size=2, max_size=5))
    choices = draw(st.lists(st.integers(0, 5), min_size=len(left), max_size=len(left)))
    order = list(dict.fromkeys(choices))  # the right answers in the order they first appear
    extra = draw(st.integers(0, 2))
    right = draw(st.lists(one_line, min_size=len(order) + extra, max_size=len(order) + extra, unique=True))
    return {"left": left, "right": right, "pairs": {str(i): order.index(c) for i, c in enumerate(choices)}}


KINDS = {
    "single": single(),
    "multiple": multiple(),
    "truefalse": truefalse(),
    "short": short(),
    "numeric": numeric(),
    "matching": matching(),
    "essay": st.just({}),
}


@st.composite
def banks(draw, with_points: bool):
    category = draw(st.one_of(st.just(""), categories))
    items = []
    for kind in draw(st.lists(st.sampled_from(sorted(KINDS)), min_size=1, max_size=8)):
        items.append(
            Parsed(
                kind,
                draw(lines),
                draw(KINDS[kind]),
                0,
                title=draw(maybe),
                feedback=draw(maybe),
                points=draw(points) if with_points else None,
                text_format=draw(formats),
                category=category or "",
            )
        )
    return items


def essentials(item: Parsed, *, title: bool = True) -> tuple:
    data = dict(item.data)
    if not data.get("case_sensitive", True):
        del data["case_sensitive"]
    return (
        item.kind,
        item.text,
        data,
        item.title if title else None,
        item.feedback,
        item.text_format,
        item.category,
    )


@given(banks(with_points=False))
def test_gift_export_reads_back_equal(items):
    back = importers.gift(importers.gift_export(items))
    assert [essentials(item) for item in back] == [essentials(item) for item in items]


@given(banks(with_points=True))
def test_moodle_xml_export_reads_back_equal(items):
    back = importers.moodle_xml(importers.moodle_xml_export(items))
    assert [essentials(item, title=bool(old.title)) for item, old in zip(back, items, strict=True)] == [
        essentials(item, title=bool(item.title)) for item in items
    ]
    assert [item.title for item, old in zip(back, items, strict=True) if old.title] == [
        i.title for i in items if i.title
    ]
    assert [item.points for item in back] == [item.points for item in items]


@given(banks(with_points=False), st.lists(st.tuples(st.integers(0, 7), st.text(max_size=8)), max_size=4))
def test_gift_round_trips_grade_the_same(items, responses):
    """What is read back grades every response as the original does (the data being equal, so does grading)."""
    back = importers.gift(importers.gift_export(items))
    for old, new in zip(items, back, strict=True):
        for index, text in responses:
            for response in (index, [index], text, {"0": index}):
                assert grading.score(new.kind, new.data, response) == grading.score(old.kind, old.data, response)


single_line = st.lists(st.text(alphabet=LETTERS + SPECIAL, min_size=1, max_size=10), min_size=1, max_size=4).map(
    " ".join
)


@st.composite
def plain_single(draw) -> tuple[str, dict]:
    options = draw(st.lists(single_line, min_size=2, max_size=8))
    return draw(single_line), {"options": options, "correct": draw(st.integers(0, len(options) - 1))}


@given(st.lists(plain_single(), min_size=1, max_size=6))
def test_aiken_export_reads_back_equal(questions):
    back = importers.aiken(importers.aiken_export(questions))
    assert [(item.kind, item.text, item.data) for item in back] == [("single", t, d) for t, d in questions]


@given(st.lists(plain_single(), min_size=1, max_size=6))
def test_platonus_export_reads_back_with_the_right_option_first(questions):
    back = importers.platonus(importers.platonus_export(questions))
    expected = [
        (text, [data["options"][data["correct"]], *(o for i, o in enumerate(data["options"]) if i != data["correct"])])
        for text, data in questions
    ]
    assert [(item.text, item.data["options"]) for item in back] == expected
    assert all(item.data["correct"] == 0 for item in back)


cell_text = (
    st.text(alphabet=LETTERS + SPECIAL.replace(";", "") + " \n", min_size=1, max_size=20).map(str.strip).filter(bool)
)


@st.composite
def workbook_item(draw) -> Parsed:
    kind = draw(st.sampled_from(importers.XLSX_TYPES))
    if kind in ("single", "multiple"):
        options = draw(st.lists(cell_text, min_size=2, max_size=8))
        if kind == "single":
            data = {"options": options, "correct": draw(st.integers(0, len(options) - 1))}
        else:
            chosen = sorted(draw(st.sets(st.integers(0, len(options) - 1), min_size=1)))
            data = {"options": options, "correct": chosen, "partial": "each"}
    elif kind == "truefalse":
        data = {"correct": draw(st.booleans())}
    elif kind == "short":
        data = {"answers": draw(st.lists(cell_text.map(lambda t: " ".join(t.split())), min_size=1, max_size=4))}
    elif kind == "numeric":
        data = {"answer": draw(key_numbers), "tolerance": draw(tolerances)}
    else:
        data = {}
    return Parsed(kind, draw(cell_text), data, 0, points=draw(st.one_of(st.none(), points)))


@given(st.lists(workbook_item(), min_size=1, max_size=8))
def test_excel_export_reads_back_equal(items):
    back = importers.xlsx(importers.xlsx_export(items))
    assert [(item.kind, item.text, item.data, item.points) for item in back] == [
        (item.kind, item.text, item.data, item.points) for item in items
    ]
