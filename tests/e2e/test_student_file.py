"""The student's file in a real browser (issue 22): the student opens their own from the menu, the office
finds the student in its list and opens the file; every page passes axe-core."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from testkit.factories import PASSWORD, CourseFactory, StudyGroupFactory, UserFactory, enrol
from ustaz.academics.models import AcademicYear, StudentRecord, Term, TermKind
from ustaz.accounts.models import Role
from ustaz.grades import services as grade_services
from ustaz.grades.models import GradeSource

from .a11y import axe_violations
from .conftest import log_in


def _graded_past_course(student, teacher):
    today = timezone.localdate()
    year = AcademicYear.objects.create(
        name="2090-2091", starts_on=today - datetime.timedelta(days=400), ends_on=today - datetime.timedelta(days=60)
    )
    term = Term.objects.create(
        academic_year=year,
        kind=TermKind.AUTUMN,
        starts_on=today - datetime.timedelta(days=380),
        ends_on=today - datetime.timedelta(days=280),
    )
    course = CourseFactory(term=term, discipline__name_en="Harmony", discipline__credits=5)
    course.teachers.add(teacher)
    enrol(student, course)
    with translation.override("en"):
        items = grade_services.default_items_create(course=course)
    for item in items:
        grade_services.grade_post(
            item=item,
            student=student,
            points=Decimal(item.max_points) * Decimal("0.9"),
            posted_by=teacher,
            source=GradeSource.JOURNAL,
            approved=True,
            reason="Archive",
        )


@pytest.mark.django_db(transaction=True)
def test_the_student_and_the_office_open_the_file_and_it_passes_axe(browser, live_server):
    adviser = UserFactory(roles=f",{Role.TEACHER},", last_name="Жұмабаева", first_name="Ақмарал", username="adviser1")
    group = StudyGroupFactory(name="ИН-25-1", advisor=adviser)
    student = UserFactory(roles=f",{Role.STUDENT},", last_name="Сейітов", first_name="Ерлан", username="student1")
    enrol(student, CourseFactory(), group)
    _graded_past_course(student, adviser)
    UserFactory(roles=f",{Role.ACADEMIC_OFFICE},", username="office1")
    record = StudentRecord.objects.get(student=student)

    def visit(username):
        context = browser.new_context(base_url=live_server.url, locale="en-US")
        page = context.new_page()
        page.set_default_timeout(15000)
        log_in(page, username, PASSWORD)
        return context, page

    # The student: "My file" in the menu.
    context, page = visit("student1")
    page.get_by_role("link", name="My file").click()
    page.wait_for_url("**/my/file/")
    assert page.locator("h1").inner_text().startswith("Сейітов Ерлан")
    assert page.locator("#transcript").get_by_text("Harmony", exact=True).count() == 1
    page.get_by_role("link", name="Transcript so far").click()  # the contents lead to the section
    assert page.url.endswith("#transcript")
    assert axe_violations(page) == []
    context.close()

    # The office: the students list, searched, then the file with the office's actions.
    context, page = visit("office1")
    page.get_by_role("link", name="Students", exact=True).click()
    page.wait_for_url("**/office/students/")
    assert axe_violations(page) == []
    page.get_by_label("Name, login or IIN").fill("Сейітов")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("link", name="Сейітов Ерлан").click()
    page.wait_for_url(f"**/students/{record.pk}/file/")
    assert page.locator("#record-actions").is_visible()
    assert "Жұмабаева" in page.locator("#file-adviser").inner_text()
    assert axe_violations(page) == []
    # The groups page, where the office sets the adviser.
    page.get_by_role("link", name="Groups", exact=True).click()
    page.wait_for_url("**/office/groups/")
    assert axe_violations(page) == []
    page.get_by_label("Adviser of group ИН-25-1").select_option(value="")
    page.locator(f"#group-{group.pk}").get_by_role("button", name="Save").click()
    page.wait_for_url("**/office/groups/?page=1")
    group.refresh_from_db()
    assert group.advisor is None
    context.close()
