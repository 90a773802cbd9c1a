"""Reading question banks in the formats Kazakh universities hold them in: the test-bank text of the Platonus
system, Moodle's GIFT, Aiken and Moodle XML, and the Excel template; in UTF-8, Windows-1251 (Russian) or KZ-1048
(Kazakh), detected or chosen. A file with any error imports nothing: every error is reported with its line.

Every file is bounded before and while it is read (`Limits`, from the USTAZ_QUIZ_IMPORT_* settings): its size,
its lines or rows, an Excel workbook's size unpacked, the questions, the options of a question and the length of
one text; numbers (points, weights, numeric keys) are bounded by `bounds`. `read` is the one way in: it answers
with the questions or raises `ImportErrors`, whatever the bytes."""

from __future__ import annotations

import html
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


def gift(text: str, limits: Limits | None = None) -> list[Parsed]:
    limits = limits or Limits.from_settings()
    parsed, errors = [], []
    for line, block in _gift_blocks(text):
        if len(parsed) + len(errors) >= limits.max_questions:
            raise _too_many_questions(limits)
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
            if body.count("=") + body.count("~") > limits.max_options:  # refused before a list is made of them
                raise ValueError(_("The question has more than %(limit)d options.") % {"limit": limits.max_options})
            parsed.append(_gift_question(question, body, line, title))
        except ValueError as error:
            errors.append((line, str(error)))
    if errors:
        raise ImportErrors(sorted(errors))
    if not parsed:
        raise ImportErrors([(1, _("No question found."))])
    return parsed


def _gift_numeric(spec: str) -> dict:
    """`n`, `n:tolerance` or `low..high` (only the first of several answers counts)."""
    spec = re.split(r"\s*[=~]", spec.lstrip("=").strip(), maxsplit=1)[0]
    low, dots, high = spec.partition("..")
    value, _sep, tolerance = spec.partition(":")
    try:
        if dots:
            low_number, high_number = bounds.key_decimal(low), bounds.key_decimal(high)
            if high_number < low_number:
                raise ValueError(_("A numeric range goes from the lower number to the higher."))
            middle = (low_number + high_number) / 2
            return {"answer": bounds.key_number(middle), "tolerance": bounds.tolerance(high_number - middle)}
        answer = bounds.key_number(value)
    except ValidationError as error:
        raise _number_error(_("The answer"), error) from None
    try:
        return {"answer": answer, "tolerance": bounds.tolerance(tolerance or 0)}
    except ValidationError as error:
        raise _number_error(_("The tolerance"), error) from None


_GIFT_WEIGHT = re.compile(r"^%([^%]{0,40})%")


def _gift_question(question: str, body: str, line: int, title: str) -> Parsed:
    if body == "":
        return Parsed("essay", question, {}, line, title)
    if body in ("T", "TRUE", "F", "FALSE") or re.match(r"^(T|TRUE|F|FALSE)\s*#", body):
        value = body.split("#", 1)[0].strip() in ("T", "TRUE")
        return Parsed("truefalse", question, {"correct": value}, line, title)
    if body.startswith("#"):
        return Parsed("numeric", question, _gift_numeric(_restore(body[1:]).split("#", 1)[0].strip()), line, title)
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
    weights, options = {}, []
    for index, (_mark, text, _feedback) in enumerate(answers):
        weight = _GIFT_WEIGHT.match(text)
        if weight:
            try:
                weights[index] = bounds.weight(weight.group(1))
            except ValidationError as error:
                raise _number_error(_("The weight of an option"), error) from None
            text = text[weight.end() :].strip()
        options.append(text)
    feedback = [f for _m, _t, f in answers]
    extra = {"option_feedback": feedback} if any(feedback) else {}
    if weights:
        correct = [i for i, value in sorted(weights.items()) if value > 0]
        return Parsed(
            "multiple", question, {"options": options, "correct": correct, "partial": "each", **extra}, line, title
        )
    if len(right) != 1:
        raise ValueError(_("A choice question needs exactly one right answer (=), or weights (~%50%) for several."))
    return Parsed("single", question, {"options": options, "correct": right[0], **extra}, line, title)


READERS = {"platonus": platonus, "aiken": aiken, "gift": gift}


# --- Moodle XML --------------------------------------------------------------------------------------------


