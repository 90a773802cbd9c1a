"""A creative work in real browsers: a student uploads a video through the page (tus, in parts), the teacher
leaves a comment at 0:03 and a grade, the student sees both, the comment following the playback."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from testkit import media as make
from testkit.factories import PASSWORD, CourseFactory, UserFactory, enrol
from ustaz.assignments import services
from ustaz.assignments.models import Assignment, LatePolicy, SubmissionFile
from ustaz.grades.models import Grade, GradeItem, ItemKind, Period

from .conftest import log_in


@pytest.mark.django_db(transaction=True)
def test_video_comment_at_three_seconds_and_a_grade(browser, live_server, tmp_path, settings):
    settings.ASSIGNMENT_UPLOAD_CHUNK_MB = 1
    course = CourseFactory(title_en="Dombra", title_kk="Домбыра")
    teacher = UserFactory(roles=",teacher,", first_name="Сәуле", last_name="Ахметова", language="en")
    course.teachers.add(teacher)
    student = UserFactory(roles=",student,", first_name="Ерлан", last_name="Сейітов", language="en")
    enrol(student, course)
    column = GradeItem.objects.create(
        course=course, kind=ItemKind.CURRENT, period=Period.FIRST, title="Этюдтер", max_points=100, position=1
    )
    now = timezone.now()
    assignment = services.assignment_save(
        assignment=Assignment(
            course=course,
            title="Күй: бейнежазба",
            kind="video",
            accepts=["video"],
            opens_at=now - datetime.timedelta(days=1),
            due_at=now + datetime.timedelta(days=3),
            late_policy=LatePolicy.ACCEPT,
            grade_item=column,
        ),
        by=teacher,
    )
    clip = make.video(tmp_path / "recital.mov", seconds=6, size=(320, 240))

    contexts = [browser.new_context(base_url=live_server.url, locale="en-US") for _ in range(2)]
    student_page, teacher_page = (c.new_page() for c in contexts)
    try:
        for page in (student_page, teacher_page):
            page.set_default_timeout(20000)
        log_in(student_page, student.username, PASSWORD)
        student_page.goto(f"/courses/{course.pk}/assignments/{assignment.pk}/")
        student_page.locator("#id_text").fill("Адай күйі, 2-нұсқа")
        student_page.locator("#file-input").set_input_files(str(clip))
        # "Uploaded." or, while the server joins its parts, "Uploaded; the server is putting the file together..."
        student_page.locator("#upload-list", has_text="Uploaded").wait_for()
        student_page.locator("#submit-button").click()
        student_page.wait_for_url("**/submissions/*/")
        item = SubmissionFile.objects.get(submission__assignment=assignment)
        assert item.file.read() == clip.read_bytes()  # byte-identical
        assert item.processing == "ready" and item.rendition_type == "video/mp4", item.failure

        log_in(teacher_page, teacher.username, PASSWORD)
        teacher_page.goto(f"/submissions/{item.submission_id}/")
        video = teacher_page.locator("video.review-media")
        video.wait_for()
        teacher_page.evaluate("document.querySelector('video.review-media').currentTime = 3")
        teacher_page.wait_for_function(
            "() => Math.abs(document.querySelector('video.review-media').currentTime - 3) < 0.05"
        )
        teacher_page.locator(".comment-form input[name=text]").fill("Мұнда темп асығыс")
        teacher_page.locator(".comment-form button").click()
        teacher_page.locator(".comments .comment", has_text="Мұнда темп асығыс").wait_for()
        assert teacher_page.locator(".comments .comment-time").first.inner_text() == "0:03"
        teacher_page.locator("#id_points").fill("85")
        teacher_page.locator("#id_feedback").fill("Жақсы орындау; темпті ұстаңыз.")
        teacher_page.locator("#review-form button[type=submit]").click()
        teacher_page.locator("#review-points", has_text="85").wait_for()
        assert Grade.objects.get(item=column, student=student).points == 85

        student_page.goto(f"/submissions/{item.submission_id}/")
        student_page.locator("#review-points", has_text="85").wait_for()
        assert "темпті ұстаңыз" in student_page.locator("#review-feedback").inner_text()
        assert student_page.locator(".comments .comment-time").first.inner_text() == "0:03"
        assert student_page.locator(".comment-form").count() == 0
        # The comment follows the playback: at 0:03 it is shown under the player.
        student_page.evaluate("""() => {
            const v = document.querySelector('video.review-media');
            v.currentTime = 3.2;
            v.dispatchEvent(new Event('timeupdate'));
        }""")
        student_page.locator(".now-comment", has_text="Мұнда темп асығыс").wait_for()
    finally:
        for context in contexts:
            context.close()
