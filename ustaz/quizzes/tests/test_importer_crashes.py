"""Plain regression tests for inputs that crashed the bank parsers or leaked Python's own (untranslated) error
text to the teacher before issue 13: each now answers with the importer's translated error by line."""

from __future__ import annotations

import io
import zipfile

import pytest

from ustaz.quizzes import importers
from ustaz.quizzes.importers import ImportErrors


def errors_of(call, *args):
    with pytest.raises(ImportErrors) as failed:
        call(*args)
    return failed.value.errors


def test_a_moodle_fraction_that_is_no_number():
    text = (
        '<quiz>\n<question type="multichoice"><questiontext><text>Q</text></questiontext>'
        '<answer fraction="abc"><text>a</text></answer></question>\n</quiz>'
    )
    assert [(line, message.split(":")[0]) for line, message in errors_of(importers.moodle_xml, text)] == [
        (2, "The fraction of an answer")
    ]


def test_a_moodle_matching_pair_without_its_answer():
    text = (
        '<quiz>\n<question type="matching"><questiontext><text>Q</text></questiontext>'
        "<subquestion><text>a</text></subquestion></question>\n</quiz>"
    )
    assert errors_of(importers.moodle_xml, text) == [(2, "The question is incomplete.")]


def test_a_moodle_question_without_its_type():
    assert errors_of(importers.moodle_xml, "<quiz>\n<question><questiontext/></question>\n</quiz>") == [
        (2, "A question without its type.")
    ]


def test_a_gift_range_with_two_ranges():
    errors = errors_of(importers.gift, "Жылдар? {#1800..1900..2000}\n")
    assert errors == [(1, "The answer: “1900..2000” is not a number.")]


def test_xlsx_right_options_that_are_no_numbers():
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(importers.XLSX_HEADERS)
    book.active.append(["single", "Q", "бірінші", "", "a", "b"])
    book.active.append(["single", "Q", "9" * 5000, "", "a", "b"])
    buffer = io.BytesIO()
    book.save(buffer)
    message = "Give at least two options and the numbers of the right ones."
    assert errors_of(importers.xlsx, buffer.getvalue()) == [(2, message), (3, message)]


def test_xlsx_with_a_sheet_cut_short():
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(importers.XLSX_HEADERS)
    for n in range(50):
        book.active.append(["essay", f"Эссе {n}"])
    buffer = io.BytesIO()
    book.save(buffer)
    cut = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(cut, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            target.writestr(name, content[: len(content) // 2] if name.startswith("xl/worksheets/") else content)
    errors = errors_of(importers.xlsx, cut.getvalue())
    assert len(errors) == 1 and errors[0][1] == "The file is not an Excel workbook (.xlsx)."


@pytest.mark.parametrize(
    ("fmt", "text", "line"),
    [
        ("aiken", "Сұрақ\nA. бір\x00\nB. екі\nANSWER: A\n", 2),
        ("gift", "Бірінші {=a ~b}\n\nСұрақ\x00 {=a ~b}\n", 3),
        ("platonus", "<question> Q\x00\n<variant> a\n<variant> b\n", 1),
    ],
)
def test_a_nul_character_is_refused_and_nothing_written(course, teacher, fmt, text, line):
    """Found by the fuzzer on PostgreSQL: a text or JSON column keeps no NUL, and the import answered 500."""
    from ustaz.quizzes import services
    from ustaz.quizzes.models import Bank, Question

    bank = Bank.objects.create(discipline=course.discipline, name="B")
    with pytest.raises(ImportErrors) as failed:
        services.bank_import(bank=bank, category="K", raw=text.encode(), fmt=fmt, by=teacher)
    message = "The file contains NUL characters: it is not a text in the encoding chosen."
    assert failed.value.errors == [(line, message)] and not Question.objects.exists()
