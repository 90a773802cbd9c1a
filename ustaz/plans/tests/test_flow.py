"""The adviser approves or returns a submitted plan (the student is told, in their language); the student
changes and resubmits; an approved plan is read-only until the office reopens it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation

from testkit.factories import StudyGroupFactory, UserFactory
from ustaz.accounts.models import Role
from ustaz.core.models import AuditAction, AuditEvent
from ustaz.plans import access, services
from ustaz.plans.models import PlanStatus

from .conftest import el4_options, full_choice, make_student


def submitted(school, name="Student"):
    student = make_student(school.group, name=name)
    plan = services.plan_save(student=student, academic_year=school.year, chosen_ids=full_choice(school), submit=True)
    return student, plan


def test_the_adviser_approves_and_the_plan_is_read_only(school):
    student, plan = submitted(school)
    plan = services.plan_approve(plan=plan, by=school.adviser)
    assert plan.status == PlanStatus.APPROVED and plan.decided_by == school.adviser
    assert AuditEvent.objects.filter(action=AuditAction.STUDY_PLAN_APPROVED, target_id=str(plan.pk)).exists()
    notice = student.notifications.get(kind="plans.decided")
    assert "approved" in notice.title
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.plan_save(student=student, academic_year=school.year, chosen_ids=full_choice(school), submit=False)
    with pytest.raises(ValidationError, match="Only a submitted plan"):
        services.plan_approve(plan=plan, by=school.adviser)


def test_returned_with_a_reason_then_changed_and_resubmitted(school):
    student, plan = submitted(school)
    with pytest.raises(ValidationError, match="Say why"):
        services.plan_return(plan=plan, by=school.adviser, reason="   ")
    plan = services.plan_return(plan=plan, by=school.adviser, reason="Take Harmony instead")
    assert plan.status == PlanStatus.RETURNED
    event = AuditEvent.objects.get(action=AuditAction.STUDY_PLAN_RETURNED, target_id=str(plan.pk))
    assert event.details["reason"] == "Take Harmony instead"
    notice = student.notifications.get(kind="plans.decided")
    assert "returned" in notice.title and "Take Harmony instead" in notice.body
    changed = [school.elective_a.pk, el4_options(school)[1].pk]
    plan = services.plan_save(student=student, academic_year=school.year, chosen_ids=changed, submit=True)
    assert plan.status == PlanStatus.SUBMITTED
    assert set(changed) <= set(plan.lines.values_list("curriculum_line_id", flat=True))
    assert services.plan_approve(plan=plan, by=school.adviser).status == PlanStatus.APPROVED


def test_a_return_reason_has_a_bound(school, settings):
    settings.PLANS_RETURN_REASON_MAX_CHARS = 10
    _student, plan = submitted(school)
    with pytest.raises(ValidationError, match="at most 10"):
        services.plan_return(plan=plan, by=school.adviser, reason="x" * 11)


def test_the_office_reopens_an_approved_plan(school):
    student, plan = submitted(school)
    services.plan_approve(plan=plan, by=school.adviser)
    with translation.override("ru"):  # the office works in Russian; the student reads in their own language
        plan = services.plan_reopen(plan=plan, by=school.office)
    assert plan.status == PlanStatus.RETURNED and plan.return_reason == ""  # no text in the office's language
    from django.urls import reverse

    from conftest import client_for

    student.language = "kk"
    student.save()
    with translation.override("kk"):
        said = translation.gettext("Reopened by the academic office.")
    assert said != "Reopened by the academic office."
    with translation.override("en"):  # the request activates the student's language; put back after it
        page = client_for(student).get(reverse("plans:plan", args=[plan.pk])).content.decode()
    assert said in page
    assert AuditEvent.objects.filter(action=AuditAction.STUDY_PLAN_REOPENED, target_id=str(plan.pk)).exists()
    plan = services.plan_save(student=student, academic_year=school.year, chosen_ids=full_choice(school), submit=True)
    assert plan.status == PlanStatus.SUBMITTED
    with pytest.raises(ValidationError, match="already open"):
        services.plan_reopen(plan=services.plan_return(plan=plan, by=school.adviser, reason="no"), by=school.office)


def test_only_the_groups_adviser_decides(school):
    _student, plan = submitted(school)
    other_adviser = UserFactory(roles=f",{Role.TEACHER},")
    StudyGroupFactory(programme=school.programme, advisor=other_adviser)
    with pytest.raises(PermissionDenied):
        access.get_plan_to_decide_for(school.office, plan.pk)
    with pytest.raises(Http404):
        access.get_plan_to_decide_for(other_adviser, plan.pk)
    assert access.get_plan_to_decide_for(school.adviser, plan.pk) == plan


def test_only_the_owner_reads_their_plan_among_students(school):
    student, plan = submitted(school)
    classmate = make_student(school.group, name="Classmate")
    assert access.get_plan_for(student, plan.pk)[0] == plan
    with pytest.raises(Http404):
        access.get_plan_for(classmate, plan.pk)
    rector = UserFactory(roles=f",{Role.RECTOR},")
    assert access.get_plan_for(rector, plan.pk)[0] == plan
    with pytest.raises(PermissionDenied):
        access.get_plan_to_reopen_for(rector, plan.pk)
