"""Reads of the appeal commission (decision 0019): whose appeals a member sees, the commission of an appeal,
the decision's deadline."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from ustaz.academics.models import StudentRecord
from ustaz.accounts.models import Role, User

from .models import Appeal, AppealCommission, AppealStatus


def commission_of(appeal: Appeal) -> AppealCommission | None:
    """The commission of the appeal's programme (the student's record) and term (the course's)."""
    programme_id = StudentRecord.objects.filter(student_id=appeal.student_id).values("programme_id")[:1]
    return (
        AppealCommission.objects.select_related("programme", "term__academic_year", "chair")
        .filter(programme_id__in=programme_id, term_id=appeal.item.course.term_id)
        .first()
    )


def appeals_for(user: User) -> QuerySet[Appeal]:
    """Every appeal for the office and an admin; a member's commissions' appeals for a member; none otherwise."""
    listed = Appeal.objects.select_related("item__course__discipline", "item__course__term", "student")
    if user.is_authenticated and user.has_role(Role.ACADEMIC_OFFICE, Role.ADMIN):
        return listed
    if not (user.is_authenticated and user.has_role(Role.APPEAL_COMMISSION)):
        return listed.none()
    mine = AppealCommission.objects.filter(
        members=user,
        programme_id=OuterRef("student__student_record__programme_id"),
        term_id=OuterRef("item__course__term_id"),
    )
    return listed.filter(Exists(mine))


def decision_deadline(filed_at):
    """rules.md: the commission decides within GRADES_APPEAL_DECISION_WORKING_DAYS (1) working days."""
    from .services import working_days_after

    return working_days_after(filed_at, settings.GRADES_APPEAL_DECISION_WORKING_DAYS)


def with_deadlines(appeals, now=None) -> list[Appeal]:
    """Each appeal with .decide_by and .overdue (pending and past the deadline); no query per row."""
    now = now or timezone.now()
    rows = list(appeals)
    for appeal in rows:
        appeal.decide_by = decision_deadline(appeal.filed_at)
        appeal.overdue = appeal.status == AppealStatus.PENDING and now > appeal.decide_by
    return rows


def commissions() -> QuerySet[AppealCommission]:
    return AppealCommission.objects.select_related("programme", "term__academic_year", "chair").prefetch_related(
        "members"
    )
