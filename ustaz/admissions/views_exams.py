"""Creative exams (scoring sheets, publishing, joining, recordings), the competitive list and the decision."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ustaz.core.files import serve_private_file
from ustaz.core.numbers import parse_decimal
from ustaz.live import providers

from . import access, exams, ranking
from .models import Application, CreativeExam, ExamFormat, ExamScore, Offer, Status


@login_required
def exam(request: HttpRequest, pk: int) -> HttpResponse:
    """The scoring sheet: every examinee with this member's points by criterion; the results once published."""
    exam = access.get_exam_to_score(request.user, pk)
    criteria = list(exam.criteria.all())
    examinees = list(exams.examinees(exam))
    sheets = exams.score_sheets(exam, examinees)
    recordings = {r.application_id: r for r in exam.recordings.all()}
    results = {r.application_id: r for r in exam.results.all()}
    can_score = exams.can_score(request.user, exam)
    for application in examinees:
        mine = sheets.get(application.pk, {}).get(request.user.pk, {})
        application.cells = [(c, mine.get(c.pk)) for c in criteria]
        application.members_scored = len(sheets.get(application.pk, {}))
        application.recording = recordings.get(application.pk)
        application.result = results.get(application.pk)
        application.my_total = sum(mine.values(), Decimal(0)) if mine else None
    return render(
        request,
        "admissions/exam.html",
        {
            "exam": exam,
            "criteria": criteria,
            "examinees": examinees,
            "can_score": can_score and exam.published_at is None,
            "can_publish": (can_score or access.is_office(request.user)) and exam.published_at is None,
            "members": exam.offer.campaign.commission.count(),
        },
    )


@login_required
@require_POST
def exam_score(request: HttpRequest, pk: int, application_pk: int) -> HttpResponse:
    exam = access.get_exam_to_score(request.user, pk)
    if not exams.can_score(request.user, exam):
        raise PermissionDenied
    application = get_object_or_404(Application, pk=application_pk, offer_id=exam.offer_id)
    points: dict[int, Decimal | None] = {}
    column = ExamScore._meta.get_field("points")
    try:
        for criterion in exam.criteria.all():
            raw = request.POST.get(f"c{criterion.pk}", "").strip()
            # Bounded to the column (1e30, NaN and Infinity refused), not only to the criterion's maximum.
            points[criterion.pk] = (
                parse_decimal(raw, max_digits=column.max_digits, decimal_places=column.decimal_places) if raw else None
            )
    except ValidationError as error:
        messages.error(request, _("Points are numbers, such as 8 or 7.5.") + " " + " ".join(error.messages))
        return redirect("admissions:exam", pk=pk)
    try:
        exams.scores_save(exam=exam, application=application, member=request.user, points=points)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Scores of %(name)s saved.") % {"name": application.applicant.full_name})
    return redirect(f"{exam_url(exam)}#a{application.pk}")


def exam_url(exam: CreativeExam) -> str:
    return reverse("admissions:exam", args=[exam.pk])


