"""Scoring an answer to a question of each type, as a fraction of the question's points (0..1), or None for
an essay (graded by hand). Pure functions of the question's data (its version) and the response.

Question data per type (`data`), response shape in brackets:
- single: {"options": [..], "correct": i, "fractions"?: {"i": percent}}      [i]
  the right option earns all; an option with a fraction (GIFT `~%50%`, Moodle's fraction) earns its share.
- multiple: {"options": [..], "correct": [i, ..], "partial": "all"|"each", "weights"?: {"i": percent}}
                                                                             [[i, ..]]
  "each": every right choice earns its share, every wrong one takes a share away (never below 0).
  With "weights" (GIFT `~%33.3%`, `~%-100%`, Moodle's fractions), as Moodle grades: the weights of the options
  chosen added up, kept between 0 and 100%; "correct" then lists the options of a positive weight.
- truefalse: {"correct": true|false, "feedback_right"?, "feedback_wrong"?}  [true|false]
- short: {"answers": [..], "case_sensitive": false, "fractions"?: {"i": percent},
          "answer_feedback"?: [..]}                                          ["text"]
  whitespace inside and around the answer is normalised; case counts only when asked. The first answer that
  matches counts (as in Moodle), with its fraction (100 when none is given).
- numeric: {"answer": x, "tolerance": t, "answers"?: [{"answer", "tolerance", "fraction", "feedback"}],
            "other_feedback"?: ".."}                                         ["12.5" or 12.5]
  right when |given - x| <= t (decimal comma accepted). With "answers" (GIFT `{#=5:0 =%50%5:2}`), the first
  of them, in the order written, whose range holds the number counts with its fraction, as Moodle grades;
  "answer" and "tolerance" then repeat its answer of the highest fraction (what the question form edits).
- matching: {"left": [..], "right": [..], "pairs": {left i: right j}}        [{left i: right j}]
  each right pair earns its share; "right" may hold more than "left" (answers that match nothing).
- ordering: {"items": [..]} (in the right order)                            [[item index, ..]]
  all-or-nothing, or with "partial": true, the share of items in their right place.
- blanks: {"text": "... {1} ... {2}", "blanks": {"1": [variants], ..}}      [{"1": "..", ..}]
  each blank right earns its share.
- essay: {}                                                                  ["text"]  -> None
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

TYPES = ("single", "multiple", "truefalse", "short", "numeric", "matching", "ordering", "blanks", "essay")
AUTO_GRADED = tuple(t for t in TYPES if t != "essay")


def _normalise(text: str, case_sensitive: bool) -> str:
    text = re.sub(r"\s+", " ", str(text)).strip()
    return text if case_sensitive else text.casefold()


# A number typed as an answer is at most this long ("1e999999999" is no answer; it is a wrong one).
MAX_NUMBER_TEXT = 40


def _number(value) -> Decimal | None:
    """The number a student gave, or None: NaN, an infinity or a text too long to be meant count as wrong."""
    text = str(value).strip().replace(",", ".").replace(" ", "").replace("\u00a0", "")
    if len(text) > MAX_NUMBER_TEXT:
        return None
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() and number.adjusted() < 100 else None


def score(kind: str, data: dict, response) -> float | None:
    if kind == "essay":
        return None
    if response is None or response == "" or response == [] or response == {}:
        return 0.0
    try:
        return max(0.0, min(1.0, _SCORERS[kind](data, response)))
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, ArithmeticError):
        # A response of the wrong shape scores nothing; so does any answer to a key broken in the database
        # (NaN kept before numbers were bounded), rather than a 500 when the attempt closes.
        return 0.0


def _percent(value) -> float:
    return float(Decimal(str(value))) / 100


def _single(data, response) -> float:
    chosen = int(response)
    if chosen == int(data["correct"]):
        return 1.0
    fractions = data.get("fractions") or {}
    return _percent(fractions[str(chosen)]) if str(chosen) in fractions else 0.0


def _multiple(data, response) -> float:
    chosen = {int(i) for i in response}
    weights = data.get("weights")
    if weights:
        return sum(_percent(weights.get(str(i), 0)) for i in chosen if 0 <= i < len(data["options"]))
    correct = {int(i) for i in data["correct"]}
    if data.get("partial", "all") == "all":
        return 1.0 if chosen == correct else 0.0
    wrong_options = len(data["options"]) - len(correct)
    right = len(chosen & correct) / len(correct)
    wrong = len(chosen - correct) / wrong_options if wrong_options else 0.0
    return right - wrong


def _truefalse(data, response) -> float:
    given = response if isinstance(response, bool) else str(response).lower() in ("true", "1", "yes")
    return 1.0 if given == bool(data["correct"]) else 0.0


def short_match(data: dict, response) -> int | None:
    """The index of the first accepted answer the response matches, or None."""
    case = bool(data.get("case_sensitive", False))
    given = _normalise(response, case)
    return next((i for i, a in enumerate(data["answers"]) if given == _normalise(a, case)), None)


def _short(data, response) -> float:
    index = short_match(data, response)
    if index is None:
        return 0.0
    fractions = data.get("fractions") or {}
    return _percent(fractions[str(index)]) if str(index) in fractions else 1.0


def _within(given: Decimal, answer: dict) -> bool:
    return abs(given - Decimal(str(answer["answer"]))) <= Decimal(str(answer.get("tolerance", 0)))


def numeric_match(data: dict, response) -> dict | None:
    """The answer of a numeric question the response falls within: the first in the order written."""
    given = _number(response)
    if given is None:
        return None
    answers = data.get("answers") or [{"answer": data["answer"], "tolerance": data.get("tolerance", 0)}]
    return next((answer for answer in answers if _within(given, answer)), None)


def _numeric(data, response) -> float:
    answer = numeric_match(data, response)
    if answer is None:
        return 0.0
    return _percent(answer.get("fraction", 100))


def _matching(data, response) -> float:
    pairs = {str(k): int(v) for k, v in data["pairs"].items()}
    given = {str(k): int(v) for k, v in dict(response).items()}
    return sum(1 for k, v in pairs.items() if given.get(k) == v) / len(pairs)


def _ordering(data, response) -> float:
    order = [int(i) for i in response]
    expected = list(range(len(data["items"])))
    if len(order) != len(expected):
        return 0.0
    if not data.get("partial"):
        return 1.0 if order == expected else 0.0
    return sum(1 for position, item in enumerate(order) if item == position) / len(expected)


def _blanks(data, response) -> float:
    blanks = data["blanks"]
    given = dict(response)
    case = bool(data.get("case_sensitive", False))
    right = sum(
        1
        for key, variants in blanks.items()
        if any(_normalise(given.get(key, ""), case) == _normalise(v, case) for v in variants)
    )
    return right / len(blanks)


_SCORERS = {
    "single": _single,
    "multiple": _multiple,
    "truefalse": _truefalse,
    "short": _short,
    "numeric": _numeric,
    "matching": _matching,
    "ordering": _ordering,
    "blanks": _blanks,
}


def public(kind: str, data: dict) -> dict:
    """What the attempt page may show of a question: its options, never its key."""
    if kind in ("single", "multiple"):
        return {"options": data["options"], "option_media": data.get("option_media") or {}}
    if kind == "matching":
        return {"left": data["left"], "right": data["right"]}
    if kind == "ordering":
        return {"items": data["items"]}
    if kind == "blanks":
        return {"text": data["text"], "blanks": sorted(data["blanks"])}
    return {}


def feedback_for(kind: str, data: dict, response) -> list[str]:
    """What the question says back to this response on the review page (never on the attempt page): the
    feedback of each option chosen, of the short or numeric answer matched (or the numeric question's feedback
    for any other answer), of a true/false answer right or wrong."""
    try:
        if kind in ("single", "multiple"):
            notes = data.get("option_feedback") or []
            chosen = response if isinstance(response, list) else [response]
            return [notes[c] for c in chosen if isinstance(c, int) and 0 <= c < len(notes) and notes[c]]
        if kind == "truefalse" and response is not None and response != "":
            right = score(kind, data, response) == 1.0
            note = data.get("feedback_right" if right else "feedback_wrong")
            return [note] if note else []
        if kind == "short" and response:
            index = short_match(data, response)
            notes = data.get("answer_feedback") or []
            return [notes[index]] if index is not None and index < len(notes) and notes[index] else []
        if kind == "numeric" and response not in (None, ""):
            answer = numeric_match(data, response)
            note = answer.get("feedback") if answer is not None else data.get("other_feedback")
            return [note] if note else []
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, ArithmeticError):
        return []
    return []
