"""Writes of assignments: setting one, handing in a version, reviewing it (comments, rubric, grade into the
gradebook through its one service), and the notices that go with them."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ustaz.academics import access as academics_access
from ustaz.academics.models import Enrolment
from ustaz.academics.selectors import taking_part
from ustaz.accounts.models import User
from ustaz.core.files import clean_filename, guess_content_type
from ustaz.core.markup import render_markdown
from ustaz.grades import services as grades
from ustaz.grades.models import GradeSource
from ustaz.notifications import services as notifications

from . import uploads
from .apps import DUE_SOON, REVIEWED, SUBMITTED
from .models import (
    KIND_ACCEPTS,
    Assignment,
    AssignmentFile,
    Comment,
    Criterion,
    LatePolicy,
    Review,
    Submission,
    SubmissionFile,
    Upload,
)


@transaction.atomic
def assignment_save(
    *,
    assignment: Assignment,
    by: User,
    criteria: Sequence[dict] | None = None,
    files: Iterable[UploadedFile] = (),
) -> Assignment:
    """Create or change an assignment (criteria: [{"title", "levels": [{"title", "points"}]}], or None to keep)."""
    if assignment.due_at <= assignment.opens_at:
        raise ValidationError({"due_at": _("The due time is after the opening time.")})
    if not assignment.accepts and not assignment.allows_text:
        assignment.accepts = list(KIND_ACCEPTS[assignment.kind])
    if assignment.grade_item_id and assignment.grade_item.course_id != assignment.course_id:
        raise ValidationError({"grade_item": _("Choose a column of this course's journal.")})
    assignment.instructions_html = render_markdown(assignment.instructions or "")
    if assignment.pk is None:
        assignment.created_by = by
    assignment.save()
    limit = settings.MATERIAL_MAX_UPLOAD_MB * 1024 * 1024
    for upload in files:
        if upload.size > limit:
            raise ValidationError(
                {"files": _("%(name)s is larger than %(limit)d MB.") % {"name": upload.name, "limit": limit // 1048576}}
            )
        name = clean_filename(upload.name)
        item = AssignmentFile(assignment=assignment, name=name, content_type=guess_content_type(name), size=upload.size)
        item.file.save(name, upload, save=False)
        item.save()
    if criteria is not None:
        assignment.criteria.all().delete()
        Criterion.objects.bulk_create(
            [
                Criterion(assignment=assignment, title=c["title"], position=n, levels=c["levels"])
                for n, c in enumerate(criteria)
            ]
        )
        total = sum(max((lv["points"] for lv in c["levels"]), default=0) for c in criteria)
        if criteria and total:
            Assignment.objects.filter(pk=assignment.pk).update(max_points=total)
            assignment.max_points = Decimal(str(total))
    return assignment


# --- Handing in --------------------------------------------------------------------------------------------


def submit_state(assignment: Assignment, student: User, now: datetime.datetime | None = None) -> str:
    """'open', 'not_yet', 'closed' (past due, late work refused) or 'done' (handed in, no resubmission)."""
    now = now or timezone.now()
    if now < assignment.opens_at:
        return "not_yet"
    if now > assignment.due_at and assignment.late_policy == LatePolicy.REFUSE:
        return "closed"
    if (
        not assignment.allows_resubmission
        and Submission.objects.filter(assignment=assignment, student=student).exists()
    ):
        return "done"
    return "open"


def state_message(state: str) -> str:
    return {
        "not_yet": _("This assignment is not open yet."),
        "closed": _("The due time has passed; this assignment takes no late work."),
        "done": _("You have handed this in; this assignment takes no resubmission."),
    }.get(state, "")


@transaction.atomic
def submission_submit(
    *, assignment: Assignment, student: User, text: str = "", upload_ids: Iterable[str] = ()
) -> Submission:
    if not academics_access.takes_part(student):
        raise PermissionDenied  # on academic leave, expelled or graduated (docs/decisions/0014)
    if not Enrolment.objects.filter(course_id=assignment.course_id, student=student).exists():
        raise PermissionDenied
    state = submit_state(assignment, student)
    if state != "open":
        raise ValidationError(state_message(state))
    text = (text or "").strip() if assignment.allows_text else ""
    upload_ids = [str(u) for u in upload_ids]
    chosen = [
        uploads.upload_finish(u)
        for u in Upload.objects.select_for_update().filter(
            pk__in=upload_ids, user=student, assignment=assignment, used=False
        )
    ]
    # A file whose bytes have all arrived is handed in even while its parts are being joined (a task): it is
    # prepared for the browser once joined.
    if len(chosen) != len(set(upload_ids)) or any(uploads.upload_state(u) == "receiving" for u in chosen):
        raise ValidationError(_("A file has not finished uploading; wait for it or upload it again."))
    if not text and not chosen:
        raise ValidationError(_("Hand in a text or at least one file."))
    version = (
        Submission.objects.filter(assignment=assignment, student=student).aggregate(v=Max("version"))["v"] or 0
    ) + 1
    now = timezone.now()
    submission = Submission.objects.create(
        assignment=assignment, student=student, version=version, text=text, is_late=now > assignment.due_at
    )
    chosen.sort(key=lambda u: u.created_at)
    files = SubmissionFile.objects.bulk_create(
        [
            SubmissionFile(
                submission=submission,
                file=u.stored_name,
                name=u.filename,
                size=u.length,
                category=u.category,
                content_type=u.content_type,
            )
            for u in chosen
        ]
    )
    Upload.objects.filter(pk__in=[u.pk for u in chosen]).update(used=True)
    from . import tasks

    for item, upload in zip(files, chosen, strict=True):
        if upload.completed_at is not None:  # else the join queues it when done
            transaction.on_commit(lambda pk=item.pk: tasks.file_process.enqueue(pk))
    notifications.notify(
        users=assignment.course.teachers.all(),
        kind=SUBMITTED,
        title=gettext_lazy("%(student)s handed in %(assignment)s"),
        params={"student": student.full_name or student.username, "assignment": assignment.title},
        url=reverse("assignments:submission", args=[submission.pk]),
    )
    return submission


# --- Reviewing ---------------------------------------------------------------------------------------------


def comment_add(
    *,
    file: SubmissionFile,
    author: User,
    text: str,
    start: float | None = None,
    end: float | None = None,
    page: int | None = None,
    region: dict | None = None,
) -> Comment:
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the comment."))
    duration = file.probe.get("duration")
    if start is not None:
        if start < 0 or (duration and start > duration + 1):
            raise ValidationError(_("The comment's time is outside the recording."))
        if end is not None and end < start:
            end = None
    if region is not None:
        try:
            region = {k: round(min(1.0, max(0.0, float(region[k]))), 4) for k in ("x", "y", "w", "h")}
        except (KeyError, TypeError, ValueError, OverflowError):
            raise ValidationError(_("The marked region could not be read.")) from None
    return Comment.objects.create(file=file, author=author, text=text, start=start, end=end, page=page, region=region)


def _quantize(points: Decimal) -> Decimal:
    return points.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@transaction.atomic
def review_save(
    *,
    submission: Submission,
    reviewer: User,
    feedback: str,
    points: Decimal | None = None,
    rubric: dict[int, int] | None = None,
) -> Review:
    """The review of a version: points given directly or summed from the rubric's chosen levels, the late
    penalty applied, the grade posted to the assignment's journal column (scaled to its maximum)."""
    assignment = submission.assignment
    criteria = list(assignment.criteria.all())
    if criteria and rubric is not None:
        total = Decimal(0)
        for criterion in criteria:
            level = rubric.get(criterion.pk)
            if level is None or not 0 <= level < len(criterion.levels):
                raise ValidationError(_("Choose a level for every criterion."))
            total += Decimal(str(criterion.levels[level]["points"]))
        points = total
    if points is not None and not Decimal(0) <= points <= assignment.max_points:
        raise ValidationError(_("Points are from 0 to %(max)s.") % {"max": assignment.max_points})
    final = points
    if points is not None and submission.is_late and assignment.late_policy == LatePolicy.PENALTY:
        final = _quantize(points * (Decimal(100) - assignment.late_penalty_percent) / Decimal(100))
    review, _created = Review.objects.update_or_create(
        submission=submission,
        defaults={
            "reviewer": reviewer,
            "feedback": feedback.strip(),
            "points": final,
            "rubric": {str(k): v for k, v in (rubric or {}).items()},
        },
    )
    item = assignment.grade_item
    if item is not None and final is not None:
        scaled = _quantize(final * item.max_points / assignment.max_points)
        grades.grade_post(
            item=item,
            student=submission.student,
            points=scaled,
            posted_by=reviewer,
            source=GradeSource.ASSIGNMENT,
            source_ref=f"{assignment.title} v{submission.version}"[:100],
        )
    notifications.notify(
        users=[submission.student],
        kind=REVIEWED,
        title=gettext_lazy("Your work is reviewed: %(assignment)s"),
        body=review.feedback[:500],
        params={"assignment": assignment.title},
        url=reverse("assignments:submission", args=[submission.pk]),
    )
    return review


def due_soon_notify(now: datetime.datetime | None = None) -> int:
    """The daily job: students who have not handed in an assignment due within a day are told."""
    now = now or timezone.now()
    soon = Assignment.objects.filter(due_at__gt=now, due_at__lte=now + datetime.timedelta(days=1), opens_at__lte=now)
    told = 0
    for assignment in soon.select_related("course"):
        handed_in = Submission.objects.filter(assignment=assignment).values("student_id")
        students = (
            User.objects.filter(enrolments__course=assignment.course).filter(taking_part()).exclude(pk__in=handed_in)
        )
        told += len(
            notifications.notify(
                users=students,
                kind=DUE_SOON,
                title=gettext_lazy("Due within a day: %(assignment)s"),
                params={"assignment": assignment.title},
                url=reverse("assignments:assignment", args=[assignment.course_id, assignment.pk]),
            )
        )
    return told
