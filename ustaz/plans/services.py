"""Writes with a rule in study plans: the elective window, a student's choice and its submission, the
adviser's approval or return, the office's reopening, and the courses and enrolments made from the approved
plans (docs/decisions/0013-study-plans.md)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ustaz.academics import services as academics_services
from ustaz.academics.models import (
    AcademicYear,
    Enrolment,
    Programme,
    StudentRecord,
    StudentStatus,
    Term,
)
from ustaz.accounts.models import User
from ustaz.core import imports
from ustaz.core.models import AuditAction, ImportJob, ImportJobStatus
from ustaz.core.services import audit_record
from ustaz.grades import services as grades_services
from ustaz.notifications import services as notifications

from . import selectors
from .apps import PLAN_DECIDED, PLAN_SUBMITTED
from .models import ElectiveWindow, PlanLine, PlannedCourse, PlanStatus, StudyPlan


# --- The elective window ------------------------------------------------------------------------------------
@transaction.atomic
def window_save(
    *,
    academic_year: AcademicYear,
    opens_on: datetime.date,
    closes_on: datetime.date,
    programmes: Iterable[Programme] = (),
    window: ElectiveWindow | None = None,
    by: User | None,
    request: HttpRequest | None = None,
) -> ElectiveWindow:
    if closes_on < opens_on:
        raise ValidationError(_("The window cannot close before it opens."), code="dates")
    if closes_on >= academic_year.ends_on:
        raise ValidationError(
            _("The window must close before the academic year it is for ends (%(day)s).")
            % {"day": academic_year.ends_on.strftime("%d.%m.%Y")},
            code="too_late",
        )
    if window is None:
        window = ElectiveWindow(created_by=by)
    window.academic_year, window.opens_on, window.closes_on = academic_year, opens_on, closes_on
    window.save()
    window.programmes.set(programmes)
    audit_record(
        action=AuditAction.ELECTIVE_WINDOW_SAVED,
        actor=by,
        target=window,
        details={
            "academic_year": academic_year.name,
            "opens_on": opens_on.isoformat(),
            "closes_on": closes_on.isoformat(),
            "programmes": sorted(p.code for p in window.programmes.all()),
        },
        request=request,
    )
    return window


@transaction.atomic
def window_close(*, window: ElectiveWindow, by: User | None, request: HttpRequest | None = None) -> ElectiveWindow:
    """Close the window now: yesterday becomes its last day (a window not yet open is open on no day)."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    if window.closes_on <= yesterday:
        return window
    closes_on = yesterday
    opens_on = min(window.opens_on, closes_on)
    return window_save(
        academic_year=window.academic_year,
        opens_on=opens_on,
        closes_on=closes_on,
        programmes=list(window.programmes.all()),
        window=window,
        by=by,
        request=request,
    )


# --- A student's choice --------------------------------------------------------------------------------------
def choice_problems(frame: selectors.Frame, chosen_ids: set[int], *, complete: bool) -> list[str]:
    """What is wrong with the electives chosen: an option not offered, a group over its credits, and (when the
    plan is submitted) a group whose chosen credits are not its credits to choose."""
    found = []
    offered = {line.pk for group in frame.groups for line in group.options}
    if chosen_ids - offered:
        found.append(_("A discipline chosen is not offered in this plan's elective groups."))
    for group in frame.groups:
        credits = sum(line.credits for line in group.options if line.pk in chosen_ids)
        if credits > group.credits_to_choose or (complete and credits != group.credits_to_choose):
            found.append(
                _("Elective group %(code)s %(name)s: choose disciplines of %(expected)s credits; chosen: %(credits)s.")
                % {"code": group.code, "name": group.name, "expected": group.credits_to_choose, "credits": credits}
            )
    return found


