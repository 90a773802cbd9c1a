"""Academics' parts of the student's file: the record section and the people page's link to the file
(docs/decisions/0016-student-file.md). Registered in the app's ready()."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ustaz.core.person_file import Entry

from . import access
from .models import StudentRecord
from .student_file import Section


def record_context(viewer, record: StudentRecord) -> dict:
    """What the record section shows: every reader sees the study data and how to reach the student; the
    IIN is for the student and the offices that read every file, never the adviser; the office's actions
    (the basis, the account) only for those who may take them. No query: the header's query loaded it all."""
    return {
        "shows_iin": record.student_id == viewer.pk or access.can_read_every_file(viewer),
        "may_manage": access.can_manage_bases(viewer),
    }


RECORD = Section(
    key="record",
    title=gettext_lazy("Student record"),
    template="academics/file/_record.html",
    context=record_context,
    order=10,
)


def person_entries(viewer, person) -> list[Entry]:
    """On the people page: a link to the student's file for whoever may read it (a query)."""
    if not access.can_read_every_file(viewer):
        return []
    record = StudentRecord.objects.filter(student=person).only("pk", "student_id").first()
    if record is None:
        return []
    return [Entry(label=_("Student's file"), url=reverse("academics:student_file", args=[record.pk]))]
