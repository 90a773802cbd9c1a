"""The diploma's result in a real browser (issue 15, item 7): the student opens their final transcript from their
file and switches it to Kazakh; the office opens the group's honours page from it; every page passes axe-core."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from testkit.factories import PASSWORD, CourseFactory, StudyGroupFactory, UserFactory, enrol
from ustaz.accounts.models import Role
from ustaz.curricula.models import Curriculum, CurriculumLine, CurriculumStatus, Cycle, LineKind
from ustaz.grades import services as grade_services
from ustaz.grades.models import GradeSource

from .a11y import axe_violations
from .conftest import log_in


@pytest.mark.django_db(transaction=True)
def test_the_final_transcript_and_the_groups_honours_pass_axe(browser, live_server):
    teacher = UserFactory(roles=f",{Role.TEACHER},", username="adviser1")
    group = StudyGroupFactory(name="ИН-22-1", advisor=teacher)
    curriculum = Curriculum.objects.create(
        programme=group.programme, admission_year=group.admission_year, terms=8, status=CurriculumStatus.APPROVED
    )
    student = UserFactory(roles=f",{Role.STUDENT},", last_name="Сейітов", first_name="Ерлан", username="student1")
    UserFactory(roles=f",{Role.ACADEMIC_OFFICE},", username="office1")
    for kind, name_en, name_kk in (
        (LineKind.DISCIPLINE, "Harmony", "Гармония"),
        (LineKind.ATTESTATION, "Thesis defence", "Дипломдық жобаны қорғау"),
    ):
        course = CourseFactory(discipline__name_en=name_en, discipline__name_kk=name_kk)
        course.teachers.add(teacher)
        CurriculumLine.objects.create(
            curriculum=curriculum, kind=kind, term=8, discipline=course.discipline, credits=5, cycle=Cycle.PROFILING
        )
        enrol(student, course, group)
        with translation.override("en"):
            items = grade_services.default_items_create(course=course)
        for item in items:
            grade_services.grade_post(
                item=item,
                student=student,
                points=Decimal(item.max_points),
                posted_by=teacher,
                source=GradeSource.JOURNAL,
            )

    def visit(username):
        context = browser.new_context(base_url=live_server.url, locale="en-US")
        page = context.new_page()
        page.set_default_timeout(15000)
        log_in(page, username, PASSWORD)
        return context, page

    context, page = visit("student1")
    page.get_by_role("link", name="My file").click()
    page.wait_for_url("**/my/file/")
    page.get_by_role("link", name="Final transcript and honours").click()
    page.wait_for_url(f"**/people/{student.pk}/final-transcript/")
    assert "Thesis defence" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    page.get_by_label("Language of the document").select_option("kk")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**language=kk")
    assert "Дипломдық жобаны қорғау" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    context.close()

    context, page = visit("office1")
    page.goto(f"/people/{student.pk}/final-transcript/")
    page.get_by_role("link", name="Honours: group ИН-22-1").click()
    page.wait_for_url(f"**/groups/{group.pk}/honours/")
    assert page.locator("#graduates").get_by_role("link", name="Сейітов Ерлан").count() == 1
    assert axe_violations(page) == []
    context.close()
