"""Forums: threads and replies with sanitized Markdown and files, announcements, subscriptions and their
e-mails (real SMTP) in each reader's language, pinning and locking, per role."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from testkit.factories import UserFactory, enrol
from ustaz.accounts.models import Role
from ustaz.discussions import access, forums
from ustaz.discussions.models import ForumKind, Post, Subscription, Thread
from ustaz.notifications.models import Notification


def start(user, course, *, kind=ForumKind.DISCUSSION, title="Гармония сұрақтары", body="Сұрақ бар", files=()):
    forum = access.get_forum_for(user, forums.course_forum(course, kind).pk)
    return forums.thread_start(forum=forum, author=user, title=title, body=body, files=files)


def test_script_and_event_handlers_in_a_post_are_rendered_harmless(as_user, course, teacher, student):
    body = (
        "**Маңызды** <script>alert('x')</script>\n\n"
        '<img src="x" onerror="alert(1)"> [басу](javascript:alert(2)) <a href="#" onclick="alert(3)">a</a>\n\n'
        '<iframe src="https://evil.example"></iframe> <svg onload="alert(4)"></svg>'
    )
    thread = start(student, course, body=body)
    page = as_user(teacher).get(reverse("discussions:thread", args=[thread.pk])).content.decode()
    post_html = page[page.index('class="card-body post-body"') :]
    post_html = post_html[: post_html.index("</article>")]
    assert "<strong>Маңызды</strong>" in post_html
    for danger in ("<script", "onerror", "onclick", "onload", "javascript:", "<iframe", "<svg"):
        assert danger not in post_html.lower(), danger


def test_who_reads_and_writes_a_course_forum(as_user, course, teacher, student, other_student, office, ict):
    forum = forums.course_forum(course)
    thread = start(student, course)
    url, thread_url = reverse("discussions:forum", args=[forum.pk]), reverse("discussions:thread", args=[thread.pk])
    for user, status in [(student, 200), (teacher, 200), (office, 200), (other_student, 404), (ict, 404)]:
        assert as_user(user).get(url).status_code == status, user
        assert as_user(user).get(thread_url).status_code == status, user
    assert as_user(other_student).post(thread_url, {"body": "x"}).status_code == 404
    assert as_user(other_student).get(reverse("discussions:course_forum", args=[course.pk])).status_code == 404
    assert as_user(student).get(reverse("discussions:thread_create", args=[forum.pk])).status_code == 200
    # Moderation is the teacher's and the office's.
    moderate = reverse("discussions:thread_moderate", args=[thread.pk])
    assert as_user(student).post(moderate, {"action": "pin"}).status_code == 403
    assert as_user(teacher).post(moderate, {"action": "pin"}).status_code == 302
    assert Thread.objects.get(pk=thread.pk).is_pinned


def test_a_locked_thread_takes_no_more_student_replies(as_user, course, teacher, student):
    thread = start(student, course)
    as_user(teacher).post(reverse("discussions:thread_moderate", args=[thread.pk]), {"action": "lock"})
    url = reverse("discussions:thread", args=[thread.pk])
    page = as_user(student).get(url).content.decode()
    assert "This thread is locked" in page and 'name="body"' not in page
    assert as_user(student).post(url, {"body": "тағы бір сұрақ"}).status_code == 403
    assert as_user(teacher).post(url, {"body": "Жабық, бірақ жауап беремін"}).status_code == 302
    assert Post.objects.filter(thread=thread).count() == 2


def test_announcements_are_started_by_teachers_and_told_to_the_whole_course(as_user, course, teacher, student):
    classmate = UserFactory(roles=f",{Role.STUDENT},", language="ru")
    enrol(classmate, course)
    forum = forums.course_forum(course, ForumKind.ANNOUNCEMENTS)
    assert as_user(student).get(reverse("discussions:thread_create", args=[forum.pk])).status_code == 403
    response = as_user(teacher).post(
        reverse("discussions:thread_create", args=[forum.pk]),
        {"title": "Емтихан кестесі", "body": "Емтихан 20 желтоқсанда."},
    )
    assert response.status_code == 302
    notified = set(Notification.objects.filter(kind="discussions.announcement").values_list("user_id", flat=True))
    assert notified == {student.pk, classmate.pk}
    thread = Thread.objects.get(forum=forum)
    assert as_user(student).post(reverse("discussions:thread", args=[thread.pk]), {"body": "x"}).status_code == 403


def test_the_university_announcements_are_the_offices(as_user, office, student, teacher):
    forum = forums.university_announcements()
    url = reverse("discussions:thread_create", args=[forum.pk])
    assert as_user(student).get(url).status_code == 403
    assert as_user(teacher).get(url).status_code == 403
    as_user(office).post(url, {"title": "Қысқы демалыс", "body": "Демалыс 1 қаңтардан басталады."})
    assert Notification.objects.filter(kind="discussions.announcement", user=student).exists()
    page = as_user(student).get(reverse("discussions:forum", args=[forum.pk])).content.decode()
    assert "Қысқы демалыс" in page


def test_followers_get_an_email_in_their_language(
    as_user, course, teacher, student, smtp_server, django_capture_on_commit_callbacks
):
    teacher.language = "ru"
    teacher.save()
    forum = forums.course_forum(course)
    forums.subscribe(user=teacher, forum=forum)
    with django_capture_on_commit_callbacks(execute=True):
        thread = start(student, course, title="Домбыра күйлері", body="Күй туралы сұрақ")
    with django_capture_on_commit_callbacks(execute=True):
        as_user(teacher).post(reverse("discussions:thread", args=[thread.pk]), {"body": "Жауап: **Адай**"})
    # The teacher follows the forum: told of the new thread, in Russian.
    to_teacher = [m for m in smtp_server.messages if m["To"] == teacher.email]
    assert len(to_teacher) == 1
    assert "Домбыра күйлері" in to_teacher[0]["Subject"]
    assert "отправляет вам это уведомление" in to_teacher[0].get_content()
    assert "Күй туралы сұрақ" in to_teacher[0].get_content()
    # The student follows their own thread: told of the reply.
    to_student = [m for m in smtp_server.messages if m["To"] == student.email]
    assert len(to_student) == 1 and "replied" in to_student[0]["Subject"]
    assert "sends you this notice" in to_student[0].get_content()
    # Stopping following stops the e-mails.
    forums.subscribe(user=student, forum=forum, thread=thread, on=False)
    assert not Subscription.objects.filter(user=student, thread=thread).exists()


def test_files_of_posts_are_private_to_the_course(as_user, course, teacher, student, other_student):
    thread = start(student, course, files=[SimpleUploadedFile("ноталар.pdf", b"%PDF-1.4 notes")])
    post_file = Post.objects.get(thread=thread).files.get()
    url = reverse("discussions:post_file", args=[post_file.pk])
    response = as_user(teacher).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 notes"
    assert as_user(other_student).get(url).status_code == 404
    assert as_user(None).get(url).status_code == 302


def test_a_bad_post_keeps_what_was_written(as_user, course, student, settings):
    forum = forums.course_forum(course)
    settings.CHAT_MAX_ATTACHMENT_MB = 1
    response = as_user(student).post(
        reverse("discussions:thread_create", args=[forum.pk]),
        {
            "title": "Үлкен файл",
            "body": "Мәтінім жоғалмасын",
            "files": [SimpleUploadedFile("big.wav", b"0" * (1024 * 1024 + 5))],
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "at most 1 MB" in page
    assert "Мәтінім жоғалмасын" in page and "Үлкен файл" in page
    assert not Thread.objects.exists()


def test_moderator_deletes_a_reply_or_the_whole_thread(as_user, course, teacher, student):
    thread = start(student, course)
    forum = access.get_forum_for(student, thread.forum_id)
    thread.forum = forum
    thread.can_reply = True
    reply = forums.reply(thread=thread, author=student, body="спам")
    assert as_user(student).post(reverse("discussions:post_delete", args=[thread.pk, reply.pk])).status_code == 403
    as_user(teacher).post(reverse("discussions:post_delete", args=[thread.pk, reply.pk]))
    assert Thread.objects.get(pk=thread.pk).post_count == 1
    first = Post.objects.get(thread=thread)
    as_user(teacher).post(reverse("discussions:post_delete", args=[thread.pk, first.pk]))
    assert not Thread.objects.filter(pk=thread.pk).exists()


@pytest.mark.parametrize("posts", [3, 30])
def test_forum_and_thread_pages_queries_do_not_grow(
    as_user, course, teacher, student, posts, django_assert_max_num_queries
):
    thread = start(student, course)
    forum = access.get_forum_for(student, thread.forum_id)
    thread.forum, thread.can_reply = forum, True
    for n in range(posts):
        forums.reply(
            thread=thread,
            author=teacher if n % 2 else student,
            body=f"жауап {n}",
            files=[SimpleUploadedFile(f"{n}.txt", b"x")] if n % 3 == 0 else [],
        )
        start(student, course, title=f"тақырып {n}")
    client = as_user(student)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("discussions:forum", args=[forum.pk])).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("discussions:thread", args=[thread.pk])).status_code == 200
