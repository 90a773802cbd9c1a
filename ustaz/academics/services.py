"""Writes with a rule in the academic structure: courses and enrolments."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F

from ustaz.accounts.models import User

from .models import Course, Discipline, Enrolment, StudentRecord, StudentStatus, StudyGroup, Term


@transaction.atomic
def course_create(
    *,
    discipline: Discipline,
    term: Term,
    teachers: Iterable[User] = (),
    groups: Iterable[StudyGroup] = (),
    title_kk: str = "",
    title_ru: str = "",
    title_en: str = "",
) -> Course:
    course = Course.objects.create(
        discipline=discipline, term=term, title_kk=title_kk, title_ru=title_ru, title_en=title_en
    )
    course.teachers.set(teachers)
    for group in groups:
        course_enrol_group(course=course, group=group)
    return course


@transaction.atomic
def course_enrol_group(*, course: Course, group: StudyGroup) -> int:
    """Enrol every studying member of the group; returns how many were newly enrolled."""
    course.groups.add(group)
    student_ids = list(
        StudentRecord.objects.filter(group=group, status=StudentStatus.ACTIVE).values_list("student_id", flat=True)
    )
    already = set(
        Enrolment.objects.filter(course=course, student_id__in=student_ids).values_list("student_id", flat=True)
    )
    new = [Enrolment(course=course, student_id=sid) for sid in student_ids if sid not in already]
    Enrolment.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


@transaction.atomic
def course_enrol_student(*, course: Course, student: User) -> bool:
    _enrolment, created = Enrolment.objects.get_or_create(course=course, student=student)
    return created


def course_content_changed(*, course_id: int) -> None:
    """What students see of the course has changed: cached renderings of it are no longer used."""
    Course.objects.filter(pk=course_id).update(content_version=F("content_version") + 1)
