"""The chat's pages and files, per role: rooms, history, attachments, direct messages."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from testkit.factories import CourseFactory, UserFactory, enrol
from ustaz.accounts.models import Role
from ustaz.discussions import services
from ustaz.discussions.models import Attachment, Room, RoomKind


def test_the_course_chat_opens_for_its_people_only(as_user, course, teacher, student, other_student, office, ict):
    url = reverse("discussions:course_room", args=[course.pk])
    response = as_user(student).get(url)
    assert response.status_code == 302
    room = Room.objects.get(kind=RoomKind.COURSE, course=course)
    assert response["Location"] == reverse("discussions:room", args=[room.pk])
    for user, status in [(student, 200), (teacher, 200), (office, 200), (other_student, 404), (ict, 404)]:
        assert as_user(user).get(reverse("discussions:room", args=[room.pk])).status_code == status, user
        assert as_user(user).get(reverse("discussions:history", args=[room.pk])).status_code == status, user
    assert as_user(other_student).get(url).status_code == 404
    assert as_user(None).get(reverse("discussions:room", args=[room.pk])).status_code == 302


def test_the_room_page_connects_to_the_websocket_server_and_allows_it(as_user, course, student, settings):
    settings.WS_URL = ""
    settings.WS_PORT = 8123
    room = services.course_room(course)
    response = as_user(student).get(reverse("discussions:room", args=[room.pk]), HTTP_HOST="127.0.0.1:8000")
    page = response.content.decode()
    assert f'data-ws="ws://127.0.0.1:8123/ws/chat/{room.pk}/"' in page
    assert "connect-src 'self' ws://127.0.0.1:8123" in response["Content-Security-Policy"]
    settings.WS_URL = "wss://ustaz.example.edu/ws"
    response = as_user(student).get(reverse("discussions:room", args=[room.pk]))
    assert f'data-ws="wss://ustaz.example.edu/ws/chat/{room.pk}/"' in response.content.decode()
    assert "connect-src 'self' wss://ustaz.example.edu" in response["Content-Security-Policy"]


def test_message_text_is_never_in_the_page_as_html(as_user, course, teacher, student):
    room = services.course_room(course)
    services.message_post(room=room, author=teacher, body='<img src=x onerror="alert(1)">')
    page = as_user(student).get(reverse("discussions:room", args=[room.pk])).content.decode()
    assert "onerror" not in page  # messages come over the socket and are shown as text (chat.js)
    history = as_user(student).get(reverse("discussions:history", args=[room.pk])).json()
    assert history["messages"][0]["body"] == '<img src=x onerror="alert(1)">'


def test_history_pages_backwards(as_user, course, teacher, student):
    room = services.course_room(course)
    for n in range(60):
        services.message_post(room=room, author=teacher, body=f"m{n}")
    first = as_user(student).get(reverse("discussions:history", args=[room.pk]), {"before": 61}).json()
    assert [m["seq"] for m in first["messages"]] == list(range(11, 61)) and first["more"]
    rest = as_user(student).get(reverse("discussions:history", args=[room.pk]), {"before": 11}).json()
    assert [m["seq"] for m in rest["messages"]] == list(range(1, 11)) and not rest["more"]


def test_attachments_are_private_to_the_room(as_user, course, teacher, student, other_student):
    room = services.course_room(course)
    upload = as_user(student).post(
        reverse("discussions:attachment_upload", args=[room.pk]),
        {"file": SimpleUploadedFile("этюд.pdf", b"%PDF-1.4 demo", content_type="application/pdf")},
    )
    assert upload.status_code == 200
    attachment = Attachment.objects.get(pk=upload.json()["id"])
    url = reverse("discussions:attachment", args=[attachment.pk])
    # Not sent yet: only its uploader has it.
    assert as_user(teacher).get(url).status_code == 404
    assert as_user(student).get(url).status_code == 200
    message, _ = services.message_post(room=room, author=student, body="", attachment_ids=[attachment.pk])
    download = as_user(teacher).get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 demo"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert as_user(other_student).get(url).status_code == 404
    assert (
        as_user(other_student)
        .post(
            reverse("discussions:attachment_upload", args=[room.pk]),
            {"file": SimpleUploadedFile("x.txt", b"x")},
        )
        .status_code
        == 404
    )
    services.message_delete(room=room, seq=message.seq, by=student)
    assert as_user(teacher).get(url).status_code == 404


def test_an_attachment_cannot_be_taken_into_another_room_or_be_too_big(course, teacher, student, settings):
    room = services.course_room(course)
    other_room = services.direct_room(student, teacher)
    attachment = services.attachment_add(room=room, user=student, upload=SimpleUploadedFile("a.txt", b"a"))
    with pytest.raises(Exception, match="no longer there"):
        services.message_post(room=other_room, author=student, body="x", attachment_ids=[attachment.pk])
    settings.CHAT_MAX_ATTACHMENT_MB = 1
    with pytest.raises(Exception, match="at most 1 MB"):
        services.attachment_add(room=room, user=student, upload=SimpleUploadedFile("big.bin", b"0" * (1024 * 1024 + 1)))


def test_who_may_write_to_whom(as_user, course, teacher, student, other_student, office):
    classmate = UserFactory(roles=f",{Role.STUDENT},")
    enrol(classmate, course)
    other_teacher = UserFactory(roles=f",{Role.TEACHER},")
    CourseFactory().teachers.add(other_teacher)
    allowed = [(student, teacher), (teacher, student), (student, office), (office, other_student), (teacher, office)]
    refused = [(student, classmate), (student, other_teacher), (other_student, teacher), (student, student)]
    for user, other in allowed:
        response = as_user(user).post(reverse("discussions:direct", args=[other.pk]))
        assert response.status_code == 302, (user, other)
    for user, other in refused:
        assert as_user(user).get(reverse("discussions:direct", args=[other.pk])).status_code == 404, (user, other)
        assert as_user(user).post(reverse("discussions:direct", args=[other.pk])).status_code == 404, (user, other)
    # The same pair shares one room, whoever starts it; a third person cannot open it.
    low, high = sorted([student.pk, teacher.pk])
    room = Room.objects.get(kind=RoomKind.DIRECT, user_low=low, user_high=high)
    assert services.direct_room(teacher, student).pk == room.pk
    assert as_user(classmate).get(reverse("discussions:room", args=[room.pk])).status_code == 404
    assert as_user(office).get(reverse("discussions:room", args=[room.pk])).status_code == 404


def test_the_inbox_lists_rooms_with_unread_counts_in_few_queries(
    as_user, course, teacher, student, django_assert_max_num_queries
):
    room = services.course_room(course)
    services.message_post(room=room, author=teacher, body="Сабақ 10:00-де", client_id=uuid.uuid4())
    services.message_post(room=services.direct_room(student, teacher), author=teacher, body="Жеке хабар")
    client = as_user(student)
    with django_assert_max_num_queries(14) as few:
        page = client.get(reverse("discussions:inbox")).content.decode()
    assert course.title in page and teacher.full_name in page
    for _n in range(6):
        other_course = CourseFactory()
        enrol(student, other_course)
        services.message_post(room=services.course_room(other_course), author=student, body="x")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("discussions:inbox")).status_code == 200


def test_the_inbox_writes_nothing_once_the_rooms_exist(as_user, course, student):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(student)
    client.get(reverse("discussions:inbox"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("discussions:inbox"))
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]
    assert not [w for w in writes if "discussions_room" in w]
