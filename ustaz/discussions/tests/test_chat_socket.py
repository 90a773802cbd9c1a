"""The chat over real WebSocket connections (Channels' communicator, the project's channel layer): delivery to
everyone in the room, exactly once and in order after a reconnection, retries stored once, moderation, and
nobody outside the room let in."""

from __future__ import annotations

import uuid

import pytest
from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connections
from django.test import Client
from django.urls import path

from testkit.aio import run_in_thread
from testkit.factories import StudyGroupFactory, UserFactory, enrol
from ustaz.accounts.models import Role
from ustaz.discussions import services
from ustaz.discussions.consumers import ChatConsumer
from ustaz.discussions.models import Message
from ustaz.notifications.models import Notification

application = AuthMiddlewareStack(URLRouter([path("ws/chat/<int:pk>/", ChatConsumer.as_asgi())]))
pytestmark = pytest.mark.django_db(transaction=True)


def run(coroutine):
    async def wrapped():
        try:
            return await coroutine
        finally:
            await database_sync_to_async(connections.close_all)()

    return run_in_thread(wrapped())


def cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode()


async def connect(user, room, after=0) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(
        application,
        f"/ws/chat/{room.pk}/?after={after}",
        headers=[(b"cookie", await database_sync_to_async(cookie)(user))] if user else [],
    )
    connected, code = await communicator.connect()
    communicator.refused = None if connected else code
    return communicator


async def until(communicator, kind, timeout=5):
    """The next event of that kind (skipping others, which are returned too)."""
    skipped = []
    while True:
        event = await communicator.receive_json_from(timeout=timeout)
        if event["type"] == kind:
            return event, skipped
        skipped.append(event)


async def messages_until_synced(communicator):
    synced, before = await until(communicator, "synced")
    return [e["message"] for e in before if e["type"] == "message"], synced


def test_a_message_reaches_everyone_in_the_room(course, teacher, student):
    room = services.course_room(course)

    async def scenario():
        alice = await connect(student, room)
        bob = await connect(teacher, room)
        await messages_until_synced(alice)
        await messages_until_synced(bob)
        client_id = str(uuid.uuid4())
        await alice.send_json_to({"type": "send", "client_id": client_id, "body": "Сәлеметсіз бе! <b>1</b>"})
        ack, first = await until(alice, "ack")
        got, _ = await until(bob, "message")
        await alice.disconnect()
        await bob.disconnect()
        return ack, first, got

    ack, before_ack, got = run(scenario())
    assert ack["seq"] == 1
    assert got["message"]["body"] == "Сәлеметсіз бе! <b>1</b>"  # text, shown as text by the page
    assert got["message"]["author"]["id"] == student.pk and got["message"]["client_id"]
    assert [e["message"]["seq"] for e in before_ack if e["type"] == "message"] in ([1], [])


def test_a_client_that_reconnects_gets_exactly_what_it_missed(course, teacher, student):
    room = services.course_room(course)
    for n in range(3):
        services.message_post(room=room, author=teacher, body=f"before {n}", client_id=uuid.uuid4())

    async def scenario():
        watcher = await connect(student, room, after=0)
        seen, _synced = await messages_until_synced(watcher)
        last = seen[-1]["seq"]
        await watcher.disconnect()
        # While the student is away, the teacher writes four more (through another connection).
        writer = await connect(teacher, room, after=last)
        await messages_until_synced(writer)
        for n in range(4):
            await writer.send_json_to({"type": "send", "client_id": str(uuid.uuid4()), "body": f"missed {n}"})
            await until(writer, "ack")
        back = await connect(student, room, after=last)
        missed, synced = await messages_until_synced(back)
        # One more live: it arrives once, after the missed ones.
        await writer.send_json_to({"type": "send", "client_id": str(uuid.uuid4()), "body": "live"})
        live, _ = await until(back, "message")
        nothing = await back.receive_nothing(timeout=0.3)
        await writer.disconnect()
        await back.disconnect()
        return seen, missed, synced, live, nothing

    seen, missed, synced, live, nothing = run(scenario())
    assert [m["body"] for m in seen] == ["before 0", "before 1", "before 2"]
    assert [m["body"] for m in missed] == ["missed 0", "missed 1", "missed 2", "missed 3"]
    assert [m["seq"] for m in missed] == [4, 5, 6, 7] and synced["upto"] == 7
    assert live["message"]["seq"] == 8 and live["message"]["body"] == "live"
    assert nothing


