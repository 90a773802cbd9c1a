"""Hypothesis strategies that start from a valid sample and break it: for fuzzing importers and parsers."""

from __future__ import annotations

import io

from hypothesis import strategies as st

# Texts that broke, or could break, a parser of numbers, dates or tables.
NASTY = [
    "1e309",
    "-1e309",
    "1e30",
    "NaN",
    "-Infinity",
    "inf",
    "9" * 45,
    "0E+1000000",
    '=HYPERLINK("x")',
    "²",
    "٣",
    "\x00",
    "\r",
    '"',
    ";",
    ",",
    "\t",
    "\ufeff",
    "0.00000000000000000000000000001",
    "29.02.2026",
    "9999-99-99",
    "",
    " ",
    "x" * 2000,
]

texts = st.one_of(st.sampled_from(NASTY), st.text(max_size=30), st.from_regex(r"-?[0-9 ,.]{0,20}(e-?[0-9]{1,4})?"))


@st.composite
def mutated_bytes(draw, sample: bytes) -> bytes:
    """The sample with a few bytes flipped, cut, doubled or replaced by a nasty text."""
    data = bytearray(sample)
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "duplicate"]))
        position = draw(st.integers(0, max(len(data) - 1, 0)))
        if action == "flip" and data:
            data[position] = draw(st.integers(0, 255))
        elif action == "insert":
            data[position:position] = draw(texts).encode("utf-8", "surrogatepass")
        elif action == "delete" and data:
            del data[position : position + draw(st.integers(1, 8))]
        elif action == "truncate":
            del data[position:]
        elif action == "duplicate":
            data[position:position] = data[position : position + draw(st.integers(1, 200))]
    return bytes(data)


@st.composite
def mutated_rows(draw, rows: list[list[str]]) -> list[list[str]]:
    """The sample table with some cells replaced by nasty or random texts, rows repeated or dropped."""
    table = [list(row) for row in rows]
    for _ in range(draw(st.integers(1, 5))):
        r = draw(st.integers(0, len(table) - 1))
        c = draw(st.integers(0, len(table[r]) - 1))
        table[r][c] = draw(texts)
    if draw(st.booleans()) and len(table) > 1:
        table.append(list(table[draw(st.integers(1, len(table) - 1))]))
    return table


def xlsx_bytes(rows: list[list]) -> bytes:
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list[str]], delimiter: str = ",") -> bytes:
    import csv

    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")
