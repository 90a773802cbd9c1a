"""Every WebSocket keeps the account policy of the pages: an account whose issued password is unchanged (or
staff without TOTP when it is required) is refused at connecting (close code 4403), and an open connection
whose account has a step pending gets an error frame for each write, nothing stored. A malformed frame gets
an error frame and the connection goes on working."""

from __future__ import annotations

import uuid

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from testkit.factories import UserFactory
from ustaz.accounts.middleware import POLICY_CLOSE_CODE, websocket_stack
from ustaz.accounts.models import Role, User
from ustaz.discussions import services
from ustaz.discussions.models import Message
from ustaz.routing import websocket_urlpatterns

from .test_chat_socket import cookie, messages_until_synced, run, until

application = websocket_stack(URLRouter(websocket_urlpatterns))  # the stack of ustaz.asgi, without the Origin check
pytestmark = pytest.mark.django_db(transaction=True)


async def connect(user, path) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(
        application, path, headers=[(b"cookie", await database_sync_to_async(cookie)(user))]
    )
    connected, code = await communicator.connect()
    communicator.refused = None if connected else code
    return communicator


def test_an_unchanged_one_time_password_is_refused_on_every_socket(course, student):
    room = services.course_room(course)
    User.objects.filter(pk=student.pk).update(must_change_password=True)
    student.refresh_from_db()

    async def scenario():
        chat = await connect(student, f"/ws/chat/{room.pk}/")
        ping = await connect(student, "/ws/ping/")
        return chat.refused, ping.refused

    assert run(scenario()) == (POLICY_CLOSE_CODE, POLICY_CLOSE_CODE)
    assert not Message.objects.exists()


def test_a_password_reset_while_connected_refuses_the_next_message(course, student):
    room = services.course_room(course)

    async def scenario():
        chat = await connect(student, f"/ws/chat/{room.pk}/")
        await messages_until_synced(chat)
        # The office issues a new one-time password while the page is open.
        await database_sync_to_async(User.objects.filter(pk=student.pk).update)(must_change_password=True)
        await chat.send_json_to({"type": "send", "client_id": str(uuid.uuid4()), "body": "әлі осындамын"})
        refused, _ = await until(chat, "error")
        await chat.disconnect()
        return refused

    refused = run(scenario())
    assert "Change your one-time password first" in refused["message"]
    assert not Message.objects.exists()


def test_staff_without_totp_are_refused_when_it_is_required(settings, course, teacher):
    settings.MFA_REQUIRED_FOR_STAFF = True
    office = UserFactory(roles=f",{Role.ACADEMIC_OFFICE},")
    room = services.course_room(course)

    async def scenario():
        staff = await connect(office, f"/ws/chat/{room.pk}/")
        not_staff = await connect(teacher, f"/ws/chat/{room.pk}/")
        refused = staff.refused, not_staff.refused
        await not_staff.disconnect()
        return refused

    assert run(scenario()) == (POLICY_CLOSE_CODE, None)
    settings.MFA_REQUIRED_FOR_STAFF = False

    async def allowed():
        staff = await connect(office, f"/ws/chat/{room.pk}/")
        refused = staff.refused
        await staff.disconnect()
        return refused

    assert run(allowed()) is None


def test_staff_without_totp_are_refused_on_an_open_connection(settings, course):
    office = UserFactory(roles=f",{Role.ACADEMIC_OFFICE},")
    room = services.course_room(course)

    async def scenario():
        chat = await connect(office, f"/ws/chat/{room.pk}/")
        await messages_until_synced(chat)
        settings.MFA_REQUIRED_FOR_STAFF = True
        await chat.send_json_to({"type": "send", "client_id": str(uuid.uuid4()), "body": "office"})
        refused, _ = await until(chat, "error")
        await chat.disconnect()
        return refused

    refused = run(scenario())
    assert "two-factor authentication" in refused["message"]
    assert not Message.objects.exists()


MALFORMED = [
    {"type": "delete", "seq": 999},
    {"type": "delete", "seq": "x"},
    {"type": "delete", "seq": [1]},
    {"type": "delete", "seq": 10**30},
    {"type": "delete"},
    {"type": "mute", "user": 10**9, "minutes": 30},
    {"type": "mute", "user": {"id": 1}},
    {"type": "mute", "user": "?", "minutes": "forever"},
    {"type": "read", "seq": None},
    {"type": "sync", "after": "later"},
    {"type": "send", "client_id": "not-a-uuid", "body": "x"},
    {"type": "send", "client_id": str(uuid.uuid4()), "body": "x", "attachments": "all"},
    {"type": "send", "client_id": str(uuid.uuid4()), "body": "x", "attachments": [{"id": 1}]},
    {"type": "send", "client_id": str(uuid.uuid4()), "body": "nul \x00 inside"},
    {"type": ["send"]},
    {"type": "explode"},
    [1, 2, 3],
    "send",
    None,
]


def test_each_malformed_frame_gets_an_error_frame_and_the_socket_stays_usable(course, teacher):
    room = services.course_room(course)

    async def scenario():
        chat = await connect(teacher, f"/ws/chat/{room.pk}/")
        await messages_until_synced(chat)
        answers = []
        for frame in MALFORMED:
            await chat.send_json_to(frame)
            answers.append(await chat.receive_json_from(timeout=5))
        for raw in ("{not json", "   "):
            await chat.send_to(text_data=raw)
            answers.append(await chat.receive_json_from(timeout=5))
        await chat.send_to(bytes_data=b"\x00\x01")
        answers.append(await chat.receive_json_from(timeout=5))
        # Still connected and working.
        await chat.send_json_to({"type": "send", "client_id": str(uuid.uuid4()), "body": "жұмыс істейді"})
        ack, _ = await until(chat, "ack")
        await chat.disconnect()
        return answers, ack

    answers, ack = run(scenario())
    assert [a["type"] for a in answers] == ["error"] * (len(MALFORMED) + 3), answers
    assert all(a["message"] for a in answers)
    assert ack["seq"] == 1
    assert list(Message.objects.values_list("body", flat=True)) == ["жұмыс істейді"]
