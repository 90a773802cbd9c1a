"""A curriculum as one Excel sheet, and back (docs/decisions/0011-curricula.md gives the layout).

One row per elective group (kind "elective_group") and per line (kind "discipline", "practice",
"attestation"); the columns are COLUMNS, named in the first row; values are the codes of the choices
(exam, basic, elective...). A line of a group names the group's code in the "group" column. Names of
disciplines are written for the reader and ignored on import (the discipline is found by its code).

Text that a spreadsheet would take for a formula (starting with = + - @, a tab or a carriage return) is
written with an apostrophe before it, and read back without it, so the round trip is exact.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from ustaz.academics.models import Discipline
from ustaz.core.tables import xlsx_append

from .models import (
    AttestationForm,
    Component,
    Control,
    Curriculum,
    CurriculumLine,
    Cycle,
    ElectiveGroup,
    LineKind,
    PracticeKind,
)
from .services import GroupData, LineData, group_errors, line_errors

COLUMNS = [
    "kind",
    "term",
    "code",
    "name_kk",
    "name_ru",
    "name_en",
    "credits",
    "cycle",
    "component",
    "control",
    "group",
    "practice_kind",
    "weeks",
    "attestation_form",
]
GROUP_KIND = "elective_group"
# A workbook is a zip: its parts may unpack to at most this many times the file's size limit (a few KB of
# repeated text would otherwise unpack to gigabytes in the parser's memory).
UNPACKED_FACTOR = 40
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPED_STARTS = (*FORMULA_STARTS, "'")


def safe_cell(value):
    """Text a spreadsheet would run as a formula, made inert (and a leading apostrophe kept distinguishable)."""
    if isinstance(value, str) and value.startswith(ESCAPED_STARTS):
        return "'" + value
    return value


def unescape_cell(value: str) -> str:
    if value.startswith("'") and value[1:].startswith(ESCAPED_STARTS):
        return value[1:]
    return value


def _blank(value) -> object:
    return None if value in ("", None) else value


def curriculum_rows(curriculum: Curriculum) -> list[list]:
    rows: list[list] = []
    for group in ElectiveGroup.objects.filter(curriculum=curriculum).order_by("term", "code"):
        rows.append(
            [
                GROUP_KIND,
                group.term,
                group.code,
                group.name_kk,
                group.name_ru,
                group.name_en,
                group.credits_to_choose,
                group.cycle,
                None,
                None,
                None,
                None,
                None,
                None,
            ]  # fmt: skip
        )
    lines = (
        CurriculumLine.objects.filter(curriculum=curriculum)
        .select_related("discipline", "elective_group")
        .order_by("term", "kind", "id")
    )
    for line in lines:
        discipline = line.discipline
        rows.append(
            [
                line.kind,
                line.term,
                discipline.code if discipline else None,
                discipline.name_kk if discipline else None,
                _blank(discipline.name_ru) if discipline else None,
                _blank(discipline.name_en) if discipline else None,
                line.credits,
                line.cycle,
                _blank(line.component),
                _blank(line.control),
                line.elective_group.code if line.elective_group_id else None,
                _blank(line.practice_kind),
                line.weeks,
                _blank(line.attestation_form),
            ]
        )
    return rows


def curriculum_xlsx(curriculum: Curriculum) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "curriculum"
    sheet.append(COLUMNS)
    for row in curriculum_rows(curriculum):
        # Formulas escaped so that the import gives the text back; control characters dropped by the shared
        # writer (openpyxl refuses them with an exception).
        xlsx_append(sheet, [safe_cell(value) for value in row])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Import ------------------------------------------------------------------------------------------------
@dataclass
class ParsedCurriculum:
    groups: list[GroupData] = field(default_factory=list)
    lines: list[tuple[LineData, str]] = field(default_factory=list)
    # (row of the sheet, message); the header is row 1.
    errors: list[tuple[int, str]] = field(default_factory=list)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unescape_cell(str(value).strip())


def _whole(value: str, label: str, errors: list[str], *, required: bool = True) -> int | None:
    if value == "":
        if required:
            errors.append(_("%(column)s is empty.") % {"column": label})
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 4:
        errors.append(_("%(column)s: “%(value)s” is not a whole number.") % {"column": label, "value": value[:40]})
        return None
    return int(value)


def _choice(value: str, label: str, allowed: list[str], errors: list[str], *, required: bool = True) -> str:
    if value == "" and not required:
        return ""
    if value not in allowed:
        errors.append(
            _("%(column)s: “%(value)s” is not one of: %(allowed)s.")
            % {"column": label, "value": value[:40], "allowed": ", ".join(allowed)}
        )
        return ""
    return value


def read_rows(content: bytes) -> list[tuple[int, dict[str, str]]]:
    """The sheet's rows by column name, with their row numbers; raises ValueError with the message."""
    import openpyxl

    if len(content) > settings.CURRICULA_IMPORT_MAX_KB * 1024:
        raise ValueError(_("The file is larger than %(kb)s KB.") % {"kb": settings.CURRICULA_IMPORT_MAX_KB})
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ValueError(_("This file could not be read as an Excel workbook (.xlsx).")) from exc
    if unpacked > settings.CURRICULA_IMPORT_MAX_KB * 1024 * UNPACKED_FACTOR:
        raise ValueError(_("The workbook unpacks to more than its size allows; save it again without extra content."))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:
        raise ValueError(_("This file could not be read as an Excel workbook (.xlsx).")) from exc
    try:
        sheet = workbook.worksheets[0]
        limit = settings.CURRICULA_IMPORT_MAX_ROWS
        table = []
        for row in sheet.iter_rows(values_only=True, max_col=len(COLUMNS) + 5):
            if len(table) > limit:
                raise ValueError(_("The file has more than %(rows)s rows.") % {"rows": limit})
            table.append([_text(value) for value in row])
    finally:
        workbook.close()
    if not table:
        raise ValueError(_("The file is empty."))
    header = [name.lower() for name in table[0]]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise ValueError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if any(cells):
            rows.append((number, {name: cells[i] if i < len(cells) else "" for i, name in enumerate(header) if name}))
    return rows


