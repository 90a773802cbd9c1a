"""Reading question banks in the formats Kazakh universities hold them in: the test-bank text of the Platonus
system, Moodle's GIFT and Aiken; in UTF-8, Windows-1251 (Russian) or KZ-1048 (Kazakh), detected or chosen.
A file with any error imports nothing: every error is reported with its line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

ENCODINGS = ("utf-8", "cp1251", "kz1048")
# Letters that KZ-1048 has where Windows-1251 has Serbian and Macedonian ones (Ђ Љ Ћ Џ ...): Kazakh text read
# as Windows-1251 shows those, which no Russian text has.
_CP1251_ONLY = set("ЂЃѓЉЊЌЋЏђљњќћџЎўЈҐЄЇєїјЅѕ")


@dataclass
class Parsed:
    kind: str
    text: str
    data: dict
    line: int
    title: str = ""
    feedback: str = ""


@dataclass
class ImportErrors(Exception):
    errors: list[tuple[int, str]] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(f"{line}: {message}" for line, message in self.errors)


def decode(raw: bytes, encoding: str = "auto") -> str:
    """The file's text: in the encoding given, else UTF-8 when it is, else Windows-1251 or KZ-1048."""
    if encoding != "auto":
        return raw.decode(encoding)
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    as_russian = raw.decode("cp1251", errors="replace")
    if _CP1251_ONLY & set(as_russian):
        return raw.decode("kz1048")
    return as_russian


# --- Platonus ----------------------------------------------------------------------------------------------

_PLATONUS_TAG = re.compile(r"^\s*<(question\d*|variant)>\s*(.*)$", re.IGNORECASE)


def platonus(text: str) -> list[Parsed]:
    """`<question>` opens a question, each `<variant>` an option, the first variant the right one; a line
    without a tag continues the text before it."""
    questions: list[dict] = []
    errors: list[tuple[int, str]] = []
    current = None
    target = None
    for number, line in enumerate(text.splitlines(), start=1):
        match = _PLATONUS_TAG.match(line)
        if match:
            tag, rest = match.group(1).lower(), match.group(2).strip()
            if tag.startswith("question"):
                current = {"line": number, "text": rest, "variants": []}
                questions.append(current)
                target = ("text", None)
            else:
                if current is None:
                    errors.append((number, _("A <variant> before any <question>.")))
                    continue
                current["variants"].append([rest, number])
                target = ("variant", len(current["variants"]) - 1)
        elif line.strip():
            if current is None:
                errors.append((number, _("Text before the first <question>.")))
            elif target[0] == "text":
                current["text"] += "\n" + line.strip()
            else:
                current["variants"][target[1]][0] += "\n" + line.strip()
    parsed = []
    for question in questions:
        if not question["text"].strip():
            errors.append((question["line"], _("A question without its text.")))
            continue
        variants = [v for v in question["variants"]]
        if len(variants) < 2:
            errors.append((question["line"], _("A question needs at least two <variant> lines.")))
            continue
        for text_, line in variants:
            if not text_.strip():
                errors.append((line, _("An empty <variant>.")))
        options = [v[0].strip() for v in variants]
        parsed.append(Parsed("single", question["text"].strip(), {"options": options, "correct": 0}, question["line"]))
    if errors:
        raise ImportErrors(sorted(errors))
    if not parsed:
        raise ImportErrors([(1, _("No question found."))])
    return parsed


def platonus_export(questions: list[tuple[str, dict]]) -> str:
    """Single-choice questions as Platonus text (the right option first)."""
    lines = []
    for text, data in questions:
        options = list(data["options"])
        right = options.pop(int(data["correct"]))
        lines.append(f"<question> {text}")
        lines.extend(f"<variant> {option}" for option in [right, *options])
    return "\n".join(lines) + "\n"


# --- Aiken -------------------------------------------------------------------------------------------------

_AIKEN_OPTION = re.compile(r"^([A-Z])[.)]\s+(.*)$")
_AIKEN_ANSWER = re.compile(r"^ANSWER:\s*([A-Z])\s*$")


def aiken(text: str) -> list[Parsed]:
    parsed, errors = [], []
    block: list[tuple[int, str]] = []
    lines = [*text.splitlines(), ""]
    for number, line in enumerate(lines, start=1):
        if line.strip():
            block.append((number, line.strip()))
            continue
        if not block:
            continue
        first_line, question = block[0]
        options, answer = [], None
        for line_number, content in block[1:]:
            option = _AIKEN_OPTION.match(content)
            answer_match = _AIKEN_ANSWER.match(content)
            if answer_match:
                answer = answer_match.group(1)
            elif option:
                options.append((option.group(1), option.group(2)))
            else:
                errors.append((line_number, _("Expected an option “A. ...” or “ANSWER: A”.")))
        letters = [letter for letter, _text in options]
        if answer is None:
            errors.append((first_line, _("The question has no “ANSWER:” line.")))
        elif answer not in letters:
            errors.append((first_line, _("The answer names no option of the question.")))
        elif len(options) < 2:
            errors.append((first_line, _("A question needs at least two options.")))
        else:
            parsed.append(
                Parsed(
                    "single",
                    question,
                    {"options": [t for _l, t in options], "correct": letters.index(answer)},
                    first_line,
                )
            )
        block = []
    if errors:
        raise ImportErrors(sorted(errors))
    if not parsed:
        raise ImportErrors([(1, _("No question found."))])
    return parsed