@login_required
@require_POST
def exam_publish(request: HttpRequest, pk: int) -> HttpResponse:
    exam = access.get_exam_to_score(request.user, pk)
    if not exams.can_publish(request.user, exam):
        raise PermissionDenied
    try:
        results = exams.results_publish(exam=exam, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Results published: %(n)d.") % {"n": len(results)})
    return redirect("admissions:exam", pk=pk)


@login_required
@require_POST
def exam_join(request: HttpRequest, pk: int) -> HttpResponse:
    """Into the exam's conference: an examinee of its programme, or its commission (as moderators)."""
    exam = get_object_or_404(CreativeExam.objects.select_related("offer__campaign", "offer__programme"), pk=pk)
    member = exams.can_publish(request.user, exam)
    sitting = Application.objects.filter(applicant=request.user, offer_id=exam.offer_id, status=Status.CHECKED).exists()
    if not (member or sitting):
        raise Http404
    if exam.format != ExamFormat.ONLINE:
        raise Http404
    try:
        url = providers.enter(
            provider=exam.provider,
            meeting_id=exam.meeting_id,
            full_name=request.user.full_name or request.user.username,
            email=request.user.email,
            user_id=str(request.user.pk),
            moderator=member,
            valid_for=(exam.duration_minutes + 120) * 60,
            link=exam.link,
            not_started=_("The commission has not opened the exam yet. Try again in a minute."),
            create={
                "name": f"{exam.offer.programme}: {exam.title}"[:250],
                "welcome": _("Welcome to %(title)s.") % {"title": exam.title},
                "record": True,
                "logout_url": request.build_absolute_uri(exam_url(exam)),
                "duration_minutes": exam.duration_minutes + 60,
            },
        )
    except providers.ConferenceError as error:
        messages.error(request, str(error))
        return redirect("admissions:home")
    return redirect(url)


@login_required
@require_POST
def recording_upload(request: HttpRequest, pk: int, application_pk: int) -> HttpResponse:
    application = access.get_own_application(request.user, application_pk)
    exam = get_object_or_404(CreativeExam, pk=pk, offer_id=application.offer_id)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file."))
    else:
        try:
            exams.recording_add(exam=exam, application=application, upload=upload)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your recording is sent."))
    return redirect("admissions:application", pk=application.pk)


@login_required
def recording_file(request: HttpRequest, pk: int) -> HttpResponse:
    recording = access.get_recording_for(request.user, pk)
    return serve_private_file(
        recording.file,
        filename=recording.name,
        content_type=recording.content_type,
        inline=request.GET.get("inline") == "1",
        request=request,
    )


# --- The competitive list and the decision -----------------------------------------------------------------


def _offer_for(request: HttpRequest, pk: int) -> Offer:
    if not access.is_reviewer(request.user):
        raise Http404
    return get_object_or_404(
        Offer.objects.select_related("campaign", "programme").filter(campaign__in=access.campaigns_for(request.user)),
        pk=pk,
    )


@login_required
def offer_ranking(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _offer_for(request, pk)
    can_decide = access.can_decide(request.user)
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied
        try:
            order_date = datetime.date.fromisoformat(request.POST.get("order_date", ""))
        except ValueError:
            messages.error(request, _("Give the order's date."))
            return redirect("admissions:ranking", pk=pk)
        try:
            admitted = [int(v) for v in request.POST.getlist("admit")]
        except ValueError:
            raise Http404 from None
        try:
            decision = ranking.decision_record(
                offer=offer,
                order_number=request.POST.get("order_number", ""),
                order_date=order_date,
                admitted=admitted,
                by=request.user,
                close=request.POST.get("close") == "on",
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Order No. %(number)s recorded.") % {"number": decision.order_number})
        return redirect("admissions:ranking", pk=pk)
    rows = ranking.ranking(offer)
    for row in rows:
        row.application.masked_iin = access.mask_iin(row.application.iin)
    open_rows = [r for r in rows if r.application.status == Status.EXAMINED]
    return render(
        request,
        "admissions/ranking.html",
        {
            "offer": offer,
            "rows": rows,
            "exams": list(offer.exams.all()),
            "can_decide": can_decide and bool(open_rows),
            "decisions": list(offer.decisions.order_by("order_date", "pk")),
            "admitted": sum(1 for r in rows if r.application.status in (Status.ADMITTED, Status.ENROLLED)),
            "tie_breaks": [ranking.TIE_BREAK_LABELS[name] for name in ranking.tie_breaks()]
            + [ranking.TIE_BREAK_LABELS["number"]],
        },
    )


@login_required
def decision_pdf(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    """The list of applicants the order admits, in Kazakh or Russian."""
    if language not in ranking.LIST_LANGUAGES:
        raise Http404
    decision = access.get_decision_for(request.user, pk)
    response = HttpResponse(ranking.admitted_list_pdf(decision, language), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="admitted-{decision.pk}-{language}.pdf"'
    return response
