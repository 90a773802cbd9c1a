"""Reading question banks in the formats Kazakh universities hold them in: the test-bank text of the Platonus
system, Moodle's GIFT, Aiken and Moodle XML, and the Excel template; in UTF-8, Windows-1251 (Russian) or KZ-1048
(Kazakh), detected or chosen. A file with any error imports nothing: every error is reported with its line.

Every file is bounded before and while it is read (`Limits`, from the USTAZ_QUIZ_IMPORT_* settings): its size,
its lines or rows, an Excel workbook's size unpacked, the questions, the options of a question and the length of
one text; numbers (points, weights, numeric keys) are bounded by `bounds`. `read` is the one way in: it answers
with the questions or raises `ImportErrors`, whatever the bytes."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ustaz.core import encodings

from . import bounds

ENCODINGS = encodings.CHOICES


@dataclass
class Parsed:
    kind: str
    text: str
    data: dict
    line: int
    title: str = ""
    feedback: str = ""
    points: Decimal | None = None  # None: the default of a new question
    text_format: str = "plain"  # how the texts are written: plain, moodle, markdown or html (TEXT_FORMATS)
    category: str = ""  # the category named in the file (GIFT's $CATEGORY:), else the one the import is given


@dataclass
class ImportErrors(Exception):
    errors: list[tuple[int, str]] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(f"{line}: {message}" for line, message in self.errors)


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_lines: int  # lines of a text file
    max_rows: int  # rows of a sheet
    max_questions: int
    max_options: int  # options, accepted answers or pairs of one question
    max_text: int  # characters of one question, option or answer
    max_xlsx_bytes: int  # an Excel workbook unpacked

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            max_bytes=settings.QUIZ_IMPORT_MAX_MB * 1024 * 1024,
            max_lines=settings.QUIZ_IMPORT_MAX_LINES,
            max_rows=settings.QUIZ_IMPORT_MAX_ROWS,
            max_questions=settings.QUIZ_IMPORT_MAX_QUESTIONS,
            max_options=settings.QUIZ_IMPORT_MAX_OPTIONS,
            max_text=settings.QUIZ_IMPORT_MAX_TEXT,
            max_xlsx_bytes=settings.QUIZ_IMPORT_MAX_XLSX_MB * 1024 * 1024,
        )


# A page lists this many errors at most; a file with thousands says how many more there are.
MAX_ERRORS_SHOWN = 50

FORMATS = ("platonus", "gift", "aiken", "moodle_xml", "xlsx")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def too_large_message(limits: Limits) -> str:
    return _("The file is larger than %(limit)s MB, the most an import takes.") % {
        "limit": _megabytes(limits.max_bytes)
    }


def _refuse(message: str, line: int = 1) -> ImportErrors:
    return ImportErrors([(line, message)])


def _shown(errors: list[tuple[int, str]]) -> list[tuple[int, str]]:
    errors = sorted(errors)
    if len(errors) <= MAX_ERRORS_SHOWN:
        return errors
    rest = len(errors) - MAX_ERRORS_SHOWN
    return [*errors[:MAX_ERRORS_SHOWN], (errors[MAX_ERRORS_SHOWN][0], _("… and %(count)d more.") % {"count": rest})]


# Every character that str.splitlines() ends a line at, "\r\n" counted once.
_LINE_ENDS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def count_lines(text: str) -> int:
    """len(text.splitlines()), without making the list."""
    ends = sum(text.count(char) for char in _LINE_ENDS) - text.count("\r\n")
    return ends + (1 if text and text[-1] not in _LINE_ENDS else 0)


def read(
    raw: bytes,
    fmt: str,
    encoding: str = "auto",
    limits: Limits | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Parsed]:
    """The questions of an uploaded file, every one checked against the limits; ImportErrors otherwise.
    `progress` is told the lines (rows) read so far, now and then."""
    limits = limits or Limits.from_settings()
    if fmt not in FORMATS:
        raise _refuse(_("Unknown format."))
    if len(raw) > limits.max_bytes:
        raise _refuse(too_large_message(limits))
    try:
        if fmt == "xlsx":
            parsed = xlsx(raw, limits, progress)
        else:
            try:
                text = decode(raw, encoding)
            except encodings.UnknownEncoding:
                raise _refuse(
                    _(
                        "The encoding of the file could not be told: choose it (UTF-8, Windows-1251 or KZ-1048) "
                        "and import the file again."
                    )
                ) from None
            except (UnicodeDecodeError, LookupError):
                raise _refuse(_("The file is not in the encoding chosen.")) from None
            if "\x00" in text:  # no text has one (PostgreSQL keeps none): a binary file, or UTF-16 read as another
                line = text.count("\n", 0, text.index("\x00")) + 1
                raise _refuse(_("The file contains NUL characters: it is not a text in the encoding chosen."), line)
            lines = count_lines(text)
            if lines > limits.max_lines:
                raise _refuse(
                    _("The file has more than %(limit)d lines, the most an import takes.") % {"limit": limits.max_lines}
                )
            if progress is not None:
                progress(lines)
            parsed = READERS[fmt](text, limits)
    except ImportErrors as failed:
        raise ImportErrors(_shown(failed.errors)) from None
    if len(parsed) > limits.max_questions:
        raise _too_many_questions(limits)
    errors = [error for item in parsed for error in _check(item, limits)]
    if errors:
        raise ImportErrors(_shown(errors))
    return parsed


def _too_many_questions(limits: Limits) -> ImportErrors:
    return _refuse(
        _("The file has more than %(limit)d questions, the most an import takes.") % {"limit": limits.max_questions}
    )


def _texts(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    return []


def _check(item: Parsed, limits: Limits) -> list[tuple[int, str]]:
    """What a parsed question breaks of the limits on texts and options."""
    errors = []
    texts = [item.text, item.title, item.feedback, *(text for value in item.data.values() for text in _texts(value))]
    if any("\x00" in text for text in texts):
        errors.append((item.line, _("The question contains NUL characters.")))
    if max(len(item.text), len(item.title), len(item.feedback)) > limits.max_text:
        errors.append((item.line, _("The question is longer than %(limit)d characters.") % {"limit": limits.max_text}))
    lists = [item.data[key] for key in ("options", "answers", "left", "right") if isinstance(item.data.get(key), list)]
    if any(len(values) > limits.max_options for values in lists):
        errors.append((item.line, _("The question has more than %(limit)d options.") % {"limit": limits.max_options}))
    elif any(len(text) > limits.max_text for value in item.data.values() for text in _texts(value)):
        errors.append((item.line, _("An option is longer than %(limit)d characters.") % {"limit": limits.max_text}))
    return errors


def _number_error(what: str, error: ValidationError) -> ValueError:
    return ValueError(_("%(what)s: %(error)s") % {"what": what, "error": " ".join(error.messages)})


def decode(raw: bytes, encoding: str = "auto") -> str:
    """The file's text: in the encoding given, else detected (ustaz.core.encodings)."""
    return encodings.decode(raw, encoding)


