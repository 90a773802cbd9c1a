"""Shared personas: every view is tried by the course's student, its teacher, a student of another course,
the academic office, the ICT centre and an anonymous visitor."""

from __future__ import annotations

import pytest
from django.test import Client

from testkit.factories import CourseFactory, UserFactory, enrol
from ustaz.accounts.models import Role


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _english_outside_requests():
    # Messages made outside a request (services called by a test) come in English, whatever language an
    # earlier test's request left active in this thread.
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    # Rate limits live in the cache: each test that touches the database starts with none counted.
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db", "live_server"} & set(
        request.fixturenames
    )
    if uses_db:
        from testkit import caches

        request.getfixturevalue("db") if "transactional_db" not in request.fixturenames else None
        caches.clear()
    yield


@pytest.fixture
def course(db):
    return CourseFactory()


@pytest.fixture
def teacher(course):
    user = UserFactory(roles=f",{Role.TEACHER},", first_name="Teacher")
    course.teachers.add(user)
    return user


@pytest.fixture
def student(course):
    user = UserFactory(roles=f",{Role.STUDENT},", first_name="Student")
    enrol(user, course)
    return user


@pytest.fixture
def other_student(db):
    user = UserFactory(roles=f",{Role.STUDENT},", first_name="Other")
    enrol(user, CourseFactory())
    return user


@pytest.fixture
def office(db):
    return UserFactory(roles=f",{Role.ACADEMIC_OFFICE},", first_name="Office")


@pytest.fixture
def ict(db):
    return UserFactory(roles=f",{Role.ICT_SUPPORT},", first_name="Ict")


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def as_user():
    return client_for


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on a free local port; Django sends to it."""
    import email
    import email.policy
    import socket

    from aiosmtpd.controller import Controller

    class Collector:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield handler
    controller.stop()