def parse_curriculum(curriculum: Curriculum, content: bytes) -> ParsedCurriculum:
    """Read and check a workbook for the curriculum, every row on its own and against the others; writes
    nothing (services.curriculum_replace does, when there is no error)."""
    parsed = ParsedCurriculum()
    try:
        rows = read_rows(content)
    except ValueError as exc:
        parsed.errors.append((1, str(exc)))
        return parsed
    kinds = [GROUP_KIND, *LineKind.values]
    groups: dict[str, ElectiveGroup] = {}
    codes = {cells["code"] for _number, cells in rows if cells["kind"] != GROUP_KIND and cells["code"]}
    disciplines = {d.code: d for d in Discipline.objects.filter(code__in=codes)}
    # Elective groups first: a line may name a group declared below it.
    for number, cells in rows:
        if cells["kind"] != GROUP_KIND:
            continue
        errors: list[str] = []
        term = _whole(cells["term"], "term", errors)
        credits = _whole(cells["credits"], "credits", errors)
        cycle = _choice(cells["cycle"], "cycle", Cycle.values, errors)
        if not errors:
            data = GroupData(
                code=cells["code"][:20],
                term=term,
                cycle=cycle,
                credits_to_choose=credits,
                name_kk=cells["name_kk"][:255],
                name_ru=cells["name_ru"][:255],
                name_en=cells["name_en"][:255],
            )
            errors += group_errors(curriculum, data)
            if data.code in groups:
                errors.append(_("Another elective group has this code."))
            if not errors:
                groups[data.code] = ElectiveGroup(curriculum=curriculum, **vars(data))
                parsed.groups.append(data)
        parsed.errors += [(number, message) for message in errors]
    taken: set[tuple[int, str]] = set()
    for number, cells in rows:
        if cells["kind"] == GROUP_KIND:
            continue
        errors = []
        kind = _choice(cells["kind"], "kind", kinds, errors)
        term = _whole(cells["term"], "term", errors)
        credits = _whole(cells["credits"], "credits", errors)
        cycle = _choice(cells["cycle"], "cycle", Cycle.values, errors)
        component = _choice(cells["component"], "component", Component.values, errors, required=False)
        control = _choice(cells["control"], "control", Control.values, errors, required=False)
        practice_kind = _choice(cells["practice_kind"], "practice_kind", PracticeKind.values, errors, required=False)
        weeks = _whole(cells["weeks"], "weeks", errors, required=False)
        form = _choice(cells["attestation_form"], "attestation_form", AttestationForm.values, errors, required=False)
        discipline = None
        if cells["code"]:
            discipline = disciplines.get(cells["code"])
            if discipline is None:
                errors.append(_("No discipline has the code “%(code)s”.") % {"code": cells["code"][:40]})
        group_code = cells["group"]
        if group_code and group_code not in groups:
            errors.append(_("No elective group has the code “%(code)s”.") % {"code": group_code[:40]})
        if not errors:
            data = LineData(
                kind=kind,
                term=term,
                credits=credits,
                cycle=cycle,
                discipline=discipline,
                component=component,
                control=control,
                elective_group=groups.get(group_code) if group_code else None,
                practice_kind=practice_kind,
                weeks=weeks,
                attestation_form=form,
            )
            errors += line_errors(curriculum, data)
            if discipline is not None and (term, discipline.code) in taken:
                errors.append(_("This discipline is already in this term."))
            if not errors:
                if discipline is not None:
                    taken.add((term, discipline.code))
                data.elective_group = None
                parsed.lines.append((data, group_code))
        parsed.errors += [(number, message) for message in errors]
    parsed.errors.sort()
    return parsed