def test_a_retried_message_is_stored_once(course, student):
    room = services.course_room(course)
    client_id = str(uuid.uuid4())

    async def scenario():
        first = await connect(student, room)
        await messages_until_synced(first)
        await first.send_json_to({"type": "send", "client_id": client_id, "body": "бір рет"})
        ack1, _ = await until(first, "ack")
        await first.disconnect()
        # The page did not see the ack (connection dropped) and sends the same message again.
        again = await connect(student, room, after=0)
        seen, _ = await messages_until_synced(again)
        await again.send_json_to({"type": "send", "client_id": client_id, "body": "бір рет"})
        ack2, _ = await until(again, "ack")
        extra = await again.receive_nothing(timeout=0.3)
        await again.disconnect()
        return ack1, ack2, seen, extra

    ack1, ack2, seen, extra = run(scenario())
    assert ack1["seq"] == ack2["seq"] == 1
    assert [m["body"] for m in seen] == ["бір рет"] and extra
    assert Message.objects.filter(room__course=course).count() == 1


def test_nobody_outside_the_room_gets_in(course, teacher, student, other_student, ict):
    room = services.course_room(course)
    services.message_post(room=room, author=teacher, body="private to the course")

    async def scenario():
        results = {}
        for name, user in [("other", other_student), ("ict", ict), ("anonymous", None)]:
            communicator = await connect(user, room)
            results[name] = communicator.refused
        return results

    assert run(scenario()) == {"other": 4404, "ict": 4404, "anonymous": 4401}


def test_a_group_room_is_only_its_groups(course, teacher, student):
    own, other = student.student_record.group, StudyGroupFactory()
    course.groups.add(own, other)
    classmate_elsewhere = UserFactory(roles=f",{Role.STUDENT},")
    enrol(classmate_elsewhere, course, group=other)
    theirs = services.group_room(course, other)

    async def scenario():
        outsider = await connect(student, theirs)
        member = await connect(classmate_elsewhere, theirs)
        teacher_in = await connect(teacher, theirs)
        refused = outsider.refused, member.refused, teacher_in.refused
        await member.disconnect()
        await teacher_in.disconnect()
        return refused

    assert run(scenario()) == (4404, None, None)


def test_moderation_delete_and_mute(course, teacher, student):
    room = services.course_room(course)
    student_message, _ = services.message_post(room=room, author=student, body="spam")
    teacher_message, _ = services.message_post(room=room, author=teacher, body="rules")

    async def scenario():
        moderator = await connect(teacher, room)
        pupil = await connect(student, room)
        await messages_until_synced(moderator)
        await messages_until_synced(pupil)
        # A student cannot delete the teacher's message.
        await pupil.send_json_to({"type": "delete", "seq": teacher_message.seq})
        refused, _ = await until(pupil, "error")
        await moderator.send_json_to({"type": "delete", "seq": student_message.seq})
        deleted, _ = await until(pupil, "deleted")
        await moderator.send_json_to({"type": "mute", "user": student.pk, "minutes": 30})
        muted, _ = await until(pupil, "muted")
        await pupil.send_json_to({"type": "send", "client_id": str(uuid.uuid4()), "body": "still here?"})
        silenced, _ = await until(pupil, "error")
        # A late joiner sees the deleted one as deleted, without its text.
        late = await connect(student, room)
        history, synced = await messages_until_synced(late)
        for communicator in (moderator, pupil, late):
            await communicator.disconnect()
        return refused, deleted, muted, silenced, history, synced

    refused, deleted, muted, silenced, history, synced = run(scenario())
    assert "author or a moderator" in refused["message"]
    assert deleted["seq"] == student_message.seq and muted["user"] == student.pk and muted["until"]
    assert "muted you" in silenced["message"]
    assert history[0]["deleted"] and history[0]["body"] == "" and synced["deleted"] == [student_message.seq]
    assert Message.objects.filter(room=room).count() == 2


