from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ustaz.academics import access as academics_access
from ustaz.accounts.models import User
from ustaz.core import tables
from ustaz.core.files import content_disposition

from . import access, cells, exports, selectors, services
from .forms import GradesImportForm, ItemForm, RetakeForm
from .models import Appeal, GradeItem, GradeSource


@login_required
def course_grades(request: HttpRequest, pk: int) -> HttpResponse:
    """The course's grades: the journal for its teachers and the office, a student's own row for a student."""
    course = academics_access.get_course_for(request.user, pk)
    if access.can_view_journal(request.user, course):
        can_edit = access.can_edit_journal(request.user, course)
        if can_edit and not course.grade_items.exists():
            services.default_items_create(course=course)
        items, rows = selectors.journal(course)
        can_approve = access.can_approve_locked_change(request.user)
        editable_ids = {i.pk for i in items if can_edit and (not i.is_closed or can_approve)}
        context = {
            "course": course,
            "items": items,
            "rows": [(row, row.cells_html(editable_ids)) for row in rows],
            "can_edit": can_edit,
            "can_approve": can_approve,
            "item_form": ItemForm() if can_edit else None,
            "retake_form": RetakeForm() if can_approve else None,
            "retakes": [i for i in items if i.attempt > 1],
            "groups": list(course.groups.order_by("name")),
        }
        return render(request, "grades/journal.html", context)
    if not course.is_enrolled:
        raise PermissionDenied
    items, rows = selectors.journal(course, student=request.user)
    row = rows[0] if rows else None
    exam = _appealable_exam(items, row)
    retake = next(
        (i for i in items if i.attempt > 1 and row and i.pk not in row.not_retaking and not i.is_closed), None
    )
    context = {
        "course": course,
        "items": items,
        "row": row,
        "retake": retake if retake and row.points[items.index(retake)] is None else None,
        "appeal": Appeal.objects.filter(item=exam, student=request.user).first() if exam else None,
        "appealable": exam and services.appeal_open_for(item=exam, student=request.user),
    }
    if context["appealable"]:
        context["appeal_deadline"] = services.appeal_deadline(context["appealable"].first_published_at)
    return render(request, "grades/my_grades.html", context)


@login_required
@require_POST
def journal_cell(request: HttpRequest, pk: int) -> HttpResponse:
    """Save one cell (HTMX): answers the cell, and the row's results out of band. A refused value stays in
    the cell, marked, with the reason; nothing else on the row changes."""
    course = access.get_journal_course_for(request.user, pk, edit=True)
    try:
        item = GradeItem.objects.get(course=course, pk=int(request.POST.get("item", "")))
        student = User.objects.get(pk=int(request.POST.get("student", "")))
    except (ValueError, GradeItem.DoesNotExist, User.DoesNotExist):
        raise Http404 from None
    typed = request.POST.get("value", "")
    can_approve = access.can_approve_locked_change(request.user)
    # The academic office may change a locked column, saying why (the reason field above the grid).
    approves = item.is_closed and can_approve
    error = None
    try:
        services.grade_post(
            item=item,
            student=student,
            points=services.parse_points(typed),
            posted_by=request.user,
            source=GradeSource.JOURNAL,
            source_ref=request.path,
            approved=approves,
            reason=request.POST.get("reason", "") if approves else "",
        )
    except ValidationError as exc:
        error = exc.messages[0]
    items, rows = selectors.journal(course, student=student)
    if not rows:
        raise Http404
    row = rows[0]
    position = next(n for n, i in enumerate(items) if i.pk == item.pk)
    editable = (not item.is_closed or can_approve) and item.pk not in row.not_retaking
    context = {
        "row": row,
        # A refused value stays in an editable cell for the teacher to correct; a locked cell shows what is kept.
        "cell": cells.cell(
            student_id=student.pk,
            item_id=item.pk,
            editable=editable,
            locked=item.is_closed,
            value=typed if error and editable else row.points[position],
            error=error,
        ),
    }
    # A refused value answers 400 (the page's script still swaps the cell in, with its reason).
    return render(request, "grades/_cell_response.html", context, status=400 if error else 200)


