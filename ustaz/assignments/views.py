from __future__ import annotations

import datetime
import json
import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ustaz.academics import access as academics_access
from ustaz.core.files import serve_private_file

from . import access, selectors, services
from .forms import CATEGORY_LABELS, AssignmentForm, ReviewForm, SubmitForm
from .models import Assignment, AssignmentFile, LatePolicy, Processing
from .uploads import limit_bytes


@login_required
def course(request: HttpRequest, pk: int) -> HttpResponse:
    course = academics_access.get_course_for(request.user, pk)
    return render(
        request,
        "assignments/course.html",
        {
            "course": course,
            "assignments": selectors.course_assignments(course),
            "can_manage": access.can_review(request.user, course),
            "can_open_queue": access.can_open_review_queue(request.user),
            "now": timezone.now(),
        },
    )


def _edit(request: HttpRequest, course, assignment: Assignment) -> HttpResponse:
    form = AssignmentForm(request.POST or None, request.FILES or None, instance=assignment, course=course)
    if request.method == "POST" and form.is_valid():
        assignment = form.save(commit=False)
        assignment.course = course
        assignment.accepts = form.cleaned_data["accepts"]
        try:
            services.assignment_save(
                assignment=assignment,
                by=request.user,
                criteria=form.cleaned_data["rubric"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as error:
            for field, errors in getattr(error, "error_dict", {None: error.error_list}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Assignment saved."))
            return redirect("assignments:assignment", pk=course.pk, assignment_pk=assignment.pk)
    return render(request, "assignments/form.html", {"course": course, "form": form, "assignment": assignment})


@login_required
def create(request: HttpRequest, pk: int) -> HttpResponse:
    course = academics_access.get_course_to_edit_for(request.user, pk)
    now = timezone.now().replace(second=0, microsecond=0)
    draft = Assignment(
        course=course, opens_at=now, due_at=now + datetime.timedelta(days=7), late_policy=LatePolicy.ACCEPT
    )
    return _edit(request, course, draft)


@login_required
def edit(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    assignment = access.get_assignment_to_manage_for(request.user, pk, assignment_pk)
    return _edit(request, assignment.course, assignment)


@login_required
def assignment(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    assignment = access.get_assignment_for(request.user, pk, assignment_pk)
    return _assignment_page(request, assignment, SubmitForm())


def _assignment_page(request: HttpRequest, assignment: Assignment, form: SubmitForm, status: int = 200) -> HttpResponse:
    context = {
        "course": assignment.course,
        "assignment": assignment,
        "criteria": list(assignment.criteria.all()),
        "instruction_files": list(assignment.files.all()),
    }
    if assignment.can_review:
        context["rows"] = selectors.overview(assignment)
    if assignment.course.is_enrolled:
        context.update(
            {
                "versions": selectors.student_versions(assignment, request.user),
                "state": services.submit_state(assignment, request.user),
                "state_message": services.state_message(services.submit_state(assignment, request.user)),
                "form": form,
                "accept_labels": [CATEGORY_LABELS[c] for c in assignment.accepts],
                "limit_mb": limit_bytes(assignment) // (1024 * 1024),
                "chunk_bytes": min(limit_bytes(assignment), settings.ASSIGNMENT_UPLOAD_CHUNK_MB * 1024 * 1024),
                "upload_strings": {
                    "resuming": _("Going on where it stopped…"),
                    "retrying": _("The connection dropped; trying again…"),
                    "uploaded": _("Uploaded."),
                    "joining": _("Uploaded; the server is putting the file together, you can hand it in now."),
                    "failed": _("The file could not be uploaded."),
                    "wait": _("Wait until the files have finished uploading."),
                },
            }
        )
    return render(request, "assignments/assignment.html", context, status=status)


@login_required
@require_POST
def submit(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    assignment = access.get_assignment_for(request.user, pk, assignment_pk)
    if not assignment.course.is_enrolled:
        raise PermissionDenied
    form = SubmitForm(request.POST)
    if not form.is_valid():
        # The page again with what was typed and why it was refused (a NUL character, say): nothing is lost.
        return _assignment_page(request, assignment, form, status=400)
    try:
        submission = services.submission_submit(
            assignment=assignment, student=request.user, text=form.cleaned_data["text"], upload_ids=form.upload_ids()
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assignments:assignment", pk=pk, assignment_pk=assignment_pk)
    messages.success(request, _("Handed in (version %(version)d).") % {"version": submission.version})
    return redirect("assignments:submission", submission_pk=submission.pk)


@login_required
def submission(request: HttpRequest, submission_pk: int) -> HttpResponse:
    submission = access.get_submission_for(request.user, submission_pk)
    assignment = submission.assignment
    detail = selectors.submission_detail(submission)
    review = getattr(detail, "review", None)
    form = None
    criteria = list(assignment.criteria.all())
    if assignment.can_review:
        form = ReviewForm(
            request.POST or None,
            initial={"feedback": review.feedback if review else "", "points": review.points if review else None},
        )
        if request.method == "POST" and form.is_valid():
            rubric = None
            if criteria:
                rubric = {}
                for criterion in criteria:
                    try:
                        rubric[criterion.pk] = int(request.POST.get(f"criterion_{criterion.pk}", ""))
                    except ValueError:
                        pass
            try:
                services.review_save(
                    submission=_bind(detail, assignment),
                    reviewer=request.user,
                    feedback=form.cleaned_data["feedback"],
                    points=form.cleaned_data["points"],
                    rubric=rubric,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Review saved; the student is told."))
                return redirect("assignments:submission", submission_pk=submission.pk)
    elif request.method == "POST":
        raise PermissionDenied
    chosen = {int(k): v for k, v in (review.rubric if review else {}).items()}
    for criterion in criteria:
        criterion.chosen = chosen.get(criterion.pk)
    files = [_file_context(f) for f in detail.files.all()]
    return render(
        request,
        "assignments/submission.html",
        {
            "course": assignment.course,
            "assignment": assignment,
            "submission": detail,
            "review": review,
            "form": form,
            "criteria": criteria,
            "files": files,
            "can_review": assignment.can_review,
            "review_strings": {
                "failed": _("The comment could not be saved."),
                "markRegion": _("Drag over the picture to mark the region first."),
                "commentAt": _("Comment at"),
            },
            "comments_json": {str(f["item"].pk): [_comment_json(c) for c in f["item"].comments.all()] for f in files},
        },
    )


def _bind(detail, assignment):
    detail.assignment = assignment
    return detail


def _file_context(item) -> dict:
    url = reverse("assignments:file", args=[item.pk])
    return {
        "item": item,
        "url": url,
        "play_url": f"{url}?as=rendition" if item.rendition else f"{url}?inline=1",
        "play_type": item.rendition_type or item.content_type,
        "poster_url": f"{url}?as=poster" if item.poster else "",
        "pages": [f"{url}?as=page&page={n + 1}" for n in range(len(item.previews))],
        "ready": item.processing == Processing.READY,
    }


def _comment_json(comment) -> dict:
    return {
        "id": comment.pk,
        "text": comment.text,
        "start": comment.start,
        "end": comment.end,
        "page": comment.page,
        "region": comment.region,
        "author": comment.author.full_name if comment.author else "",
    }


@login_required
def file(request: HttpRequest, file_pk: int) -> HttpResponse:
    item = access.get_file_for(request.user, file_pk)
    view = request.GET.get("as", "")
    if view == "rendition" and item.rendition:
        return serve_private_file(
            item.rendition, filename=item.name, content_type=item.rendition_type, inline=True, request=request
        )
    if view == "poster" and item.poster:
        return serve_private_file(item.poster, filename="poster.jpg", content_type="image/jpeg", inline=True)
    if view == "page":
        try:
            name = item.previews[int(request.GET.get("page", "1")) - 1]
        except (ValueError, IndexError):
            raise Http404 from None
        field = item.file.field.attr_class(item, item.file.field, name)
        return serve_private_file(field, filename="page.jpg", content_type="image/jpeg", inline=True)
    if view:
        raise Http404
    if item.processing == Processing.PENDING and not item.file.storage.exists(item.file.name):
        raise Http404  # handed in while its parts were being joined: not there yet
    return serve_private_file(
        item.file,
        filename=item.name,
        content_type=item.content_type,
        inline=request.GET.get("inline") == "1",
        request=request,
    )


@login_required
def instructions_file(request: HttpRequest, pk: int, assignment_pk: int, file_pk: int) -> HttpResponse:
    assignment = access.get_assignment_for(request.user, pk, assignment_pk)
    try:
        item = assignment.files.get(pk=file_pk)
    except AssignmentFile.DoesNotExist:
        raise Http404 from None
    return serve_private_file(
        item.file,
        filename=item.name,
        content_type=item.content_type,
        inline=request.GET.get("inline") == "1",
        request=request,
    )


def _seconds(value) -> float | None:
    """A time code in seconds: a finite number from 0 to a day (NaN and Infinity are no time)."""
    if value is None:
        return None
    seconds = float(value)  # OverflowError for a JSON integer of hundreds of digits
    if not math.isfinite(seconds) or not 0 <= seconds <= 86400:
        raise ValueError(value)
    return seconds


def _page_number(value) -> int | None:
    """A page of a document's preview: a whole number from 1 to 10,000."""
    if value is None:
        return None
    page = int(value)
    if not 1 <= page <= 10_000:
        raise ValueError(value)
    return page


@login_required
@require_POST
def comment(request: HttpRequest, file_pk: int) -> JsonResponse:
    item = access.get_file_for(request.user, file_pk)
    if not item.submission.assignment.can_review:
        raise PermissionDenied
    try:
        data = json.loads(request.body or b"{}")
        created = services.comment_add(
            file=item,
            author=request.user,
            text=str(data.get("text", "")),
            start=_seconds(data.get("start")),
            end=_seconds(data.get("end")),
            page=_page_number(data.get("page")),
            region=data.get("region"),
        )
    except (ValueError, TypeError, OverflowError, json.JSONDecodeError):
        return JsonResponse({"error": _("The comment could not be read.")}, status=400)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse(_comment_json(created), status=201)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    if not access.can_open_review_queue(request.user):
        raise PermissionDenied
    return render(request, "assignments/queue.html", {"submissions": selectors.review_queue(request.user)})
