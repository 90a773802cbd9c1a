"""Scaled mode: two web processes behind one address must behave as one (no process-local state).

The test runs two real granian servers from the same settings (SQLite or, in the PostgreSQL run,
PostgreSQL + Redis), logs in through one and goes on through the other.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from testkit.aio import run_in_thread

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Scaled-test-password-1"  # noqa: S105


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not come up")


# This run's own names: two runs on one PostgreSQL and Redis server never share a database or a key.
RUN = f"scaled_{os.getpid()}_{int(time.time())}"


@pytest.fixture(scope="module")
def scaled_env(tmp_path_factory):
    """One installation for the module's tests (migrated once): its own database and Redis prefix."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("USTAZ_")}
    env.update(
        {
            "USTAZ_VAR_DIR": str(tmp_path_factory.mktemp("scaled")),
            "USTAZ_SECRET_KEY": "scaled-test-" + "k" * 50,
            "USTAZ_LOGIN_RATE": "5/m/ip",
            "USTAZ_REDIS_PREFIX": RUN,
        }
    )
    database_url = os.environ.get("USTAZ_DATABASE_URL", "")
    base = ""
    if database_url.startswith("postgres"):
        import psycopg

        base, _slash, _name = database_url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {RUN}")
        env["USTAZ_DATABASE_URL"] = f"{base}/{RUN}"
    if os.environ.get("USTAZ_REDIS_URL"):
        env["USTAZ_REDIS_URL"] = os.environ["USTAZ_REDIS_URL"]
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)  # noqa: S603
    subprocess.run([*manage, "createcachetable"], env=env, check=True, cwd=ROOT)  # noqa: S603
    create = (
        "from ustaz.accounts.models import User; "
        "u = User(username='scaled', first_name='Ерлан', last_name='Сейітов', roles=',student,', language='en'); "
        f"u.set_password('{PASSWORD}'); u.save()"
    )
    subprocess.run([*manage, "shell", "-c", create], env=env, check=True, cwd=ROOT)  # noqa: S603
    yield env
    if env.get("USTAZ_REDIS_URL"):
        from testkit.caches import unlink_prefixed

        unlink_prefixed(env["USTAZ_REDIS_URL"], RUN)
    if base:
        import psycopg

        with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {RUN} WITH (FORCE)")


@pytest.fixture(scope="module")
def two_servers(scaled_env):
    ports = [free_port(), free_port()]
    processes = [
        subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "granian",
                "--interface",
                "wsgi",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                "1",
                "--no-access-log",
                "ustaz.wsgi:application",
            ],
            env=scaled_env,
            cwd=ROOT,
        )
        for port in ports
    ]
    try:
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url in urls:
            wait_until_up(f"{url}/health/")
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)


def login_form(client: httpx.Client, base: str, password: str) -> httpx.Response:
    client.get(f"{base}/accounts/login/")
    return client.post(
        f"{base}/accounts/login/",
        data={"login": "scaled", "password": password, "csrfmiddlewaretoken": client.cookies["csrftoken"]},
        headers={"Referer": f"{base}/accounts/login/"},
    )


def test_a_session_made_on_one_process_is_honoured_by_the_other(two_servers):
    first, second = two_servers
    with httpx.Client() as client:
        response = login_form(client, first, PASSWORD)
        assert response.status_code == 302, response.text[:500]
        home = client.get(f"{second}/")
        assert home.status_code == 200
        assert "Сейітов Е." in home.text
        # A change made through the second process is seen by the first.
        client.post(
            f"{second}/language/",
            data={"language": "ru", "next": "/", "csrfmiddlewaretoken": client.cookies["csrftoken"]},
            headers={"Referer": f"{second}/"},
        )
        assert client.get(f"{first}/").headers["Content-Language"] == "ru"


def test_failed_logins_are_counted_across_processes(two_servers):
    first, second = two_servers
    with httpx.Client() as client:
        for _ in range(5):
            assert login_form(client, first, "wrong").status_code == 200
        # The sixth attempt, on the other process and with the right password, is refused all the same.
        response = login_form(client, second, PASSWORD)
        assert response.status_code in (200, 429)
        assert "sessionid" not in client.cookies


# --- Chat across two WebSocket processes (the channel layer on Redis) ---------------------------------------