# --- Platonus ----------------------------------------------------------------------------------------------

_PLATONUS_TAG = re.compile(r"^\s*<(question\d*|variant)>\s*(.*)$", re.IGNORECASE)


def platonus(text: str, limits: Limits | None = None) -> list[Parsed]:
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


def platonus_export(questions) -> str:
    """Single-choice questions as Platonus text (the right option first; a partial share of an option is not
    written: Platonus has none)."""
    lines = []
    for item in _items(questions):
        if item.kind != "single":
            continue
        options = [" ".join(option.split()) for option in item.data["options"]]
        right = options.pop(int(item.data["correct"]))
        lines.append(f"<question> {' '.join(item.text.split())}")
        lines.extend(f"<variant> {option}" for option in [right, *options])
    return "\n".join(lines) + "\n"


# --- Aiken -------------------------------------------------------------------------------------------------

_AIKEN_OPTION = re.compile(r"^([A-Z])[.)]\s+(.*)$")
_AIKEN_ANSWER = re.compile(r"^ANSWER:\s*([A-Z])\s*$")


def aiken(text: str, limits: Limits | None = None) -> list[Parsed]:
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
# As Moodle's GIFT documentation and its reader (question/format/gift) define it: titles `::title::`, comments
# `//`, `$CATEGORY:` lines, the formats `[html]`, `[markdown]`, `[plain]`, `[moodle]` (the default), the escapes
# `\\ \~ \= \# \{ \} \: \n`, general feedback `####`, per-answer feedback `#`, weights `%50%`; single choice,
# multiple answers, true/false, short answer, numeric (tolerance, ranges, several answers), matching, missing
# word (text after the braces), essay. A description (no braces) is no question here: refused by its line.

TEXT_FORMATS = ("plain", "moodle", "markdown", "html")
GIFT_DEFAULT_FORMAT = "moodle"  # Moodle's FORMAT_MOODLE: a text without its format tag

# Each escape becomes a placeholder while the block is cut into its parts, and its character afterwards.
_BACKSLASH = "\x00b"
_ESCAPES = {"\\~": "\x00t", "\\=": "\x00e", "\\#": "\x00h", "\\{": "\x00o", "\\}": "\x00c", "\\:": "\x00s", "\\n": "\n"}
_UNESCAPE = {"\x00t": "~", "\x00e": "=", "\x00h": "#", "\x00o": "{", "\x00c": "}", "\x00s": ":", _BACKSLASH: "\\"}
_FORMAT_TAG = re.compile(r"^\s*\[(html|moodle|markdown|plain)\]", re.IGNORECASE)
_GIFT_WEIGHT = re.compile(r"^%([^%]{0,40})%")
MISSING_WORD = "_____"  # where the answer of a missing-word question goes in its text


def _protect(text: str) -> str:
    text = text.replace("\\\\", _BACKSLASH)
    for escaped, placeholder in _ESCAPES.items():
        text = text.replace(escaped, placeholder)
    return text


def _restore(text: str) -> str:
    for placeholder, char in _UNESCAPE.items():
        text = text.replace(placeholder, char)
    return text.strip()


def _unformatted(text: str) -> tuple[str | None, str]:
    """A text's own format tag, if it has one, and the text without it (restored)."""
    match = _FORMAT_TAG.match(text)
    if match:
        return match.group(1).lower(), _restore(text[match.end() :])
    return None, _restore(text)


def _plain(text: str) -> str:
    return _unformatted(text)[1]


def _number_value(value: Decimal) -> int | float:
    """A weight or fraction as kept in JSON: whole numbers as integers."""
    return int(value) if value == value.to_integral_value() else float(value)


def _gift_category(path: str) -> str:
    """A `$CATEGORY:` path as the name of a category of the bank: Moodle's context and `top` dropped, the rest
    of the path kept (`$course$/top/Harmony/Intervals` is `Harmony/Intervals`)."""
    parts = [part.strip() for part in path.strip().split("/") if part.strip()]
    if parts and re.fullmatch(r"\$\w+\$", parts[0]):
        parts = parts[1:]
    if parts and parts[0].casefold() == "top":
        parts = parts[1:]
    return "/".join(parts)[:200]


def _gift_blocks(text: str) -> list[tuple[int, str, str]]:
    """(first line, text, category) of every question: blocks between blank lines, comments dropped; a
    `$CATEGORY:` line names the category of the questions after it."""
    blocks, current, start, category = [], [], None, ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        if stripped.startswith("$CATEGORY:") or not stripped:
            if current:
                blocks.append((start, "\n".join(current), category))
                current, start = [], None
            if stripped:
                category = _gift_category(stripped[len("$CATEGORY:") :])
            continue
        if start is None:
            start = number
        current.append(line)
    if current:
        blocks.append((start, "\n".join(current), category))
    return blocks


def _weighted(answer: str, default: Decimal | None) -> tuple[Decimal | None, str]:
    """An answer's weight (`%50%`, from -100 to 100) and the rest of it; `default` when it has none."""
    match = _GIFT_WEIGHT.match(answer)
    if not match:
        return default, answer
    try:
        return bounds.weight(match.group(1)), answer[match.end() :]
    except ValidationError as error:
        raise _number_error(_("The weight of an option"), error) from None


