from __future__ import annotations

import datetime
import json
import math
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ustaz.academics import access as academics_access
from ustaz.academics.models import Course, Discipline
from ustaz.core.addresses import client_address
from ustaz.core.files import serve_private_file
from ustaz.core.numbers import parse_decimal

from . import access, bounds, importers, selectors, services
from .forms import BankImportForm, TestForm
from .models import (
    Answer,
    Attempt,
    AttemptEvent,
    AttemptStatus,
    Bank,
    EventKind,
    ImportStatus,
    Question,
    ReviewPolicy,
    Section,
    Test,
    TextFormat,
)

TF_CHOICES = [("true", gettext_lazy("true")), ("false", gettext_lazy("false"))]


def _ip(request: HttpRequest) -> str | None:
    return client_address(request)


def _session(request: HttpRequest) -> str:
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key or ""


# --- Banks -------------------------------------------------------------------------------------------------


@login_required
def banks(request: HttpRequest) -> HttpResponse:
    if academics_access.can_manage_structure(request.user):
        disciplines = Discipline.objects.all()
    else:
        disciplines = Discipline.objects.filter(courses__teachers=request.user).distinct()
    if not disciplines.exists():
        raise Http404
    if request.method == "POST":
        discipline = get_object_or_404(disciplines, pk=request.POST.get("discipline"))
        bank = Bank.objects.create(
            discipline=discipline, name=request.POST.get("name", "").strip() or discipline.name, created_by=request.user
        )
        return redirect("quizzes:bank", pk=bank.pk)
    return render(
        request,
        "quizzes/banks.html",
        {
            "banks": selectors.banks_for(disciplines),
            "disciplines": disciplines.order_by("code"),
        },
    )