def test_the_rector_reads_but_does_not_write(course, teacher):
    rector = UserFactory(roles=f",{Role.RECTOR},")
    room = services.course_room(course)
    services.message_post(room=room, author=teacher, body="hello")

    async def scenario():
        reader = await connect(rector, room)
        seen, _ = await messages_until_synced(reader)
        await reader.send_json_to({"type": "send", "client_id": str(uuid.uuid4()), "body": "x"})
        refused, _ = await until(reader, "error")
        await reader.disconnect()
        return seen, refused

    seen, refused = run(scenario())
    assert [m["body"] for m in seen] == ["hello"] and "not write" in refused["message"]


def test_mentions_and_direct_messages_are_notices(course, teacher, student):
    room = services.course_room(course)
    services.message_post(room=room, author=student, body=f"@{teacher.username} қарап шығыңызшы")
    mention = Notification.objects.get(user=teacher, kind="discussions.mentioned")
    assert student.full_name in mention.title and "қарап" in mention.body
    assert not Notification.objects.filter(user=student).exists()  # nobody is told of their own mention
    direct = services.direct_room(student, teacher)
    services.message_post(room=direct, author=teacher, body="Жарайсың")
    assert Notification.objects.get(user=student, kind="discussions.direct_message").body == "Жарайсың"


def test_read_marks_give_unread_counts(course, teacher, student):
    from ustaz.discussions import selectors

    room = services.course_room(course)
    for n in range(5):
        services.message_post(room=room, author=teacher, body=str(n))
    unread = {r.pk: r.unread for r in selectors.rooms_for(student)}
    assert unread[room.pk] == 5
    services.mark_read(room=room, user=student, seq=3)
    services.mark_read(room=room, user=student, seq=2)  # never backwards
    assert {r.pk: r.unread for r in selectors.rooms_for(student)}[room.pk] == 2
    assert {r.pk: r.unread for r in selectors.rooms_for(teacher)}[room.pk] == 0  # one's own messages are read


def test_a_client_asking_from_past_the_last_message_still_gets_new_ones(course, teacher, student):
    room = services.course_room(course)
    services.message_post(room=room, author=teacher, body="old")

    async def scenario():
        stale = await connect(student, room, after=10_000)
        _seen, synced = await messages_until_synced(stale)
        writer = await connect(teacher, room, after=1)
        await messages_until_synced(writer)
        await writer.send_json_to({"type": "send", "client_id": str(uuid.uuid4()), "body": "new"})
        got, _ = await until(stale, "message")
        await stale.disconnect()
        await writer.disconnect()
        return synced, got

    synced, got = run(scenario())
    assert synced["upto"] == 1 and got["message"]["body"] == "new"


def test_a_direct_conversation_is_only_its_two_people(course, teacher, student, other_student, office):
    direct = services.direct_room(student, teacher)
    services.message_post(room=direct, author=teacher, body="жеке")

    async def scenario():
        refused = {}
        for name, user in [("other student", other_student), ("office", office)]:
            refused[name] = (await connect(user, direct)).refused
        own = await connect(student, direct)
        seen, _ = await messages_until_synced(own)
        await own.disconnect()
        return refused, seen

    refused, seen = run(scenario())
    assert refused == {"other student": 4404, "office": 4404}
    assert [m["body"] for m in seen] == ["жеке"]


def test_a_malformed_request_gets_a_readable_answer_in_the_users_language(course, student):
    student.language = "ru"
    student.save()
    room = services.course_room(course)

    async def scenario():
        client = await connect(student, room)
        await messages_until_synced(client)
        await client.send_json_to({"type": "nonsense"})
        unknown, _ = await until(client, "error")
        await client.send_json_to({"type": "delete", "seq": "not a number"})
        malformed, _ = await until(client, "error")
        await client.disconnect()
        return unknown, malformed

    unknown, malformed = run(scenario())
    assert unknown["message"] == malformed["message"] == "Запрос не удалось прочитать."
