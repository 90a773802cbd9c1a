"""Reading uploaded tables within their limits, and writing tables that a spreadsheet opens safely."""

import io
import zipfile

import openpyxl
import pytest

from ustaz.core import tables
from ustaz.core.tables import ImportFileError


def _xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_formula_like_texts_stay_text_and_numbers_stay_numbers():
    book = openpyxl.Workbook()
    values = ["=1+1", "+7", "-3+2", "@A1", "\tx", "\rx", "plain", -5, 2.5, None]
    tables.xlsx_append(book.active, values)
    tables.xlsx_append(book.active, ["\x01=CTRL"])
    out = io.BytesIO()
    book.save(out)
    read = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    first = [c for c in read[1]]
    assert [c.data_type for c in first[:7]] == ["s"] * 7
    # (XML reads a carriage return back as a line feed.)
    assert [c.value for c in first[:7]] == ["=1+1", "+7", "-3+2", "@A1", "\tx", "\nx", "plain"]
    assert [(c.value, c.data_type) for c in first[7:9]] == [(-5, "n"), (2.5, "n")]
    assert (read["A2"].value, read["A2"].data_type) == ("=CTRL", "s")


def test_csv_safe_prefixes_formula_like_texts_only():
    assert [tables.csv_safe(v) for v in ["=1+1", "-2", "@x", "\tx", "ok", -2, 3.5]] == [
        "'=1+1",
        "'-2",
        "'@x",
        "'\tx",
        "ok",
        -2,
        3.5,
    ]


@pytest.mark.parametrize(
    ("setting", "value", "content", "name", "message"),
    [
        ("IMPORT_MAX_BYTES", 100, b"a\n" * 100, "t.csv", "larger than"),
        ("IMPORT_MAX_ROWS", 3, b"a\n1\n2\n3\n4\n", "t.csv", "more than 3 rows (USTAZ_IMPORT_MAX_ROWS)"),
        ("IMPORT_MAX_COLUMNS", 3, b"a,b,c,d\n1,2,3,4\n", "t.csv", "more than 3 columns"),
        ("IMPORT_MAX_CELL_CHARS", 5, b"a\n123456\n", "t.csv", "longer than 5 characters"),
    ],
)
def test_each_limit_is_named_when_a_file_is_over_it(settings, setting, value, content, name, message):
    setattr(settings, setting, value)
    with pytest.raises(ImportFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        tables.read_table(name, content)


def test_trailing_empty_columns_do_not_count(settings):
    settings.IMPORT_MAX_COLUMNS = 2
    assert tables.read_table("t.csv", b"a,b,,,,\n1,2,,,,\n") == [{"a": "1", "b": "2"}]


def test_a_small_workbook_that_claims_millions_of_rows_is_refused_quickly(settings):
    # 3,000,000 rows of one number: the sheet compresses to a few hundred kilobytes.
    out = io.BytesIO()
    template_bytes = io.BytesIO(_xlsx([["a"]]))
    with zipfile.ZipFile(template_bytes) as template, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in template.infolist():
            data = template.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                head, _sep, tail = data.decode().partition("<sheetData>")
                rows = "<row><c><v>1</v></c></row>" * 3_000_000
                data = (head + "<sheetData>" + rows + "</sheetData>" + tail.partition("</sheetData>")[2]).encode()
            archive.writestr(info.filename, data)
    content = out.getvalue()
    assert len(content) < 500_000
    with pytest.raises(ImportFileError, match="USTAZ_IMPORT_MAX_UNPACKED_BYTES"):
        tables.read_table("big.xlsx", content)
    # Even under a generous unpacked limit the rows are counted while streaming and refused at the first one over.
    settings.IMPORT_MAX_UNPACKED_BYTES = 10**9
    settings.IMPORT_MAX_ROWS = 1000
    with pytest.raises(ImportFileError, match="more than 1000 rows"):
        tables.read_table("big.xlsx", content)
    assert tables.count_rows("big.xlsx", content, up_to=10) == 11


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("t.xlsx", b"PK\x03\x04 not a zip"),
        ("t.xlsx", b""),
        ("t.csv", b"\xff\xfe\x00a"),
        ("t.csv", b'a\n"never closed\n' + b"x" * 200_000),
        ("t.csv", b"a\x00b\n"),
        ("t.txt", b"a\n"),
        ("t.csv", b""),
    ],
)
def test_unreadable_files_are_an_import_error(name, content):
    with pytest.raises(ImportFileError):
        tables.read_table(name, content, ("a",))


def test_numbers_of_a_workbook_read_as_typed():
    content = _xlsx([["iin", "points"], [900101300017, 81.5], ["007", 64.0]])
    assert tables.read_table("t.xlsx", content) == [
        {"iin": "900101300017", "points": "81.5"},
        {"iin": "007", "points": "64"},
    ]