def _answers(body: str, separator: str) -> list[str]:
    """The answers of a body cut at each separator (= or ~), the text before the first dropped if empty."""
    parts = body.split(separator)
    if not parts[0].strip():
        parts = parts[1:]
    return [part.strip() for part in parts]


def gift(text: str, limits: Limits | None = None) -> list[Parsed]:
    limits = limits or Limits.from_settings()
    parsed, errors = [], []
    for line, block, category in _gift_blocks(text):
        if len(parsed) + len(errors) >= limits.max_questions:
            raise _too_many_questions(limits)
        try:
            item = _gift_block(_protect(block).strip(), line, limits)
        except ValueError as error:
            errors.append((line, str(error)))
            continue
        item.category = category
        parsed.append(item)
    if errors:
        raise ImportErrors(sorted(errors))
    if not parsed:
        raise ImportErrors([(1, _("No question found."))])
    return parsed


def _gift_block(raw: str, line: int, limits: Limits) -> Parsed:
    title = ""
    title_match = re.match(r"^::(.*?)::", raw, re.S)
    if title_match:
        title = _restore(title_match.group(1))
        raw = raw[title_match.end() :].strip()
    opening, closing = raw.count("{"), raw.count("}")
    if opening == closing == 0:
        raise ValueError(
            _(
                "A text without an answer part in braces { } is a description in Moodle; descriptions are not "
                "imported: remove it or give it its answers."
            )
        )
    if opening != 1 or closing != 1 or raw.index("{") > raw.index("}"):
        raise ValueError(_("A GIFT question needs one answer part in braces { }."))
    start, end = raw.index("{"), raw.index("}")
    body = raw[start + 1 : end].strip()
    question = raw[:start] + ("" if end == len(raw) - 1 else MISSING_WORD + raw[end + 1 :])
    text_format, question = _unformatted(question)
    text_format = text_format or GIFT_DEFAULT_FORMAT
    general = ""
    if "####" in body:
        body, general = body[: body.rindex("####")].strip(), _plain(body[body.rindex("####") + 4 :])
    if not question:
        raise ValueError(_("A question without its text."))
    if body.count("=") + body.count("~") > limits.max_options:  # refused before a list is made of them
        raise ValueError(_("The question has more than %(limit)d options.") % {"limit": limits.max_options})
    kind, data = _gift_answers(body)
    return Parsed(kind, question, data, line, title, general, text_format=text_format)


def _gift_answers(body: str) -> tuple[str, dict]:
    """The kind and data of a question from its answer part, in the order Moodle's reader tells them."""
    if body == "":
        return "essay", {}
    if body.startswith("#"):
        return "numeric", _gift_numeric(body[1:])
    if "~" in body:
        return _gift_choice(body)
    if "=" in body and any("->" in answer.partition("#")[0] for answer in _answers(body, "=")):
        # Moodle looks for "->" anywhere; here only in the answers, so that a feedback may hold an arrow.
        return "matching", _gift_matching(body)
    answer, *feedback = body.split("#", 2)
    if _plain(answer).upper() in ("T", "TRUE", "F", "FALSE"):
        data = {"correct": _plain(answer).upper() in ("T", "TRUE")}
        wrong, right = [*(_plain(f) for f in feedback), "", ""][:2]
        data.update({key: value for key, value in (("feedback_wrong", wrong), ("feedback_right", right)) if value})
        return "truefalse", data
    return "short", _gift_short(body)


def _gift_choice(body: str) -> tuple[str, dict]:
    """`=right ~wrong ~%50%partly`: single choice when an answer is marked = (the first of them is the right
    one, another = or a weight earns its share), multiple answers otherwise, weighted as given."""
    single = "=" in body
    options, weights, feedback = [], {}, []
    for answer in _answers(body.replace("=", "~="), "~"):
        if answer.startswith("="):
            weight, answer = _weighted(answer[1:], Decimal(100))
        else:
            weight, answer = _weighted(answer, Decimal(0))
        text, _sep, note = answer.partition("#")
        if not _plain(text):
            raise ValueError(_("An answer without its text."))
        if weight:
            weights[str(len(options))] = _number_value(weight)
        options.append(_plain(text))
        feedback.append(_plain(note))
    if len(options) < 2:
        raise ValueError(_("A choice question needs at least two answers."))
    extra = {"option_feedback": feedback} if any(feedback) else {}
    if single:
        right = next((int(i) for i, value in weights.items() if value == 100), None)
        if right is None:
            raise ValueError(_("A single-choice question needs one answer of 100% (=)."))
        fractions = {i: value for i, value in weights.items() if int(i) != right}
        partial = {"fractions": fractions} if fractions else {}
        return "single", {"options": options, "correct": right, **partial, **extra}
    positive = sum(Decimal(str(value)) for value in weights.values() if value > 0)
    if round(positive / 100, 2) != 1:
        raise ValueError(
            _(
                "The weights of the right answers of a multiple-answer question add up to %(sum)s%%, not 100%%: "
                "mark one answer right with =, or weigh the right ones (~%%50%%) to 100%%."
            )
            % {"sum": f"{positive.normalize():f}"}
        )
    correct = [int(i) for i, value in weights.items() if value > 0]
    return "multiple", {"options": options, "correct": sorted(correct), "partial": "each", "weights": weights, **extra}


def _gift_matching(body: str) -> dict:
    """`=left -> right` pairs; a pair without its left (`= -> right`) is an answer that matches nothing; the
    same right answer given twice is one answer."""
    left, right, pairs = [], [], {}
    for answer in _answers(body, "="):
        if "->" not in answer:
            raise ValueError(_("Every answer of a matching question is “= question -> answer”."))
        question, _sep, match = answer.partition("->")
        question, match = _plain(question), _plain(match)
        if not match:
            raise ValueError(_("Every answer of a matching question is “= question -> answer”."))
        if match not in right:
            right.append(match)
        if question:
            pairs[str(len(left))] = right.index(match)
            left.append(question)
    if len(left) < 2:
        raise ValueError(_("A matching question needs at least two pairs."))
    return {"left": left, "right": right, "pairs": pairs}