def _xml_text(element) -> str:
    if element is None:
        return ""
    text_node = element.find("text")
    raw = text_node.text if text_node is not None else element.text
    if element.get("format") == "html":
        return html.unescape(re.sub(r"<[^>]+>", "", raw or "")).strip()
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
    limits = limits or Limits.from_settings()
    parsed, errors = [], []
    for question, line in _xml_questions(text, limits):
        kind = question.get("type")
        if kind == "category":
            continue
        if len(parsed) + len(errors) >= limits.max_questions:
            raise _too_many_questions(limits)
        body = _xml_text(question.find("questiontext"))
        title = _xml_text(question.find("name"))
        points = None
        try:
            if kind is None:
                raise ValueError(_("A question without its type."))
            answers = [(_fraction(a), _xml_text(a), a) for a in question.findall("answer")]
            grade = (question.findtext("defaultgrade") or "").strip()
            if grade:
                try:
                    points = bounds.points(grade)
                except ValidationError as error:
                    raise _number_error(_("The points"), error) from None
            if kind == "multichoice":
                options = [t for _f, t, _a in answers]
                single = (question.findtext("single") or "true").strip() == "true"
                if single:
                    right = [i for i, (f, _t, _a) in enumerate(answers) if f == 100]
                    if len(right) != 1:
                        raise ValueError(_("A single-choice question needs one answer of fraction 100."))
                    parsed.append(Parsed("single", body, {"options": options, "correct": right[0]}, line, title))
                else:
                    correct = [i for i, (f, _t, _a) in enumerate(answers) if f > 0]
                    parsed.append(
                        Parsed(
                            "multiple", body, {"options": options, "correct": correct, "partial": "each"}, line, title
                        )
                    )
            elif kind == "truefalse":
                right = next(t for f, t, _a in answers if f == 100).lower()
                parsed.append(Parsed("truefalse", body, {"correct": right == "true"}, line, title))
            elif kind == "shortanswer":
                case = (question.findtext("usecase") or "0").strip() == "1"
                parsed.append(
                    Parsed(
                        "short",
                        body,
                        {"answers": [t for f, t, _a in answers if f == 100], "case_sensitive": case},
                        line,
                        title,
                    )
                )
            elif kind == "numerical":
                first = next(a for f, _t, a in answers if f == 100)
                try:
                    answer = bounds.key_number(_xml_text(first))
                except ValidationError as error:
                    raise _number_error(_("The answer"), error) from None
                try:
                    tolerance = bounds.tolerance((first.findtext("tolerance") or "0").strip() or "0")
                except ValidationError as error:
                    raise _number_error(_("The tolerance"), error) from None
                parsed.append(Parsed("numeric", body, {"answer": answer, "tolerance": tolerance}, line, title))
            elif kind == "matching":
                pairs = question.findall("subquestion")
                left = [_xml_text(p) for p in pairs]
                right = [(p.find("answer").findtext("text") or "").strip() for p in pairs]
                parsed.append(
                    Parsed(
                        "matching",
                        body,
                        {"left": left, "right": right, "pairs": {str(i): i for i in range(len(left))}},
                        line,
                        title,
                    )
                )
            elif kind == "essay":
                parsed.append(Parsed("essay", body, {}, line, title))
            else:
                raise ValueError(_("The question type “%(type)s” is not supported.") % {"type": kind})
        except ValueError as error:
            errors.append((line, str(error)))
        except (StopIteration, AttributeError):
            errors.append((line, _("The question is incomplete.")))
        else:
            parsed[-1].points = points
    if errors:
        raise ImportErrors(sorted(errors))
    if not parsed:
        raise ImportErrors([(1, _("No question found."))])
    return parsed


# --- Export ------------------------------------------------------------------------------------------------


def _gift_escape(text: str) -> str:
    for char in "\\~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def gift_export(questions: list[tuple[str, str, dict]]) -> str:
    """(kind, text, data) as GIFT."""
    blocks = []
    for kind, text, data in questions:
        head = _gift_escape(text)
        if kind == "single":
            body = " ".join(
                ("=" if i == data["correct"] else "~") + _gift_escape(o) for i, o in enumerate(data["options"])
            )
        elif kind == "multiple":
            share = 100 / len(data["correct"])
            wrong = -100 / max(1, len(data["options"]) - len(data["correct"]))
            body = " ".join(
                f"~%{share if i in data['correct'] else wrong:g}%{_gift_escape(o)}"
                for i, o in enumerate(data["options"])
            )
        elif kind == "truefalse":
            body = "T" if data["correct"] else "F"
        elif kind == "short":
            body = " ".join("=" + _gift_escape(a) for a in data["answers"])
        elif kind == "numeric":
            body = f"#{data['answer']:g}:{data.get('tolerance', 0):g}"
        elif kind == "matching":
            body = " ".join(
                f"={_gift_escape(a)} -> {_gift_escape(b)}" for a, b in zip(data["left"], data["right"], strict=True)
            )
        elif kind == "essay":
            body = ""
        else:
            continue
        blocks.append(f"{head} {{{body}}}")
    return "\n\n".join(blocks) + "\n"


def aiken_export(questions: list[tuple[str, dict]]) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    blocks = []
    for text, data in questions:
        lines = [text.replace("\n", " ")]
        lines += [f"{letters[i]}. {option}" for i, option in enumerate(data["options"])]
        lines.append(f"ANSWER: {letters[data['correct']]}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def moodle_xml_export(questions: list[tuple[str, str, dict]]) -> str:
    import xml.etree.ElementTree as ET  # noqa: S405 - writing, not parsing

    quiz = ET.Element("quiz")
    for number, (kind, text, data) in enumerate(questions, start=1):
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
        question = ET.SubElement(quiz, "question", type=moodle_type)
        ET.SubElement(ET.SubElement(question, "name"), "text").text = f"Q{number}"
        ET.SubElement(ET.SubElement(question, "questiontext", format="plain_text"), "text").text = text

        def answer(fraction, value, tolerance=None, parent=question):
            node = ET.SubElement(parent, "answer", fraction=f"{fraction:g}", format="plain_text")
            ET.SubElement(node, "text").text = str(value)
            if tolerance is not None:
                ET.SubElement(node, "tolerance").text = f"{tolerance:g}"

        if kind in ("single", "multiple"):
            ET.SubElement(question, "single").text = "true" if kind == "single" else "false"
            right = [data["correct"]] if kind == "single" else data["correct"]
            for i, option in enumerate(data["options"]):
                answer(100 / len(right) if i in right else 0, option)
        elif kind == "truefalse":
            answer(100 if data["correct"] else 0, "true")
            answer(0 if data["correct"] else 100, "false")
        elif kind == "short":
            ET.SubElement(question, "usecase").text = "1" if data.get("case_sensitive") else "0"
            for value in data["answers"]:
                answer(100, value)
        elif kind == "numeric":
            answer(100, f"{data['answer']:g}", data.get("tolerance", 0))
        elif kind == "matching":
            for left, right in zip(data["left"], data["right"], strict=True):
                sub = ET.SubElement(question, "subquestion", format="plain_text")
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