CHAT_SETUP = """
import json
from django.test import Client
from testkit.factories import CourseFactory, UserFactory, enrol
from ustaz.discussions import services
course = CourseFactory()
teacher = UserFactory(roles=",teacher,")
course.teachers.add(teacher)
student = UserFactory(roles=",student,")
enrol(student, course)
room = services.course_room(course)
cookies = {}
for name, user in (("teacher", teacher), ("student", student)):
    client = Client()
    client.force_login(user)
    cookies[name] = client.cookies["sessionid"].value
print(json.dumps({"room": room.pk, "cookies": cookies}))
"""


@pytest.fixture(scope="module")
def redis_env(scaled_env):
    import redis

    url = os.environ.get("USTAZ_REDIS_URL") or "redis://127.0.0.1:6379/14"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        pytest.skip("Redis does not answer at 127.0.0.1:6379 (the test command's PostgreSQL + Redis run has it)")
    return {**scaled_env, "USTAZ_REDIS_URL": url}


@pytest.fixture(scope="module")
def two_websocket_servers(redis_env):
    import json

    setup = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", CHAT_SETUP],
        env=redis_env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    facts = json.loads(setup.stdout.strip().splitlines()[-1])
    ports = [free_port(), free_port()]
    processes = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "granian", "--interface", "asginl", "--host", "127.0.0.1", "--port", str(port)]
            + ["--workers", "1", "--no-access-log", "ustaz.asgi:application"],
            env=redis_env,
            cwd=ROOT,
        )
        for port in ports
    ]
    try:
        for port in ports:
            wait_until_up(f"http://127.0.0.1:{port}/health/")
        yield [f"ws://127.0.0.1:{port}" for port in ports], facts
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)


def test_chat_reaches_a_client_on_the_other_process_and_a_reconnect_gets_what_it_missed(two_websocket_servers):
    import asyncio
    import json
    import uuid

    from websockets.asyncio.client import connect

    (first, second), facts = two_websocket_servers
    path = f"/ws/chat/{facts['room']}/"

    def headers(who):
        return {"Cookie": f"sessionid={facts['cookies'][who]}", "Origin": "http://127.0.0.1"}

    async def next_of(socket, kind):
        while True:
            event = json.loads(await asyncio.wait_for(socket.recv(), timeout=10))
            if event["type"] == kind:
                return event

    async def scenario():
        async with (
            connect(first + path + "?after=0", additional_headers=headers("teacher")) as teacher,
            connect(second + path + "?after=0", additional_headers=headers("student")) as student,
        ):
            await next_of(teacher, "synced")
            await next_of(student, "synced")
            await teacher.send(json.dumps({"type": "send", "client_id": str(uuid.uuid4()), "body": "Сәлем, 2-процесс"}))
            across = await next_of(student, "message")
            last = across["message"]["seq"]
        # The student is gone; the teacher writes three more on the second process.
        async with connect(second + path + f"?after={last}", additional_headers=headers("teacher")) as teacher:
            await next_of(teacher, "synced")
            for n in range(3):
                await teacher.send(json.dumps({"type": "send", "client_id": str(uuid.uuid4()), "body": f"m{n}"}))
                await next_of(teacher, "ack")
        # Back, on the first process: exactly the three missed, then the sync mark.
        async with connect(first + path + f"?after={last}", additional_headers=headers("student")) as student:
            received = []
            while True:
                event = json.loads(await asyncio.wait_for(student.recv(), timeout=10))
                if event["type"] == "synced":
                    break
                received.append(event["message"])
        return across, received

    across, received = run_in_thread(scenario())
    assert across["message"]["body"] == "Сәлем, 2-процесс" and across["message"]["seq"] == 1
    assert [(m["seq"], m["body"]) for m in received] == [(2, "m0"), (3, "m1"), (4, "m2")]


def test_a_stranger_cannot_open_the_chat_socket(two_websocket_servers):

    from websockets.asyncio.client import connect
    from websockets.exceptions import InvalidStatus

    (first, _second), facts = two_websocket_servers

    async def scenario():
        try:
            async with connect(f"{first}/ws/chat/{facts['room']}/", additional_headers={"Origin": "http://127.0.0.1"}):
                return "opened"
        except InvalidStatus as refused:
            return refused.response.status_code

    # Refused before the handshake completes (the consumer closes before accepting).
    assert run_in_thread(scenario()) == 403