def _gift_short(body: str) -> dict:
    """`=answer =%50%partly#feedback`: every answer full credit unless weighed; one must earn it all."""
    answers, fractions, feedback = [], {}, []
    for answer in _answers(body, "="):
        weight, answer = _weighted(answer, Decimal(100))
        text, _sep, note = answer.partition("#")
        if not _plain(text):
            raise ValueError(_("An answer without its text."))
        if weight != 100:
            fractions[str(len(answers))] = _number_value(weight)
        answers.append(_plain(text))
        feedback.append(_plain(note))
    if not answers:
        raise ValueError(_("The answers must start with = (right) or ~ (wrong)."))
    if len(fractions) == len(answers):
        raise ValueError(_("A short-answer question needs one answer of 100%."))
    data = {"answers": answers}
    if fractions:
        data["fractions"] = fractions
    if any(feedback):
        data["answer_feedback"] = feedback
    return data


def _gift_range(spec: str) -> tuple[float, float]:
    """`n`, `n:tolerance` or `low..high` as the answer and its tolerance."""
    low, dots, high = spec.partition("..")
    value, _sep, tolerance = spec.partition(":")
    try:
        if dots:
            low_number, high_number = bounds.key_decimal(low), bounds.key_decimal(high)
            if high_number < low_number:
                raise ValueError(_("A numeric range goes from the lower number to the higher."))
            middle = (low_number + high_number) / 2
            return bounds.key_number(middle), bounds.tolerance(high_number - middle)
        answer = bounds.key_number(value)
    except ValidationError as error:
        raise _number_error(_("The answer"), error) from None
    try:
        return answer, bounds.tolerance(tolerance or 0)
    except ValidationError as error:
        raise _number_error(_("The tolerance"), error) from None


def _gift_numeric(body: str) -> dict:
    """`#n:t`, `#low..high`, or several answers `#=%100%5:0#feedback =%50%5:2 ~#any other answer's feedback`:
    the first answer, in the order written, whose range holds the number counts with its weight."""
    other = ""
    if "~" in body:
        body, other = body[: body.index("~")], _plain(body[body.index("~") + 1 :].partition("#")[2])
    answers = []
    for answer in _answers(body, "="):
        weight, answer = _weighted(answer, Decimal(100))
        spec, _sep, note = answer.partition("#")
        value, tolerance = _gift_range(_plain(spec).replace(" ", ""))
        answers.append(
            {"answer": value, "tolerance": tolerance, "fraction": _number_value(weight), "feedback": _plain(note)}
        )
    if not answers:
        raise ValueError(_("A numeric question needs its answer after #."))
    best = max(answers, key=lambda answer: answer["fraction"])
    if best["fraction"] != 100:
        raise ValueError(_("A numeric question needs one answer of 100%."))
    data = {"answer": best["answer"], "tolerance": best["tolerance"]}
    if len(answers) > 1 or other or best["feedback"]:
        data["answers"] = answers
    if other:
        data["other_feedback"] = other
    return data


READERS = {"platonus": platonus, "aiken": aiken, "gift": gift}


# --- Moodle XML --------------------------------------------------------------------------------------------


def _xml_text(element) -> str:
    if element is None:
        return ""
    text_node = element.find("text")
    raw = text_node.text if text_node is not None else element.text
    return (raw or "").strip()


class _Refused(Exception):
    pass


class _TooLarge(Exception):
    def __init__(self, line: int):
        self.line = line


XML_CHUNK = 64 * 1024  # characters given to expat at a time


def xml_elements_per_question(limits: Limits) -> int:
    """Elements one Moodle question may have: four for each option (answer, text, feedback, its text) and
    the question's own settings (texts, feedbacks, hints, tags)."""
    return limits.max_options * 4 + 100


def _xml_questions(text: str, limits: Limits):
    """Each <question> of the document as a small tree, with the line it starts at, as expat reads them: the
    whole document is never held as a tree, and one question holds at most `xml_elements_per_question`
    elements. Every DTD is refused, so no entity, internal or external, is ever declared, expanded or fetched
    (XXE, "billion laughs")."""
    import xml.etree.ElementTree as ET  # noqa: S405 - only its tree builder; expat below reads the text
    from xml.parsers import expat  # noqa: S408 - every DTD refused by the handlers below

    parser = expat.ParserCreate()
    finished: list[tuple[object, int]] = []
    state = {"builder": None, "depth": 0, "line": 1, "elements": 0}
    most = xml_elements_per_question(limits)

    def refuse(*_args):
        raise _Refused

    def start(tag, attributes):
        if state["builder"] is None:
            if tag != "question":
                return
            state.update(builder=ET.TreeBuilder(), depth=0, line=parser.CurrentLineNumber, elements=0)
        state["depth"] += 1
        state["elements"] += 1
        if state["elements"] > most:
            raise _TooLarge(state["line"])
        state["builder"].start(tag, attributes)

    def end(tag):
        if state["builder"] is None:
            return
        state["builder"].end(tag)
        state["depth"] -= 1
        if state["depth"] == 0:
            finished.append((state["builder"].close(), state["line"]))
            state["builder"] = None

    def data(content):
        if state["builder"] is not None:
            state["builder"].data(content)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    try:
        # Given as text, expat reads it as UTF-8 whatever the declaration says: the bytes were decoded already.
        for offset in range(0, len(text), XML_CHUNK):
            parser.Parse(text[offset : offset + XML_CHUNK], False)
            yield from finished
            finished.clear()
        parser.Parse("", True)
        yield from finished
    except _Refused:
        raise _refuse(_("The file declares entities, which are not accepted.")) from None
    except _TooLarge as large:
        raise _refuse(_("The question has more than %(limit)d XML elements.") % {"limit": most}, large.line) from None
    except expat.ExpatError as error:
        raise _refuse(
            _("The XML cannot be read: %(error)s") % {"error": expat.ErrorString(error.code)}, error.lineno or 1
        ) from None


def _fraction(answer) -> Decimal:
    try:
        return bounds.weight(answer.get("fraction", "0"))
    except ValidationError as error:
        raise _number_error(_("The fraction of an answer"), error) from None


