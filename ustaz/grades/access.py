"""Who may see or change grades: a teacher their courses' journals, the academic office every journal,
a student only their own row."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from ustaz.academics import access as academics_access
from ustaz.academics.models import Course, StudentRecord
from ustaz.accounts.models import Role, User


def can_edit_journal(user: User, course: Course) -> bool:
    return academics_access.can_edit_course_content(user, course)


def can_view_journal(user: User, course: Course) -> bool:
    return can_edit_journal(user, course) or academics_access.can_oversee_courses(user)


def can_approve_locked_change(user: User) -> bool:
    return academics_access.can_manage_structure(user)


def get_journal_course_for(user: User, pk: int, *, edit: bool = False) -> Course:
    course = academics_access.get_course_for(user, pk)
    allowed = can_edit_journal(user, course) if edit else can_view_journal(user, course)
    if not allowed:
        raise PermissionDenied
    return course


def can_decide_appeals(user: User) -> bool:
    """The appeal commission (and, as before, the academic office); the admission commission has no say."""
    return user.is_authenticated and user.has_role(Role.APPEAL_COMMISSION, Role.ACADEMIC_OFFICE, Role.ADMIN)


def get_transcript_student_for(user: User, student_pk: int | None) -> User:
    """Whose transcript a person may download: their own when they have a student record; any student's (with
    a record) for the academic office. Anybody else (an applicant, a teacher) gets 403; a person with no
    record is 404 to the office."""
    if student_pk is None:
        if not (user.is_authenticated and StudentRecord.objects.filter(student=user).exists()):
            raise PermissionDenied
        return user
    if not academics_access.can_manage_structure(user):
        raise PermissionDenied
    try:
        return StudentRecord.objects.select_related("student").get(student_id=student_pk).student
    except StudentRecord.DoesNotExist:
        raise Http404 from None
