"""The course chat in real browsers: a student writes, the teacher sees it at once and deletes it; a message
written while the WebSocket server is down is kept and sent when it is back, once."""

from __future__ import annotations

import asyncio
import socket
import threading
import time

import pytest
import uvicorn

from testkit.factories import CourseFactory, UserFactory, enrol
from ustaz.discussions.models import Message

from .conftest import log_in


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class WebSocketServer:
    """The project's ASGI application (Channels) served in a thread, on the test database, stoppable."""

    def __init__(self, port: int):
        self.port = port
        self.server = None
        self.thread = None

    def start(self):
        from ustaz.asgi import application

        config = uvicorn.Config(application, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=lambda: asyncio.run(self.server.serve()), daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline, "the WebSocket server did not start"
            time.sleep(0.05)

    def stop(self):
        self.server.should_exit = True
        self.server.force_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def ws_server(settings):
    port = free_port()
    settings.WS_PORT, settings.WS_URL = port, ""
    server = WebSocketServer(port)
    server.start()
    yield server
    server.stop()


@pytest.mark.django_db(transaction=True)
def test_students_message_reaches_the_teacher_and_survives_a_server_outage(browser, live_server, ws_server):
    course = CourseFactory(title_en="Harmony", title_kk="Гармония")
    teacher = UserFactory(roles=",teacher,", first_name="Сәуле", last_name="Ахметова", language="en")
    course.teachers.add(teacher)
    student = UserFactory(roles=",student,", first_name="Ерлан", last_name="Сейітов", language="en")
    enrol(student, course)

    contexts = [browser.new_context(base_url=live_server.url, locale="en-US") for _ in range(2)]
    teacher_page, student_page = (c.new_page() for c in contexts)
    try:
        for page, user in ((teacher_page, teacher), (student_page, student)):
            page.set_default_timeout(15000)
            log_in(page, user.username, "correct horse battery")
            page.goto(f"/courses/{course.pk}/chat/")
        # Both connected (the status line clears once the socket is open).
        for page in (teacher_page, student_page):
            page.wait_for_function("() => document.getElementById('chat-status').textContent === ''")

        student_page.locator("#chat-body").fill("Сәлеметсіз бе! <script>alert(1)</script>")
        student_page.locator("#chat-body").press("Enter")
        teacher_message = teacher_page.locator("#messages li", has_text="Сәлеметсіз бе!")
        teacher_message.wait_for()
        assert "<script>alert(1)</script>" in teacher_message.locator(".chat-body").inner_text()  # shown as text

        # The teacher deletes it; the student sees it go.
        teacher_page.on("dialog", lambda dialog: dialog.accept())
        teacher_message.get_by_role("button", name="delete").click()
        student_page.locator("#messages li .chat-body", has_text="message deleted").wait_for()

        # The WebSocket server goes down; the student writes anyway, and reloads the page.
        ws_server.stop()
        student_page.locator("#chat-status", has_text="Connection lost").wait_for()
        student_page.locator("#chat-body").fill("Интернет үзіліп қалды")
        student_page.locator("#composer button[type=submit]").click()
        student_page.reload()
        student_page.locator("#messages li.opacity-50", has_text="Интернет үзіліп қалды").wait_for()
        assert not Message.objects.filter(body="Интернет үзіліп қалды").exists()

        # Back up: the kept message is sent, once, and reaches the teacher.
        ws_server.start()
        teacher_page.locator("#messages li", has_text="Интернет үзіліп қалды").wait_for(timeout=40000)
        student_page.locator("#messages li[data-seq]", has_text="Интернет үзіліп қалды").wait_for()
        assert Message.objects.filter(body="Интернет үзіліп қалды").count() == 1
        assert student_page.locator("#messages li.opacity-50").count() == 0
    finally:
        for context in contexts:
            context.close()