def moodle_xml(text: str, limits: Limits | None = None) -> list[Parsed]:
    """Moodle's XML questions, each with its format (`questiontext format=`), general feedback, the feedback
    and fraction of every answer, and the category a `<question type="category">` names for those after it."""
    limits = limits or Limits.from_settings()
    parsed, errors = [], []
    category = ""
    for question, line in _xml_questions(text, limits):
        kind = question.get("type")
        if kind == "category":
            category = _gift_category(_xml_text(question.find("category")))
            continue
        if len(parsed) + len(errors) >= limits.max_questions:
            raise _too_many_questions(limits)
        body = _xml_text(question.find("questiontext"))
        title = _xml_text(question.find("name"))
        text_node = question.find("questiontext")
        text_format = _XML_FORMATS.get(text_node.get("format", "") if text_node is not None else "", "plain")
        points = None
        try:
            if kind is None:
                raise ValueError(_("A question without its type."))
            if not body:
                raise ValueError(_("A question without its text."))
            answers = [(_fraction(a), _xml_text(a), _xml_text(a.find("feedback"))) for a in question.findall("answer")]
            grade = (question.findtext("defaultgrade") or "").strip()
            if grade:
                try:
                    points = bounds.points(grade)
                except ValidationError as error:
                    raise _number_error(_("The points"), error) from None
            if kind == "multichoice":
                single = (question.findtext("single") or "true").strip() == "true"
                data = _xml_choice(answers, single)
                kind = "single" if single else "multiple"
            elif kind == "truefalse":
                right = next(t for f, t, _n in answers if f == 100).lower() == "true"
                data = {"correct": right}
                for fraction, _text, note in answers:
                    if note:
                        data["feedback_right" if fraction == 100 else "feedback_wrong"] = note
            elif kind == "shortanswer":
                data = _xml_short(answers, (question.findtext("usecase") or "0").strip() == "1")
                kind = "short"
            elif kind == "numerical":
                data = _xml_numeric(question)
                kind = "numeric"  # our name of Moodle's numerical
            elif kind == "matching":
                data = _xml_matching(question.findall("subquestion"))
            elif kind == "essay":
                data = {}
            else:
                raise ValueError(_("The question type “%(type)s” is not supported.") % {"type": kind})
        except ValueError as error:
            errors.append((line, str(error)))
        except (StopIteration, AttributeError):
            errors.append((line, _("The question is incomplete.")))
        else:
            general = _xml_text(question.find("generalfeedback"))
            parsed.append(Parsed(kind, body, data, line, title, general, points, text_format, category))
    if errors:
        raise ImportErrors(sorted(errors))
    if not parsed:
        raise ImportErrors([(1, _("No question found."))])
    return parsed


# Moodle's names of text formats, and ours.
_XML_FORMATS = {"html": "html", "moodle_auto_format": "moodle", "plain_text": "plain", "markdown": "markdown"}


def _xml_choice(answers: list[tuple[Decimal, str, str]], single: bool) -> dict:
    """A multichoice question as Moodle keeps it: one right answer of fraction 100 (others may earn a share),
    or several whose positive fractions add up to 100."""
    options = [text for _f, text, _n in answers]
    if len(options) < 2 or not all(options):
        raise ValueError(_("A choice question needs at least two answers."))
    feedback = [note for _f, _t, note in answers]
    extra = {"option_feedback": feedback} if any(feedback) else {}
    weights = {str(i): _number_value(f) for i, (f, _t, _n) in enumerate(answers) if f}
    if single:
        right = next((i for i, (f, _t, _n) in enumerate(answers) if f == 100), None)
        if right is None:
            raise ValueError(_("A single-choice question needs one answer of fraction 100."))
        fractions = {i: value for i, value in weights.items() if int(i) != right}
        partial = {"fractions": fractions} if fractions else {}
        return {"options": options, "correct": right, **partial, **extra}
    positive = sum(f for f, _t, _n in answers if f > 0)
    if round(positive / 100, 2) != 1:
        raise ValueError(
            _("The fractions of the right answers of a multiple-answer question add up to %(sum)s%%, not 100%%.")
            % {"sum": f"{positive.normalize():f}"}
        )
    correct = sorted(int(i) for i, value in weights.items() if value > 0)
    return {"options": options, "correct": correct, "partial": "each", "weights": weights, **extra}


def _xml_short(answers: list[tuple[Decimal, str, str]], case_sensitive: bool) -> dict:
    texts = [text for _f, text, _n in answers]
    if not texts or not all(texts):
        raise ValueError(_("An answer without its text."))
    if not any(f == 100 for f, _t, _n in answers):
        raise ValueError(_("A short-answer question needs one answer of 100%."))
    data = {"answers": texts, "case_sensitive": case_sensitive}
    fractions = {str(i): _number_value(f) for i, (f, _t, _n) in enumerate(answers) if f != 100}
    if fractions:
        data["fractions"] = fractions
    if any(note for _f, _t, note in answers):
        data["answer_feedback"] = [note for _f, _t, note in answers]
    return data


def _xml_numeric(question) -> dict:
    answers, other = [], ""
    for node in question.findall("answer"):
        value, note = _xml_text(node), _xml_text(node.find("feedback"))
        if value == "*":
            other = note
            continue
        try:
            number = bounds.key_number(value)
        except ValidationError as error:
            raise _number_error(_("The answer"), error) from None
        try:
            tolerance = bounds.tolerance((node.findtext("tolerance") or "0").strip() or "0")
        except ValidationError as error:
            raise _number_error(_("The tolerance"), error) from None
        answers.append(
            {"answer": number, "tolerance": tolerance, "fraction": _number_value(_fraction(node)), "feedback": note}
        )
    if not answers:
        raise ValueError(_("A numeric question needs its answer."))
    best = max(answers, key=lambda answer: answer["fraction"])
    if best["fraction"] != 100:
        raise ValueError(_("A numeric question needs one answer of 100%."))
    data = {"answer": best["answer"], "tolerance": best["tolerance"]}
    if len(answers) > 1 or other or best["feedback"]:
        data["answers"] = answers
    if other:
        data["other_feedback"] = other
    return data


