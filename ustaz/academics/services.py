"""Writes with a rule in the academic structure: courses and enrolments."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ustaz.accounts import services as accounts_services
from ustaz.accounts.models import Role, User
from ustaz.accounts.services import IssuedCredential
from ustaz.core import imports
from ustaz.core.models import ImportJob, ImportJobStatus

from .models import (
    Course,
    Delivery,
    Discipline,
    DltBasis,
    Enrolment,
    Funding,
    StudentRecord,
    StudentStatus,
    StudyGroup,
    Term,
)


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


# --- Students imported into a group ----------------------------------------------------------------
STUDENT_COLUMNS = ["delivery", "dlt_basis", "funding", "contract_number", "country_of_residence", "year_of_study"]


def _choice_lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    """A value may be given by its code or by its name in any of the interface languages."""
    lookup = {value.lower(): value for value in choices.values}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            lookup.update({str(label).lower(): value for value, label in choices.choices})
    return lookup


@dataclass
class StudentImportResult:
    issued: list[IssuedCredential] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    enrolled_in: int = 0


def students_import(
    *,
    group: StudyGroup,
    filename: str,
    content: bytes,
    issued_by: User | None,
    request: HttpRequest | None = None,
    check_progress: accounts_services.Progress | None = None,
    apply_progress: accounts_services.Progress | None = None,
) -> StudentImportResult:
    """Issue accounts and student records for the rows of a file, all in the group, and enrol them in the
    group's courses that have not ended. Every row is checked first; one wrong row and nothing is created."""
    prepared = accounts_services.accounts_import_prepare(
        filename=filename,
        content=content,
        default_roles=frozenset({Role.STUDENT}),
        required=("last_name", "first_name", "iin", "dlt_basis"),
        issued_by=issued_by,
        request=request,
        progress=check_progress,
    )
    errors = list(prepared.errors)
    lookups = {
        "delivery": _choice_lookup(Delivery),
        "dlt_basis": _choice_lookup(DltBasis),
        "funding": _choice_lookup(Funding),
    }
    defaults = {"delivery": Delivery.NETWORK, "funding": Funding.PAID_CONTRACT}
    records: list[dict] = []
    for row in prepared.rows:
        record: dict = {}
        for column, lookup in lookups.items():
            given = row.cells.get(column, "").strip()
            if not given and column in defaults:
                record[column] = defaults[column]
            elif given.lower() in lookup:
                record[column] = lookup[given.lower()]
            else:
                errors.append(
                    (row.line, _("%(column)s: unknown value “%(value)s”.") % {"column": column, "value": given})
                )
        year = row.cells.get("year_of_study", "").strip() or "1"
        # isdecimal() alone lets "²" through, which int() refuses.
        if not (year.isascii() and year.isdecimal()) or not 1 <= int(year) <= 7:
            errors.append((row.line, _("year_of_study: a whole number from 1 to 7.")))
        else:
            record["year_of_study"] = int(year)
        country = (row.cells.get("country_of_residence", "").strip() or row.data.citizenship or "KZ").upper()
        if len(country) != 2 or not country.isalpha():
            errors.append((row.line, _("country_of_residence: a two-letter country code, such as KZ.")))
        record["country_of_residence"] = country
        record["contract_number"] = row.cells.get("contract_number", "").strip()[:40]
        if Role.STUDENT not in row.data.roles:
            errors.append((row.line, _("roles: a student's row must include the student role.")))
        records.append(record)
    if errors:
        return StudentImportResult(errors=sorted(set(errors)))
    # Logins and password hashes are made before the short transaction that saves them.
    built = accounts_services.accounts_import_build(prepared=prepared, progress=apply_progress)
    courses = list(Course.objects.filter(groups=group, term__ends_on__gte=timezone.localdate()))
    try:
        with transaction.atomic():
            issued = accounts_services.accounts_import_save(
                built=built, filename=prepared.filename, issued_by=issued_by, request=request
            )
            StudentRecord.objects.bulk_create(
                [
                    StudentRecord(student=credential.user, programme_id=group.programme_id, group=group, **record)
                    for credential, record in zip(issued, records, strict=True)
                ]
            )
            Enrolment.objects.bulk_create(
                [Enrolment(course=course, student=credential.user) for course in courses for credential in issued],
                ignore_conflicts=True,
            )
    except IntegrityError:
        return StudentImportResult(errors=[(1, accounts_services.issued_meanwhile_message())])
    return StudentImportResult(issued=issued, enrolled_in=len(courses))


def students_import_job_run(job: ImportJob) -> None:
    """The task's part of a large students import (ustaz.core.imports): all rows checked, then saved in one
    short transaction, or refused with the errors by line."""
    group = StudyGroup.objects.filter(pk=job.params.get("group")).first()
    if group is None:
        imports.job_refuse(job, [(1, _("The group no longer exists."))])
        return

    def applying(n: int, total: int) -> None:
        imports.job_progress(job, status=ImportJobStatus.APPLYING, applied=n)

    result = students_import(
        group=group,
        filename=job.filename,
        content=bytes(job.content),
        issued_by=job.created_by,
        check_progress=lambda n, total: imports.job_progress(job, checked=n, total=total),
        apply_progress=applying,
    )
    if result.errors:
        imports.job_refuse(job, result.errors)
        return
    job.applied = len(result.issued)
    accounts_services.issued_job_done(
        job, result.issued, summary={"count": len(result.issued), "enrolled_in": result.enrolled_in}
    )
