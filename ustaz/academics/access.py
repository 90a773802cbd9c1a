"""Who may see or do what with the academic structure and courses."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from ustaz.accounts.models import Role, User

from .models import Course, Enrolment

# Roles that oversee every course of the University.
OVERSEERS = (Role.ACADEMIC_OFFICE, Role.RECTOR, Role.ADMIN)
STRUCTURE_MANAGERS = (Role.ACADEMIC_OFFICE, Role.ADMIN)


def can_manage_structure(user: User) -> bool:
    return user.is_authenticated and user.has_role(*STRUCTURE_MANAGERS)


def can_oversee_courses(user: User) -> bool:
    return user.is_authenticated and user.has_role(*OVERSEERS)


def courses_with_access(user: User) -> QuerySet[Course]:
    """Courses annotated with the user's relation to each: is_teacher and is_enrolled."""
    through = Course.teachers.through
    return Course.objects.select_related("discipline", "term__academic_year").annotate(
        is_teacher=Exists(through.objects.filter(course_id=OuterRef("pk"), user_id=user.pk)),
        is_enrolled=Exists(Enrolment.objects.filter(course_id=OuterRef("pk"), student_id=user.pk)),
    )


def can_view_course(user: User, course: Course) -> bool:
    return bool(
        getattr(course, "is_teacher", False) or getattr(course, "is_enrolled", False) or can_oversee_courses(user)
    )


def can_edit_course_content(user: User, course: Course) -> bool:
    return bool(getattr(course, "is_teacher", False) or can_manage_structure(user))


def get_course_for(user: User, pk: int) -> Course:
    """The course, with the user's relation to it; 404 for anyone who has no part in it."""
    if not user.is_authenticated:
        raise PermissionDenied
    course = courses_with_access(user).filter(pk=pk).first()
    if course is None or not can_view_course(user, course):
        raise Http404
    return course


def get_course_to_edit_for(user: User, pk: int) -> Course:
    course = get_course_for(user, pk)
    if not can_edit_course_content(user, course):
        raise PermissionDenied
    return course
