"""Every write of a grade goes through grade_post: the journal, imports, tests, assignments, attestation,
practice and appeals alike, so that each change is checked and kept (who, when, old, new, why, from where)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ustaz.academics.models import Course, Enrolment, Term
from ustaz.accounts.models import Role, User
from ustaz.core.models import AuditAction
from ustaz.core.numbers import MAX_NUMBER_TEXT, check_for_field
from ustaz.core.services import audit_record
from ustaz.notifications import services as notifications

from . import rules
from .apps import APPEAL_DECIDED, APPEAL_FILED, RETAKE_OPENED
from .models import (
    Appeal,
    AppealStatus,
    Grade,
    GradeChange,
    GradeItem,
    GradeSource,
    GradingScheme,
    ItemKind,
    Period,
    SchemeItem,
)


def parse_points(text: str) -> Decimal | None:
    """What a teacher types in a cell: "85", "85.5" or "85,5"; empty clears the grade. Bounded to the column
    that keeps points (1e30, NaN and Infinity are refused with a message, never saved)."""
    text = (text or "").strip().replace(",", ".").replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if len(text) > MAX_NUMBER_TEXT:
        raise ValidationError(
            _("“%(value)s” is not a number.") % {"value": text[:MAX_NUMBER_TEXT] + "…"}, code="not_a_number"
        )
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": text}, code="not_a_number") from None
    try:
        return check_for_field(value, Grade._meta.get_field("points"))
    except ValidationError as exc:
        if exc.code == "precision":
            raise ValidationError(_("Points are given with at most one decimal."), code="precision") from None
        raise


def entry_deadline(term: Term, week: int) -> datetime.date:
    """The last day a week's marks are entered by the teacher (rules.md: from the Monday of that week to
    the Wednesday of the next, GRADES_ENTRY_DAYS = 10 days counting that Monday)."""
    first_monday = term.starts_on - datetime.timedelta(days=term.starts_on.weekday())
    return first_monday + datetime.timedelta(weeks=week - 1, days=settings.GRADES_ENTRY_DAYS - 1)


def scheme_for(course: Course) -> GradingScheme | None:
    """The academic office's scheme for the course: its discipline's, else the one of the programme all
    its groups belong to; None means rules.md's default."""
    scheme = GradingScheme.objects.filter(discipline_id=course.discipline_id).first()
    if scheme is None:
        programmes = set(course.groups.values_list("programme_id", flat=True))
        if len(programmes) == 1:
            scheme = GradingScheme.objects.filter(programme_id=programmes.pop()).first()
    return scheme


def default_scheme() -> list[SchemeItem]:
    """rules.md's journal: current control and a midterm for each rating (weeks 7 and 15), and the exam."""
    return [
        SchemeItem(kind=ItemKind.CURRENT, period=Period.FIRST, title=_("Current control 1"), week=7),
        SchemeItem(kind=ItemKind.MIDTERM, period=Period.FIRST, title=_("Midterm 1 (RK1)"), week=7),
        SchemeItem(kind=ItemKind.CURRENT, period=Period.SECOND, title=_("Current control 2"), week=15),
        SchemeItem(kind=ItemKind.MIDTERM, period=Period.SECOND, title=_("Midterm 2 (RK2)"), week=15),
        SchemeItem(kind=ItemKind.EXAM, period=None, title=_("Exam"), week=None),
    ]


@transaction.atomic
def default_items_create(*, course: Course) -> list[GradeItem]:
    """The course's journal columns from its scheme (see scheme_for), with entry dates from the term."""
    if course.grade_items.exists():
        return list(course.grade_items.all())
    scheme = scheme_for(course)
    planned = list(scheme.items.order_by("position", "id")) if scheme else default_scheme()
    items = [
        GradeItem(
            course=course,
            kind=planned_item.kind,
            period=planned_item.period,
            title=planned_item.title,
            max_points=planned_item.max_points,
            weight=planned_item.weight,
            entry_until=entry_deadline(course.term, planned_item.week) if planned_item.week else None,
            position=position,
        )
        for position, planned_item in enumerate(planned, start=1)
    ]
    return GradeItem.objects.bulk_create(items)


