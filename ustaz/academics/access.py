"""Who may see or do what with the academic structure and courses."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Q
from django.http import Http404

from ustaz.accounts.models import Role, User

from .models import Course, Enrolment, RestrictiveMeasure, StudentRecord, StudentStatus, StudyGroup

# Roles that oversee every course of the University.
OVERSEERS = (Role.ACADEMIC_OFFICE, Role.RECTOR, Role.ADMIN)
STRUCTURE_MANAGERS = (Role.ACADEMIC_OFFICE, Role.ADMIN)


def can_manage_structure(user: User) -> bool:
    return user.is_authenticated and user.has_role(*STRUCTURE_MANAGERS)


def is_advisor_of(user: User, record: StudentRecord) -> bool:
    """Whether the user is the adviser of the student's group (no query when record.group is loaded)."""
    if not user.is_authenticated or not user.has_role(Role.TEACHER):
        return False
    if StudentRecord.group.is_cached(record):
        return record.group.advisor_id == user.pk
    return StudyGroup.objects.filter(pk=record.group_id, advisor_id=user.pk).exists()


def can_oversee_courses(user: User) -> bool:
    return user.is_authenticated and user.has_role(*OVERSEERS)


def student_status(user: User) -> str | None:
    """The status of the person's student record (None without one), read once per request's user."""
    if not user.is_authenticated or not user.has_role(Role.STUDENT):
        return None
    cache: dict[str, str | None] = user.__dict__.setdefault("_ustaz_cache", {})
    if "student_status" not in cache:
        cache["student_status"] = (
            StudentRecord.objects.filter(student_id=user.pk).values_list("status", flat=True).first()
        )
    return cache["student_status"]


def takes_part(user: User) -> bool:
    """Whether a student takes part in their courses: only while studying (docs/decisions/0014). A student on
    academic leave, expelled or graduated keeps their enrolments (their grades stay) but no longer takes part:
    the courses, their materials, assignments, tests, live classes, chats and forums are closed to them, and
    their notices stop. A person with the student role and no record (not yet imported) is not held back."""
    status = student_status(user)
    return status is None or status == StudentStatus.ACTIVE


def takes_part_q(user: User) -> Q:
    """takes_part as a condition of a query (no query of its own): true unless the person's student record has
    a status other than studying. Folded into the query that finds their courses, so pages keep their count."""
    held_back = StudentRecord.objects.filter(student_id=user.pk).exclude(status=StudentStatus.ACTIVE)
    return ~Q(Exists(held_back))


def _with_relation(user: User, course: Course) -> Course:
    """Mark the user's relation to the course: is_teacher and is_enrolled (a query each, only for the roles
    that can have that relation: simple lookups are cheaper than annotating the course query). is_enrolled
    holds only for a student who takes part (studying, not on leave, expelled or graduated)."""
    course.is_teacher = (
        user.has_role(Role.TEACHER)
        and Course.teachers.through.objects.filter(course_id=course.pk, user_id=user.pk).exists()
    )
    course.is_enrolled = (
        not course.is_teacher
        and user.has_role(Role.STUDENT)
        and Enrolment.objects.filter(takes_part_q(user), course_id=course.pk, student_id=user.pk).exists()
    )
    return course


def can_view_course(user: User, course: Course) -> bool:
    return bool(
        getattr(course, "is_teacher", False) or getattr(course, "is_enrolled", False) or can_oversee_courses(user)
    )


def can_edit_course_content(user: User, course: Course) -> bool:
    return bool(getattr(course, "is_teacher", False) or can_manage_structure(user))


def get_course_for(user: User, pk: int, *, with_related: bool = True) -> Course:
    """The course, with the user's relation to it; 404 for anyone who has no part in it.

    with_related=False leaves out the discipline and term (for a page that has them cached)."""
    if not user.is_authenticated:
        raise PermissionDenied
    courses = Course.objects.select_related("discipline", "term__academic_year") if with_related else Course.objects
    try:
        course = courses.get(pk=pk)
    except Course.DoesNotExist:
        raise Http404 from None
    _with_relation(user, course)
    if not can_view_course(user, course):
        raise Http404
    return course


def course_with_related(course: Course) -> Course:
    """The same course (already checked) with its discipline and term loaded, keeping the user's relation."""
    full = Course.objects.select_related("discipline", "term__academic_year").get(pk=course.pk)
    full.is_teacher, full.is_enrolled = course.is_teacher, course.is_enrolled
    return full


def get_course_to_edit_for(user: User, pk: int) -> Course:
    course = get_course_for(user, pk)
    if not can_edit_course_content(user, course):
        raise PermissionDenied
    return course


# --- The DLT basis: the office's records and restrictive measures ------------------------------------------
def can_manage_bases(user: User) -> bool:
    """The academic office sets students' bases, keeps their documents and switches restrictive measures."""
    return can_manage_structure(user)


def get_record_for_bases(user: User, pk: int) -> StudentRecord:
    if not can_manage_bases(user):
        raise PermissionDenied
    try:
        return StudentRecord.objects.select_related("student", "programme", "group").get(pk=pk)
    except StudentRecord.DoesNotExist:
        raise Http404 from None


def get_measure_for(user: User, pk: int) -> RestrictiveMeasure:
    if not can_manage_bases(user):
        raise PermissionDenied
    try:
        return RestrictiveMeasure.objects.get(pk=pk)
    except RestrictiveMeasure.DoesNotExist:
        raise Http404 from None


# --- The student's file (docs/decisions/0016-student-file.md) ------------------------------------------------
# Who reads every student's file: the academic office, the rector, an administrator.
FILE_READERS = OVERSEERS


def can_read_every_file(user: User) -> bool:
    return user.is_authenticated and user.has_role(*FILE_READERS)


def can_view_student_file(viewer: User, record: StudentRecord) -> bool:
    """The student themselves (whatever their status: an expelled or on-leave student keeps read access to
    their record), the adviser of their group, the academic office, the rector, an administrator."""
    if not viewer.is_authenticated:
        return False
    if record.student_id == viewer.pk:
        return True
    return can_read_every_file(viewer) or is_advisor_of(viewer, record)


def get_file_record_for(viewer: User, pk: int) -> StudentRecord:
    """The record whose file the viewer opens, with what its header shows; 404 for anyone who may not read
    it (another student, a teacher who is not the group's adviser...): the file's existence is not told."""
    from .selectors import file_record

    record = file_record(pk=pk)
    if record is None or not can_view_student_file(viewer, record):
        raise Http404
    return record


def can_list_students(user: User) -> bool:
    """The office's list of students, each linking to the file: whoever reads every file."""
    return can_read_every_file(user)


def can_set_advisors(user: User) -> bool:
    return can_manage_structure(user)


def get_group_for_advisor(user: User, pk: int) -> StudyGroup:
    if not can_set_advisors(user):
        raise PermissionDenied
    try:
        return StudyGroup.objects.get(pk=pk)
    except StudyGroup.DoesNotExist:
        raise Http404 from None
