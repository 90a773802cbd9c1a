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


def can_see_appeals(user: User) -> bool:
    """The appeals list: an appeal commission member (their commissions' appeals), the academic office and an
    admin (every appeal, to see, not to decide). The admission commission and teachers have no say."""
    return user.is_authenticated and user.has_role(Role.APPEAL_COMMISSION, Role.ACADEMIC_OFFICE, Role.ADMIN)


def oversees_appeals(user: User) -> bool:
    """The office and an admin see every appeal and every commission; they decide none (decision 0019)."""
    return user.is_authenticated and user.has_role(Role.ACADEMIC_OFFICE, Role.ADMIN)


def can_manage_appeal_commissions(user: User) -> bool:
    return academics_access.can_manage_structure(user)


def has_conflict(user: User, appeal) -> bool:
    """The teacher who gave the grade: a teacher of the appeal's course or anybody who changed that grade (other
    than by deciding this appeal)."""
    from .models import GradeChange, GradeSource

    course = appeal.item.course
    gave = GradeChange.objects.filter(item_id=appeal.item_id, student_id=appeal.student_id, changed_by=user)
    return course.teachers.filter(pk=user.pk).exists() or gave.exclude(source=GradeSource.APPEAL).exists()


def can_decide_appeal(user: User, appeal) -> bool:
    """Only a member of the appeal commission of the appeal's programme (the student's record) and term (the
    course's), holding the role, and not the teacher who gave the grade."""
    from . import appeal_selectors as selectors

    if not (user.is_authenticated and user.has_role(Role.APPEAL_COMMISSION)):
        return False
    commission = selectors.commission_of(appeal)
    return commission is not None and commission.members.filter(pk=user.pk).exists() and not has_conflict(user, appeal)


def get_appeal_for(user: User, appeal_pk: int):
    """The appeal a person may open: 403 without the role; 404 for an appeal outside a member's commissions;
    403 for a member who gave the grade (conflict of interest). The office sees every appeal."""
    from . import appeal_selectors as selectors
    from .models import Appeal

    if not can_see_appeals(user):
        raise PermissionDenied
    appeal = get_object_or_404_appeal(Appeal, appeal_pk)
    if oversees_appeals(user):
        return appeal
    if not selectors.appeals_for(user).filter(pk=appeal.pk).exists():
        raise Http404
    if has_conflict(user, appeal):
        raise PermissionDenied
    return appeal


def get_object_or_404_appeal(model, pk: int):
    try:
        return model.objects.select_related("item__course__discipline", "item__course__term", "student").get(pk=pk)
    except model.DoesNotExist:
        raise Http404 from None


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
