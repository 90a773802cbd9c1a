from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from ustaz.accounts.models import Role, User

from . import access
from .models import Course, Term


def current_term() -> Term | None:
    today = timezone.localdate()
    term = (
        Term.objects.select_related("academic_year")
        .filter(starts_on__lte=today, ends_on__gte=today)
        .order_by("-starts_on")
        .first()
    )
    if term is None:
        # Between terms, the most recent one that has started.
        term = Term.objects.select_related("academic_year").filter(starts_on__lte=today).order_by("-starts_on").first()
    return term


def _teachers_prefetch() -> Prefetch:
    return Prefetch(
        "teachers",
        queryset=User.objects.order_by("last_name", "first_name").only(
            "id", "last_name", "first_name", "patronymic", "username"
        ),
    )


def home_courses(user: User, term: Term | None) -> dict[str, QuerySet[Course]]:
    """The courses a person's home page lists for the term: as a student, as a teacher, and (for the
    academic office) all of them."""
    if term is None:
        return {}
    base = Course.objects.filter(term=term).select_related("discipline").prefetch_related(_teachers_prefetch())
    result: dict[str, QuerySet[Course]] = {}
    if user.has_role("student"):
        result["studying"] = base.filter(enrolments__student=user).order_by("discipline__code")
    if user.has_role("teacher"):
        result["teaching"] = base.filter(teachers=user).order_by("discipline__code")
    if access.can_oversee_courses(user):
        result["all"] = base.order_by("discipline__code")
    return result


def course_teachers(course: Course) -> list[User]:
    return list(
        course.teachers.order_by("last_name", "first_name").only(
            "id", "last_name", "first_name", "patronymic", "username", "email"
        )
    )


def in_my_courses(user: User, field: str = "course") -> Q:
    """A filter for rows whose `field` is a course the person studies in or teaches (none for other roles)."""
    condition = Q(pk__in=[])
    if user.has_role(Role.STUDENT):
        condition |= Q(**{f"{field}__enrolments__student": user})
    if user.has_role(Role.TEACHER):
        condition |= Q(**{f"{field}__teachers": user})
    return condition
