"""Every question-bank format's parser under generated and mutated input (issue 13): valid samples of Platonus,
GIFT, Aiken, Moodle XML and the Excel template with bytes flipped, lines duplicated, cut short, huge numbers,
odd encodings and random text. Each answer is the questions or the importer's own translated error, never
another exception; memory stays bounded; nothing is written when the import fails.

`USTAZ_FUZZ=long .venv/bin/python -m pytest ustaz/quizzes/tests/test_fuzz_importers.py` runs longer."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

import testkit.fuzz  # noqa: F401 - loads the fuzzing profile
from testkit.fuzz import bounded_memory
from ustaz.quizzes import importers, services
from ustaz.quizzes.importers import ImportErrors, Limits, Parsed
from ustaz.quizzes.models import Bank, Category, Question, QuestionVersion

# Small limits, so that mutations reach them (duplicated lines, repeated questions) within a short run.
LIMITS = Limits(
    max_bytes=64 * 1024,
    max_lines=400,
    max_rows=200,
    max_questions=60,
    max_options=12,
    max_text=2000,
    max_xlsx_bytes=512 * 1024,
)

SAMPLES = {
    "platonus": (
        "<question> Құрманғазының «Адай» күйі қай аспапқа арналған?\n<variant> Домбыра\n<variant> Қобыз\n"
        "<question2> Какой интервал\nобразуют ноты до и ми?\n<variant> Большая терция\n<variant> Малая терция\n"
    ),
    "gift": (
        "// comment\n$CATEGORY: Күйлер\n"
        "::Интервал::Какой интервал между до и соль? {=Чистая квинта#Верно! ~Большая секста#Нет ~Тритон}\n\n"
        "Символ \\{ скобки \\} и \\= в тексте. {=да ~нет}\n\nДомбыра — шертпелі аспап. {T}\n\n"
        "Частота ля, Гц? {#440:0.5}\n\nГоды: {#1800..1900}\n\nКюйши «Адай»? {=Құрманғазы =Курмангазы}\n\n"
        "Сопоставьте. {=Адай -> Құрманғазы =Кеңес -> Тәттімбет}\n\n"
        "Выберите струнные. {~%50%Домбыра ~%50%Кобыз ~%-100%Сыбызгы}\n\nЭссе о кюе. {}\n"
    ),
    "aiken": (
        "Қазақтың ұлттық аспабы?\nA. Скрипка\nB. Домбыра\nC. Орган\nANSWER: B\n\n"
        "Сколько струн у домбры?\nA) Две\nB) Четыре\nANSWER: A\n"
    ),
    "moodle_xml": importers.moodle_xml_export(
        [
            ("single", "Кюй «Адай»?", {"options": ["Құрманғазы", "Тәттімбет"], "correct": 0}),
            ("multiple", "Струнные?", {"options": ["Домбыра", "Кобыз", "Сыбызгы"], "correct": [0, 1]}),
            ("truefalse", "Домбыра шертпелі?", {"correct": True}),
            ("short", "Автор?", {"answers": ["Құрманғазы"], "case_sensitive": False}),
            ("numeric", "Ля, Гц?", {"answer": 440.0, "tolerance": 0.5}),
            ("matching", "Сопоставьте", {"left": ["Адай", "Кеңес"], "right": ["Құрманғазы", "Тәттімбет"]}),
            ("essay", "Эссе", {}),
        ]
    ).replace('<question type="multichoice">', '<question type="multichoice"><defaultgrade>2</defaultgrade>', 1),
}
TEXT_FORMATS = sorted(SAMPLES)


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_the_samples_are_valid(fmt):
    assert len(importers.read(SAMPLES[fmt].encode(), fmt, limits=LIMITS)) >= 2


HUGE = ["1e309", "-1e309", "NaN", "Infinity", "9" * 400, "1e-999999", "1000", "%1000%", "0x10", "1_000", "٣"]
ENCODINGS = ["utf-8", "utf-16", "utf-16-le", "cp1251", "kz1048", "latin-1", "utf-8-sig"]


@st.composite
def mutated_text(draw, fmt: str) -> bytes:
    text = SAMPLES[fmt]
    for _step in range(draw(st.integers(0, 4))):
        lines = text.split("\n")
        operation = draw(st.sampled_from(["duplicate", "truncate", "number", "insert", "drop", "swap", "repeat"]))
        index = draw(st.integers(0, max(0, len(lines) - 1)))
        if operation == "duplicate":
            lines[index:index] = [lines[index]] * draw(st.integers(1, 50))
        elif operation == "truncate":
            text = text[: draw(st.integers(0, len(text)))]
            continue
        elif operation == "number":
            digits = [i for i, char in enumerate(lines[index]) if char.isdigit() or char in "=~:%"]
            position = draw(st.sampled_from(digits)) if digits else len(lines[index])
            line = lines[index]
            lines[index] = line[:position] + draw(st.sampled_from(HUGE)) + line[position:]
        elif operation == "insert":
            lines.insert(index, draw(st.text(max_size=80)))
        elif operation == "drop":
            del lines[index]
        elif operation == "swap":
            other = draw(st.integers(0, max(0, len(lines) - 1)))
            lines[index], lines[other] = lines[other], lines[index]
        else:
            lines = lines * draw(st.integers(2, 40))
        text = "\n".join(lines)
    raw = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    flips = draw(st.lists(st.tuples(st.integers(0, max(0, len(raw) - 1)), st.integers(0, 255)), max_size=6))
    if raw and flips:
        buffer = bytearray(raw)
        for position, value in flips:
            buffer[position] = value
        raw = bytes(buffer)
    return raw


def any_text_input():
    return st.sampled_from(TEXT_FORMATS).flatmap(lambda fmt: st.tuples(st.just(fmt), mutated_text(fmt)))


def check_answer(raw: bytes, fmt: str, encoding: str = "auto"):
    """The parser's answer: the questions or ImportErrors with lines and messages; nothing else escapes."""
    with bounded_memory(64):
        try:
            parsed = importers.read(raw, fmt, encoding, limits=LIMITS)
        except ImportErrors as failed:
            assert failed.errors
            assert all(isinstance(line, int) and isinstance(message, str) for line, message in failed.errors)
            assert all(message for _line, message in failed.errors)
            return None
    assert 0 < len(parsed) <= LIMITS.max_questions
    assert all(isinstance(item, Parsed) and len(item.text) <= LIMITS.max_text for item in parsed)
    return parsed