def _xml_matching(pairs) -> dict:
    """Moodle's subquestions: one without its text is an answer that matches nothing; the same answer twice
    is one."""
    left, right, keys = [], [], {}
    for pair in pairs:
        question, match = _xml_text(pair), (pair.find("answer").findtext("text") or "").strip()
        if not match:
            raise ValueError(_("The question is incomplete."))
        if match not in right:
            right.append(match)
        if question:
            keys[str(len(left))] = right.index(match)
            left.append(question)
    if len(left) < 2:
        raise ValueError(_("A matching question needs at least two pairs."))
    return {"left": left, "right": right, "pairs": keys}


# --- Export ------------------------------------------------------------------------------------------------
# Every exporter writes what its reader reads back (tests/test_round_trips.py): the questions as Parsed (the
# bank's page gives them so), or as (kind, text, data) or (text, data) tuples of plain text.


def _items(questions, kind: str = "single") -> list[Parsed]:
    items = []
    for question in questions:
        if isinstance(question, Parsed):
            items.append(question)
        elif len(question) == 2:
            items.append(Parsed(kind, question[0], question[1], 0))
        else:
            items.append(Parsed(question[0], question[1], question[2], 0))
    return items


def _number_text(value) -> str:
    """A number of a key as it is written in a file: every digit kept, never an exponent."""
    text = format(Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _gift_escape(text: str) -> str:
    for char in "\\~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\n").replace("\n", "\\n")


def _gift_answer(mark: str, weight, text: str, feedback: str, text_format: str) -> str:
    """One answer: its mark, its weight when it has one (or when the text itself starts with %, which would
    read as a weight), its text (with the question's format tag when the text starts with one) and feedback."""
    head = mark
    if weight is not None or text.startswith("%"):
        head += f"%{_number_text(100 if weight is None and mark == '=' else weight or 0)}%"
    if _FORMAT_TAG.match(text):
        text = f"[{text_format}]{text}"
    return head + _gift_escape(text) + (f"#{_gift_escape(feedback)}" if feedback else "")


def _gift_body(item: Parsed) -> str | None:
    kind, data, fmt = item.kind, item.data, item.text_format
    if kind in ("single", "multiple"):
        notes = [*(data.get("option_feedback") or []), *[""] * len(data["options"])]
        if kind == "single":
            fractions = data.get("fractions") or {}
            answers = [
                _gift_answer("=", None, option, notes[i], fmt)
                if i == data["correct"]
                else _gift_answer("~", fractions.get(str(i)), option, notes[i], fmt)
                for i, option in enumerate(data["options"])
            ]
        else:
            weights = data.get("weights") or _equal_weights(data)
            answers = [
                _gift_answer("~", weights.get(str(i), 0), option, notes[i], fmt)
                for i, option in enumerate(data["options"])
            ]
        return " ".join(answers)
    if kind == "truefalse":
        body = "TRUE" if data["correct"] else "FALSE"
        wrong, right = data.get("feedback_wrong", ""), data.get("feedback_right", "")
        if wrong or right:
            body += "#" + _gift_escape(wrong)
        if right:
            body += "#" + _gift_escape(right)
        return body
    if kind == "short":
        fractions = data.get("fractions") or {}
        notes = [*(data.get("answer_feedback") or []), *[""] * len(data["answers"])]
        return " ".join(
            _gift_answer("=", fractions.get(str(i)), answer, notes[i], fmt) for i, answer in enumerate(data["answers"])
        )
    if kind == "numeric":
        answers = data.get("answers")
        if not answers:
            return f"#{_number_text(data['answer'])}:{_number_text(data.get('tolerance', 0))}"
        body = "#" + " ".join(
            f"=%{_number_text(a.get('fraction', 100))}%{_number_text(a['answer'])}:{_number_text(a['tolerance'])}"
            + (f"#{_gift_escape(a['feedback'])}" if a.get("feedback") else "")
            for a in answers
        )
        return body + (f" ~#{_gift_escape(data['other_feedback'])}" if data.get("other_feedback") else "")
    if kind == "matching":
        pairs = _pairs(data)
        lines = [
            f"={_gift_escape(left)} -> {_gift_escape(data['right'][pairs[i]])}" for i, left in enumerate(data["left"])
        ]
        lines += [f"= -> {_gift_escape(right)}" for j, right in enumerate(data["right"]) if j not in pairs.values()]
        return " ".join(lines)
    if kind == "essay":
        return ""
    return None


def _pairs(data: dict) -> dict[int, int]:
    """A matching question's key: each left item's answer (the one beside it when the key is not kept)."""
    pairs = data.get("pairs") or {str(i): i for i in range(len(data["left"]))}
    return {int(k): int(v) for k, v in pairs.items()}


def _equal_weights(data: dict) -> dict:
    """The weights of a multiple-choice question kept without them: the right options share 100%, the wrong
    ones share -100% ("each"), as it was graded."""
    right = [int(i) for i in data["correct"]]
    wrong = len(data["options"]) - len(right)
    return {
        str(i): _number_value(bounds.weight(Decimal(100) / len(right) if i in right else Decimal(-100) / wrong))
        for i in range(len(data["options"]))
    }


def gift_export(questions) -> str:
    """The questions as GIFT, each with its title, format, category ($CATEGORY:) and feedback; the kinds GIFT
    cannot write (ordering, blanks) are left out."""
    blocks, category = [], ""
    for item in _items(questions):
        body = _gift_body(item)
        if body is None:
            continue
        if item.category and item.category != category:
            category = item.category
            blocks.append(f"$CATEGORY: {category}")
        head = f"::{_gift_escape(item.title)}::" if item.title else ""
        if item.text_format != GIFT_DEFAULT_FORMAT or _FORMAT_TAG.match(item.text) or item.text.startswith("//"):
            head += f"[{item.text_format}]"
        general = f"####{_gift_escape(item.feedback)}" if item.feedback else ""
        blocks.append(f"{head}{_gift_escape(item.text)} {{{body}{general}}}")
    return "\n\n".join(blocks) + "\n"


