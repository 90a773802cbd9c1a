"""Admission's part of the student's file (docs/decisions/0016-student-file.md): the documents of the
application the student was enrolled through (if they came through admission on the platform), with links
where admission already serves them, and the supporting document of their DLT basis.

Shown to the student and to those who read every file (the office, the rector, an administrator); not to the
group's adviser: identity papers and medical or disability certificates are not an adviser's to read."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ustaz.academics import access as academics_access
from ustaz.academics.student_file import Section

from . import access
from .models import Application, ApplicationDocument, Status


def documents_context(viewer, record) -> dict | None:
    own = record.student_id == viewer.pk
    if not (own or academics_access.can_read_every_file(viewer)):
        return None
    applications = list(
        Application.objects.filter(applicant_id=record.student_id, status=Status.ENROLLED)
        .select_related("offer__programme", "offer__campaign")
        .prefetch_related(Prefetch("documents", queryset=ApplicationDocument.objects.order_by("kind", "pk")))
        .order_by("pk")
    )
    return {
        "applications": applications,
        # admissions:document serves a document to its applicant and to the reviewers of every campaign (the
        # office, the rector, an administrator: access.reviewable is everything for them).
        "links": own or access.sees_drafts(viewer),
        "basis_document": getattr(record, "basis_document", None),
        # academics:basis_document serves the basis's document to the office alone.
        "basis_link": academics_access.can_manage_bases(viewer),
        "today": timezone.localdate(),
    }


DOCUMENTS = Section(
    key="documents",
    title=_("Documents"),
    template="admissions/file/_documents.html",
    context=documents_context,
    order=70,
)
