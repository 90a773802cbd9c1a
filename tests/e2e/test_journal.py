"""The journal in a real browser: a teacher fills a row with the keyboard; the student sees the result."""

from __future__ import annotations

import re

import pytest

from testkit.factories import PASSWORD, CourseFactory, UserFactory, enrol
from ustaz.grades.models import Grade

from .conftest import log_in


@pytest.mark.django_db(transaction=True)
def test_a_teacher_fills_a_row_with_the_keyboard_and_the_student_sees_the_letter(browser, live_server):
    course = CourseFactory(discipline__name_en="Harmony")
    teacher = UserFactory(roles=",teacher,", language="en")
    course.teachers.add(teacher)
    student = UserFactory(roles=",student,", language="en", last_name="Seitov")
    enrol(student, course)

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    log_in(page, teacher.username, PASSWORD)
    page.wait_for_url(re.compile(r"/$"))
    page.goto(f"/courses/{course.pk}/grades/")
    first = page.locator("#journal input.ji").first
    first.click()
    # Current 1, RK1, current 2, RK2, exam: typed along the row, moving right with the arrow key.
    for value in ("80", "90", "70", "80", "90"):
        page.keyboard.type(value)
        page.keyboard.press("ArrowRight")
    page.locator(f"#letter-{student.pk}").get_by_text("B").wait_for()
    assert page.locator(f"#ar-{student.pk}").inner_text() == "80.0"
    assert page.locator(f"#final-{student.pk}").inner_text() == "84.0"
    assert Grade.objects.filter(student=student).count() == 5

    # A wrong value is refused in its cell, and the value stays there to be corrected.
    exam = page.locator("#journal input.ji").nth(4)
    exam.fill("9o")
    exam.press("Enter")
    page.get_by_text("is not a number").wait_for()
    assert page.locator("#journal input.ji").nth(4).input_value() == "9o"
    context.close()

    student_context = browser.new_context(base_url=live_server.url)
    student_page = student_context.new_page()
    log_in(student_page, student.username, PASSWORD)
    student_page.wait_for_url(re.compile(r"/$"))
    student_page.goto(f"/courses/{course.pk}/grades/")
    assert student_page.locator(f"#ar-{student.pk}").inner_text() == "80.0"
    assert "Your grade: B." in student_page.locator("main").inner_text()
    student_context.close()
