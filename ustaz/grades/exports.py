"""The journal as an Excel workbook (openpyxl), in the reader's language. Every row goes through
``xlsx_append``: a name that begins with "=" is text, never a formula."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from ustaz.core.tables import xlsx_append

from .models import GradeItem
from .rules import TRADITIONAL_LABELS
from .selectors import JournalRow


def journal_xlsx(*, course_title: str, items: list[GradeItem], rows: list[JournalRow]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Journal")[:31]
    xlsx_append(sheet, [course_title])
    sheet["A1"].font = Font(bold=True)
    header = (
        [_("Student"), _("Login")]
        + [f"{i.title} (/{i.max_points.normalize():f})" for i in items]
        + ["R1", "R2", _("AR"), _("Admission"), _("Final"), _("Letter"), _("GPA points")]
    )
    xlsx_append(sheet, header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        result = row.standing.result
        admitted = "" if result is None else (_("admitted") if result.admitted else _("not admitted"))
        xlsx_append(
            sheet,
            [row.student.full_name, row.student.username]
            + [float(p) if p is not None else None for p in row.points]
            + [
                float(row.standing.r1) if row.standing.r1 is not None else None,
                float(row.standing.r2) if row.standing.r2 is not None else None,
                float(result.admission_rating) if result else None,
                admitted,
                float(result.final_score) if result and result.final_score is not None else None,
                result.letter.letter if result and result.letter else None,
                float(result.letter.points) if result and result.letter else None,
            ],
        )
    sheet.freeze_panes = "C3"
    sheet.column_dimensions["A"].width = 34
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def statement_context(*, course, group, rows, title: str = "") -> dict:
    from django.utils import timezone

    return {
        "course": course,
        "title": title or _("Exam statement"),
        "group": group,
        "rows": rows,
        "today": timezone.localdate(),
        "teachers": list(course.teachers.order_by("last_name")),
    }


def statement_pdf(*, course, group, rows, title: str = "") -> bytes:
    """The group's exam statement (ведомость) as PDF, in the reader's language."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string(
        "grades/statement_pdf.html", statement_context(course=course, group=group, rows=rows, title=title)
    )
    return HTML(string=html).write_pdf()


def statement_xlsx(*, course, group, rows, title: str = "") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Exam statement")[:31]
    xlsx_append(sheet, [title or _("Exam statement")])
    xlsx_append(sheet, [course.title, course.discipline.code, str(course.term), group.name])
    sheet["A1"].font = Font(bold=True)
    xlsx_append(sheet, [])
    xlsx_append(
        sheet,
        [
            "№",
            _("Student"),
            _("Login"),
            _("AR"),
            _("Admission"),
            _("Exam"),
            _("Final"),
            _("Letter"),
            _("GPA points"),
            _("Traditional grade"),
        ],
    )
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for n, row in enumerate(rows, start=1):
        r = row.standing.result
        letter = r.letter if r else None
        xlsx_append(
            sheet,
            [
                n,
                row.student.full_name,
                row.student.username,
                float(r.admission_rating) if r else None,
                "" if r is None else (_("admitted") if r.admitted else _("not admitted")),
                float(r.exam) if r and r.exam is not None else None,
                float(r.final_score) if r and r.final_score is not None else None,
                letter.letter if letter else None,
                float(letter.points) if letter else None,
                str(TRADITIONAL_LABELS[letter.traditional]) if letter else None,
            ],
        )
    sheet.column_dimensions["B"].width = 34
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def transcript_pdf(*, student, terms) -> bytes:
    from django.template.loader import render_to_string
    from django.utils import timezone
    from weasyprint import HTML

    html = render_to_string(
        "grades/transcript_pdf.html", {"student": student, "terms": terms, "today": timezone.localdate()}
    )
    return HTML(string=html).write_pdf()
