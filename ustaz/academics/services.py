"""Writes with a rule in the academic structure: courses and enrolments."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ustaz.accounts import services as accounts_services
from ustaz.accounts.models import Role, User
from ustaz.accounts.services import IssuedCredential
from ustaz.core import imports
from ustaz.core.files import clean_filename
from ustaz.core.models import AuditAction, ImportJob, ImportJobStatus
from ustaz.core.services import audit_record
from ustaz.core.sniff import HEAD_BYTES, IMAGE, PDF, sniff

from .bases import basis_refusal, check_basis
from .models import (
    BasisDocument,
    Course,
    Delivery,
    Discipline,
    DltBasis,
    Enrolment,
    Faculty,
    Funding,
    Programme,
    RestrictiveMeasure,
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
    level = group.programme.level
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
        if "dlt_basis" in record:
            refusal = basis_refusal(record["dlt_basis"], level)
            if refusal:
                errors.append((row.line, f"dlt_basis: {refusal}"))
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


# --- The DLT basis (§1.5; docs/decisions/0012-dlt-basis.md) ---------------------------------------------
BASIS_DOCUMENT_MAX_MB = 20


@transaction.atomic
def student_basis_set(
    *,
    record: StudentRecord,
    basis: str,
    bolashak_scholar: bool,
    by: User | None,
    request: HttpRequest | None = None,
) -> StudentRecord:
    """Set a student's own basis (and the Bolashak flag), checked against their programme's level."""
    record = StudentRecord.objects.select_for_update().select_related("programme").get(pk=record.pk)
    check_basis(basis, record.programme.level, bolashak_scholar=bolashak_scholar)
    old = {"dlt_basis": record.dlt_basis, "bolashak_scholar": record.bolashak_scholar}
    new = {"dlt_basis": basis, "bolashak_scholar": bolashak_scholar}
    if old == new:
        return record
    record.dlt_basis, record.bolashak_scholar = basis, bolashak_scholar
    record.save(update_fields=["dlt_basis", "bolashak_scholar"])
    audit_record(
        action=AuditAction.DLT_BASIS_CHANGED,
        actor=by,
        target=record,
        details={"old": old, "new": new},
        request=request,
    )
    return record


@transaction.atomic
def basis_document_save(
    *,
    record: StudentRecord,
    upload: UploadedFile | None,
    expires_on: datetime.date | None,
    by: User | None,
    request: HttpRequest | None = None,
) -> BasisDocument:
    """Keep the basis's supporting document (a PDF or a scan, checked by its content) and its expiry. A new
    file or a new date is a new document: the office is told again before it expires."""
    document = BasisDocument.objects.select_for_update().filter(record=record).first()
    if upload is None and document is None:
        raise ValidationError(_("Choose the document's file."))
    if upload is not None:
        if upload.size > BASIS_DOCUMENT_MAX_MB * 1024 * 1024:
            raise ValidationError(_("A document is at most %(limit)d MB.") % {"limit": BASIS_DOCUMENT_MAX_MB})
        found = sniff(upload.read(HEAD_BYTES))
        upload.seek(0)
        if found is None or found.category not in (PDF, IMAGE):
            raise ValidationError(_("“%(name)s” is not a PDF or a scan (JPEG, PNG, TIFF).") % {"name": upload.name})
        old_file = document.file.name if document is not None else ""
        document = document or BasisDocument(record=record)
        document.name = clean_filename(upload.name, fallback=f"document.{found.extension}")
        document.content_type = found.content_type
        document.size = upload.size
        document.file.save(f"document.{found.extension}", upload, save=False)  # stored under a generated name
        if old_file:
            storage = document.file.storage
            transaction.on_commit(lambda: storage.delete(old_file))
    elif document.expires_on == expires_on:
        return document
    document.expires_on = expires_on
    document.expiry_notice_sent_at = None
    document.uploaded_by = by if by is not None and by.is_authenticated else None
    document.save()
    audit_record(
        action=AuditAction.DLT_BASIS_DOCUMENT,
        actor=by,
        target=record,
        details={
            "name": document.name,
            "expires_on": expires_on.isoformat() if expires_on else None,
            "new_file": upload is not None,
        },
        request=request,
    )
    return document


def _measure_details(measure: RestrictiveMeasure) -> dict:
    return {
        "order_number": measure.order_number,
        "order_date": measure.order_date.isoformat(),
        "starts_on": measure.starts_on.isoformat(),
        "ends_on": measure.ends_on.isoformat(),
        "reason": measure.reason,
        "groups": sorted(g.name for g in measure.groups.all()),
        "programmes": sorted(p.code for p in measure.programmes.all()),
        "faculties": sorted(f.code for f in measure.faculties.all()),
    }


@transaction.atomic
def restrictive_measure_create(
    *,
    reason: str,
    order_number: str,
    order_date: datetime.date,
    starts_on: datetime.date,
    ends_on: datetime.date,
    groups: Iterable[StudyGroup] = (),
    programmes: Iterable[Programme] = (),
    faculties: Iterable[Faculty] = (),
    by: User | None,
    request: HttpRequest | None = None,
) -> RestrictiveMeasure:
    """Switch the "restrictive measures" basis on for the students of the groups, programmes and faculties,
    from starts_on to ends_on inclusive (the effective basis is read from these dates: nothing to switch
    off at the end)."""
    groups, programmes, faculties = list(groups), list(programmes), list(faculties)
    if not (groups or programmes or faculties):
        raise ValidationError(_("Choose the groups, programmes or faculties the measures cover."))
    if ends_on < starts_on:
        raise ValidationError(_("The measures cannot end before they start."))
    if not reason.strip() or not order_number.strip():
        raise ValidationError(_("Give the reason and the order's number."))
    measure = RestrictiveMeasure.objects.create(
        reason=reason.strip()[:300],
        order_number=order_number.strip()[:40],
        order_date=order_date,
        starts_on=starts_on,
        ends_on=ends_on,
        planned_ends_on=ends_on,
        created_by=by if by is not None and by.is_authenticated else None,
    )
    measure.groups.set(groups)
    measure.programmes.set(programmes)
    measure.faculties.set(faculties)
    audit_record(
        action=AuditAction.RESTRICTIVE_MEASURE_CREATED,
        actor=by,
        target=measure,
        details=_measure_details(measure),
        request=request,
    )
    return measure


@transaction.atomic
def restrictive_measure_end(
    *,
    measure: RestrictiveMeasure,
    by: User | None,
    last_day: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> RestrictiveMeasure:
    """End the measures early: last_day (by default yesterday, so that the students' own basis is theirs
    again today) becomes their last day in force."""
    measure = RestrictiveMeasure.objects.select_for_update().get(pk=measure.pk)
    today = timezone.localdate()
    last_day = last_day or today - datetime.timedelta(days=1)
    if measure.ends_on < today:
        raise ValidationError(_("These measures have already ended."))
    if last_day > measure.ends_on or last_day < today - datetime.timedelta(days=1):
        raise ValidationError(_("The measures end early on a day from yesterday to their planned end."))
    old_end = measure.ends_on
    # Measures ended before they start are in force on no day: their last day is the eve of the first.
    measure.ends_on = max(last_day, measure.starts_on - datetime.timedelta(days=1))
    measure.ended_early_by = by if by is not None and by.is_authenticated else None
    measure.save(update_fields=["ends_on", "ended_early_by"])
    audit_record(
        action=AuditAction.RESTRICTIVE_MEASURE_ENDED,
        actor=by,
        target=measure,
        details={"old_ends_on": old_end.isoformat(), "ends_on": measure.ends_on.isoformat()},
        request=request,
    )
    return measure


# --- The group's adviser (docs/decisions/0016-student-file.md) --------------------------------------------
@transaction.atomic
def group_advisor_set(
    *, group: StudyGroup, advisor: User | None, by: User | None, request: HttpRequest | None = None
) -> StudyGroup:
    """Set (or clear, with None) the group's adviser: a holder of the teacher role. The group's row is locked
    so that two people changing it at once are recorded one after the other; no change, no audit event."""
    group = StudyGroup.objects.select_for_update().get(pk=group.pk)
    if advisor is not None and not (advisor.is_active and Role.TEACHER in advisor.role_set):
        raise ValidationError(_("The adviser must be a teacher."))
    new_id = advisor.pk if advisor is not None else None
    if group.advisor_id == new_id:
        return group
    old_id = group.advisor_id
    group.advisor = advisor
    group.save(update_fields=["advisor"])
    audit_record(
        action=AuditAction.GROUP_ADVISER_SET,
        actor=by,
        target=group,
        details={"old": old_id, "new": new_id},
        request=request,
    )
    return group