def credit_problems(lines: list[PlanLine], term_numbers: list[int]) -> list[str]:
    return [
        _("Term %(term)s has %(credits)s credits; a plan's term may have at most %(most)s.")
        % {"term": t.number, "credits": t.credits, "most": settings.PLANS_TERM_CREDITS_MAX}
        for t in selectors.credits_by_term(lines, term_numbers)
        if t.over
    ]


@transaction.atomic
def plan_save(
    *,
    student: User,
    academic_year: AcademicYear,
    chosen_ids: Iterable[int],
    submit: bool,
    request: HttpRequest | None = None,
    on: datetime.date | None = None,
) -> StudyPlan:
    """Save the student's choice of electives for the year (their compulsory lines and debts added), and
    submit it to the adviser when asked. Only a studying student, while the window is open for their
    programme (or, for a plan returned to them, whenever it is returned), and only a plan not submitted or
    approved. `on` is the day the window is checked for (today; the demo's plans of last spring give that
    spring's day)."""
    record = (
        StudentRecord.objects.select_for_update()
        .select_related("group", "programme", "student")
        .filter(student=student)
        .first()
    )
    if record is None or record.status != StudentStatus.ACTIVE:
        raise ValidationError(_("Only a studying student chooses electives."), code="not_active")
    plan = StudyPlan.objects.select_for_update().filter(student=student, academic_year=academic_year).first()
    # A plan returned (by the adviser, or reopened by the office) is changed and resubmitted whenever it comes
    # back; a plan is begun, and a draft changed, only while the window is open.
    returned = plan is not None and plan.status == PlanStatus.RETURNED
    if not returned and not selectors.window_open_for(record, academic_year, on):
        raise ValidationError(_("The elective window for this academic year is not open."), code="closed")
    frame = selectors.plan_frame(record, academic_year)
    if frame.curriculum is None:
        raise ValidationError(
            _("Your group has no curriculum in force yet: ask the academic office."), code="no_curriculum"
        )
    chosen_ids = {int(x) for x in chosen_ids}
    problems = choice_problems(frame, chosen_ids, complete=submit)
    if problems:
        raise ValidationError([ValidationError(m, code="choice") for m in problems])
    if plan is not None and not plan.is_editable:
        raise ValidationError(
            _("The plan is %(status)s: it can no longer be changed.") % {"status": plan.get_status_display().lower()},
            code="read_only",
        )
    if plan is None:
        plan = StudyPlan.objects.create(student=student, academic_year=academic_year, curriculum=frame.curriculum)
    elif plan.curriculum_id != frame.curriculum.pk:
        plan.curriculum = frame.curriculum
    chosen = [frame.option(pk) for pk in sorted(chosen_ids)]
    lines = selectors.lines_for(frame, plan, chosen)
    if submit:
        problems = credit_problems(lines, frame.term_numbers)
        if problems:
            raise ValidationError([ValidationError(m, code="credits") for m in problems])
    plan.lines.all().delete()
    PlanLine.objects.bulk_create(lines)
    if submit:
        plan.status = PlanStatus.SUBMITTED
        plan.submitted_at = timezone.now()
    plan.save()
    if submit:
        audit_record(
            action=AuditAction.STUDY_PLAN_SUBMITTED,
            actor=student,
            target=plan,
            details={"lines": len(lines), "chosen": sorted(chosen_ids)},
            request=request,
        )
        adviser = record.group.advisor
        if adviser is not None:
            notifications.notify(
                users=[adviser],
                kind=PLAN_SUBMITTED,
                title=gettext_lazy("%(student)s submitted the study plan for %(year)s"),
                params={"student": student.get_full_name() or student.username, "year": academic_year.name},
                url=reverse("plans:plan", args=[plan.pk]),
            )
    return plan


# --- The adviser's decision, the office's reopening ----------------------------------------------------------
def _locked(plan: StudyPlan) -> StudyPlan:
    return StudyPlan.objects.select_for_update().select_related("academic_year", "student").get(pk=plan.pk)


