"""Every write of a grade goes through grade_post: the journal, imports, tests, assignments, attestation,
practice and appeals alike, so that each change is checked and kept (who, when, old, new, why, from where)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ustaz.academics.models import Course, Enrolment
from ustaz.accounts.models import User

from .models import Appeal, AppealStatus, Grade, GradeChange, GradeItem, GradeSource, ItemKind, Period


def parse_points(text: str) -> Decimal | None:
    """What a teacher types in a cell: "85", "85.5" or "85,5"; empty clears the grade."""
    text = (text or "").strip().replace(",", ".").replace(" ", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": text}, code="not_a_number") from None
    if not value.is_finite() or value != value.quantize(Decimal("0.1")):
        raise ValidationError(_("Points are given with at most one decimal."), code="precision")
    return value


@transaction.atomic
def default_items_create(*, course: Course) -> list[GradeItem]:
    """The default journal of rules.md: current control and a midterm for each rating, and the exam."""
    if course.grade_items.exists():
        return list(course.grade_items.all())
    items = [
        GradeItem(course=course, kind=ItemKind.CURRENT, period=Period.FIRST, title=_("Current control 1"), position=1),
        GradeItem(course=course, kind=ItemKind.MIDTERM, period=Period.FIRST, title=_("Midterm 1 (RK1)"), position=2),
        GradeItem(course=course, kind=ItemKind.CURRENT, period=Period.SECOND, title=_("Current control 2"), position=3),
        GradeItem(course=course, kind=ItemKind.MIDTERM, period=Period.SECOND, title=_("Midterm 2 (RK2)"), position=4),
        GradeItem(course=course, kind=ItemKind.EXAM, period=None, title=_("Exam"), position=5),
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
) -> GradeItem:
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
    if item.is_closed and not reason.strip():
        raise ValidationError(_("Give the reason for changing a locked grade."), code="reason")
    grade = Grade.objects.select_for_update().filter(item=item, student=student).first()
    old = grade.points if grade else None
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
def appeal_deadline(published_at):
    """The same time on the next working day (Monday to Friday) after the grade was published, counting
    the University's setting GRADES_APPEAL_WORKING_DAYS (1 by default)."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from django.conf import settings

    # Working days are the University's, in its own time zone, whatever the student's.
    moment = timezone.localtime(published_at, ZoneInfo(settings.TIME_ZONE))
    days = getattr(settings, "GRADES_APPEAL_WORKING_DAYS", 1)
    while days:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            days -= 1
    return moment


def appeal_open_for(*, item: GradeItem, student: User, now=None) -> Grade | None:
    """The exam grade the student may still appeal, or None."""
    if item.kind != ItemKind.EXAM:
        return None
    grade = Grade.objects.filter(item=item, student=student).first()
    if grade is None or Appeal.objects.filter(item=item, student=student).exists():
        return None
    return grade if (now or timezone.now()) <= appeal_deadline(grade.posted_at) else None


@transaction.atomic
def appeal_file(*, item: GradeItem, student: User, grounds: str, now=None) -> Appeal:
    grade = appeal_open_for(item=item, student=student, now=now)
    if grade is None:
        raise ValidationError(_("This grade can no longer be appealed."), code="closed")
    if not grounds.strip():
        raise ValidationError(_("Name the questions or parts you appeal and justify each."), code="grounds")
    return Appeal.objects.create(item=item, student=student, points_appealed=grade.points, grounds=grounds.strip())


@transaction.atomic
def appeal_decide(
    *, appeal: Appeal, decided_by: User, granted: bool, decision: str, new_points: Decimal | None = None
) -> Appeal:
    """The appeal commission's decision; a granted appeal changes the grade through grade_post (audited)."""
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
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
    return appeal
