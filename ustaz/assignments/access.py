"""Who may see, hand in and review assignments and submissions.

A course's assignments are seen by its people. A student hands in their own work and sees only their own
submissions, comments and files; the course's teachers (and the academic office) see and review everyone's.
Anybody else gets 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from ustaz.academics import access as academics_access
from ustaz.accounts.models import Role, User

from .models import Assignment, Submission, SubmissionFile, Upload


def can_review(user: User, course) -> bool:
    return academics_access.can_edit_course_content(user, course)


def can_open_review_queue(user: User) -> bool:
    """The queue of work waiting for review lists the courses a person teaches: a teachers' page."""
    return user.is_authenticated and user.has_role(Role.TEACHER)


def get_assignment_for(user: User, pk: int, assignment_pk: int) -> Assignment:
    course = academics_access.get_course_for(user, pk)
    try:
        assignment = Assignment.objects.select_related("grade_item").get(pk=assignment_pk, course=course)
    except Assignment.DoesNotExist:
        raise Http404 from None
    assignment.course = course
    assignment.can_review = can_review(user, course)
    return assignment


def get_assignment_to_manage_for(user: User, pk: int, assignment_pk: int) -> Assignment:
    assignment = get_assignment_for(user, pk, assignment_pk)
    if not assignment.can_review:
        raise PermissionDenied
    return assignment


def get_submission_for(user: User, pk: int) -> Submission:
    """A submission: its student's, or for the course's reviewers."""
    try:
        submission = Submission.objects.select_related("assignment", "student").get(pk=pk)
    except Submission.DoesNotExist:
        raise Http404 from None
    assignment = get_assignment_for(user, submission.assignment.course_id, submission.assignment_id)
    if submission.student_id != user.pk and not assignment.can_review:
        raise Http404
    submission.assignment = assignment
    return submission


def get_file_for(user: User, pk: int) -> SubmissionFile:
    try:
        item = SubmissionFile.objects.select_related("submission").get(pk=pk)
    except SubmissionFile.DoesNotExist:
        raise Http404 from None
    item.submission = get_submission_for(user, item.submission_id)
    return item


def get_upload_for(user: User, upload_id) -> Upload:
    try:
        upload = Upload.objects.select_related("assignment").get(pk=upload_id)
    except (Upload.DoesNotExist, ValueError):
        raise Http404 from None
    if upload.user_id != user.pk:
        raise Http404
    return upload
