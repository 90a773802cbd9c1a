"""The gradebook's part of the student's file (docs/decisions/0016-student-file.md): the transcript so far,
term by term with the GPAs, for every reader of the file; the PDF for those grades already serves it to."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ustaz.academics import access as academics_access
from ustaz.academics.student_file import Section

from . import selectors


def transcript_context(viewer, record) -> dict:
    terms = selectors.transcript(record.student)
    return {
        "terms": terms,
        "cumulative_gpa": terms[-1].cumulative_gpa if terms else None,
        "credits": sum(t.credits for t in terms),
        # grades:my_transcript for the student, grades:transcript for the office (grades.access).
        "pdf_own": record.student_id == viewer.pk,
        "pdf_office": academics_access.can_manage_structure(viewer),
    }


TRANSCRIPT = Section(
    key="transcript",
    title=_("Transcript so far"),
    template="grades/file/_transcript.html",
    context=transcript_context,
    order=60,
)
