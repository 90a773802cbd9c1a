"""The WebSocket side (Channels through ustaz.asgi): a logged-in user is answered, an anonymous one is not."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connections

from testkit.aio import run_in_thread
from testkit.factories import UserFactory
from ustaz.asgi import application


def run(coroutine_function, *args):
    return run_in_thread(coroutine_function(*args))


def session_cookie(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


@pytest.mark.django_db(transaction=True)
def test_a_logged_in_user_gets_an_answer():
    user = UserFactory(roles=",student,")
    run(ping, session_cookie(user))


async def ping(cookie: str) -> None:
    communicator = WebsocketCommunicator(
        application,
        "/ws/ping/",
        headers=[(b"cookie", cookie.encode()), (b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")],
    )
    connected, _subprotocol = await communicator.connect()
    assert connected
    await communicator.send_json_to({"ping": 7})
    assert await communicator.receive_json_from() == {"pong": 7}
    await communicator.disconnect()
    # The session was read in Channels' database thread: close its connection, as a server would.
    await database_sync_to_async(connections.close_all)()


@pytest.mark.django_db(transaction=True)
def test_an_anonymous_connection_is_closed():
    run(anonymous)


async def anonymous() -> None:
    communicator = WebsocketCommunicator(
        application, "/ws/ping/", headers=[(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]
    )
    connected, code = await communicator.connect()
    assert not connected
    assert code == 4401


def test_a_foreign_origin_is_refused():
    run(foreign_origin)


async def foreign_origin() -> None:
    communicator = WebsocketCommunicator(
        application, "/ws/ping/", headers=[(b"origin", b"https://evil.example"), (b"host", b"127.0.0.1")]
    )
    connected, _code = await communicator.connect()
    assert not connected


@pytest.mark.django_db(transaction=True)
def test_an_account_with_an_unchanged_one_time_password_is_refused():
    user = UserFactory(roles=",student,", must_change_password=True)
    assert run(policy_refused, session_cookie(user)) == 4403


async def policy_refused(cookie: str) -> int:
    communicator = WebsocketCommunicator(
        application,
        "/ws/ping/",
        headers=[(b"cookie", cookie.encode()), (b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")],
    )
    connected, code = await communicator.connect()
    await database_sync_to_async(connections.close_all)()
    return None if connected else code
