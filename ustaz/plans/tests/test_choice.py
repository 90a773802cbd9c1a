"""A student's choice: compulsory lines added, electives by the group's credits, only in an open window, only a
studying student, only their own plan."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ustaz.academics.models import StudentStatus
from ustaz.core.models import AuditAction, AuditEvent
from ustaz.plans import selectors, services
from ustaz.plans.models import PlanLineKind, PlanStatus

from .conftest import el4_options, full_choice, make_student, make_year


def save(student, school, chosen, submit=False):
    return services.plan_save(student=student, academic_year=school.year, chosen_ids=chosen, submit=submit)


def test_the_plan_holds_the_years_compulsory_lines_and_the_electives_chosen(school):
    student = make_student(school.group)
    plan = save(student, school, full_choice(school))
    lines = list(plan.lines.all())
    by_curriculum_line = {line.curriculum_line_id for line in lines}
    assert {x.pk for x in school.compulsory} <= by_curriculum_line
    assert set(full_choice(school)) <= by_curriculum_line
    # Only this year's terms: term 1's line and the electives not chosen are not in it.
    assert school.first_year_line.pk not in by_curriculum_line
    assert school.elective_a.pk not in by_curriculum_line
    assert {line.term_number for line in lines} == {3, 4}
    assert {(line.term_number, line.term_kind) for line in lines} == {(3, "autumn"), (4, "spring")}
    terms = selectors.credits_by_term(lines, [3, 4])
    assert [(t.number, t.credits) for t in terms] == [(3, 30), (4, 30)]
    assert not any(t.warning or t.over for t in terms)


def test_a_plan_is_submitted_only_with_each_groups_credits_chosen(school):
    student = make_student(school.group)
    # 3 credits of EL-3's 5: saved as a draft, refused at submission, with the group named.
    save(student, school, [school.elective_c.pk, el4_options(school)[0].pk])
    with pytest.raises(ValidationError) as refused:
        save(student, school, [school.elective_c.pk, el4_options(school)[0].pk], submit=True)
    assert "EL-3" in refused.value.messages[0]
    assert "5" in refused.value.messages[0] and "3" in refused.value.messages[0]
    plan = selectors.plan_of(student, school.year)
    assert plan.status == PlanStatus.DRAFT


def test_more_than_a_groups_credits_is_refused_even_in_a_draft(school):
    student = make_student(school.group)
    with pytest.raises(ValidationError, match="EL-3"):
        save(student, school, [school.elective_a.pk, school.elective_b.pk])
    assert selectors.plan_of(student, school.year) is None


def test_a_line_not_offered_cannot_be_chosen(school):
    student = make_student(school.group)
    with pytest.raises(ValidationError, match="not offered"):
        save(student, school, [school.compulsory[0].pk])
    with pytest.raises(ValidationError, match="not offered"):
        save(student, school, [school.first_year_line.pk])


def test_submitting_records_the_audit_and_tells_the_adviser(school):
    student = make_student(school.group)
    plan = save(student, school, full_choice(school), submit=True)
    assert plan.status == PlanStatus.SUBMITTED
    assert AuditEvent.objects.filter(action=AuditAction.STUDY_PLAN_SUBMITTED, target_id=str(plan.pk)).exists()
    assert school.adviser.notifications.filter(kind="plans.submitted").count() == 1


def test_a_submitted_plan_cannot_be_changed_by_the_student(school):
    student = make_student(school.group)
    save(student, school, full_choice(school), submit=True)
    with pytest.raises(ValidationError, match="can no longer be changed"):
        save(student, school, [school.elective_a.pk, el4_options(school)[1].pk], submit=True)


def test_nobody_chooses_outside_the_window(school):
    student = make_student(school.group)
    services.window_close(window=school.window, by=school.office)
    school.window.refresh_from_db()
    assert school.window.closes_on < timezone.localdate()
    with pytest.raises(ValidationError, match="not open"):
        save(student, school, full_choice(school))
    # A window not yet open does not let them in either.
    school.window.opens_on = timezone.localdate() + datetime.timedelta(days=1)
    school.window.closes_on = timezone.localdate() + datetime.timedelta(days=5)
    school.window.save()
    with pytest.raises(ValidationError, match="not open"):
        save(student, school, full_choice(school))


def test_a_window_for_other_programmes_does_not_open_to_this_one(school):
    from testkit.factories import ProgrammeFactory

    services.window_save(
        academic_year=school.year,
        opens_on=school.window.opens_on,
        closes_on=school.window.closes_on,
        programmes=[ProgrammeFactory()],
        window=school.window,
        by=school.office,
    )
    with pytest.raises(ValidationError, match="not open"):
        save(make_student(school.group), school, full_choice(school))
    services.window_save(
        academic_year=school.year,
        opens_on=school.window.opens_on,
        closes_on=school.window.closes_on,
        programmes=[school.programme],
        window=school.window,
        by=school.office,
    )
    assert save(make_student(school.group, name="Second"), school, full_choice(school)).pk


def test_a_window_for_another_year_does_not_open_this_one(school):
    next_year, _a, _s = make_year(2027)
    services.window_save(
        academic_year=next_year,
        opens_on=school.window.opens_on,
        closes_on=school.window.closes_on,
        window=school.window,
        by=school.office,
    )
    with pytest.raises(ValidationError, match="not open"):
        save(make_student(school.group), school, full_choice(school))


@pytest.mark.parametrize("status", [StudentStatus.ACADEMIC_LEAVE, StudentStatus.EXPELLED, StudentStatus.GRADUATED])
def test_only_a_studying_student_chooses(school, status):
    with pytest.raises(ValidationError, match="Only a studying student"):
        save(make_student(school.group, status=status), school, full_choice(school))


def test_window_dates_are_checked(school):
    with pytest.raises(ValidationError, match="close before it opens"):
        services.window_save(
            academic_year=school.year,
            opens_on=datetime.date(2026, 10, 2),
            closes_on=datetime.date(2026, 10, 1),
            by=school.office,
        )
    with pytest.raises(ValidationError, match="before the academic year"):
        services.window_save(
            academic_year=school.year,
            opens_on=datetime.date(2026, 10, 2),
            closes_on=datetime.date(2027, 7, 1),
            by=school.office,
        )


def test_a_term_over_the_most_credits_is_refused_and_off_the_usual_credits_warned(school, settings):
    student = make_student(school.group)
    settings.PLANS_TERM_CREDITS_MAX = 29
    with pytest.raises(ValidationError, match="at most 29"):
        save(student, school, full_choice(school), submit=True)
    settings.PLANS_TERM_CREDITS_MAX = 40
    settings.CURRICULA_TERM_CREDITS = 32
    plan = save(student, school, full_choice(school), submit=True)
    terms = selectors.credits_by_term(list(plan.lines.all()), [3, 4])
    assert all(t.warning and not t.over for t in terms)
    settings.CURRICULA_YEAR_CREDITS = 64
    assert selectors.year_credits(terms).warning
    assert not selectors.year_credits(terms[:1]).warning  # one term is not a full year


def test_saving_again_replaces_the_choice_without_duplicating_lines(school):
    student = make_student(school.group)
    save(student, school, [school.elective_a.pk])
    plan = save(student, school, full_choice(school))
    assert plan.lines.filter(kind=PlanLineKind.CURRICULUM).count() == len(school.compulsory) + 3
    assert not plan.lines.filter(curriculum_line=school.elective_a).exists()
