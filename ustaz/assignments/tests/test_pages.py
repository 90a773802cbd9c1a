"""Assignments through their pages, per role: setting one, handing in versions, reviewing with comments and a
rubric, the grade in the gradebook (audited), the queue, the notices; nobody sees what is not theirs."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from testkit import media as make
from testkit.factories import UserFactory, enrol
from ustaz.accounts.models import Role
from ustaz.assignments import selectors, services
from ustaz.assignments.models import Comment, LatePolicy, Review, Submission
from ustaz.grades.models import Grade, GradeChange, GradeItem, ItemKind, Period
from ustaz.notifications.models import Notification

from .helpers import a_submission, an_assignment, stored_file


@pytest.fixture
def column(course):
    return GradeItem.objects.create(
        course=course, kind=ItemKind.CURRENT, period=Period.FIRST, title="Этюдтер", max_points=100, position=1
    )


def test_the_teacher_sets_an_assignment_with_a_rubric(as_user, course, teacher, student, column):
    response = as_user(teacher).post(
        reverse("assignments:create", args=[course.pk]),
        {
            "title": "Этюд бейнеге",
            "kind": "video",
            "instructions": "Орындап, **түсіріңіз**. <script>x</script>",
            "accepts": ["video"],
            "max_size_mb": 4096,
            "allows_text": "on",
            "opens_at": "2026-11-01T09:00",
            "due_at": "2099-12-01T23:59",
            "late_policy": "penalty",
            "late_penalty_percent": 20,
            "allows_resubmission": "on",
            "max_points": 100,
            "grade_item": column.pk,
            "rubric": "Техника: әлсіз=0; орташа=20; жақсы=40\nМузыкалылық: әлсіз=0; жақсы=60",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assignment = services.Assignment.objects.get(title="Этюд бейнеге")
    assert assignment.max_points == 100 and [c.title for c in assignment.criteria.all()] == ["Техника", "Музыкалылық"]
    assert (
        "<strong>түсіріңіз</strong>" in assignment.instructions_html and "<script" not in assignment.instructions_html
    )
    page = as_user(student).get(reverse("assignments:assignment", args=[course.pk, assignment.pk])).content.decode()
    assert "Этюд бейнеге" in page and 'id="submit-form"' in page
    bad = as_user(teacher).post(
        reverse("assignments:create", args=[course.pk]),
        {
            "title": "x",
            "kind": "video",
            "rubric": "Техника әлсіз",
            "max_size_mb": 1,
            "max_points": 10,
            "opens_at": "2026-11-01T09:00",
            "due_at": "2026-12-01T09:00",
            "late_policy": "accept",
            "late_penalty_percent": 0,
        },
    )
    assert "Line 1" in bad.content.decode()


def test_who_sees_what(as_user, course, teacher, student, other_student, office, ict):
    assignment = an_assignment(course, teacher)
    classmate = UserFactory(roles=f",{Role.STUDENT},")
    enrol(classmate, course)
    mine = a_submission(assignment, student)
    item = stored_file(mine, "этюд.pdf", make.small_pdf(1))
    theirs = a_submission(assignment, classmate)
    page = reverse("assignments:assignment", args=[course.pk, assignment.pk])
    for user, status in [(student, 200), (teacher, 200), (office, 200), (other_student, 404), (ict, 404)]:
        assert as_user(user).get(page).status_code == status, user
    submission_url = reverse("assignments:submission", args=[mine.pk])
    file_url = reverse("assignments:file", args=[item.pk])
    for user, status in [(student, 200), (teacher, 200), (classmate, 404), (other_student, 404), (ict, 404)]:
        assert as_user(user).get(submission_url).status_code == status, user
        assert as_user(user).get(file_url).status_code == status, user
    assert as_user(student).get(reverse("assignments:submission", args=[theirs.pk])).status_code == 404
    # Comments and reviews are the teacher's to write.
    comment_url = reverse("assignments:comment", args=[item.pk])
    assert as_user(student).post(comment_url, "{}", content_type="application/json").status_code == 403
    assert as_user(student).post(submission_url, {"points": 100}).status_code == 403
    assert as_user(student).get(reverse("assignments:edit", args=[course.pk, assignment.pk])).status_code == 403
    assert (
        as_user(other_student).post(reverse("assignments:submit", args=[course.pk, assignment.pk])).status_code == 404
    )
    # The teacher's overview lists the class; a student's page does not.
    assert classmate.full_name in as_user(teacher).get(page).content.decode()
    assert classmate.full_name not in as_user(student).get(page).content.decode()


def test_a_review_with_time_coded_comments_and_a_grade_into_the_gradebook(
    as_user, course, teacher, student, column, tmp_path
):
    assignment = an_assignment(course, teacher, grade_item=column, max_points=Decimal(50))
    submission = a_submission(assignment, student)
    from ustaz.assignments import media

    item = media.process(stored_file(submission, "recital.mp4", make.video(tmp_path / "r.mp4", seconds=5).read_bytes()))
    comment = as_user(teacher).post(
        reverse("assignments:comment", args=[item.pk]),
        json.dumps({"text": "Темп асығыс", "start": 3.0}),
        content_type="application/json",
    )
    assert comment.status_code == 201 and comment.json()["start"] == 3.0
    outside = as_user(teacher).post(
        reverse("assignments:comment", args=[item.pk]),
        json.dumps({"text": "x", "start": 99}),
        content_type="application/json",
    )
    assert outside.status_code == 400 and "outside the recording" in outside.json()["error"]
    response = as_user(teacher).post(
        reverse("assignments:submission", args=[submission.pk]), {"points": "40", "feedback": "Жақсы, бірақ темп."}
    )
    assert response.status_code == 302
    # 40 of 50 is 80 of the column's 100, posted through the gradebook's service and kept in its history.
    assert Grade.objects.get(item=column, student=student).points == Decimal(80)
    change = GradeChange.objects.get(item=column, student=student)
    assert change.source == "assignment" and change.changed_by == teacher
    assert Notification.objects.filter(user=student, kind="assignments.reviewed").exists()
    page = as_user(student).get(reverse("assignments:submission", args=[submission.pk])).content.decode()
    assert "Жақсы, бірақ темп." in page
    comments = json.loads(page.split('id="comments-data" type="application/json">')[1].split("</script>")[0])
    assert comments[str(item.pk)][0]["text"] == "Темп асығыс" and comments[str(item.pk)][0]["start"] == 3.0


def test_rubric_points_and_the_late_penalty(course, teacher, student, column):
    assignment = an_assignment(
        course,
        teacher,
        grade_item=column,
        late_policy=LatePolicy.PENALTY,
        late_penalty_percent=10,
        criteria=[
            {"title": "Техника", "levels": [{"title": "әлсіз", "points": 0}, {"title": "жақсы", "points": 40}]},
            {"title": "Музыкалылық", "levels": [{"title": "әлсіз", "points": 10}, {"title": "жақсы", "points": 60}]},
        ],
    )
    assignment.refresh_from_db()
    assert assignment.max_points == 100
    late = a_submission(assignment, student, is_late=True)
    criteria = list(assignment.criteria.all())
    with pytest.raises(Exception, match="every criterion"):
        services.review_save(submission=late, reviewer=teacher, feedback="", rubric={criteria[0].pk: 1})
    review = services.review_save(
        submission=late, reviewer=teacher, feedback="", rubric={criteria[0].pk: 1, criteria[1].pk: 1}
    )
    assert review.points == Decimal("90.0")  # 100, less 10% for lateness
    assert Grade.objects.get(item=column, student=student).points == Decimal("90.0")


def test_resubmission_is_a_new_version_and_earlier_ones_stay(course, teacher, student):
    assignment = an_assignment(course, teacher, allows_text=True)
    first = services.submission_submit(assignment=assignment, student=student, text="Бірінші нұсқа")
    Comment.objects.create(file=stored_file(first, "a.pdf", make.small_pdf(1)), author=teacher, text="түзет", page=1)
    second = services.submission_submit(assignment=assignment, student=student, text="Екінші нұсқа")
    assert (first.version, second.version) == (1, 2)
    assert Submission.objects.get(pk=first.pk).text == "Бірінші нұсқа" and Comment.objects.count() == 1
    assignment.allows_resubmission = False
    assignment.save()
    with pytest.raises(Exception, match="no resubmission"):
        services.submission_submit(assignment=assignment, student=student, text="Үшінші")


def test_late_work_is_refused_when_the_assignment_says_so(course, teacher, student):
    past = timezone.now() - datetime.timedelta(hours=1)
    assignment = an_assignment(
        course, teacher, opens_at=past - datetime.timedelta(days=3), due_at=past, late_policy=LatePolicy.REFUSE
    )
    with pytest.raises(Exception, match="no late work"):
        services.submission_submit(assignment=assignment, student=student, text="кеш")
    accepting = an_assignment(course, teacher, opens_at=past - datetime.timedelta(days=3), due_at=past)
    assert services.submission_submit(assignment=accepting, student=student, text="кеш").is_late


def test_the_queue_is_oldest_first_and_only_latest_unreviewed(
    as_user, course, teacher, student, django_assert_max_num_queries
):
    assignment = an_assignment(course, teacher)
    classmate = UserFactory(roles=f",{Role.STUDENT},")
    enrol(classmate, course)
    old = a_submission(assignment, classmate)
    a_submission(assignment, student, version=1)
    newest = a_submission(assignment, student, version=2)
    reviewed = an_assignment(course, teacher, title="Басқа")
    done = a_submission(reviewed, classmate)
    Review.objects.create(submission=done, reviewer=teacher, points=10)
    client = as_user(teacher)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("assignments:queue")).content.decode()
    assert page.index(classmate.full_name) < page.index(student.full_name)
    assert reverse("assignments:submission", args=[newest.pk]) in page
    assert reverse("assignments:submission", args=[old.pk]) in page
    assert reverse("assignments:submission", args=[done.pk]) not in page
    assert as_user(student).get(reverse("assignments:queue")).status_code == 403  # a teachers' page


def test_handing_in_tells_the_teachers_and_due_soon_tells_who_has_not(course, teacher, student):
    classmate = UserFactory(roles=f",{Role.STUDENT},")
    enrol(classmate, course)
    assignment = an_assignment(course, teacher, due_at=timezone.now() + datetime.timedelta(hours=5))
    services.submission_submit(assignment=assignment, student=student, text="дайын")
    assert Notification.objects.filter(user=teacher, kind="assignments.submitted").exists()
    assert services.due_soon_notify() == 1
    assert Notification.objects.filter(user=classmate, kind="assignments.due_soon").exists()
    assert not Notification.objects.filter(user=student, kind="assignments.due_soon").exists()


def test_the_overview_queries_do_not_grow(as_user, course, teacher, django_assert_max_num_queries):
    assignment = an_assignment(course, teacher)
    url = reverse("assignments:assignment", args=[course.pk, assignment.pk])
    client = as_user(teacher)
    for n in range(8):
        pupil = UserFactory(roles=f",{Role.STUDENT},")
        enrol(pupil, course)
        submission = a_submission(assignment, pupil)
        if n % 2:
            Review.objects.create(submission=submission, reviewer=teacher, points=n)
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


def test_recordings_are_served_in_ranges_so_players_can_seek(as_user, course, teacher, student):
    assignment = an_assignment(course, teacher)
    data = bytes(range(256)) * 40  # 10,240 bytes
    item = stored_file(a_submission(assignment, student), "x.pdf", b"%PDF-" + data)
    url = reverse("assignments:file", args=[item.pk])
    whole = as_user(teacher).get(url)
    assert whole["Accept-Ranges"] == "bytes"
    part = as_user(teacher).get(url, HTTP_RANGE="bytes=5-14")
    assert part.status_code == 206 and b"".join(part.streaming_content) == data[:10]
    assert part["Content-Range"] == f"bytes 5-14/{len(data) + 5}"
    tail = as_user(teacher).get(url, HTTP_RANGE="bytes=-4")
    assert b"".join(tail.streaming_content) == data[-4:]
    assert as_user(teacher).get(url, HTTP_RANGE="bytes=999999-").status_code == 416


def test_a_teacher_of_another_course_sees_none_of_it(as_user, course, teacher, student):
    from testkit.factories import CourseFactory

    stranger = UserFactory(roles=f",{Role.TEACHER},")
    CourseFactory().teachers.add(stranger)
    assignment = an_assignment(course, teacher)
    submission = a_submission(assignment, student)
    item = stored_file(submission, "a.pdf", make.small_pdf(1))
    for url in (
        reverse("assignments:course", args=[course.pk]),
        reverse("assignments:assignment", args=[course.pk, assignment.pk]),
        reverse("assignments:submission", args=[submission.pk]),
        reverse("assignments:file", args=[item.pk]),
        reverse("assignments:uploads", args=[course.pk, assignment.pk]),
    ):
        assert as_user(stranger).get(url).status_code == 404, url
    comment = reverse("assignments:comment", args=[item.pk])
    assert as_user(stranger).post(comment, "{}", content_type="application/json").status_code == 404
    assert submission.pk not in [s.pk for s in selectors.review_queue(stranger)]


def test_a_region_comment_on_a_pdf_page(as_user, course, teacher, student):
    assignment = an_assignment(course, teacher)
    item = stored_file(a_submission(assignment, student), "score.pdf", make.small_pdf(2))
    response = as_user(teacher).post(
        reverse("assignments:comment", args=[item.pk]),
        json.dumps({"text": "Мұнда лига жоқ", "page": 2, "region": {"x": 0.1, "y": 0.2, "w": 0.3, "h": 1.7}}),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["region"] == {"x": 0.1, "y": 0.2, "w": 0.3, "h": 1.0} and response.json()["page"] == 2
    broken = as_user(teacher).post(
        reverse("assignments:comment", args=[item.pk]),
        json.dumps({"text": "x", "region": {"x": "left"}}),
        content_type="application/json",
    )
    assert broken.status_code == 400


def test_files_of_the_instructions_are_the_courses(as_user, course, teacher, student, other_student):
    from django.core.files.uploadedfile import SimpleUploadedFile

    assignment = an_assignment(course, teacher)
    services.assignment_save(
        assignment=assignment, by=teacher, files=[SimpleUploadedFile("нота.pdf", b"%PDF-1.4 score")]
    )
    item = assignment.files.get()
    page = as_user(student).get(reverse("assignments:assignment", args=[course.pk, assignment.pk])).content.decode()
    url = reverse("assignments:instructions_file", args=[course.pk, assignment.pk, item.pk])
    assert url in page and "нота.pdf" in page
    response = as_user(student).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 score"
    assert as_user(other_student).get(url).status_code == 404


def test_stale_uploads_are_cleaned_with_their_bytes(course, teacher, student):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from ustaz.assignments import uploads
    from ustaz.assignments.models import Upload

    assignment = an_assignment(course, teacher)
    long_ago = timezone.now() - datetime.timedelta(days=10)
    chunk = default_storage.save("uploads/test/000", ContentFile(b"%PDF-partial"))
    unfinished = Upload.objects.create(
        assignment=assignment, user=student, filename="a.pdf", length=100, chunks=[chunk]
    )
    stored = default_storage.save("assignments/test/b.pdf", ContentFile(b"%PDF-whole"))
    unused = Upload.objects.create(
        assignment=assignment, user=student, filename="b.pdf", length=10, offset=10, stored_name=stored
    )
    fresh = Upload.objects.create(assignment=assignment, user=student, filename="c.pdf", length=10)
    Upload.objects.filter(pk__in=[unfinished.pk, unused.pk]).update(created_at=long_ago, completed_at=None)
    Upload.objects.filter(pk=unused.pk).update(completed_at=long_ago)
    assert uploads.uploads_clean() == 2
    assert list(Upload.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not default_storage.exists(chunk) and not default_storage.exists(stored)


def test_a_complete_upload_whose_join_failed_is_joined_later_and_nothing_is_lost(
    as_user, course, teacher, student, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from ustaz.assignments.models import Upload

    assignment = an_assignment(course, teacher)
    parts = [b"%PDF-1.4 first part ", b"and the second"]
    names = [default_storage.save(f"uploads/x/{n:015d}", ContentFile(p)) for n, p in enumerate(parts)]
    # Every byte arrived, but storage failed while joining: the parts are there, no file yet.
    upload = Upload.objects.create(
        assignment=assignment,
        user=student,
        filename="essay.pdf",
        length=sum(map(len, parts)),
        offset=sum(map(len, parts)),
        chunks=names,
        category="pdf",
        content_type="application/pdf",
    )
    with django_capture_on_commit_callbacks(execute=True):  # the join task, run by the (immediate) queue
        head = as_user(student).head(
            reverse("assignments:upload", args=[course.pk, assignment.pk, upload.pk]), HTTP_TUS_RESUMABLE="1.0.0"
        )
    assert head.status_code == 200 and head["Upload-Offset"] == str(upload.length)
    upload.refresh_from_db()
    with default_storage.open(upload.stored_name, "rb") as joined:
        assert joined.read() == b"".join(parts)
    # Handing in joins too, had the client never asked again.
    Upload.objects.filter(pk=upload.pk).update(
        completed_at=None,
        stored_name="",
        chunks=[default_storage.save(f"uploads/y/{n:015d}", ContentFile(p)) for n, p in enumerate(parts)],
    )
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.submission_submit(assignment=assignment, student=student, upload_ids=[str(upload.pk)])
    with default_storage.open(submission.files.get().file.name, "rb") as handed_in:
        assert handed_in.read() == b"".join(parts)


@pytest.mark.parametrize(
    "numbers",
    [
        {"start": 10**400},  # float() overflows on a JSON integer of hundreds of digits
        {"page": 10**30},  # beyond any page, and any database integer
        {"page": 0},
        {"region": {"x": 10**400, "y": 0, "w": 0.1, "h": 0.1}},
    ],
)
def test_a_comment_with_numbers_out_of_all_bounds_answers_400(as_user, course, teacher, student, numbers):
    assignment = an_assignment(course, teacher)
    item = stored_file(a_submission(assignment, student), "score.pdf", make.small_pdf(2))
    response = as_user(teacher).post(
        reverse("assignments:comment", args=[item.pk]),
        json.dumps({"text": "x", **numbers}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not item.comments.exists()