@login_required
def bank(request: HttpRequest, pk: int) -> HttpResponse:
    bank = access.get_bank_for(request.user, pk)
    form = BankImportForm(request.POST or None, request.FILES or None)
    errors, job = [], None
    if request.method == "POST" and form.is_valid():
        try:
            job = services.bank_import_queue(
                bank=bank,
                category=form.cleaned_data["category"],
                upload=form.cleaned_data["file"],
                fmt=form.cleaned_data["format"],
                encoding=form.cleaned_data["encoding"],
                by=request.user,
                language=request.LANGUAGE_CODE,
            )
        except importers.ImportErrors as failed:
            errors = failed.errors
        else:
            return redirect(f"{reverse('quizzes:bank', args=[bank.pk])}?import={job.pk}")
    elif request.method == "GET" and re.fullmatch(r"[0-9]{1,18}", request.GET.get("import", "")):
        job = access.get_bank_import_for(request.user, bank.pk, int(request.GET["import"]))
    return render(
        request,
        "quizzes/bank.html",
        {
            "bank": bank,
            "categories": selectors.bank_categories(bank),
            "questions": list(bank.questions.filter(is_archived=False).select_related("current", "category")[:500]),
            "form": form,
            "errors": errors,
            "job": job,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def bank_import_status(request: HttpRequest, pk: int, import_pk: int) -> HttpResponse:
    """The progress of an import, polled by the bank's page while the worker reads the file."""
    job = access.get_bank_import_for(request.user, pk, import_pk)
    response = render(request, "quizzes/_import.html", {"bank": job.bank, "job": job})
    if job.status == ImportStatus.DONE and request.htmx:
        response["HX-Refresh"] = "true"  # the page again, with the questions imported
    return response


@login_required
def bank_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The bank in a format its import reads back: GIFT and Moodle XML every kind they hold (with categories,
    formats and feedback), the Excel template its kinds, Platonus and Aiken the single-choice questions."""
    bank = access.get_bank_for(request.user, pk)
    questions = [
        importers.Parsed(
            q.kind,
            q.current.text,
            q.current.data,
            0,
            feedback=q.current.feedback,
            points=q.current.points,
            text_format=q.current.text_format,
            category=q.category.name,
        )
        for q in bank.questions.filter(is_archived=False).select_related("current", "category").order_by("pk")
        if q.current is not None
    ]
    if fmt == "gift":
        body, ext, kind = importers.gift_export(questions), "gift.txt", "text/plain"
    elif fmt == "moodle_xml":
        body, ext, kind = importers.moodle_xml_export(questions), "xml", "application/xml"
    elif fmt == "platonus":
        body, ext, kind = importers.platonus_export(questions), "platonus.txt", "text/plain"
    elif fmt == "aiken":
        body, ext, kind = importers.aiken_export(questions), "aiken.txt", "text/plain"
    elif fmt == "xlsx":
        response = HttpResponse(
            importers.xlsx_export(questions),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="bank-{bank.pk}.xlsx"'
        return response
    else:
        raise Http404
    response = HttpResponse(body.encode(), content_type=f"{kind}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bank-{bank.pk}.{ext}"'
    return response


@login_required
def xlsx_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        importers.xlsx_template(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="ustaz-questions.xlsx"'
    return response


@login_required
def question_edit(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    """Change a question's text, points or key: a new version (attempts already given keep theirs)."""
    bank = access.get_bank_for(request.user, pk)
    question = get_object_or_404(Question.objects.select_related("current"), pk=question_pk, bank=bank)
    current = question.current
    invalid = False
    if request.method == "POST":
        data = dict(current.data)
        kind = question.kind
        try:
            points = _number(_("Points"), bounds.points, request.POST.get("points", "1"))
            if kind == "single":
                data["correct"] = int(request.POST["correct"])
            elif kind == "multiple":
                data["correct"] = sorted(int(v) for v in request.POST.getlist("correct"))
            elif kind == "truefalse":
                data["correct"] = request.POST.get("correct") == "true"
            elif kind == "short":
                data["answers"] = [a.strip() for a in request.POST.get("answers", "").splitlines() if a.strip()]
            elif kind == "numeric":
                data["answer"] = _number(_("Answer"), bounds.key_number, request.POST["answer"])
                data["tolerance"] = _number(_("Tolerance"), bounds.tolerance, request.POST.get("tolerance", "0"))
            text = request.POST.get("text", "").strip()
            tags = sorted({t.strip() for t in request.POST.get("tags", "").split(",") if t.strip()})
            if not text or (kind == "short" and not data["answers"]) or (kind == "multiple" and not data["correct"]):
                raise ValueError
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            invalid = True
        except (KeyError, ValueError):
            messages.error(request, _("Fill in the question, its points and its key."))
            invalid = True
        else:
            try:
                option_media = {
                    i: request.FILES[f"option_media_{i}"]
                    for i in range(len(current.data.get("options", [])))
                    if f"option_media_{i}" in request.FILES
                }
                services.question_edit(
                    question=question,
                    text=text,
                    data=data,
                    points=points,
                    by=request.user,
                    media=request.FILES.get("media"),
                    option_media=option_media,
                    text_format=request.POST.get("text_format"),
                    feedback=request.POST["feedback"].strip() if "feedback" in request.POST else None,
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                invalid = True
            else:
                Question.objects.filter(pk=question.pk).update(tags=tags)
                messages.success(request, _("Saved as a new version; attempts already taken keep the old one."))
                return redirect("quizzes:bank", pk=bank.pk)
    return render(
        request,
        "quizzes/question_form.html",
        {
            "bank": bank,
            "question": question,
            "version": current,
            "options": list(enumerate(current.data.get("options", []))),
            "text_formats": TextFormat.choices,
        },
        status=400 if invalid else 200,
    )


def _number(label: str, check, value):
    """A number of the question form through its bound (bounds.py), its errors named by the field."""
    try:
        return check(value)
    except ValidationError as error:
        raise ValidationError(_("%(field)s: %(error)s") % {"field": label, "error": " ".join(error.messages)}) from None


@login_required
def question_media(request: HttpRequest, attempt_pk: int, position: int) -> HttpResponse:
    """The recording or picture of a question, for the attempt's student and the course's teachers."""
    attempt = access.get_attempt_for(request.user, attempt_pk)
    answer = get_object_or_404(Answer.objects.select_related("version"), attempt=attempt, position=position)
    version = answer.version
    if not version.media:
        raise Http404
    return serve_private_file(
        version.media,
        filename=version.media.name.rsplit("/", 1)[-1],
        content_type=version.media_type,
        inline=True,
        request=request,
    )


@login_required
def option_media(request: HttpRequest, attempt_pk: int, position: int, option: int) -> HttpResponse:
    attempt = access.get_attempt_for(request.user, attempt_pk)
    answer = get_object_or_404(Answer.objects.select_related("version"), attempt=attempt, position=position)
    item = (answer.version.data.get("option_media") or {}).get(str(option))
    if not item:
        raise Http404
    field = answer.version.media.field.attr_class(answer.version, answer.version.media.field, item["name"])
    return serve_private_file(
        field, filename=item["name"].rsplit("/", 1)[-1], content_type=item["type"], inline=True, request=request
    )


@login_required
@require_POST
def regrade(request: HttpRequest, pk: int, test_pk: int, question_pk: int) -> HttpResponse:
    test = access.get_test_to_manage_for(request.user, pk, test_pk)
    question = get_object_or_404(Question.objects.select_related("current"), pk=question_pk)
    if not access.can_manage_bank(request.user, question.bank):
        raise Http404
    count = services.regrade(test=test, question=question, by=request.user)
    messages.success(request, _("%(count)d answers regraded with the current key.") % {"count": count})
    return redirect("quizzes:test", pk=pk, test_pk=test_pk)


# --- Tests -------------------------------------------------------------------------------------------------


@login_required
def course_tests(request: HttpRequest, pk: int) -> HttpResponse:
    course = academics_access.get_course_for(request.user, pk)
    return render(
        request,
        "quizzes/course.html",
        {
            "course": course,
            "tests": list(Test.objects.filter(course=course).order_by("opens_at", "pk")),
            "can_manage": academics_access.can_edit_course_content(request.user, course),
            "can_open_essays": access.can_open_essay_queue(request.user),
        },
    )


def _edit(request: HttpRequest, course: Course, test: Test) -> HttpResponse:
    form = TestForm(request.POST or None, instance=test, course=course)
    if request.method == "POST" and form.is_valid():
        test = form.save(commit=False)
        test.course = course
        test.created_by = test.created_by or request.user
        test.save()
        Section.objects.filter(test=test).delete()
        Section.objects.bulk_create([Section(test=test, category=c, count=n) for c, n in form.cleaned_data["sections"]])
        messages.success(request, _("Test saved."))
        return redirect("quizzes:test", pk=course.pk, test_pk=test.pk)
    return render(request, "quizzes/test_form.html", {"course": course, "form": form, "test": test})


@login_required
def test_create(request: HttpRequest, pk: int) -> HttpResponse:
    course = academics_access.get_course_to_edit_for(request.user, pk)
    now = timezone.now().replace(second=0, microsecond=0)
    return _edit(
        request,
        course,
        Test(course=course, opens_at=now, closes_at=now + datetime.timedelta(days=7), review=ReviewPolicy.AFTER_CLOSE),
    )


@login_required
def test_edit(request: HttpRequest, pk: int, test_pk: int) -> HttpResponse:
    test = access.get_test_to_manage_for(request.user, pk, test_pk)
    return _edit(request, test.course, test)


@login_required
def test(request: HttpRequest, pk: int, test_pk: int) -> HttpResponse:
    test = access.get_test_for(request.user, pk, test_pk)
    context = {"course": test.course, "test": test, "now": timezone.now()}
    if test.can_manage:
        context.update(selectors.test_results(test))
    if test.course.is_enrolled:
        opens, closes, extra = services.window(test, request.user)
        mine = list(Attempt.objects.filter(test=test, student=request.user).order_by("number"))
        context.update(
            {
                "mine": mine,
                "open_attempt": next((a for a in mine if a.status == AttemptStatus.OPEN), None),
                "opens": opens,
                "closes": closes,
                "extra": extra,
                "left": services.attempts_left(test, request.user),
                "review_open": selectors.review_open(test, timezone.now()),
            }
        )
    return render(request, "quizzes/test.html", context)


@login_required
@require_POST
def start(request: HttpRequest, pk: int, test_pk: int) -> HttpResponse:
    test = access.get_test_for(request.user, pk, test_pk)
    if not test.course.is_enrolled:
        raise PermissionDenied
    try:
        attempt = services.attempt_start(
            test=test, student=request.user, session_key=_session(request), ip=_ip(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("quizzes:test", pk=pk, test_pk=test_pk)
    return redirect("quizzes:attempt", attempt_pk=attempt.pk)


# --- Attempts ----------------------------------------------------------------------------------------------


@login_required
def attempt(request: HttpRequest, attempt_pk: int) -> HttpResponse:
    attempt = access.get_own_attempt_for(request.user, attempt_pk)
    if attempt.status != AttemptStatus.OPEN:
        return redirect("quizzes:review", attempt_pk=attempt.pk)
    if attempt.session_key and attempt.session_key != _session(request):
        # Kept for the proctor; the student may take the attempt over here (a crashed browser is no way back).
        AttemptEvent.objects.create(attempt=attempt, kind=EventKind.OTHER_DEVICE, ip_address=_ip(request))
        return render(
            request,
            "quizzes/take_over.html",
            {"attempt": attempt, "test": attempt.test, "course": attempt.test.course},
            status=409,
        )
    return render(
        request,
        "quizzes/attempt.html",
        {
            "attempt": attempt,
            "test": attempt.test,
            "course": attempt.test.course,
            "questions": selectors.attempt_questions(attempt, with_keys=False),
            "seconds_left": max(0, int((attempt.deadline - timezone.now()).total_seconds())),
            "tf_choices": TF_CHOICES,
            "strings": {
                "saved": _("Saved"),
                "saving": _("Saving…"),
                "unsaved": _("Not saved yet: the connection is lost. Your answers are kept here and sent again."),
                "timeUp": _("The time is up; the attempt is closed and graded."),
                "confirmSubmit": _("Submit the attempt? You cannot change the answers afterwards."),
                "otherDevice": _(
                    "This attempt is open in another browser or device: reload this page to go on with it here."
                ),
            },
        },
    )


@login_required
@require_POST
def take_over(request: HttpRequest, attempt_pk: int) -> HttpResponse:
    attempt = access.get_own_attempt_for(request.user, attempt_pk)
    try:
        services.attempt_take_over(attempt=attempt, session_key=_session(request), ip=_ip(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("quizzes:test", pk=attempt.test.course_id, test_pk=attempt.test_id)
    messages.info(request, _("The attempt goes on in this browser; the other one can no longer save answers."))
    return redirect("quizzes:attempt", attempt_pk=attempt.pk)


def _no_constant(name: str):
    raise ValueError(name)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e309
        raise ValueError(text)
    return value


@login_required
@require_POST
def save(request: HttpRequest, attempt_pk: int) -> JsonResponse:
    attempt = access.get_own_attempt_for(request.user, attempt_pk)
    try:
        # NaN and Infinity are no JSON (PostgreSQL refuses them in a JSON column): the request is refused.
        data = json.loads(request.body or b"{}", parse_constant=_no_constant, parse_float=_finite_float)
        position = int(data["position"])
    except (ValueError, KeyError, TypeError, RecursionError):
        return JsonResponse({"error": _("The request could not be read.")}, status=400)
    try:
        answer = services.answer_save(
            attempt=attempt,
            position=position,
            response=data.get("response"),
            flagged=data.get("flagged"),
            session_key=_session(request),
            ip=_ip(request),
        )
    except PermissionDenied as error:
        return JsonResponse({"error": str(error)}, status=409)
    except ValidationError as error:
        status = 410 if getattr(error, "code", "") == "closed" else 400
        return JsonResponse({"error": " ".join(error.messages)}, status=status)
    return JsonResponse({"position": position, "saved_at": answer.saved_at.isoformat()})


@login_required
@require_POST
def event(request: HttpRequest, attempt_pk: int) -> JsonResponse:
    attempt = access.get_own_attempt_for(request.user, attempt_pk)
    kind = request.POST.get("kind") or json.loads(request.body or b"{}").get("kind")
    if kind not in (EventKind.FOCUS_LOST, EventKind.FOCUS_BACK) or attempt.status != AttemptStatus.OPEN:
        return JsonResponse({"ok": False}, status=400)
    AttemptEvent.objects.create(attempt=attempt, kind=kind, ip_address=_ip(request))
    return JsonResponse({"ok": True})


@login_required
@require_POST
def submit(request: HttpRequest, attempt_pk: int) -> HttpResponse:
    attempt = access.get_own_attempt_for(request.user, attempt_pk)
    services.attempt_finish(attempt=attempt, ip=_ip(request))
    messages.success(request, _("Submitted."))
    return redirect("quizzes:review", attempt_pk=attempt.pk)


@login_required
def review(request: HttpRequest, attempt_pk: int) -> HttpResponse:
    attempt = access.get_attempt_for(request.user, attempt_pk)
    test = attempt.test
    if attempt.status == AttemptStatus.OPEN and not test.can_manage:
        return redirect("quizzes:attempt", attempt_pk=attempt.pk)
    show = test.can_manage or selectors.review_open(test, timezone.now())
    return render(
        request,
        "quizzes/review.html",
        {
            "attempt": attempt,
            "test": test,
            "course": test.course,
            "show": show,
            "questions": selectors.attempt_questions(attempt, with_keys=show) if show else [],
            "events": list(attempt.events.all()) if test.can_manage else [],
            "tf_choices": TF_CHOICES,
            "passed": bool(attempt.max_score)
            and attempt.score is not None
            and attempt.score * 100 >= attempt.max_score * test.pass_percent,
        },
    )


@login_required
def essays(request: HttpRequest) -> HttpResponse:
    """Attempts waiting for an essay to be graded, in the tests of the courses the person teaches, oldest first."""
    if not access.can_open_essay_queue(request.user):
        raise PermissionDenied
    return render(request, "quizzes/essays.html", {"attempts": selectors.essay_queue(request.user)})


@login_required
@require_POST
def essay_grade(request: HttpRequest, attempt_pk: int, position: int) -> HttpResponse:
    attempt = access.get_attempt_for(request.user, attempt_pk)
    if not attempt.test.can_manage:
        raise PermissionDenied
    answer = get_object_or_404(Answer.objects.select_related("version"), attempt=attempt, position=position)
    field = Answer._meta.get_field("points")
    try:
        points = parse_decimal(
            request.POST.get("points", ""), max_digits=field.max_digits, decimal_places=field.decimal_places
        )
        services.essay_grade(answer=answer, points=points, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("quizzes:review", attempt_pk=attempt.pk)