def aiken_export(questions) -> str:
    """Single-choice questions as Aiken: one line of text, the options lettered, the right one named."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    blocks = []
    for item in _items(questions):
        if item.kind != "single" or len(item.data["options"]) > len(letters):
            continue
        lines = [" ".join(item.text.split())]
        lines += [f"{letters[i]}. {' '.join(option.split())}" for i, option in enumerate(item.data["options"])]
        lines.append(f"ANSWER: {letters[item.data['correct']]}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


_XML_FORMAT_NAMES = {value: key for key, value in _XML_FORMATS.items()}


def moodle_xml_export(questions) -> str:
    import xml.etree.ElementTree as ET  # noqa: S405 - writing, not parsing

    quiz = ET.Element("quiz")
    category = ""
    for number, item in enumerate(_items(questions), start=1):
        kind, text, data = item.kind, item.text, item.data
        moodle_type = {
            "single": "multichoice",
            "multiple": "multichoice",
            "truefalse": "truefalse",
            "short": "shortanswer",
            "numeric": "numerical",
            "matching": "matching",
            "essay": "essay",
        }.get(kind)
        if moodle_type is None:
            continue
        if item.category and item.category != category:
            category = item.category
            node = ET.SubElement(quiz, "question", type="category")
            ET.SubElement(ET.SubElement(node, "category"), "text").text = f"$course$/top/{category}"
        fmt = _XML_FORMAT_NAMES.get(item.text_format, "plain_text")
        question = ET.SubElement(quiz, "question", type=moodle_type)
        ET.SubElement(ET.SubElement(question, "name"), "text").text = item.title or f"Q{number}"
        ET.SubElement(ET.SubElement(question, "questiontext", format=fmt), "text").text = text
        if item.feedback:
            ET.SubElement(ET.SubElement(question, "generalfeedback", format=fmt), "text").text = item.feedback
        if item.points is not None:
            ET.SubElement(question, "defaultgrade").text = _number_text(item.points)

        def answer(fraction, value, feedback="", tolerance=None, parent=question, fmt=fmt):
            node = ET.SubElement(parent, "answer", fraction=_number_text(fraction), format=fmt)
            ET.SubElement(node, "text").text = str(value)
            if tolerance is not None:
                ET.SubElement(node, "tolerance").text = _number_text(tolerance)
            if feedback:
                ET.SubElement(ET.SubElement(node, "feedback", format=fmt), "text").text = feedback

        if kind in ("single", "multiple"):
            ET.SubElement(question, "single").text = "true" if kind == "single" else "false"
            notes = [*(data.get("option_feedback") or []), *[""] * len(data["options"])]
            if kind == "single":
                weights = {**(data.get("fractions") or {}), str(data["correct"]): 100}
            else:
                weights = data.get("weights") or _equal_weights(data)
            for i, option in enumerate(data["options"]):
                answer(weights.get(str(i), 0), option, notes[i])
        elif kind == "truefalse":
            right, wrong = data.get("feedback_right", ""), data.get("feedback_wrong", "")
            answer(100 if data["correct"] else 0, "true", right if data["correct"] else wrong)
            answer(0 if data["correct"] else 100, "false", wrong if data["correct"] else right)
        elif kind == "short":
            ET.SubElement(question, "usecase").text = "1" if data.get("case_sensitive") else "0"
            fractions = data.get("fractions") or {}
            notes = [*(data.get("answer_feedback") or []), *[""] * len(data["answers"])]
            for i, value in enumerate(data["answers"]):
                answer(fractions.get(str(i), 100), value, notes[i])
        elif kind == "numeric":
            for item_answer in data.get("answers") or [{"answer": data["answer"], "tolerance": data["tolerance"]}]:
                answer(
                    item_answer.get("fraction", 100),
                    _number_text(item_answer["answer"]),
                    item_answer.get("feedback", ""),
                    item_answer.get("tolerance", 0),
                )
            if data.get("other_feedback"):
                answer(0, "*", data["other_feedback"], 0)
        elif kind == "matching":
            pairs = _pairs(data)
            subquestions = [(left, data["right"][pairs[i]]) for i, left in enumerate(data["left"])]
            subquestions += [("", right) for j, right in enumerate(data["right"]) if j not in pairs.values()]
            for left, right in subquestions:
                sub = ET.SubElement(question, "subquestion", format=fmt)
                ET.SubElement(sub, "text").text = left
                ET.SubElement(ET.SubElement(sub, "answer"), "text").text = right
    ET.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"


READERS["moodle_xml"] = moodle_xml


# --- XLSX template -----------------------------------------------------------------------------------------

XLSX_HEADERS = ["type", "question", "correct", "tolerance", *(f"option {n}" for n in range(1, 9)), "points"]
XLSX_TYPES = ("single", "multiple", "truefalse", "short", "numeric", "essay")
# The column of points, found by its header (the template's, or a Kazakh or Russian one typed over it).
_XLSX_POINTS = ("points", "ұпай", "балл", "баллы")
_XLSX_COLUMNS = 32  # cells read of a row: the template's and a few more where a points column may be


def xlsx_template() -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "questions"
    sheet.append(XLSX_HEADERS)
    sheet.append(["single", "Құрманғазының «Адай» күйі қай аспапқа арналған?", "1", "", "Домбыра", "Қобыз", "Сыбызғы"])
    sheet.append(["multiple", "Ішекті аспаптар?", "1,2", "", "Домбыра", "Қобыз", "Сыбызғы"])
    sheet.append(["truefalse", "Домбыра — шертпелі аспап.", "true"])
    sheet.append(["short", "«Сарыарқа» күйінің авторы?", "Құрманғазы; Курмангазы"])
    sheet.append(["numeric", "Ля нотасының жиілігі, Гц?", "440", "1"])
    sheet.append(["essay", "Күй өнері туралы қысқаша жазыңыз.", *[""] * 10, "5"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_export(questions) -> bytes:
    """The questions the template holds (XLSX_TYPES, at most eight options) as a workbook of the template, which
    the import reads back: texts written as texts (never formulas), without weights or feedback (the template
    has no column for them)."""
    import io

    from openpyxl import Workbook

    from ustaz.core.tables import xlsx_append

    book = Workbook()
    sheet = book.active
    sheet.title = "questions"
    sheet.append(XLSX_HEADERS)
    for item in _items(questions):
        data, correct, tolerance, options = item.data, "", "", []
        if item.kind not in XLSX_TYPES or len(data.get("options", [])) > 8:
            continue
        if item.kind == "single":
            correct, options = str(data["correct"] + 1), data["options"]
        elif item.kind == "multiple":
            correct, options = ",".join(str(i + 1) for i in data["correct"]), data["options"]
        elif item.kind == "truefalse":
            correct = "true" if data["correct"] else "false"
        elif item.kind == "short":
            correct = "; ".join(data["answers"])
        elif item.kind == "numeric":
            correct, tolerance = _number_text(data["answer"]), _number_text(data.get("tolerance", 0))
        points = _number_text(item.points) if item.points is not None else ""
        xlsx_append(sheet, [item.kind, item.text, correct, tolerance, *[*options, *[""] * 8][:8], points])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_open(raw: bytes, limits: Limits):
    """The first sheet, streamed (read_only), once the archive is known to unpack within the limit and to
    declare no DTD in any part: the sizes in a zip's directory bound what zipfile unpacks of each member."""
    import io
    import zipfile

    from openpyxl import load_workbook

    not_a_workbook = _refuse(_("The file is not an Excel workbook (.xlsx)."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        members = archive.infolist()
        if sum(member.file_size for member in members) > limits.max_xlsx_bytes or len(members) > 10_000:
            raise _refuse(
                _("The workbook unpacks to more than %(limit)s MB, the most an import takes.")
                % {"limit": _megabytes(limits.max_xlsx_bytes)}
            )
        for member in members:
            if member.filename.endswith((".xml", ".rels")):
                with archive.open(member) as part:
                    head = part.read(4096).replace(b"\x00", b"")
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise _refuse(_("The file declares entities, which are not accepted."))
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        sheet = book.worksheets[0]
    except ImportErrors:
        raise
    except MemoryError:
        raise
    except Exception:  # openpyxl and zipfile fail on broken files in many ways; each is a file we cannot read
        raise not_a_workbook from None
    if (sheet.max_row or 0) > limits.max_rows:
        raise _too_many_rows(limits)
    return sheet


def _too_many_rows(limits: Limits) -> ImportErrors:
    return _refuse(_("The sheet has more than %(limit)d rows, the most an import takes.") % {"limit": limits.max_rows})


PROGRESS_EVERY = 500  # rows between two reports of progress


def _xlsx_rows(sheet, limits: Limits, progress: Callable[[int], None] | None = None):
    """The sheet's rows as numbered lists of texts, counted as they stream: the dimension a file declares may
    be absent or false."""
    rows = sheet.iter_rows(values_only=True, max_col=_XLSX_COLUMNS)
    number = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except MemoryError:
            raise
        except Exception:
            raise _refuse(_("The file is not an Excel workbook (.xlsx)."), number + 1) from None
        number += 1
        if number > limits.max_rows:
            raise _too_many_rows(limits)
        if progress is not None and number % PROGRESS_EVERY == 0:
            progress(number)
        yield number, [("" if cell is None else str(cell)).strip() for cell in (row or ())]


def xlsx(raw: bytes, limits: Limits | None = None, progress: Callable[[int], None] | None = None) -> list[Parsed]:
    """The template's rows (the first is the header): errors by row, all or nothing."""
    limits = limits or Limits.from_settings()
    sheet = _xlsx_open(raw, limits)
    parsed, errors = [], []
    points_column = None
    for number, row in _xlsx_rows(sheet, limits, progress):
        if number == 1:
            headers = [cell.casefold() for cell in row]
            points_column = next((i for i, header in enumerate(headers) if header in _XLSX_POINTS), None)
            continue
        if not any(row):
            continue
        cells = [*row, *[""] * 12][:12]
        kind, text, correct, tolerance, options = (
            cells[0].lower(),
            cells[1],
            cells[2],
            cells[3],
            [o for o in cells[4:] if o],
        )
        points_text = row[points_column] if points_column is not None and points_column < len(row) else ""
        points = None
        try:
            if kind not in XLSX_TYPES:
                raise ValueError(_("Unknown type “%(type)s”.") % {"type": kind})
            if not text:
                raise ValueError(_("A question without its text."))
            if kind in ("single", "multiple"):
                numbers = [c for c in re.split(r"[,;\s]+", correct) if c]
                if not all(re.fullmatch(r"[0-9]{1,3}", c) for c in numbers):
                    raise ValueError(_("Give at least two options and the numbers of the right ones."))
                chosen = [int(c) - 1 for c in numbers]
                if len(options) < 2 or not chosen or any(not 0 <= c < len(options) for c in chosen):
                    raise ValueError(_("Give at least two options and the numbers of the right ones."))
                if kind == "single" and len(chosen) != 1:
                    raise ValueError(_("A single-choice question has one right option."))
                data = (
                    {"options": options, "correct": chosen[0]}
                    if kind == "single"
                    else {"options": options, "correct": chosen, "partial": "each"}
                )
            elif kind == "truefalse":
                if correct.lower() not in ("true", "false", "1", "0", "иә", "жоқ", "да", "нет"):
                    raise ValueError(_("Write true or false."))
                data = {"correct": correct.lower() in ("true", "1", "иә", "да")}
            elif kind == "short":
                variants = [v.strip() for v in correct.split(";") if v.strip()]
                if not variants:
                    raise ValueError(_("Give the accepted answers, separated by “;”."))
                data = {"answers": variants}
            elif kind == "numeric":
                try:
                    answer = bounds.key_number(correct)
                except ValidationError as error:
                    raise _number_error(_("The answer"), error) from None
                try:
                    data = {"answer": answer, "tolerance": bounds.tolerance(tolerance or "0")}
                except ValidationError as error:
                    raise _number_error(_("The tolerance"), error) from None
            else:
                data = {}
            if points_text:
                try:
                    points = bounds.points(points_text)
                except ValidationError as error:
                    raise _number_error(_("The points"), error) from None
        except ValueError as error:
            errors.append((number, str(error)))
            continue
        parsed.append(Parsed(kind, text, data, number, points=points))
    if errors:
        raise ImportErrors(errors)
    if not parsed:
        raise ImportErrors([(1, _("No question found."))])
    return parsed
