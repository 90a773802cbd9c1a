"""A curriculum as an Excel sheet: exported, read back equal, imported all or nothing with errors by row."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from testkit.factories import DisciplineFactory
from ustaz.core.models import AuditAction, AuditEvent
from ustaz.curricula import services, workbook
from ustaz.curricula.models import Component, Control, Cycle, LineKind

from .conftest import discipline_line, make_valid


def rich_curriculum(office):
    """Every kind of row: disciplines, an elective group with options, a practice, the attestation; a group
    name that a spreadsheet would run as a formula."""
    curriculum = make_valid(actor=office)
    curriculum.lines.filter(term=4).update(credits=22)
    group = services.group_save(
        curriculum=curriculum,
        data=services.GroupData(
            code="E4",
            term=4,
            cycle=Cycle.BASIC,
            credits_to_choose=5,
            name_kk='=HYPERLINK("http://evil.example","таңдау")',
            name_ru="+7 выбор",
            name_en="'quoted",
        ),
    )
    for _ in range(2):
        discipline_line(curriculum, 4, Cycle.BASIC, 5, component=Component.ELECTIVE, elective_group=group)
    services.line_save(
        curriculum=curriculum,
        data=services.LineData(
            kind=LineKind.PRACTICE,
            term=4,
            credits=3,
            cycle=Cycle.BASIC,
            component=Component.COMPULSORY,
            control=Control.DIFFERENTIATED_CREDIT,
            practice_kind="educational",
            weeks=2,
            discipline=DisciplineFactory(name_kk="@SUM(A1)", name_ru="-1", name_en="\tTab"),
        ),
    )
    assert services.curriculum_problems(curriculum) == []
    return curriculum


def sheet_values(content: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def upload(content: bytes, name="curriculum.xlsx"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def workbook_of(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(workbook.COLUMNS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_exported_curriculum_imported_into_another_draft_exports_equal(office, as_user):
    source = rich_curriculum(office)
    client = as_user(office)
    exported = client.get(f"/curricula/{source.pk}/export.xlsx")
    assert exported.status_code == 200 and exported["Content-Disposition"].endswith('.xlsx"')
    target = services.curriculum_create(programme=source.programme, admission_year=2030, terms=8, actor=office)
    response = client.post(f"/curricula/{target.pk}/import/", {"file": upload(exported.content)})
    assert response.status_code == 302
    again = client.get(f"/curricula/{target.pk}/export.xlsx").content
    rows = sheet_values(exported.content)
    assert sheet_values(again) == rows
    assert rows[0] == tuple(workbook.COLUMNS)
    assert len(rows) == 1 + 1 + source.lines.count()
    # The data is the same, not only its cells.
    assert services.curriculum_problems(target) == []
    fields = ("kind", "term", "credits", "cycle", "component", "control", "practice_kind", "weeks", "attestation_form")
    assert sorted(target.lines.values_list(*fields, "discipline", "elective_group__code")) == sorted(
        source.lines.values_list(*fields, "discipline", "elective_group__code")
    )
    group = target.elective_groups.get()
    assert group.name_kk.startswith("=HYPERLINK") and group.name_ru == "+7 выбор" and group.name_en == "'quoted"
    assert AuditEvent.objects.filter(action=AuditAction.CURRICULUM_IMPORTED, target_id=str(target.pk)).exists()


def test_the_export_writes_no_formula(office):
    content = workbook.curriculum_xlsx(rich_curriculum(office))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert all(cell.data_type == "s" for cell in cells)
    texts = {cell.value for cell in cells}
    assert '\'=HYPERLINK("http://evil.example","таңдау")' in texts
    assert {"'+7 выбор", "''quoted", "'@SUM(A1)", "'-1", "'\tTab"} <= texts
    assert not any(text.startswith(workbook.FORMULA_STARTS) for text in texts)


def test_a_file_with_errors_changes_nothing_and_names_each_row(office, as_user):
    curriculum = make_valid(actor=office)
    before = sorted(curriculum.lines.values_list("pk", flat=True))
    known = DisciplineFactory(code="KNOWN1")
    content = workbook_of(
        [
            ["elective_group", 3, "E3", "Таңдау", "", "", 5, "basic"],
            ["discipline", 1, "KNOWN1", "", "", "", 30, "general", "compulsory", "exam"],
            ["discipline", 2, "NOPE", "", "", "", 30, "general", "compulsory", "exam"],
            ["discipline", 3, "KNOWN1", "", "", "", "five", "basic", "compulsory", "exam"],
            ["discipline", 9, "KNOWN1", "", "", "", 5, "basic", "sometimes", "exam"],
            ["discipline", 4, "KNOWN1", "", "", "", 5, "basic", "elective", "exam", "E9"],
            ["practice", 5, "", "", "", "", 5, "general", "compulsory", "", "", "educational"],
            ["discipline", 1, "KNOWN1", "", "", "", 5, "general", "compulsory", "exam"],
            ["banana", 1],
        ]
    )
    response = as_user(office).post(f"/curricula/{curriculum.pk}/import/", {"file": upload(content)})
    assert response.status_code == 400
    errors = response.context["errors"]
    rows = {row for row, _message in errors}
    assert rows == {4, 5, 6, 7, 8, 9, 10}  # the group (row 2) and the first line (row 3) are right
    messages = dict((row, message) for row, message in errors)
    assert messages[4] == "No discipline has the code “NOPE”."
    assert messages[5] == "credits: “five” is not a whole number."
    assert "component: “sometimes” is not one of: compulsory, university, elective." in [m for r, m in errors if r == 6]
    assert messages[7] == "No elective group has the code “E9”."
    assert "A practice counts in the basic or the profiling cycle." in [m for r, m in errors if r == 8]
    assert "A practice lasts from 1 to 52 weeks." in [m for r, m in errors if r == 8]
    assert messages[9] == "This discipline is already in this term."
    assert "The file has 10 errors; nothing was changed." in response.content.decode()
    assert sorted(curriculum.lines.values_list("pk", flat=True)) == before
    assert not curriculum.elective_groups.exists() and known.curriculum_lines.count() == 0


def test_a_file_too_large_too_long_or_not_a_workbook_is_refused(office, as_user, settings):
    curriculum = make_valid(actor=office)
    client = as_user(office)
    url = f"/curricula/{curriculum.pk}/import/"
    settings.CURRICULA_IMPORT_MAX_ROWS = 3
    rows = [["discipline", 1, "X", "", "", "", 5, "general", "compulsory", "exam"]] * 4
    response = client.post(url, {"file": upload(workbook_of(rows))})
    assert response.status_code == 400 and response.context["errors"] == [(1, "The file has more than 3 rows.")]
    settings.CURRICULA_IMPORT_MAX_KB = 1
    response = client.post(url, {"file": upload(b"x" * 2048)})
    assert response.status_code == 400 and "The file is larger than 1 KB." in response.content.decode()
    settings.CURRICULA_IMPORT_MAX_KB = 512
    response = client.post(url, {"file": upload(b"PK\x03\x04 not really a zip")})
    assert response.context["errors"] == [(1, "This file could not be read as an Excel workbook (.xlsx).")]
    book = openpyxl.Workbook()
    book.active.append(["kind", "term"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = client.post(url, {"file": upload(buffer.getvalue())})
    assert response.context["errors"][0][1].startswith("Missing columns: code, name_kk")
    assert curriculum.lines.count() == 11


def test_the_read_limits_apply_to_the_parser_itself(office, settings):
    curriculum = make_valid(actor=office)
    settings.CURRICULA_IMPORT_MAX_KB = 1
    parsed = workbook.parse_curriculum(curriculum, b"x" * 2048)
    assert parsed.errors == [(1, "The file is larger than 1 KB.")] and not parsed.lines


def test_a_workbook_that_unpacks_to_far_more_than_its_size_is_refused_before_it_is_parsed(office, settings):
    from testkit.fuzz import bounded_memory

    curriculum = make_valid(actor=office)
    import zipfile

    small = workbook_of([["elective_group", 3, "E3", "Таңдау", "", "", 5, "basic"]])
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(small)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        for member in source.infolist():
            data = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", b" " * 4_000_000 + b"</worksheet>")
            bomb.writestr(member.filename, data)
    content = buffer.getvalue()
    settings.CURRICULA_IMPORT_MAX_KB = 64
    assert len(content) < 64 * 1024
    with bounded_memory(256):
        parsed = workbook.parse_curriculum(curriculum, content)
    assert parsed.errors == [
        (1, "The workbook unpacks to more than its size allows; save it again without extra content.")
    ]


def test_a_number_in_other_digits_is_an_error_by_row_not_a_crash():
    errors: list[str] = []
    assert workbook._whole("²", "term", errors) is None  # "²".isdigit() is true, int("²") raises
    assert errors and "term" in errors[0]


def test_the_new_line_form_ignores_a_term_that_is_no_number(office, as_user):
    curriculum = make_valid(actor=office)
    response = as_user(office).get(f"/curricula/{curriculum.pk}/lines/new/?term=²")
    assert response.status_code == 200


def test_a_name_with_a_control_character_is_exported_without_it(office):
    curriculum = make_valid(actor=office)
    services.group_save(
        curriculum=curriculum,
        data=services.GroupData(code="E9", term=1, cycle=Cycle.GENERAL, credits_to_choose=5, name_kk="Таңдау\x07"),
    )
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.curriculum_xlsx(curriculum))).worksheets[0]
    assert "Таңдау" in {cell.value for row in sheet.iter_rows() for cell in row}
