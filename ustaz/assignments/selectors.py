"""Reads of assignments for pages, the review queue and the calendar, each in a fixed number of queries."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, Max, OuterRef, Prefetch, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from ustaz.academics.models import Course, Enrolment
from ustaz.academics.selectors import in_my_courses
from ustaz.accounts.models import User
from ustaz.core.calendar import Event

from .models import Assignment, Comment, Review, Submission, SubmissionFile


def course_assignments(course: Course) -> list[Assignment]:
    return list(Assignment.objects.filter(course=course).order_by("due_at", "pk"))


def _with_files() -> Prefetch:
    comments = Comment.objects.select_related("author").order_by("start", "page", "pk")
    return Prefetch("files", queryset=SubmissionFile.objects.prefetch_related(Prefetch("comments", queryset=comments)))


def student_versions(assignment: Assignment, student: User) -> list[Submission]:
    return list(
        Submission.objects.filter(assignment=assignment, student=student)
        .select_related("review__reviewer")
        .prefetch_related(_with_files())
        .order_by("-version")
    )


def submission_detail(submission: Submission) -> Submission:
    return (
        Submission.objects.select_related("student", "review__reviewer")
        .prefetch_related(_with_files())
        .get(pk=submission.pk)
    )


def _latest_versions() -> QuerySet[Submission]:
    newest = (
        Submission.objects.filter(assignment=OuterRef("assignment"), student=OuterRef("student"))
        .values("assignment", "student")
        .annotate(v=Max("version"))
        .values("v")
    )
    return Submission.objects.filter(version=Subquery(newest))


def overview(assignment: Assignment) -> list[dict]:
    """Every enrolled student with their latest version and its review (for the teacher)."""
    latest = {s.student_id: s for s in _latest_versions().filter(assignment=assignment).select_related("review")}
    rows = []
    for enrolment in Enrolment.objects.filter(course_id=assignment.course_id).select_related("student"):
        submission = latest.get(enrolment.student_id)
        review = getattr(submission, "review", None) if submission else None
        rows.append({"student": enrolment.student, "submission": submission, "review": review})
    rows.sort(key=lambda r: (r["student"].last_name, r["student"].first_name))
    return rows


def review_queue(user: User) -> list[Submission]:
    """Latest versions without a review, in the courses the person teaches, oldest first."""
    reviewed = Review.objects.filter(submission=OuterRef("pk"))
    return list(
        _latest_versions()
        .filter(assignment__course__teachers=user)
        .annotate(reviewed=Exists(reviewed))
        .filter(reviewed=False)
        .select_related("assignment__course__discipline", "student")
        .order_by("submitted_at", "pk")[:500]
    )


def calendar_events(user: User, start: datetime, end: datetime) -> list[Event]:
    courses = in_my_courses(user)
    due = (
        Assignment.objects.filter(courses, due_at__gte=start, due_at__lt=end)
        .select_related("course__discipline")
        .distinct()
    )
    return [
        Event(
            uid=f"assignment-due-{a.pk}",
            summary=_("Due: %(title)s (%(course)s)") % {"title": a.title, "course": a.course.title},
            start=a.due_at,
            end=a.due_at,
            url=reverse("assignments:assignment", args=[a.course_id, a.pk]),
        )
        for a in due
    ]