def _tell_student(plan: StudyPlan, title, body="", params=None) -> None:
    notifications.notify(
        users=[plan.student],
        kind=PLAN_DECIDED,
        title=title,
        body=body,
        params={"year": plan.academic_year.name, **(params or {})},
        url=reverse("plans:plan", args=[plan.pk]),
    )


@transaction.atomic
def plan_approve(*, plan: StudyPlan, by: User, request: HttpRequest | None = None) -> StudyPlan:
    plan = _locked(plan)
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted plan is approved."), code="not_submitted")
    plan.status, plan.decided_at, plan.decided_by, plan.return_reason = PlanStatus.APPROVED, timezone.now(), by, ""
    plan.save()
    audit_record(action=AuditAction.STUDY_PLAN_APPROVED, actor=by, target=plan, request=request)
    _tell_student(plan, gettext_lazy("Your study plan for %(year)s is approved"))
    return plan


@transaction.atomic
def plan_return(*, plan: StudyPlan, by: User, reason: str, request: HttpRequest | None = None) -> StudyPlan:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the plan is returned."), code="no_reason")
    if len(reason) > settings.PLANS_RETURN_REASON_MAX_CHARS:
        raise ValidationError(
            _("The reason may be at most %(n)s characters long.") % {"n": settings.PLANS_RETURN_REASON_MAX_CHARS},
            code="too_long",
        )
    plan = _locked(plan)
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted plan is returned."), code="not_submitted")
    plan.status, plan.decided_at, plan.decided_by, plan.return_reason = PlanStatus.RETURNED, timezone.now(), by, reason
    plan.save()
    audit_record(
        action=AuditAction.STUDY_PLAN_RETURNED, actor=by, target=plan, details={"reason": reason}, request=request
    )
    _tell_student(
        plan,
        gettext_lazy("Your study plan for %(year)s is returned for changes"),
        gettext_lazy("The adviser's reason: %(reason)s"),
        {"reason": reason},
    )
    return plan


@transaction.atomic
def plan_reopen(*, plan: StudyPlan, by: User, request: HttpRequest | None = None) -> StudyPlan:
    """The office opens a submitted or approved plan to the student's changes again (while the window is open
    the student changes and resubmits it)."""
    plan = _locked(plan)
    if plan.is_editable:
        raise ValidationError(_("The plan is already open to changes."), code="editable")
    old = plan.status
    plan.status, plan.decided_at, plan.decided_by = PlanStatus.RETURNED, timezone.now(), by
    # No text stored: the page says "reopened by the academic office" in its reader's language (an adviser's
    # return always has a reason, so a returned plan without one is a reopened plan).
    plan.return_reason = ""
    plan.save()
    audit_record(action=AuditAction.STUDY_PLAN_REOPENED, actor=by, target=plan, details={"was": old}, request=request)
    _tell_student(plan, gettext_lazy("Your study plan for %(year)s is open to changes again"))
    return plan


# --- Courses and enrolments from the approved plans ------------------------------------------------------------
@dataclass
class Applied:
    courses_created: int = 0
    courses_reused: int = 0
    enrolments_added: int = 0
    restudy_refused: int = 0  # the gradebook refused to enrol a student to study the discipline again


def _course_for(term: Term, proposed: selectors.ProposedCourse):
    """The discipline's course of the term: the one made from plans before, an existing one (then linked), or
    a new one. The unique (term, discipline) of PlannedCourse keeps two runs from making two courses."""
    if proposed.course is not None:
        try:
            with transaction.atomic():
                PlannedCourse.objects.get_or_create(
                    term=term,
                    discipline=proposed.discipline,
                    defaults={"course": proposed.course, "curriculum_line_id": proposed.curriculum_line_id},
                )
        except IntegrityError:
            pass  # another run linked it meanwhile
        return proposed.course, False
    try:
        with transaction.atomic():
            course = academics_services.course_create(discipline=proposed.discipline, term=term)
            PlannedCourse.objects.create(
                course=course, term=term, discipline=proposed.discipline, curriculum_line_id=proposed.curriculum_line_id
            )
            return course, True
    except IntegrityError:
        return PlannedCourse.objects.select_related("course").get(
            term=term, discipline=proposed.discipline
        ).course, False