@given(any_text_input(), st.sampled_from(["auto", "auto", "utf-8", "cp1251", "kz1048"]))
def test_text_formats_answer_questions_or_their_own_error(fmt_and_raw, encoding):
    fmt, raw = fmt_and_raw
    check_answer(raw, fmt, encoding)


@given(st.sampled_from(TEXT_FORMATS), st.binary(max_size=4096))
def test_random_bytes_answer_their_own_error(fmt, raw):
    check_answer(raw, fmt)


@given(st.sampled_from(TEXT_FORMATS), st.text(max_size=2000))
def test_random_text_answers_its_own_error(fmt, text):
    check_answer(text.encode(), fmt)


CELL = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.sampled_from(["single", "multiple", "truefalse", "short", "numeric", "essay", "1", "1,2", "true", *HUGE]),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
)


def _sheet(rows, header) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("questions")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _clean(value):
    # openpyxl itself refuses control characters in a cell: they are no input a teacher's Excel can save.
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


@st.composite
def mutated_workbook(draw) -> bytes:
    header = draw(st.sampled_from([importers.XLSX_HEADERS, ["points", "type"], [], ["балл"] * 3]))
    rows = draw(st.lists(st.lists(CELL.map(_clean), max_size=14), max_size=30))
    rows += [["essay", "Эссе"]] * draw(st.sampled_from([0, 0, 250]))  # past max_rows
    raw = _sheet(rows, header)
    # Positions are drawn in a fixed range and taken modulo the length: a workbook's bytes change from one run
    # to the next (openpyxl stamps the time it is saved), and hypothesis needs the same draws for the same case.
    position = st.integers(0, 2**24)
    how = draw(st.sampled_from(["as is", "flip the zip", "flip a part", "cut"]))
    if how == "flip the zip":
        buffer = bytearray(raw)
        for _n in range(draw(st.integers(1, 8))):
            buffer[draw(position) % len(buffer)] = draw(st.integers(0, 255))
        return bytes(buffer)
    if how == "cut":
        return raw[: draw(position) % (len(raw) + 1)]
    if how == "flip a part":
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for name in sorted(source.namelist()):
                content = bytearray(source.read(name))
                if name.endswith(".xml") and content and draw(st.booleans()):
                    for _n in range(draw(st.integers(1, 6))):
                        content[draw(position) % len(content)] = draw(st.integers(0, 255))
                target.writestr(name, bytes(content))
        return out.getvalue()
    return raw


@given(mutated_workbook())
def test_workbooks_answer_questions_or_their_own_error(raw):
    check_answer(raw, "xlsx")


@given(st.binary(max_size=4096))
def test_random_bytes_as_a_workbook_answer_their_own_error(raw):
    check_answer(raw, "xlsx")


def _counts():
    return Question.objects.count(), QuestionVersion.objects.count(), Category.objects.count()


@pytest.fixture
def small_limits(settings):
    """The settings of LIMITS, once for the whole run (set per example, overrides would nest thousands deep)."""
    for name, value in {
        "QUIZ_IMPORT_MAX_MB": 1,
        "QUIZ_IMPORT_MAX_LINES": LIMITS.max_lines,
        "QUIZ_IMPORT_MAX_ROWS": LIMITS.max_rows,
        "QUIZ_IMPORT_MAX_QUESTIONS": LIMITS.max_questions,
        "QUIZ_IMPORT_MAX_OPTIONS": LIMITS.max_options,
        "QUIZ_IMPORT_MAX_TEXT": LIMITS.max_text,
    }.items():
        setattr(settings, name, value)


@pytest.mark.django_db
@given(st.one_of(any_text_input(), mutated_workbook().map(lambda raw: ("xlsx", raw))))
def test_a_failed_import_writes_nothing(course, teacher, small_limits, fmt_and_raw):
    fmt, raw = fmt_and_raw
    bank, _created = Bank.objects.get_or_create(discipline=course.discipline, name="Fuzz")
    before = _counts()
    try:
        added = services.bank_import(bank=bank, category="K", raw=raw, fmt=fmt, by=teacher)
    except ImportErrors:
        assert _counts() == before
    else:
        assert _counts()[:2] == (before[0] + added, before[1] + added)


@given(st.text(alphabet=st.sampled_from(["a", " ", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029"])))
def test_lines_are_counted_as_the_parsers_split_them(text):
    assert importers.count_lines(text) == len(text.splitlines())
