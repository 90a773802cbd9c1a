"""The appeal commission in a real browser (issue 15, item 8): the office sets the commission of the student's
programme and term, its member decides the appeal and opens the protocol; every page passes axe-core."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from testkit.factories import PASSWORD, CourseFactory, StudyGroupFactory, UserFactory, enrol
from ustaz.accounts.models import Role
from ustaz.grades import services as grade_services
from ustaz.grades.models import Appeal, AppealStatus, Grade, GradeSource

from .a11y import axe_violations
from .conftest import log_in


@pytest.mark.django_db(transaction=True)
def test_the_office_sets_the_commission_and_its_member_decides_and_it_passes_axe(browser, live_server):
    teacher = UserFactory(roles=f",{Role.TEACHER},", username="teacher1")
    student = UserFactory(roles=f",{Role.STUDENT},", last_name="Сейітов", first_name="Ерлан", username="student1")
    group = StudyGroupFactory(name="ИН-25-1")
    course = CourseFactory(discipline__name_en="Harmony")
    course.teachers.add(teacher)
    enrol(student, course, group)
    with translation.override("en"):
        exam = grade_services.default_items_create(course=course)[-1]
    grade_services.grade_post(
        item=exam, student=student, points=Decimal(48), posted_by=teacher, source=GradeSource.JOURNAL
    )
    appeal = grade_services.appeal_file(item=exam, student=student, grounds="Question 3 was marked wrong.")
    UserFactory(roles=f",{Role.ACADEMIC_OFFICE},", username="office1", language="en")
    member = UserFactory(
        roles=f",{Role.APPEAL_COMMISSION},", username="member1", last_name="Мұқанова", first_name="Гүлнар"
    )

    def visit(username):
        context = browser.new_context(base_url=live_server.url, locale="en-US")
        page = context.new_page()
        page.set_default_timeout(15000)
        log_in(page, username, PASSWORD)
        return context, page

    # The office: the commissions, a new one for the student's programme and this term.
    context, page = visit("office1")
    page.goto("/appeals/commissions/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="New appeal commission").click()
    page.wait_for_url("**/appeals/commissions/new/")
    assert axe_violations(page) == []
    page.get_by_label("programme").select_option(value=str(group.programme_id))
    page.get_by_label("term").select_option(value=str(course.term_id))
    page.get_by_label("chair").select_option(value=str(member.pk))
    page.get_by_label("Мұқанова Гүлнар").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/appeals/commissions/")
    assert "Мұқанова Гүлнар" in page.locator("main table").inner_text()
    # The office sees the appeal, without the form to decide it.
    page.goto(f"/appeals/{appeal.pk}/")
    assert page.get_by_role("button", name="Grant").count() == 0
    assert axe_violations(page) == []
    context.close()

    # The member: the list with the decision's deadline, the appeal decided, the protocol offered.
    context, page = visit("member1")
    page.goto("/appeals/")
    assert axe_violations(page) == []
    page.locator(f"a[href='/appeals/{appeal.pk}/']").click()
    page.get_by_label("the commission's decision").fill("Question 3 is right.")
    page.get_by_label("new grade").fill("60")
    page.get_by_role("button", name="Grant").click()
    page.wait_for_url("**/appeals/")
    page.goto(f"/appeals/{appeal.pk}/")
    assert page.locator(f"a[href='/appeals/{appeal.pk}/protocol-kk.pdf']").count() == 1
    assert axe_violations(page) == []
    context.close()
    assert Appeal.objects.get().status == AppealStatus.GRANTED
    assert Grade.objects.get(item=exam, student=student).points == Decimal(60)
