"""Tables that people upload (.csv, .xlsx) read within limits, and tables we hand out made safe to open.

Reading: the bytes, the unpacked size of a workbook, the rows (counted while streaming, so a small file that
claims millions of rows is refused after the limit, not read to the end), the columns and the length of a
cell are bounded by the ``IMPORT_*`` settings; anything over a limit, or unreadable, is an ``ImportFileError``
with a translated message that names the limit. Nothing here writes.

Writing: a text that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is what a spreadsheet
takes for a formula (formula injection: an applicant chooses their own name). ``xlsx_append`` writes such
texts as plain text cells; ``csv_safe`` prefixes them with an apostrophe. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from . import encodings


class ImportFileError(Exception):
    """A file that cannot be imported as a whole; the message is translated and shown as it is."""


# --- Reading -----------------------------------------------------------------------------------------------
def _limit_error(message: str, limit: int) -> ImportFileError:
    return ImportFileError(message % {"limit": limit})


def file_too_large() -> ImportFileError:
    return ImportFileError(
        _("The file is larger than %(limit)s MB (USTAZ_IMPORT_MAX_BYTES).")
        % {"limit": f"{settings.IMPORT_MAX_BYTES / 1024 / 1024:g}"}
    )


def check_size(size: int) -> None:
    if size > settings.IMPORT_MAX_BYTES:
        raise file_too_large()


def _check_cells(cells: list[str]) -> list[str]:
    if len(cells) > settings.IMPORT_MAX_COLUMNS:
        # Trailing empty cells (a formatted sheet, a line ending in commas) are no columns.
        while cells and not cells[-1]:
            cells.pop()
        if len(cells) > settings.IMPORT_MAX_COLUMNS:
            raise _limit_error(
                _("The file has more than %(limit)s columns (USTAZ_IMPORT_MAX_COLUMNS)."), settings.IMPORT_MAX_COLUMNS
            )
    for value in cells:
        if len(value) > settings.IMPORT_MAX_CELL_CHARS:
            raise _limit_error(
                _("A cell is longer than %(limit)s characters (USTAZ_IMPORT_MAX_CELL_CHARS)."),
                settings.IMPORT_MAX_CELL_CHARS,
            )
    return cells


def _xlsx_rows(content: bytes) -> Iterator[list[str]]:
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise ImportFileError(_("This file could not be read as an Excel workbook (.xlsx).")) from exc
    if unpacked > settings.IMPORT_MAX_UNPACKED_BYTES:
        raise ImportFileError(
            _("The workbook unpacks to more than %(limit)s MB (USTAZ_IMPORT_MAX_UNPACKED_BYTES).")
            % {"limit": f"{settings.IMPORT_MAX_UNPACKED_BYTES / 1024 / 1024:g}"}
        )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise ImportFileError(_("This file could not be read as an Excel workbook (.xlsx).")) from exc
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("The file is empty."))
        sheet = workbook.worksheets[0]
        # The sheet's declared dimension is not trusted (too small, rows are lost; huge, padding): every row
        # present is read, and counted against the limit as it streams.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except ImportFileError:
                raise
            except Exception as exc:  # a damaged sheet is found while streaming it
                raise ImportFileError(_("This file could not be read as an Excel workbook (.xlsx).")) from exc
            yield ["" if v is None else _cell_text(v) for v in row]
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        # Excel keeps every number as a float: 12 is read as 12.0; an IIN or a login must stay "12".
        return str(int(value))
    return str(value).strip()


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    try:
        text = encodings.decode(content)
    except (encodings.UnknownEncoding, UnicodeDecodeError) as exc:
        raise ImportFileError(
            _(
                'The encoding of the CSV file could not be told: save it as UTF-8 (in Excel: "CSV UTF-8"), '
                "Windows-1251 or KZ-1048."
            )
        ) from exc
    if "\x00" in text:
        raise ImportFileError(_("This is not a text file: a CSV file must be saved in UTF-8."))
    first_line = text[: text.find("\n")] if "\n" in text else text
    dialect: type[csv.Dialect] | csv.Dialect = csv.excel
    try:
        dialect = csv.Sniffer().sniff(first_line[:4096], delimiters=",;\t")
    except csv.Error:
        pass
    reader = csv.reader(io.StringIO(text), dialect)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            # A quote never closed, or a field past the csv module's own limit.
            raise ImportFileError(
                _("Line %(line)s of the CSV file could not be read.") % {"line": reader.line_num}
            ) from exc
        yield [cell.strip() for cell in row]


def iter_table(filename: str, content: bytes) -> Iterator[list[str]]:
    """The rows of the file's first sheet as lists of texts, checked against the limits as they are read."""
    check_size(len(content))
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(content)
    elif name.endswith(".csv"):
        rows = _csv_rows(content)
    else:
        raise ImportFileError(_("Upload a .csv or .xlsx file."))
    # The header is one row more than the data rows allowed.
    for number, cells in enumerate(rows, start=1):
        if number > settings.IMPORT_MAX_ROWS + 1:
            raise _limit_error(
                _("The file has more than %(limit)s rows (USTAZ_IMPORT_MAX_ROWS)."), settings.IMPORT_MAX_ROWS
            )
        yield _check_cells(cells)


def count_rows(filename: str, content: bytes, *, up_to: int) -> int:
    """How many data rows the file has, reading no more than ``up_to + 1`` of them (so: at most ``up_to + 1``)."""
    count = -1  # the header
    for _cells in iter_table(filename, content):
        count += 1
        if count > up_to:
            break
    return max(count, 0)


def read_table(
    filename: str,
    content: bytes,
    required: tuple[str, ...] | list[str] = (),
    *,
    progress: Callable[[int], None] | None = None,
) -> list[dict[str, str]]:
    """The rows of a .csv (UTF-8) or .xlsx file as dicts by the (lower-cased) header; raises ImportFileError."""
    rows_iter = iter_table(filename, content)
    header_cells = next(rows_iter, None)
    if header_cells is None:
        raise ImportFileError(_("The file is empty."))
    header = [h.strip().lower() for h in header_cells]
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportFileError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    rows = []
    for cells in rows_iter:
        rows.append({h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h})
        if progress is not None and len(rows) % 500 == 0:
            progress(len(rows))
    return rows


# --- Writing -----------------------------------------------------------------------------------------------
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_safe(value: Any) -> Any:
    """A cell for a CSV export: a text a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + value if is_formula_like(value) else value


def xlsx_append(sheet: Any, values: list[Any] | tuple[Any, ...]) -> None:
    """``sheet.append(values)``, every text written as text: never a formula, whatever it begins with (and
    without the control characters a workbook cannot hold, which openpyxl would refuse with an exception)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    values = [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values]
    sheet.append(values)
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            cell = sheet.cell(row=row, column=column)
            # openpyxl makes a text beginning with "=" a formula cell; as a string cell it is shown, not run.
            cell.data_type = "s"
