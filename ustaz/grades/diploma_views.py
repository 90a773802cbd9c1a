"""The diploma's result pages (docs/decisions/0020-diploma-result.md): a student's final transcript as a page and
a PDF in the language the reader chooses, and the office's honours page of a graduating group."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ustaz.core.files import content_disposition

from . import diploma


def _language(request: HttpRequest) -> str:
    """The document's language: ?language=kk|ru|en, else the reader's own (an unknown one is ignored)."""
    language = request.GET.get("language")
    return language if language in dict(settings.LANGUAGES) else translation.get_language()


@login_required
def final_transcript(request: HttpRequest, student_pk: int) -> HttpResponse:
    record = diploma.get_final_transcript_record_for(request.user, student_pk)
    language = _language(request)
    transcript = diploma.final_transcript(record)
    with translation.override(language):
        document = render_to_string("grades/diploma/_document.html", {"t": transcript})
    return render(
        request,
        "grades/diploma/final_transcript.html",
        {
            "t": transcript,
            "document": document,
            "language": language,
            "languages": settings.LANGUAGES,
            "group_honours": diploma.can_read_group_honours(request.user, record.group),
        },
    )


@login_required
def final_transcript_pdf(request: HttpRequest, student_pk: int) -> HttpResponse:
    from weasyprint import HTML

    record = diploma.get_final_transcript_record_for(request.user, student_pk)
    language = _language(request)
    transcript = diploma.final_transcript(record)
    with translation.override(language):
        document = render_to_string("grades/diploma/_document.html", {"t": transcript})
        html = render_to_string(
            "grades/diploma/final_transcript_pdf.html",
            {"document": document, "language": language, "today": timezone.localdate()},
        )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(
        f"final-transcript-{record.student.username}-{language}.pdf", inline=False
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def graduates(request: HttpRequest, group_pk: int) -> HttpResponse:
    group = diploma.get_graduating_group_for(request.user, group_pk)
    return render(request, "grades/diploma/graduates.html", {"page": diploma.graduates(group)})