def plans_apply(
    *, term: Term, by: User | None, progress: Callable[[int, int], None] | None = None, request=None
) -> Applied:
    """Make the term's courses and enrolments from the approved plans, one discipline at a time (each in its
    own short transaction, so the progress shows and a second run finds what the first made): applying again
    adds nothing."""
    plan = selectors.proposal(term)
    done = Applied()
    total = len(plan.courses)
    for n, proposed in enumerate(plan.courses, start=1):
        with transaction.atomic():
            course, created = _course_for(term, proposed)
            done.courses_created += created
            done.courses_reused += not created
            course.groups.add(*proposed.groups)
            already = set(
                Enrolment.objects.filter(course=course, student_id__in=proposed.student_ids).values_list(
                    "student_id", flat=True
                )
            )
            new = [
                Enrolment(course=course, student_id=s)
                for s in proposed.student_ids
                if s not in already and s not in proposed.restudy_ids
            ]
            Enrolment.objects.bulk_create(new, ignore_conflicts=True)
            done.enrolments_added += len(new)
            # A discipline studied again is enrolled by the gradebook's own rule (its attempts, audited).
            for student in User.objects.filter(pk__in=proposed.restudy_ids - already).order_by("pk"):
                try:
                    with transaction.atomic():
                        grades_services.restudy_enrol(course=course, student=student, enrolled_by=by, request=request)
                except ValidationError:
                    done.restudy_refused += 1
                else:
                    done.enrolments_added += 1
        if progress is not None:
            progress(n, total)
    audit_record(
        action=AuditAction.STUDY_PLANS_APPLIED,
        actor=by,
        target=term,
        details={
            "courses_created": done.courses_created,
            "courses_reused": done.courses_reused,
            "enrolments_added": done.enrolments_added,
            "restudy_refused": done.restudy_refused,
            "students": plan.students,
        },
        request=request,
    )
    return done


def plans_apply_start(*, term: Term, by: User, language: str) -> ImportJob:
    """Queue the application of the plans to the term as a background job (ustaz.core.imports), whose page
    shows its progress: courses done of the courses proposed."""
    total = len(selectors.proposal(term).courses)
    return imports.import_job_start(
        kind="plans.apply",
        runner="ustaz.plans.services.plans_apply_job_run",
        filename=str(term),
        content=b"",
        created_by=by,
        total=total,
        params={
            "term": term.pk,
            "language": language,
            "title": _("Courses and enrolments of %(term)s from the approved plans") % {"term": term},
        },
    )


def plans_apply_job_run(job: ImportJob) -> None:
    term = Term.objects.select_related("academic_year").filter(pk=job.params.get("term")).first()
    if term is None:
        imports.job_refuse(job, [(1, _("The term no longer exists."))])
        return
    imports.job_progress(job, status=ImportJobStatus.APPLYING, checked=job.total)

    def progress(n: int, total: int) -> None:
        imports.job_progress(job, applied=n, total=max(total, job.total))

    done = plans_apply(term=term, by=job.created_by, progress=progress)
    job.applied = done.courses_created + done.courses_reused
    imports.job_done(
        job,
        {
            "count": job.applied,
            "courses_created": done.courses_created,
            "courses_reused": done.courses_reused,
            "enrolments_added": done.enrolments_added,
            "summary": ngettext(
                "%(made)s course made and %(reused)s reused; %(n)s enrolment added.",
                "%(made)s courses made and %(reused)s reused; %(n)s enrolments added.",
                done.enrolments_added,
            )
            % {"made": done.courses_created, "reused": done.courses_reused, "n": done.enrolments_added},
        },
    )
