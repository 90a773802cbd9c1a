"""Reading question banks in the formats Kazakh universities hold them in: the test-bank text of the Platonus
system, Moodle's GIFT and Aiken; in UTF-8, Windows-1251 (Russian) or KZ-1048 (Kazakh), detected or chosen.
A file with any error imports nothing: every error is reported with its line."""

from __future__ import annotations

import html
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
    feedback = [f for _m, _t, f in answers]
    extra = {"option_feedback": feedback} if any(feedback) else {}
    if weighted:
        correct = [i for i in weighted if not answers[i][1].startswith("%-") and not answers[i][1].startswith("%0%")]
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


def moodle_xml(text: str) -> list[Parsed]:
    import xml.etree.ElementTree as ET  # noqa: S405 - a file the teacher uploads, parsed without entities

    if "<!ENTITY" in text or "<!DOCTYPE" in text:
        raise ImportErrors([(1, _("The file declares entities, which are not accepted."))])
    try:
        root = ET.fromstring(text.encode())  # noqa: S314 - entity declarations refused above
    except ET.ParseError as error:
        raise ImportErrors(
            [(error.position[0], _("The XML cannot be read: %(error)s") % {"error": error.msg})]
        ) from None
    parsed, errors = [], []
    lines = {}
    for number, line in enumerate(text.splitlines(), start=1):
        for _found in re.finditer(r'<question\s+type="(?!category")\w+"', line):
            lines[len(lines)] = number
    index = 0
    for question in root.iter("question"):
        kind = question.get("type")
        if kind == "category":
            continue
        line = lines.get(index, 1)
        index += 1
        body = _xml_text(question.find("questiontext"))
        title = _xml_text(question.find("name"))
        answers = [(float(a.get("fraction", "0")), _xml_text(a), a) for a in question.findall("answer")]
        try:
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
                parsed.append(
                    Parsed(
                        "numeric",
                        body,
                        {"answer": float(_xml_text(first)), "tolerance": float(first.findtext("tolerance") or 0)},
                        line,
                        title,
                    )
                )
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
        except (StopIteration, ValueError, AttributeError) as error:
            errors.append((line, str(error) or _("The question is incomplete.")))
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

XLSX_HEADERS = ["type", "question", "correct", "tolerance", *(f"option {n}" for n in range(1, 9))]
XLSX_TYPES = ("single", "multiple", "truefalse", "short", "numeric", "essay")


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
    sheet.append(["essay", "Күй өнері туралы қысқаша жазыңыз."])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx(raw: bytes) -> list[Parsed]:
    """The template's rows (the first is the header): errors by row, all or nothing."""
    import io
    import zipfile

    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(raw), read_only=True, data_only=True).worksheets[0]
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ImportErrors([(1, _("The file is not an Excel workbook (.xlsx)."))]) from None
    parsed, errors = [], []
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number == 1 or not row or not any(cell not in (None, "") for cell in row):
            continue
        cells = [("" if c is None else str(c)).strip() for c in (*row, *[None] * 12)][:12]
        kind, text, correct, tolerance, options = (
            cells[0].lower(),
            cells[1],
            cells[2],
            cells[3],
            [o for o in cells[4:] if o],
        )
        try:
            if kind not in XLSX_TYPES:
                raise ValueError(_("Unknown type “%(type)s”.") % {"type": kind})
            if not text:
                raise ValueError(_("A question without its text."))
            if kind in ("single", "multiple"):
                chosen = [int(c) - 1 for c in re.split(r"[,;\s]+", correct) if c]
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
                data = {
                    "answer": float(correct.replace(",", ".")),
                    "tolerance": float((tolerance or "0").replace(",", ".")),
                }
            else:
                data = {}
        except ValueError as error:
            message = str(error)
            if "could not convert" in message:
                message = _("The answer must be a number.")
            errors.append((number, message))
            continue
        parsed.append(Parsed(kind, text, data, number))
    if errors:
        raise ImportErrors(errors)
    if not parsed:
        raise ImportErrors([(1, _("No question found."))])
    return parsed
