"""The main flows in a real browser: a new student's first day, a teacher publishing a material."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile

from testkit.factories import CourseFactory, SectionFactory, UserFactory, enrol
from ustaz.accounts import services as account_services
from ustaz.materials.models import Material, MaterialKind

from .conftest import log_in

PDF = b"%PDF-1.4\n% Ustaz e2e\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NEW_PASSWORD = "Домбыра-күйі-2026"  # noqa: S105


def issued_student(course):
    data = account_services.AccountData(
        last_name="Сейітов", first_name="Ерлан", iin="900101300017", roles={"student"}, language="en"
    )
    credential = account_services.account_issue(data=data, issued_by=None)
    enrol(credential.user, course)
    return credential


def add_file(course, title="Силлабус"):
    section = SectionFactory(course=course, title="1-апта")
    material = Material(
        course=course,
        section=section,
        kind=MaterialKind.FILE,
        title=title,
        is_published=True,
        file_name="syllabus.pdf",
        content_type="application/pdf",
        size=len(PDF),
    )
    material.file.save("syllabus.pdf", ContentFile(PDF), save=False)
    material.save()
    return material


@pytest.mark.django_db(transaction=True)
def test_a_new_student_changes_the_password_opens_a_course_and_downloads_a_material(page, tmp_path):
    course = CourseFactory(discipline__name_en="Harmony", discipline__name_kk="Гармония")
    material = add_file(course)
    credential = issued_student(course)

    log_in(page, credential.user.username, credential.password)
    # The one-time password must be replaced before anything else.
    page.wait_for_url(re.compile(r"/accounts/password/change/$"))
    page.locator("#id_oldpassword").fill(credential.password)
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_text("Your password is changed.").is_visible()

    page.get_by_role("link", name="Harmony").click()
    page.wait_for_url(re.compile(rf"/courses/{course.pk}/$"))
    with page.expect_download() as download_info:
        page.get_by_role("link", name=material.title).click()
    download = download_info.value
    assert download.suggested_filename == "syllabus.pdf"
    saved = tmp_path / "downloaded.pdf"
    download.save_as(saved)
    assert saved.read_bytes() == PDF
    assert material.downloads.filter(user=credential.user).count() == 1

    credential.user.refresh_from_db()
    assert credential.user.check_password(NEW_PASSWORD)


@pytest.mark.django_db(transaction=True)
def test_a_teacher_adds_and_publishes_a_material_that_students_then_see(browser, live_server):
    from testkit.factories import PASSWORD

    course = CourseFactory(discipline__name_en="Polyphony")
    SectionFactory(course=course, title="Week 1")
    teacher = UserFactory(roles=",teacher,", language="en")
    course.teachers.add(teacher)
    student = UserFactory(roles=",student,", language="en")
    enrol(student, course)

    teacher_context = browser.new_context(base_url=live_server.url)
    page = teacher_context.new_page()
    log_in(page, teacher.username, PASSWORD)
    page.goto(f"/courses/{course.pk}/")
    page.get_by_role("button", name="Add material").click()
    page.get_by_role("link", name="Text page").click()
    page.get_by_label("Title").fill("Bach: The Art of Fugue")
    page.get_by_label("Text (Markdown)").fill("## Listening\n\nListen to **Contrapunctus I** three times.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(rf"/courses/{course.pk}/$"))
    row = page.locator(".material-row", has_text="Bach: The Art of Fugue")
    assert row.get_by_text("Draft").is_visible()

    student_context = browser.new_context(base_url=live_server.url)
    student_page = student_context.new_page()
    log_in(student_page, student.username, PASSWORD)
    student_page.goto(f"/courses/{course.pk}/")
    assert student_page.get_by_text("Bach: The Art of Fugue").count() == 0

    # Publishing swaps the row in place (HTMX), with no page reload.
    row.get_by_role("button", name="Publish").click()
    page.locator(".material-row", has_text="Bach: The Art of Fugue").get_by_text("Published").wait_for()
    assert Material.objects.get(title="Bach: The Art of Fugue").is_published

    student_page.reload()
    student_page.get_by_role("link", name="Bach: The Art of Fugue").click()
    assert student_page.locator("strong", has_text="Contrapunctus I").is_visible()
    teacher_context.close()
    student_context.close()
