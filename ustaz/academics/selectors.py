from __future__ import annotations

import datetime

from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from ustaz.accounts.models import Role, User

from . import access
from .models import Course, DltBasis, Programme, RestrictiveMeasure, StudentRecord, StudentStatus, Term


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
        # Only while studying (not on leave, expelled or graduated): in the same query.
        result["studying"] = (
            base.filter(enrolments__student=user).filter(access.takes_part_q(user)).order_by("discipline__code")
        )
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
        condition |= Q(**{f"{field}__enrolments__student": user}) & access.takes_part_q(user)
    if user.has_role(Role.TEACHER):
        condition |= Q(**{f"{field}__teachers": user})
    return condition


def taking_part(prefix: str = "") -> Q:
    """A filter for users (through `prefix`, e.g. "student__") who take part in their courses: students
    studying, and people with no student record (see access.takes_part). For notices to a course's students."""
    return Q(**{f"{prefix}student_record__status": StudentStatus.ACTIVE}) | Q(**{f"{prefix}student_record": None})


# --- The DLT basis: own and effective (docs/decisions/0012-dlt-basis.md) -----------------------------------
def measures_in_force(on: datetime.date | None = None) -> QuerySet[RestrictiveMeasure]:
    on = on or timezone.localdate()
    return RestrictiveMeasure.objects.filter(starts_on__lte=on, ends_on__gte=on)


def _covering(group_id, programme_id, faculty_id) -> Q:
    return Q(groups=group_id) | Q(programmes=programme_id) | Q(faculties=faculty_id)


def measures_covering(record: StudentRecord) -> QuerySet[RestrictiveMeasure]:
    """Every restrictive measure, past, present or to come, that covers the student's group, programme or
    faculty (the basis part of their history)."""
    faculty_id = Programme.objects.filter(pk=record.programme_id).values_list("department__faculty_id", flat=True)
    return RestrictiveMeasure.objects.filter(
        _covering(record.group_id, record.programme_id, faculty_id.first())
    ).distinct()


def with_effective_basis(records: QuerySet[StudentRecord], on: datetime.date | None = None) -> QuerySet:
    """The records annotated with under_measures (restrictive measures cover them on the day) and
    effective_basis, in the same query."""
    covering = measures_in_force(on).filter(
        _covering(OuterRef("group_id"), OuterRef("programme_id"), OuterRef("programme__department__faculty_id"))
    )
    return records.annotate(under_measures=Exists(covering)).annotate(
        effective_basis=Case(
            When(under_measures=True, then=Value(DltBasis.RESTRICTIONS)),
            default=F("dlt_basis"),
            output_field=CharField(),
        )
    )


def effective_basis(record: StudentRecord, on: datetime.date | None = None) -> str:
    """The basis the student studies on that day: "restrictive measures" while measures covering them are
    in force, their own basis otherwise."""
    return (
        with_effective_basis(StudentRecord.objects.filter(pk=record.pk), on)
        .values_list("effective_basis", flat=True)
        .first()
        or record.dlt_basis
    )


def measure_students(measure: RestrictiveMeasure) -> QuerySet[StudentRecord]:
    """The students the measures cover: of its groups, its programmes, the programmes of its faculties."""
    return StudentRecord.objects.filter(
        Q(group__in=measure.groups.values("pk"))
        | Q(programme__in=measure.programmes.values("pk"))
        | Q(programme__department__faculty__in=measure.faculties.values("pk"))
    )


def basis_records(group_id: int | None = None) -> QuerySet[StudentRecord]:
    """The office's list of students with their own basis, today's effective basis and the document."""
    records = StudentRecord.objects.select_related("student", "group", "programme", "basis_document")
    if group_id:
        records = records.filter(group_id=group_id)
    return with_effective_basis(records).order_by("group__name", "student__last_name", "student__first_name", "pk")


def basis_history(record: StudentRecord) -> QuerySet:
    """The audit events of the student's basis and its document, newest first."""
    from ustaz.core.models import AuditAction, AuditEvent

    return AuditEvent.objects.filter(
        target_type=StudentRecord._meta.label_lower,
        target_id=str(record.pk),
        action__in=[AuditAction.DLT_BASIS_CHANGED, AuditAction.DLT_BASIS_DOCUMENT],
    ).select_related("actor")


# --- The student's file and the lists leading to it (docs/decisions/0016-student-file.md) -----------------
def _file_records() -> QuerySet[StudentRecord]:
    return with_effective_basis(
        StudentRecord.objects.select_related("student", "programme", "group__advisor", "basis_document")
    )


def file_record(*, pk: int | None = None, student: User | None = None) -> StudentRecord | None:
    """A record with everything the file's header shows (the student, programme, group and its adviser, the
    basis document, today's effective basis) in one query; None when there is none."""
    records = _file_records()
    records = records.filter(pk=pk) if pk is not None else records.filter(student=student)
    return records.first()


def student_list(
    *,
    query: str = "",
    programme_id: int | None = None,
    group_id: int | None = None,
    status: str = "",
    advisor: User | None = None,
) -> QuerySet[StudentRecord]:
    """The students with their programme, group and adviser and today's basis, searched by name, login or
    IIN and filtered (an adviser's list: the students of the groups they advise); one query per page."""
    records = _file_records()
    if advisor is not None:
        records = records.filter(group__advisor=advisor)
    if query:
        for word in query.split()[:5]:
            records = records.filter(
                Q(student__last_name__icontains=word)
                | Q(student__first_name__icontains=word)
                | Q(student__patronymic__icontains=word)
                | Q(student__username__icontains=word)
                | Q(student__iin__startswith=word)
            )
    if programme_id:
        records = records.filter(programme_id=programme_id)
    if group_id:
        records = records.filter(group_id=group_id)
    if status:
        records = records.filter(status=status)
    return records.order_by("group__name", "student__last_name", "student__first_name", "pk")


def groups_with_counts() -> QuerySet:
    """Every group with its programme, adviser and number of students, in one query."""
    from django.db.models import Count

    from .models import StudyGroup

    return (
        StudyGroup.objects.select_related("programme", "advisor")
        .annotate(students=Count("student_records"))
        .order_by("name")
    )


def teachers() -> QuerySet[User]:
    """Who may advise a group: the holders of the teacher role."""
    return User.objects.filter(User.role_filter(Role.TEACHER), is_active=True).order_by(
        "last_name", "first_name", "username"
    )
