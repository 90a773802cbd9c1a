"""No answer is ever lost: answers saved over HTTP survive the server process being killed and restarted; an
attempt left open is closed and graded at its deadline by the task worker (the database queue), with no
browser. Real granian and db_worker processes, on SQLite or (in the PostgreSQL run) PostgreSQL."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time

import httpx
import pytest

from .test_scaled import PASSWORD, ROOT, free_port, scaled_env, wait_until_up  # noqa: F401 - scaled_env is a fixture

SETUP = """
import datetime, json
from django.utils import timezone
from testkit.factories import CourseFactory, UserFactory, enrol
from ustaz.grades.models import GradeItem, ItemKind, Period
from ustaz.quizzes import services
from ustaz.quizzes.models import Bank, Category, ReviewPolicy, Section, Test
course = CourseFactory()
teacher = UserFactory(roles=",teacher,")
course.teachers.add(teacher)
student = UserFactory(username="quizzer", roles=",student,", password="%(password)s")
enrol(student, course)
column = GradeItem.objects.create(course=course, kind=ItemKind.MIDTERM, period=Period.FIRST, title="T", max_points=100)
bank = Bank.objects.create(discipline=course.discipline, name="B")
gift = "Кюй «Адай»? {=Құрманғазы ~Тәттімбет}\\n\\nЛя, Гц? {#440:1}\\n\\nЖылы? {=1856}\\n"
services.bank_import(bank=bank, category="K", raw=gift.encode(), fmt="gift", by=teacher)
now = timezone.now()
test = Test.objects.create(course=course, title="T", opens_at=now - datetime.timedelta(minutes=1),
    closes_at=now + datetime.timedelta(seconds=%(seconds)d), time_limit_minutes=30,
    review=ReviewPolicy.AFTER_SUBMIT, grade_item=column)
Section.objects.create(test=test, category=Category.objects.get(bank=bank), count=3)
print(json.dumps({"course": course.pk, "test": test.pk}))
"""

STATE = """
import json
from ustaz.grades.models import Grade
from ustaz.quizzes.models import Attempt
attempt = Attempt.objects.get()
grade = Grade.objects.filter(student=attempt.student).first()
print(json.dumps({"status": attempt.status, "score": str(attempt.score),
                  "grade": str(grade.points) if grade else None}))
"""


@pytest.fixture
def worker_env(scaled_env):  # noqa: F811 - the fixture imported above
    # The database task queue, as in production: no test settings in the server or the worker.
    return {k: v for k, v in scaled_env.items() if k not in ("PYTEST_VERSION", "PYTEST_CURRENT_TEST")}


def manage(env, *args, **kwargs):
    return subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        **kwargs,
    )


def shell(env, code: str) -> dict:
    return json.loads(manage(env, "shell", "-c", code).stdout.strip().splitlines()[-1])


def server(env, port: int) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603
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
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    wait_until_up(f"http://127.0.0.1:{port}/health/")
    return process


def kill(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)  # the whole server, workers too, with no chance to clean up
    process.wait(timeout=10)


def log_in(client: httpx.Client, base: str) -> None:
    client.get(f"{base}/accounts/login/")
    response = client.post(
        f"{base}/accounts/login/",
        data={"login": "quizzer", "password": PASSWORD, "csrfmiddlewaretoken": client.cookies["csrftoken"]},
        headers={"Referer": f"{base}/accounts/login/"},
    )
    assert response.status_code == 302, response.text[:300]


def test_answers_survive_a_killed_server_and_the_worker_closes_the_attempt(worker_env):
    ids = shell(worker_env, SETUP % {"password": PASSWORD, "seconds": 25})
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    first = server(worker_env, port)
    worker = None
    try:
        with httpx.Client() as client:
            log_in(client, base)
            started = client.post(
                f"{base}/courses/{ids['course']}/tests/{ids['test']}/start/",
                data={"csrfmiddlewaretoken": client.cookies["csrftoken"]},
                headers={"Referer": base},
            )
            attempt_url = started.headers["Location"]
            page = client.get(f"{base}{attempt_url}").text
            positions = {
                text: int(position)
                for position, text in re.findall(
                    r'data-position="(\d+)" data-kind="\w+">\s*<legend[^>]*><span[^>]*>\d+\. ([^<]+)', page
                )
            }
            csrf = {"X-CSRFToken": client.cookies["csrftoken"], "Referer": base}
            save = f"{base}{attempt_url}save/"
            answers = {"Ля, Гц?": "440", "Жылы?": "1856"}
            for text, value in answers.items():
                response = client.post(save, json={"position": positions[text], "response": value}, headers=csrf)
                assert response.status_code == 200, response.text
            kill(first)
            first = server(worker_env, port)  # the same address, a new process
            page = client.get(f"{base}{attempt_url}").text
            for text, value in answers.items():
                assert f'name="q{positions[text]}" value="{value}"' in page, text
        # The student's browser is gone. The worker closes the attempt at its deadline and grades it.
        worker = subprocess.Popen(  # noqa: S603
            [sys.executable, str(ROOT / "manage.py"), "db_worker", "--interval", "0.5"],
            env=worker_env,
            cwd=ROOT,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        state = shell(worker_env, STATE)
        while state["status"] == "open" and time.monotonic() < deadline:
            time.sleep(1)
            state = shell(worker_env, STATE)
        assert state["status"] == "timed_out", state
        assert state["score"] == "2.00"  # the two saved answers, right; the unanswered one, nothing
        assert state["grade"] == "66.7"  # 2 of 3 into the journal column of 100
    finally:
        kill(first)
        if worker is not None:
            kill(worker)
