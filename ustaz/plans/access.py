"""Who may see or do what with study plans.

A student reads their own plans and, while the window is open and they study, chooses and submits. The
adviser of the student's group (a teacher) reads the plans of the groups they advise and approves or returns
the submitted ones. The academic office (and an administrator) opens the windows, reads every plan, reopens a
plan and makes the courses from the approved plans; the rector reads every plan. Anybody else learns nothing:
404 for a plan, 403 for the lists.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from ustaz.academics.access import is_advisor_of
from ustaz.academics.models import StudentRecord
from ustaz.accounts.models import Role, User

from .models import ElectiveWindow, PlanStatus, StudyPlan

MANAGERS = (Role.ACADEMIC_OFFICE, Role.ADMIN)
READERS_OF_ALL = (Role.ACADEMIC_OFFICE, Role.ADMIN, Role.RECTOR)


def can_manage_plans(user: User) -> bool:
    return user.is_authenticated and user.has_role(*MANAGERS)


def can_read_all_plans(user: User) -> bool:
    return user.is_authenticated and user.has_role(*READERS_OF_ALL)


def can_advise(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.TEACHER)


def own_record(user: User) -> StudentRecord | None:
    """The student's record, for their own plan page; None for anybody who is not a student."""
    if not user.is_authenticated or not user.has_role(Role.STUDENT):
        return None
    return StudentRecord.objects.select_related("group", "programme").filter(student_id=user.pk).first()


def can_view_plan(user: User, plan: StudyPlan, record: StudentRecord) -> bool:
    if not user.is_authenticated:
        return False
    return plan.student_id == user.pk or can_read_all_plans(user) or is_advisor_of(user, record)


def get_plan_for(user: User, pk: int) -> tuple[StudyPlan, StudentRecord]:
    """The plan with its student's record; 404 for anyone who may not read it."""
    if not user.is_authenticated:
        raise Http404
    plan = (
        StudyPlan.objects.select_related("academic_year", "student", "curriculum", "decided_by").filter(pk=pk).first()
    )
    if plan is None:
        raise Http404
    record = StudentRecord.objects.select_related("group", "programme").filter(student_id=plan.student_id).first()
    if record is None or not can_view_plan(user, plan, record):
        raise Http404
    return plan, record


def can_decide_plan(user: User, plan: StudyPlan, record: StudentRecord) -> bool:
    """The adviser of the student's group approves or returns a submitted plan."""
    return is_advisor_of(user, record)


def get_plan_to_decide_for(user: User, pk: int) -> StudyPlan:
    plan, record = get_plan_for(user, pk)
    if not can_decide_plan(user, plan, record):
        raise PermissionDenied
    return plan


def get_plan_to_reopen_for(user: User, pk: int) -> StudyPlan:
    plan, _record = get_plan_for(user, pk)
    if not can_manage_plans(user):
        raise PermissionDenied
    return plan


def get_window_for(user: User, pk: int) -> ElectiveWindow:
    if not can_manage_plans(user):
        raise PermissionDenied
    window = ElectiveWindow.objects.select_related("academic_year").filter(pk=pk).first()
    if window is None:
        raise Http404
    return window


def capabilities(user: User, plan: StudyPlan | None = None, record: StudentRecord | None = None) -> dict[str, bool]:
    """What the templates may offer: the same answers as the views."""
    submitted = plan is not None and plan.status == PlanStatus.SUBMITTED
    decide = plan is not None and record is not None and can_decide_plan(user, plan, record)
    return {
        "manage": can_manage_plans(user),
        "approve": decide and submitted,
        "return": decide and submitted,
        "reopen": can_manage_plans(user) and plan is not None and not plan.is_editable,
    }


def file_section_context(viewer: User, record: StudentRecord) -> dict | None:
    """The plans section of the student's file: for the student, their adviser, the office and the rector."""
    if not viewer.is_authenticated:
        return None
    if not (record.student_id == viewer.pk or can_read_all_plans(viewer) or is_advisor_of(viewer, record)):
        return None
    from .selectors import file_plans

    return {"plans": file_plans(record)}