@login_required
@require_POST
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    course = access.get_journal_course_for(request.user, pk, edit=True)
    form = ItemForm(request.POST)
    if form.is_valid():
        try:
            services.item_create(course=course, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("grades:course", pk=pk)


@login_required
@require_POST
def item_lock(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """A teacher locks a column after its deadline; only the academic office opens it again."""
    course = access.get_journal_course_for(request.user, pk, edit=True)
    item = get_object_or_404(GradeItem, course=course, pk=item_pk)
    lock = request.POST.get("locked") == "1"
    if not lock and not access.can_approve_locked_change(request.user):
        raise PermissionDenied
    services.item_set_locked(item=item, locked=lock)
    return redirect("grades:course", pk=pk)


@login_required
@require_POST
def retake_open(request: HttpRequest, pk: int) -> HttpResponse:
    """The academic office opens the exam retake window for the course's students with FX."""
    course = access.get_journal_course_for(request.user, pk)
    if not access.can_approve_locked_change(request.user):
        raise PermissionDenied
    form = RetakeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["until"])
        item = services.exam_retake_open(
            course=course, until=form.cleaned_data["until"], opened_by=request.user, request=request
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("“%(title)s” is open to the students with FX.") % {"title": item.title})
    return redirect("grades:course", pk=pk)


@login_required
@require_POST
def restudy_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    """The academic office enrols a student who failed the discipline earlier to study it again here."""
    course = access.get_journal_course_for(request.user, pk)
    if not access.can_approve_locked_change(request.user):
        raise PermissionDenied
    login = request.POST.get("login", "").strip()
    student = User.objects.filter(username__iexact=login).first() if login else None
    try:
        if student is None:
            raise ValidationError(_("No one has the login “%(login)s”.") % {"login": login})
        services.restudy_enrol(course=course, student=student, enrolled_by=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request, _("%(name)s studies the discipline again in this course.") % {"name": student.full_name or login}
        )
    return redirect("grades:course", pk=pk)


@login_required
def journal_export(request: HttpRequest, pk: int) -> HttpResponse:
    course = access.get_journal_course_for(request.user, pk)
    items, rows = selectors.journal(course)
    content = exports.journal_xlsx(course_title=course.title, items=items, rows=rows)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition(f"{course.discipline.code}-journal.xlsx", inline=False)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def grades_import(request: HttpRequest, pk: int) -> HttpResponse:
    course = access.get_journal_course_for(request.user, pk, edit=True)
    form = GradesImportForm(request.POST or None, request.FILES or None, course=course)
    errors: list[tuple[int, str]] = []
    if request.method == "POST" and form.is_valid():
        upload, item = form.cleaned_data["file"], form.cleaned_data["item"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            errors = [(1, str(tables.file_too_large()))]
        else:
            count, errors = services.grades_import(
                item=item,
                filename=upload.name,
                content=upload.read(),
                posted_by=request.user,
                approved=access.can_approve_locked_change(request.user),
                reason=form.cleaned_data["reason"],
            )
            if not errors:
                messages.success(
                    request, ngettext("%(n)s grade imported.", "%(n)s grades imported.", count) % {"n": count}
                )
                return redirect("grades:course", pk=pk)
    return render(
        request,
        "grades/import.html",
        {"course": course, "form": form, "errors": errors},
        status=400 if errors or form.errors else 200,
    )


@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every change of the course's grades: who, when, old and new value, why, from where."""
    course = academics_access.get_course_for(request.user, pk)
    if access.can_view_journal(request.user, course):
        changes = selectors.grade_history(course)
    elif course.is_enrolled:
        changes = selectors.grade_history(course, student=request.user)
    else:
        raise PermissionDenied
    return render(request, "grades/history.html", {"course": course, "changes": changes})


@login_required
def statement(request: HttpRequest, pk: int, group_pk: int, fmt: str) -> HttpResponse:
    """The exam statement of one of the course's groups, as PDF or XLSX."""
    course = access.get_journal_course_for(request.user, pk)
    group = get_object_or_404(course.groups.all(), pk=group_pk)
    items, rows = selectors.journal(course, group_id=group.pk)
    # ?retake=N: the statement of the N-th exam retake lists only the students who took it (FX before it).
    retake = request.GET.get("retake", "")
    title = _("Exam statement")
    if retake:
        exam = next((i for i in items if i.kind == "exam" and str(i.attempt - 1) == retake), None)
        if exam is None or exam.attempt == 1:
            raise Http404
        rows = [row for row in rows if exam.pk not in row.not_retaking]
        title = _("Exam statement: %(title)s") % {"title": exam.title}
    if fmt == "pdf":
        pdf = exports.statement_pdf(course=course, group=group, rows=rows, title=title)
        content, content_type = pdf, "application/pdf"
    else:
        content = exports.statement_xlsx(course=course, group=group, rows=rows, title=title)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(
        f"{course.discipline.code}-{group.name}-statement.{fmt}", inline=False
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _appealable_exam(items: list[GradeItem], row) -> GradeItem | None:
    """The exam attempt a student's appeal is about: the latest one with their score."""
    if row is None:
        return None
    graded = [i for i, points in zip(items, row.points, strict=True) if i.kind == "exam" and points is not None]
    return max(graded, key=lambda i: i.attempt, default=None)


@login_required
@require_POST
def appeal_file(request: HttpRequest, pk: int) -> HttpResponse:
    course = academics_access.get_course_for(request.user, pk)
    if not course.is_enrolled:
        raise PermissionDenied
    items, rows = selectors.journal(course, student=request.user)
    exam = _appealable_exam(items, rows[0] if rows else None)
    if exam is None:
        raise Http404
    try:
        services.appeal_file(item=exam, student=request.user, grounds=request.POST.get("grounds", ""))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Your appeal is filed: the appeal commission decides within one working day."))
    return redirect("grades:course", pk=pk)


@login_required
def transcript(request: HttpRequest, student_pk: int | None = None) -> HttpResponse:
    """The transcript as PDF: a student's own, or any student's for the academic office; in the language
    asked for (?language=kk|ru|en), else the reader's."""
    student = access.get_transcript_student_for(request.user, student_pk)
    language = request.GET.get("language")
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language()
    with translation.override(language):
        pdf = exports.transcript_pdf(student=student, terms=selectors.transcript(student))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(f"transcript-{student.username}-{language}.pdf", inline=False)
    response["Cache-Control"] = "private, no-store"
    return response
