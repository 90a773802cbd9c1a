"""Every question-bank import is bounded (issue 13, finding 2): a file too large, with too many lines, rows or
questions, a workbook that unpacks to too much (a "zip bomb" of rows), a question or option too long, a Moodle
XML declaring entities: each refused with a message naming the limit, and nothing written. The file is read
outside the write transaction."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.db import connection

from ustaz.quizzes import importers, services
from ustaz.quizzes.importers import ImportErrors, Limits, read
from ustaz.quizzes.models import Bank, Category, Question, QuestionVersion

LIMITS = Limits(
    max_bytes=20_000, max_lines=200, max_rows=50, max_questions=20, max_options=6, max_text=300, max_xlsx_bytes=200_000
)

GIFT_ONE = "Кюй «Адай»? {=Құрманғазы ~Тәттімбет}\n\n"
PLATONUS_ONE = "<question> Домбыра?\n<variant> Иә\n<variant> Жоқ\n"
AIKEN_ONE = "Домбыра?\nA. Иә\nB. Жоқ\nANSWER: A\n\n"


def moodle(questions: list[str]) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n' + "\n".join(questions) + "\n</quiz>\n"


MOODLE_ONE = (
    '<question type="truefalse"><questiontext format="plain_text"><text>Домбыра?</text></questiontext>'
    '<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>'
)


def workbook(rows: list[list], *, header=importers.XLSX_HEADERS) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("questions")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def messages(failed) -> str:
    return " ".join(message for _line, message in failed.value.errors)


def test_a_file_larger_than_the_limit_is_refused_before_it_is_read():
    raw = (GIFT_ONE * 1000).encode()
    assert len(raw) > LIMITS.max_bytes
    with pytest.raises(ImportErrors) as failed:
        read(raw, "gift", limits=LIMITS)
    assert "larger than 0.0190735 MB" in messages(failed)


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("gift", "// a comment\n" * 250 + GIFT_ONE),
        ("platonus", PLATONUS_ONE + "\n" * 250),
        ("aiken", AIKEN_ONE + "\r" * 250),  # old Mac line ends count too
        ("moodle_xml", moodle([MOODLE_ONE]) + "\u2028" * 250),
    ],
)
def test_a_file_with_too_many_lines_is_refused(fmt, text):
    with pytest.raises(ImportErrors) as failed:
        read(text.encode(), fmt, limits=LIMITS)
    assert "more than 200 lines" in messages(failed)


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("gift", GIFT_ONE * 21),
        ("platonus", PLATONUS_ONE * 21),
        ("aiken", AIKEN_ONE * 21),
        ("moodle_xml", moodle([MOODLE_ONE] * 21)),
    ],
)
def test_a_file_with_too_many_questions_is_refused(fmt, text):
    with pytest.raises(ImportErrors) as failed:
        read(text.encode(), fmt, limits=LIMITS)
    assert "more than 20 questions" in messages(failed)


def test_the_limits_let_a_bank_within_them_through():
    assert len(read((GIFT_ONE * 20).encode(), "gift", limits=LIMITS)) == 20
    assert len(read(workbook([["truefalse", "Домбыра?", "true"]] * 20), "xlsx", limits=LIMITS)) == 20


@pytest.mark.parametrize(
    ("fmt", "text", "message"),
    [
        ("gift", "Сұрақ " + "ұзын " * 100 + "{=a ~b}\n", "longer than 300 characters"),
        ("gift", "Сұрақ {=a " + " ".join(f"~{n}" for n in range(10)) + "}\n", "more than 6 options"),
        ("platonus", "<question> Q\n<variant> " + "ұзын" * 100 + "\n<variant> b\n", "longer than 300 characters"),
        ("aiken", "Q\n" + "".join(f"{chr(65 + n)}. o{n}\n" for n in range(8)) + "ANSWER: A\n", "more than 6 options"),
    ],
)
def test_a_question_or_option_too_long_or_with_too_many_options_is_refused_by_line(fmt, text, message):
    with pytest.raises(ImportErrors) as failed:
        read(text.encode(), fmt, limits=LIMITS)
    assert failed.value.errors[0][0] == 1 and message in messages(failed)


def test_a_sheet_with_more_rows_than_the_limit_is_refused_while_it_streams():
    # Empty rows, as a "zip bomb" of rows has: each is counted, whatever the sheet's declared dimension.
    raw = workbook([[None]] * 60)
    with pytest.raises(ImportErrors) as failed:
        read(raw, "xlsx", limits=LIMITS)
    assert "more than 50 rows" in messages(failed)


def test_a_workbook_that_unpacks_beyond_the_limit_is_refused_before_it_is_opened():
    # A small file: thousands of rows compress to almost nothing, and the sheet declares no dimension.
    raw = workbook([["essay", "Эссе"]] * 3000)
    assert len(raw) < 100_000  # the file is within the unpacked limit; what it unpacks to is not
    with pytest.raises(ImportErrors) as failed:
        read(raw, "xlsx", limits=Limits(**{**LIMITS.__dict__, "max_bytes": 10**6, "max_xlsx_bytes": 100_000}))
    assert "unpacks to more than 0.0953674 MB" in messages(failed)


def test_a_sheet_declaring_millions_of_rows_is_refused_before_it_streams():
    raw = workbook([["essay", "Эссе"]])
    parts = {}
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        for name in archive.namelist():
            parts[name] = archive.read(name)
    sheet = next(name for name in parts if name.startswith("xl/worksheets/"))
    parts[sheet] = parts[sheet].replace(b"<sheetData>", b'<dimension ref="A1:L3000000"/><sheetData>', 1)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    with pytest.raises(ImportErrors) as failed:
        read(buffer.getvalue(), "xlsx", limits=LIMITS)
    assert "more than 50 rows" in messages(failed)


def test_moodle_xml_declaring_entities_is_refused_and_nothing_is_expanded():
    laughs = (
        '<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n<quiz><question type="essay"><questiontext>'
        "<text>&c;</text></questiontext></question></quiz>"
    )
    external = (
        '<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<quiz><question type="essay"><questiontext><text>&x;</text></questiontext></question></quiz>'
    )
    for text in (laughs, external):
        with pytest.raises(ImportErrors) as failed:
            read(text.encode(), "moodle_xml", limits=LIMITS)
        assert "declares entities" in messages(failed)


def test_moodle_xml_in_utf16_cannot_smuggle_a_doctype():
    # The declaration says UTF-16 but the bytes were decoded already: expat reads the text as it is.
    text = '<?xml version="1.0" encoding="UTF-16"?><quiz>' + MOODLE_ONE + "</quiz>"
    assert [q.kind for q in read(text.encode(), "moodle_xml", limits=LIMITS)] == ["truefalse"]


def test_an_xlsx_part_declaring_entities_is_refused():
    raw = workbook([["essay", "Эссе"]])
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(buffer, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            if name.startswith("xl/worksheets/"):
                content = content.replace("Эссе".encode(), b"&a;")
                content = b'<!DOCTYPE worksheet [<!ENTITY a "ha">]>' + content
            target.writestr(name, content)
    with pytest.raises(ImportErrors) as failed:
        read(buffer.getvalue(), "xlsx", limits=LIMITS)
    assert "declares entities" in messages(failed)


BIG = Limits(
    max_bytes=4 * 1024 * 1024,
    max_lines=100_000,
    max_rows=10_000,
    max_questions=5000,
    max_options=50,
    max_text=10_000,
    max_xlsx_bytes=50 * 1024 * 1024,
)


def test_a_gift_question_with_a_million_options_is_refused_before_they_are_listed():
    from testkit.fuzz import bounded_memory

    text = "Сұрақ {=a" + "~b" * 1_000_000 + "}\n"
    with bounded_memory(64), pytest.raises(ImportErrors) as failed:
        read(text.encode(), "gift", limits=BIG)
    assert failed.value.errors == [(1, "The question has more than 50 options.")]


def test_moodle_xml_with_a_million_elements_is_read_a_question_at_a_time():
    from testkit.fuzz import bounded_memory

    junk = '<question type="essay"><questiontext><text>Эссе</text></questiontext>' + "<a/>" * 1_000_000
    text = "<quiz>\n" + junk + "</question>\n</quiz>"
    with bounded_memory(64), pytest.raises(ImportErrors) as failed:
        read(text.encode(), "moodle_xml", limits=BIG)
    assert failed.value.errors == [(2, "The question has more than 300 XML elements.")]
    # Elements outside any question are read past, never kept.
    text = "<quiz>\n" + "<a/>" * 1_000_000 + MOODLE_ONE + "\n</quiz>"
    with bounded_memory(64):
        assert [q.kind for q in read(text.encode(), "moodle_xml", limits=BIG)] == ["truefalse"]


def test_thousands_of_errors_are_summed_up():
    text = "Жақшасыз сұрақ\n\n" * 120
    with pytest.raises(ImportErrors) as failed:
        read(text.encode(), "gift")
    errors = failed.value.errors
    assert len(errors) == importers.MAX_ERRORS_SHOWN + 1 and "70 more" in errors[-1][1]


def test_an_import_over_the_limit_writes_nothing(course, teacher, settings):
    settings.QUIZ_IMPORT_MAX_QUESTIONS = 3
    bank = Bank.objects.create(discipline=course.discipline, name="B")
    with pytest.raises(ImportErrors) as failed:
        services.bank_import(bank=bank, category="K", raw=(GIFT_ONE * 4).encode(), fmt="gift", by=teacher)
    assert "more than 3 questions" in messages(failed)
    assert not Question.objects.exists() and not QuestionVersion.objects.exists() and not Category.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_file_is_read_outside_any_transaction(course, teacher, monkeypatch):
    """Reading holds no write transaction (a long read locked SQLite for every other writer); the writes of
    the checked bank are in one."""
    seen = {}
    real_read = importers.read

    def reading(*args, **kwargs):
        seen["reading"] = connection.in_atomic_block
        return real_read(*args, **kwargs)

    monkeypatch.setattr(importers, "read", reading)
    bank = Bank.objects.create(discipline=course.discipline, name="B")
    assert services.bank_import(bank=bank, category="K", raw=(GIFT_ONE * 3).encode(), fmt="gift", by=teacher) == 3
    assert seen == {"reading": False}
    assert Question.objects.filter(bank=bank, current__isnull=False).count() == 3