@transaction.atomic
def item_create(
    *,
    course: Course,
    kind: str,
    period: int | None,
    title: str,
    max_points: Decimal = Decimal(100),
    weight: Decimal = Decimal(1),
    entry_until: datetime.date | None = None,
    attempt: int = 1,
) -> GradeItem:
    if kind == ItemKind.EXAM and attempt == 1 and course.grade_items.filter(kind=ItemKind.EXAM).exists():
        raise ValidationError(
            _("The course has its exam column; the academic office opens the retakes."), code="second_exam"
        )
    last = course.grade_items.aggregate(m=Max("position"))["m"] or 0
    item = GradeItem(
        course=course,
        kind=kind,
        period=None if kind == ItemKind.EXAM else period,
        title=title,
        max_points=max_points,
        weight=weight,
        entry_until=entry_until,
        position=last + 1,
        attempt=attempt,
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def grade_post(
    *,
    item: GradeItem,
    student: User,
    points: Decimal | None,
    posted_by: User | None,
    source: str,
    source_ref: str = "",
    reason: str = "",
    approved: bool = False,
) -> Grade | None:
    """Set (or, with None, clear) a student's points for a journal column.

    Refused: points outside 0..maximum, a student not enrolled in the course, and a change to a locked
    column unless the academic office approved it (approved=True) with a reason."""
    if source not in GradeSource.values:
        raise ValueError(f"unknown grade source {source!r}")
    if points is not None and not Decimal(0) <= points <= item.max_points:
        raise ValidationError(
            _("Points are from 0 to %(max)s.") % {"max": format(item.max_points.normalize(), "f")}, code="out_of_range"
        )
    if not Enrolment.objects.filter(course_id=item.course_id, student=student).exists():
        raise ValidationError(_("This student is not enrolled in the course."), code="not_enrolled")
    if item.is_closed and not approved:
        raise ValidationError(_("This column is locked: a change needs the academic office's approval."), code="locked")
    if item.attempt > 1 and points is not None and not _may_retake(item=item, student=student):
        raise ValidationError(_("Only a student with FX on the exam takes the retake."), code="not_fx")
    if item.is_closed and not reason.strip():
        raise ValidationError(_("Give the reason for changing a locked grade."), code="reason")
    grade = Grade.objects.select_for_update().filter(item=item, student=student).first()
    old = grade.points if grade else None
    if (
        source in (GradeSource.JOURNAL, GradeSource.IMPORT)
        and item.kind == ItemKind.EXAM
        and old is None
        and points is not None
        and _barred_for_payment(item, student)
    ):
        raise ValidationError(
            _("This student is not admitted to the exam: a contract payment is overdue."), code="overdue_payment"
        )
    if old == points:
        return grade
    if points is None:
        grade.delete()
        grade = None
    elif grade is None:
        grade = Grade.objects.create(item=item, student=student, points=points, posted_by=posted_by, source=source)
    else:
        grade.points, grade.posted_by, grade.source = points, posted_by, source
        grade.save(update_fields=["points", "posted_by", "source", "posted_at"])
    GradeChange.objects.create(
        item=item,
        student=student,
        old_points=old,
        new_points=points,
        changed_by=posted_by,
        source=source,
        source_ref=source_ref[:200],
        reason=reason,
    )
    return grade


def _barred_for_payment(item: GradeItem, student: User) -> bool:
    """The setting bars a student with an overdue contract payment from the exam, and this one owes one. (A
    result from elsewhere, an attempt begun while admitted or an appeal, is not refused: the bar is on sitting.)"""
    from .selectors import barred_from_exam

    return student.pk in barred_from_exam(item, [student.pk])


# --- Retakes (rules.md: FX, one free exam retake in the office's window; F, the discipline again) ------
def _may_retake(*, item: GradeItem, student: User) -> bool:
    """Whether the student had FX before this exam retake (two queries)."""
    from .selectors import fx_before

    items = list(GradeItem.objects.filter(course_id=item.course_id).order_by("position", "id"))
    points = dict(
        Grade.objects.filter(item__course_id=item.course_id, student=student).values_list("item_id", "points")
    )
    return fx_before(item, items, points, rules.GradingPolicy.from_settings())


@transaction.atomic
def exam_retake_open(*, course: Course, until: datetime.date, opened_by: User, request=None) -> GradeItem:
    """The academic office opens the exam retake for the course's students with FX, until the given day."""
    exams = list(course.grade_items.filter(kind=ItemKind.EXAM).order_by("attempt"))
    if not exams:
        raise ValidationError(_("The course has no exam column."), code="no_exam")
    retakes = len(exams) - 1
    if retakes >= settings.GRADES_EXAM_RETAKES:
        raise ValidationError(
            ngettext(
                "The exam may be retaken %(n)s time: after that an FX means the discipline is studied again.",
                "The exam may be retaken %(n)s times: after that an FX means the discipline is studied again.",
                settings.GRADES_EXAM_RETAKES,
            )
            % {"n": settings.GRADES_EXAM_RETAKES},
            code="retakes_used",
        )
    if until < timezone.localdate():
        raise ValidationError(_("The retake window cannot end in the past."), code="past")
    attempt = exams[-1].attempt + 1
    item = item_create(
        course=course,
        kind=ItemKind.EXAM,
        period=None,
        title=_("Exam retake %(n)s") % {"n": attempt - 1},
        entry_until=until,
        attempt=attempt,
    )
    audit_record(
        action=AuditAction.EXAM_RETAKE_OPENED,
        actor=opened_by,
        target=item,
        target_repr=f"{course} {item.title}",
        details={"course": course.pk, "attempt": attempt, "until": until.isoformat()},
        request=request,
    )
    from .selectors import journal

    _items, rows = journal(course)
    notifications.notify(
        users=[row.student for row in rows if item.pk not in row.not_retaking],
        kind=RETAKE_OPENED,
        title=gettext_lazy("Exam retake in %(course)s until %(until)s"),
        body=gettext_lazy("You have FX: the retake result replaces the first one. Ask your teacher for the time."),
        params={"course": lazy_title(course), "until": lazy(lambda: date_format(until, "SHORT_DATE_FORMAT"), str)()},
        url=reverse("grades:course", args=[course.pk]),
    )
    return item


def discipline_attempts(*, student: User, course: Course) -> list[Course]:
    """The student's courses of the same discipline, earliest first (this one included if enrolled)."""
    return list(
        Course.objects.filter(discipline_id=course.discipline_id, enrolments__student=student)
        .select_related("term")
        .order_by("term__starts_on", "pk")
    )


@transaction.atomic
def restudy_enrol(*, course: Course, student: User, enrolled_by: User, request=None) -> Enrolment:
    """Enrol a student who failed the discipline (F, or FX with the retakes used) in a later course of
    it, at most GRADES_DISCIPLINE_RETAKES times; every earlier attempt stays on the transcript."""
    from .selectors import course_result

    earlier = [c for c in discipline_attempts(student=student, course=course) if c.pk != course.pk]
    if Enrolment.objects.filter(course=course, student=student).exists():
        raise ValidationError(_("The student is already enrolled in this course."), code="enrolled")
    if not earlier:
        raise ValidationError(_("The student has not studied this discipline before."), code="first_time")
    if len(earlier) > settings.GRADES_DISCIPLINE_RETAKES:
        raise ValidationError(
            _("The discipline has been studied again the most times allowed (%(n)s).")
            % {"n": settings.GRADES_DISCIPLINE_RETAKES},
            code="retakes_used",
        )
    last = earlier[-1]
    if last.term.starts_on >= course.term.starts_on:
        raise ValidationError(_("The discipline is studied again in a later term."), code="not_later")
    result = course_result(last, student)
    if result is None or not result.is_academic_debt:
        raise ValidationError(
            _("Only a student with F (or FX after the retake) studies the discipline again."), code="not_failed"
        )
    if result.is_fx and last.grade_items.filter(kind=ItemKind.EXAM).count() <= settings.GRADES_EXAM_RETAKES:
        raise ValidationError(
            _("With FX the student retakes the exam first, in the retake window of the course."), code="retake_first"
        )
    enrolment = Enrolment.objects.create(course=course, student=student)
    audit_record(
        action=AuditAction.RESTUDY_ENROLLED,
        actor=enrolled_by,
        target=enrolment,
        target_repr=f"{student.username}: {course}",
        details={"course": course.pk, "student": student.pk, "after": last.pk, "letter": result.letter.letter},
        request=request,
    )
    return enrolment


def item_set_locked(*, item: GradeItem, locked: bool) -> None:
    GradeItem.objects.filter(pk=item.pk).update(is_locked=locked)
    item.is_locked = locked


def grades_import(
    *, item: GradeItem, filename: str, content: bytes, posted_by: User, approved: bool = False, reason: str = ""
) -> tuple[int, list[tuple[int, str]]]:
    """Points for one column from an .xlsx or .csv file with the columns login (or iin) and points.
    Every row is checked first; with any error nothing is written. Returns (rows written, errors by line)."""
    from ustaz.accounts.services import ImportFileError, read_table

    try:
        rows = read_table(filename, content, required=("points",))
    except ImportFileError as exc:
        return 0, [(1, str(exc))]
    if rows and "login" not in rows[0] and "iin" not in rows[0]:
        return 0, [(1, _("Missing columns: %(columns)s.") % {"columns": "login / iin"})]
    enrolled = {
        key: student
        for student in User.objects.filter(enrolments__course_id=item.course_id)
        for key in (("login", student.username.lower()), ("iin", student.iin))
        if key[1]
    }
    errors: list[tuple[int, str]] = []
    planned: list[tuple[User, Decimal | None]] = []
    seen: dict[int, int] = {}
    for offset, cells in enumerate(rows):
        line = offset + 2
        if not any(cells.values()):
            continue
        login, iin = cells.get("login", "").strip().lower(), cells.get("iin", "").strip()
        student = enrolled.get(("login", login)) or enrolled.get(("iin", iin))
        if student is None:
            errors.append(
                (line, _("No student of this course has the login or IIN “%(who)s”.") % {"who": login or iin})
            )
            continue
        if student.pk in seen:
            errors.append((line, _("The same student as on line %(line)s.") % {"line": seen[student.pk]}))
            continue
        seen[student.pk] = line
        try:
            points = parse_points(cells.get("points", ""))
            if points is not None and not Decimal(0) <= points <= item.max_points:
                raise ValidationError(
                    _("Points are from 0 to %(max)s.") % {"max": format(item.max_points.normalize(), "f")}
                )
        except ValidationError as exc:
            errors.append((line, exc.messages[0]))
            continue
        planned.append((student, points))
    if item.is_closed and not approved:
        errors.append((1, _("This column is locked: a change needs the academic office's approval.")))
    from .selectors import barred_from_exam

    barred = barred_from_exam(item, [student.pk for student, points in planned if points is not None])
    if barred:
        already = set(Grade.objects.filter(item=item, student_id__in=barred).values_list("student_id", flat=True))
        for student, _points in planned:
            if student.pk in barred - already:
                errors.append(
                    (seen[student.pk], _("This student is not admitted to the exam: a contract payment is overdue."))
                )
    if errors:
        return 0, sorted(errors)
    with transaction.atomic():
        for student, points in planned:
            grade_post(
                item=item,
                student=student,
                points=points,
                posted_by=posted_by,
                source=GradeSource.IMPORT,
                source_ref=filename[:200],
                approved=approved,
                reason=reason,
            )
    return len(planned), []


# --- Appeals (rules.md: filed within one working day of the exam grade's publication) ----------------
def working_days_after(moment, days: int):
    """The same time `days` working days (Monday to Friday) later, in the University's time zone."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from django.conf import settings

    # Working days are the University's, in its own time zone, whatever the student's.
    moment = timezone.localtime(moment, ZoneInfo(settings.TIME_ZONE))
    while days:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            days -= 1
    return moment


def appeal_deadline(published_at):
    """The same time on the next working day (Monday to Friday) after the grade was published, counting
    the University's setting GRADES_APPEAL_WORKING_DAYS (1 by default)."""
    from django.conf import settings

    return working_days_after(published_at, settings.GRADES_APPEAL_WORKING_DAYS)


def first_published_at(*, item: GradeItem, student: User, grade: Grade):
    """When the grade was FIRST published: its earliest change with a value (GradeChange keeps the history);
    a later edit does not reopen the appeal window (decision 0019). A grade without history: its posted_at."""
    first = (
        GradeChange.objects.filter(item=item, student=student, new_points__isnull=False)
        .order_by("changed_at", "id")
        .values_list("changed_at", flat=True)
        .first()
    )
    return first or grade.posted_at


def appeal_open_for(*, item: GradeItem, student: User, now=None) -> Grade | None:
    """The exam grade the student may still appeal, or None."""
    if item.kind != ItemKind.EXAM:
        return None
    grade = Grade.objects.filter(item=item, student=student).first()
    if grade is None or Appeal.objects.filter(item=item, student=student).exists():
        return None
    grade.first_published_at = first_published_at(item=item, student=student, grade=grade)
    return grade if (now or timezone.now()) <= appeal_deadline(grade.first_published_at) else None


@transaction.atomic
def appeal_file(*, item: GradeItem, student: User, grounds: str, now=None) -> Appeal:
    grade = appeal_open_for(item=item, student=student, now=now)
    if grade is None:
        raise ValidationError(_("This grade can no longer be appealed."), code="closed")
    if not grounds.strip():
        raise ValidationError(_("Name the questions or parts you appeal and justify each."), code="grounds")
    appeal = Appeal.objects.create(item=item, student=student, points_appealed=grade.points, grounds=grounds.strip())
    from .appeal_selectors import commission_of

    commission = commission_of(appeal)
    # That commission's members only (decision 0019); with none set yet, nobody: the office sees every appeal.
    members = commission.members.filter(User.role_filter(Role.APPEAL_COMMISSION)) if commission else User.objects.none()
    notifications.notify(
        users=members,
        kind=APPEAL_FILED,
        title=gettext_lazy("Appeal of %(student)s: %(course)s"),
        body=gettext_lazy("Grade appealed: %(points)s. Grounds: %(grounds)s"),
        params={
            "student": student.full_name or student.username,
            "course": lazy_title(item.course),
            "points": appeal.points_appealed,
            "grounds": appeal.grounds[:500],
        },
        url=reverse("grades:appeal_decide", args=[appeal.pk]),
    )
    return appeal


@transaction.atomic
def appeal_decide(
    *, appeal: Appeal, decided_by: User, granted: bool, decision: str, new_points: Decimal | None = None
) -> Appeal:
    """The appeal commission's decision; a granted appeal changes the grade through grade_post (audited).
    Only a member of the appeal's commission who did not give the grade decides (access.can_decide_appeal)."""
    from django.core.exceptions import PermissionDenied

    from . import access

    appeal = Appeal.objects.select_for_update().select_related("item__course").get(pk=appeal.pk)
    if not access.can_decide_appeal(decided_by, appeal):
        raise PermissionDenied
    if appeal.status != AppealStatus.PENDING:
        raise ValidationError(_("This appeal has been decided already."), code="decided")
    if not decision.strip():
        raise ValidationError(_("Write down the commission's decision."), code="decision")
    if granted and new_points is None:
        raise ValidationError(_("Give the new grade of a granted appeal."), code="new_points")
    if granted:
        grade_post(
            item=appeal.item,
            student=appeal.student,
            points=new_points,
            posted_by=decided_by,
            source=GradeSource.APPEAL,
            source_ref=f"appeal {appeal.pk}",
            approved=True,
            reason=decision.strip(),
        )
    appeal.status = AppealStatus.GRANTED if granted else AppealStatus.REJECTED
    appeal.decision, appeal.new_points = decision.strip(), new_points if granted else None
    appeal.decided_by, appeal.decided_at = decided_by, timezone.now()
    appeal.save()
    audit_record(
        action=AuditAction.APPEAL_DECIDED,
        actor=decided_by,
        target=appeal,
        details={"status": appeal.status, "old": str(appeal.points_appealed), "new": str(appeal.new_points)},
    )
    notifications.notify(
        users=[appeal.student],
        kind=APPEAL_DECIDED,
        title=gettext_lazy("Your appeal is granted: %(course)s")
        if granted
        else gettext_lazy("Your appeal is rejected: %(course)s"),
        body=appeal.decision,
        params={"course": lazy_title(appeal.item.course)},
        url=reverse("grades:course", args=[appeal.item.course_id]),
    )
    return appeal


def lazy_title(course: Course):
    """The course's title in the language active when it is read (each reader's, in a notice)."""
    return lazy(lambda: course.title, str)()