# --- GIFT --------------------------------------------------------------------------------------------------

_ESCAPES = {"\\~": "\x00t", "\\=": "\x00e", "\\#": "\x00h", "\\{": "\x00o", "\\}": "\x00c", "\\:": "\x00s", "\\n": "\n"}
_UNESCAPE = {"\x00t": "~", "\x00e": "=", "\x00h": "#", "\x00o": "{", "\x00c": "}", "\x00s": ":"}


def _protect(text: str) -> str:
    for escaped, placeholder in _ESCAPES.items():
        text = text.replace(escaped, placeholder)
    return text


def _restore(text: str) -> str:
    for placeholder, char in _UNESCAPE.items():
        text = text.replace(placeholder, char)
    return text.strip()


def _gift_blocks(text: str) -> list[tuple[int, str]]:
    blocks, current, start = [], [], None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("//") or stripped.startswith("$CATEGORY"):
            continue
        if not stripped:
            if current:
                blocks.append((start, "\n".join(current)))
                current, start = [], None
            continue
        if start is None:
            start = number
        current.append(line)
    if current:
        blocks.append((start, "\n".join(current)))
    return blocks


def _split_answers(body: str) -> list[tuple[str, str, str]]:
    """`=right#feedback ~wrong#feedback ...` into (mark, text, feedback)."""
    items = []
    for match in re.finditer(r"([=~])([^=~]*)", body):
        mark, rest = match.group(1), match.group(2)
        text, _sep, feedback = rest.partition("#")
        items.append((mark, _restore(text), _restore(feedback)))
    return items


def gift(text: str) -> list[Parsed]:
    parsed, errors = [], []
    for line, block in _gift_blocks(text):
        raw = _protect(block)
        title = ""
        title_match = re.match(r"^\s*::(.*?)::", raw, re.S)
        if title_match:
            title = _restore(title_match.group(1))
            raw = raw[title_match.end() :]
        if raw.count("{") != 1 or raw.count("}") != 1 or raw.index("{") > raw.index("}"):
            errors.append((line, _("A GIFT question needs one answer part in braces { }.")))
            continue
        before, rest = raw.split("{", 1)
        body, after = rest.split("}", 1)
        question = _restore(
            re.sub(r"^\[(html|moodle|markdown|plain)\]", "", before.strip())
            + (" ___ " + after.strip() if after.strip() else "")
        )
        body = body.strip()
        try:
            parsed.append(_gift_question(question, body, line, title))
        except ValueError as error:
            errors.append((line, str(error)))
    if errors:
        raise ImportErrors(sorted(errors))
    if not parsed:
        raise ImportErrors([(1, _("No question found."))])
    return parsed


def _gift_question(question: str, body: str, line: int, title: str) -> Parsed:
    if body == "":
        return Parsed("essay", question, {}, line, title)
    if body in ("T", "TRUE", "F", "FALSE") or re.match(r"^(T|TRUE|F|FALSE)\s*#", body):
        value = body.split("#", 1)[0].strip() in ("T", "TRUE")
        return Parsed("truefalse", question, {"correct": value}, line, title)
    if body.startswith("#"):
        spec = _restore(body[1:]).split("#", 1)[0].strip().lstrip("=")
        if ".." in spec:
            low, high = (float(x) for x in spec.split(".."))
            return Parsed("numeric", question, {"answer": (low + high) / 2, "tolerance": (high - low) / 2}, line, title)
        value, _sep, tolerance = spec.partition(":")
        try:
            return Parsed(
                "numeric", question, {"answer": float(value), "tolerance": float(tolerance or 0)}, line, title
            )
        except ValueError:
            raise ValueError(_("A numeric answer must be a number, “n:tolerance” or “low..high”.")) from None
    answers = _split_answers(body)
    if not answers:
        raise ValueError(_("The answers must start with = (right) or ~ (wrong)."))
    if all(mark == "=" for mark, _t, _f in answers) and any("->" in t for _m, t, _f in answers):
        left, right = [], []
        for _mark, text, _feedback in answers:
            a, _sep, b = text.partition("->")
            left.append(_restore(a))
            right.append(_restore(b))
        return Parsed(
            "matching",
            question,
            {"left": left, "right": right, "pairs": {str(i): i for i in range(len(left))}},
            line,
            title,
        )
    if all(mark == "=" for mark, _t, _f in answers):
        return Parsed("short", question, {"answers": [t for _m, t, _f in answers]}, line, title)
    right = [i for i, (mark, _t, _f) in enumerate(answers) if mark == "="]
    weighted = [i for i, (_m, t, _f) in enumerate(answers) if re.match(r"^%-?\d+(\.\d+)?%", t)]
    options = [re.sub(r"^%-?\d+(\.\d+)?%", "", t).strip() for _m, t, _f in answers]
    if weighted:
        correct = [i for i in weighted if not answers[i][1].startswith("%-") and not answers[i][1].startswith("%0%")]
        return Parsed("multiple", question, {"options": options, "correct": correct, "partial": "each"}, line, title)
    if len(right) != 1:
        raise ValueError(_("A choice question needs exactly one right answer (=), or weights (~%50%) for several."))
    return Parsed("single", question, {"options": options, "correct": right[0]}, line, title)


READERS = {"platonus": platonus, "aiken": aiken, "gift": gift}
