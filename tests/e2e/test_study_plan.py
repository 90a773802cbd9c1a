"""A student chooses electives and submits the plan, the adviser approves it, the office applies the plans for
the term and the student finds the term's courses on their home page."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from testkit.factories import (
    PASSWORD,
    DisciplineFactory,
    ProgrammeFactory,
    StudyGroupFactory,
    UserFactory,
    current_term,
)
from ustaz.academics.models import DltBasis, Enrolment, StudentRecord
from ustaz.curricula import services as curricula
from ustaz.curricula.models import Component, Control, Curriculum, CurriculumStatus, Cycle, LineKind
from ustaz.plans import services as plans

from .a11y import axe_violations
from .conftest import log_in


def line(curriculum, term, name, credits, group=None):
    discipline = DisciplineFactory(name_en=name, name_kk=name, credits=credits)
    curricula.line_save(
        curriculum=curriculum,
        data=curricula.LineData(
            kind=LineKind.DISCIPLINE,
            term=term,
            credits=credits,
            cycle=Cycle.BASIC,
            discipline=discipline,
            component=Component.ELECTIVE if group else Component.COMPULSORY,
            control=Control.EXAM,
            elective_group=group,
        ),
    )
    return discipline


@pytest.mark.django_db(transaction=True)
def test_a_chosen_plan_approved_and_applied_gives_the_student_the_terms_courses(browser, live_server):
    term = current_term()  # the autumn under way: term 1 of a group admitted this year
    admitted = term.academic_year.starts_on.year
    office = UserFactory(roles=",academic_office,", language="en")
    adviser = UserFactory(roles=",teacher,", language="en", first_name="Adviser")
    programme = ProgrammeFactory()
    group = StudyGroupFactory(programme=programme, admission_year=admitted, advisor=adviser)
    student = UserFactory(roles=",student,", language="en", first_name="Aigerim", last_name="Sadykova")
    StudentRecord.objects.create(student=student, programme=programme, group=group, dlt_basis=DltBasis.HIGHER_BLENDED)
    curriculum = curricula.curriculum_create(programme=programme, admission_year=admitted, terms=8, actor=office)
    harmony = line(curriculum, 1, "Harmony", 25)
    electives = curricula.group_save(
        curriculum=curriculum,
        data=curricula.GroupData(
            code="EL-1", term=1, cycle=Cycle.BASIC, credits_to_choose=5, name_kk="Таңдау", name_en="Electives"
        ),
    )
    polyphony = line(curriculum, 1, "Polyphony", 5, electives)
    orchestration = line(curriculum, 1, "Orchestration", 5, electives)
    line(curriculum, 2, "Solfeggio", 30)
    Curriculum.objects.filter(pk=curriculum.pk).update(status=CurriculumStatus.APPROVED)
    today = timezone.localdate()
    plans.window_save(
        academic_year=term.academic_year,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=7),
        by=office,
    )

    # The student chooses one elective of the group and submits.
    student_context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = student_context.new_page()
    log_in(page, student.username, PASSWORD)
    page.get_by_role("link", name="My study plan").click()
    page.wait_for_url(re.compile(r"/plans/my/$"))
    assert page.get_by_role("rowheader", name="Harmony").is_visible()
    page.get_by_role("button", name="Submit to my adviser").click()
    # Nothing chosen: refused with the group named, nothing submitted.
    assert page.locator("#plan-errors").get_by_text("EL-1").is_visible()
    page.get_by_label("Polyphony, 5 credits").check()
    page.get_by_role("button", name="Submit to my adviser").click()
    page.get_by_text("Your plan is submitted to your adviser.").wait_for()
    assert page.locator("#plan-status").inner_text() == "Submitted to the adviser"
    assert axe_violations(page) == []

    # The adviser approves it.
    adviser_context = browser.new_context(base_url=live_server.url, locale="en-US")
    adviser_page = adviser_context.new_page()
    log_in(adviser_page, adviser.username, PASSWORD)
    adviser_page.get_by_role("link", name="Plans to approve").click()
    adviser_page.get_by_role("link", name=re.compile("Sadykova")).click()
    assert adviser_page.get_by_role("rowheader", name="Polyphony").is_visible()
    assert adviser_page.get_by_role("rowheader", name="Orchestration").count() == 0
    assert axe_violations(adviser_page) == []
    adviser_page.get_by_role("button", name="Approve the plan").click()
    adviser_page.get_by_text("The plan is approved.").wait_for()

    # The office reviews the proposal for the term and applies it.
    office_context = browser.new_context(base_url=live_server.url, locale="en-US")
    office_page = office_context.new_page()
    log_in(office_page, office.username, PASSWORD)
    office_page.get_by_role("link", name="Study plans").click()
    office_page.wait_for_url(re.compile(r"/plans/windows/$"))
    assert axe_violations(office_page) == []
    office_page.get_by_role("link", name="Students' plans").click()
    office_page.get_by_text("Approved: 1").wait_for()
    assert axe_violations(office_page) == []
    office_page.goto("/plans/office/courses/")
    office_page.get_by_label("Term").select_option(str(term.pk))
    office_page.get_by_role("button", name="Show the proposal").click()
    assert (
        office_page.locator("#proposal-summary").inner_text().startswith("2 courses to make, 0 to reuse, 2 enrolments")
    )
    assert axe_violations(office_page) == []
    office_page.get_by_role("button", name="Apply the plans").click()
    office_page.wait_for_url(re.compile(r"/imports/\d+/$"))
    office_page.get_by_text("2 courses made and 0 reused; 2 enrolments added.").wait_for()
    assert office_page.get_by_role("heading", name=re.compile("from the approved plans")).is_visible()
    assert set(Enrolment.objects.filter(student=student).values_list("course__discipline", flat=True)) == {
        harmony.pk,
        polyphony.pk,
    }

    # The student's home page lists the term's courses: the compulsory one and the elective chosen.
    page.goto("/")
    studying = page.locator("section", has=page.get_by_role("heading", name="Courses I study"))
    assert studying.get_by_role("link", name="Harmony").is_visible()
    assert studying.get_by_role("link", name="Polyphony").is_visible()
    assert studying.get_by_role("link", name="Orchestration").count() == 0
    assert orchestration.courses.count() == 0
    # Their file shows the plan, approved, with its credits per term.
    page.get_by_role("link", name="My file").click()
    plans_section = page.locator("#plan")
    assert plans_section.get_by_role("heading", name="Individual study plans").is_visible()
    assert plans_section.get_by_text("Approved").is_visible()
    year_row = plans_section.get_by_role("row", name=re.compile("The year"))
    assert year_row.get_by_role("cell", name="60").is_visible()
    assert axe_violations(page) == []
    for context in (student_context, adviser_context, office_context):
        context.close()
