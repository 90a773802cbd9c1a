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


@pytest.fixture
def scaled_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("USTAZ_")}
    env.update(
        {"USTAZ_VAR_DIR": str(tmp_path), "USTAZ_SECRET_KEY": "scaled-test-" + "k" * 50, "USTAZ_LOGIN_RATE": "5/m/ip"}
    )
    database_url = os.environ.get("USTAZ_DATABASE_URL", "")
    if database_url.startswith("postgres"):
        import psycopg

        base, _slash, _name = database_url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
            connection.execute("DROP DATABASE IF EXISTS ustaz_scaled_test WITH (FORCE)")
            connection.execute("CREATE DATABASE ustaz_scaled_test")
        env["USTAZ_DATABASE_URL"] = f"{base}/ustaz_scaled_test"
    if os.environ.get("USTAZ_REDIS_URL"):
        env["USTAZ_REDIS_URL"] = os.environ["USTAZ_REDIS_URL"]
        import redis

        redis.Redis.from_url(env["USTAZ_REDIS_URL"]).flushdb()
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)  # noqa: S603
    subprocess.run([*manage, "createcachetable"], env=env, check=True, cwd=ROOT)  # noqa: S603
    create = (
        "from ustaz.accounts.models import User; "
        "u = User(username='scaled', first_name='Ерлан', last_name='Сейітов', roles=',student,', language='en'); "
        f"u.set_password('{PASSWORD}'); u.save()"
    )
    subprocess.run([*manage, "shell", "-c", create], env=env, check=True, cwd=ROOT)  # noqa: S603
    return env


@pytest.fixture
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
