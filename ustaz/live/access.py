"""Who may see, schedule, join and take attendance of a course's classes.

A class belongs to its course's people: its teachers, the academic office and rector (oversight), and the
students enrolled in the course who are in one of the class's groups (a class with no group is for all).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ustaz.academics import access as academics_access
from ustaz.academics.models import Course, StudentRecord
from ustaz.accounts.models import User

from .models import ClassStatus, Format, LiveClass


def can_schedule(user: User, course: Course) -> bool:
    return academics_access.can_edit_course_content(user, course)


def student_group_id(user: User) -> int | None:
    return StudentRecord.objects.filter(student_id=user.pk).values_list("group_id", flat=True).first()


def is_for_student(live_class: LiveClass, group_id: int | None) -> bool:
    """Whether an enrolled student of that group is expected at the class (groups prefetched or queried)."""
    group_ids = {g.pk for g in live_class.groups.all()}
    return not group_ids or group_id in group_ids


def get_class_for(user: User, pk: int, class_pk: int) -> LiveClass:
    """The class of the course, for one who may see it; 404 for everyone else."""
    course = academics_access.get_course_for(user, pk)
    try:
        live_class = LiveClass.objects.prefetch_related("groups").get(pk=class_pk, course=course)
    except LiveClass.DoesNotExist:
        raise Http404 from None
    live_class.course = course
    if course.is_enrolled and not is_for_student(live_class, student_group_id(user)):
        raise Http404
    return live_class


def get_class_to_manage_for(user: User, pk: int, class_pk: int) -> LiveClass:
    live_class = get_class_for(user, pk, class_pk)
    if not can_schedule(user, live_class.course):
        raise PermissionDenied
    return live_class


def get_course_to_schedule_for(user: User, pk: int) -> Course:
    course = academics_access.get_course_for(user, pk)
    if not can_schedule(user, course):
        raise PermissionDenied
    return course


def join_opens_at(live_class: LiveClass) -> datetime:
    return live_class.starts_at - timedelta(minutes=settings.LIVE_JOIN_EARLY_MINUTES)


def join_state(live_class: LiveClass, now: datetime) -> str:
    """'open', 'early', 'over', 'cancelled' or 'in_person': whether the join button works now."""
    if live_class.status == ClassStatus.CANCELLED:
        return "cancelled"
    if live_class.format != Format.ONLINE:
        return "in_person"
    if now < join_opens_at(live_class):
        return "early"
    if now > live_class.ends_at or live_class.status == ClassStatus.ENDED:
        return "over"
    return "open"


def joins_as_moderator(user: User, live_class: LiveClass) -> bool:
    return bool(live_class.course.is_teacher or academics_access.can_manage_structure(user))
