"""Scoring an answer to a question of each type, as a fraction of the question's points (0..1), or None for
an essay (graded by hand). Pure functions of the question's data (its version) and the response.

Question data per type (`data`), response shape in brackets:
- single: {"options": [..], "correct": i}                                  [i]
- multiple: {"options": [..], "correct": [i, ..], "partial": "all"|"each"}  [[i, ..]]
  "each": every right choice earns its share, every wrong one takes a share away (never below 0).
- truefalse: {"correct": true|false}                                         [true|false]
- short: {"answers": [..], "case_sensitive": false}                          ["text"]
  whitespace inside and around the answer is normalised; case counts only when asked.
- numeric: {"answer": x, "tolerance": t}                                     ["12.5" or 12.5]
  right when |given - x| <= t (decimal comma accepted).
- matching: {"left": [..], "right": [..], "pairs": {left i: right j}}        [{left i: right j}]
  each right pair earns its share.
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


def _single(data, response) -> float:
    return 1.0 if int(response) == int(data["correct"]) else 0.0


def _multiple(data, response) -> float:
    chosen = {int(i) for i in response}
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


def _short(data, response) -> float:
    case = bool(data.get("case_sensitive", False))
    given = _normalise(response, case)
    return 1.0 if any(given == _normalise(a, case) for a in data["answers"]) else 0.0


def _numeric(data, response) -> float:
    given = _number(response)
    if given is None:
        return 0.0
    return 1.0 if abs(given - Decimal(str(data["answer"]))) <= Decimal(str(data.get("tolerance", 0))) else 0.0


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
