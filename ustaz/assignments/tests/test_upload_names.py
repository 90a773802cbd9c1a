"""Names of resumable uploads: a file is stored under a generated name whatever it is called; the name it came
with is kept cleaned and byte-bounded, shown to people and given back on download (RFC 6266/5987); a name
that is no name (a NUL, only dots, nothing left once cleaned) is refused when the upload is created."""

from __future__ import annotations

import base64
import re
from urllib.parse import quote

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from testkit import media as make
from ustaz.assignments import services
from ustaz.assignments.models import Upload

from .helpers import an_assignment

GENERATED = re.compile(r"^[0-9a-f]{32}\.pdf$")


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def create(client, assignment, *, length: int, metadata: str):
    return client.post(
        reverse("assignments:uploads", args=[assignment.course_id, assignment.pk]),
        HTTP_TUS_RESUMABLE="1.0.0",
        HTTP_UPLOAD_LENGTH=str(length),
        HTTP_UPLOAD_METADATA=metadata,
        HTTP_ACCEPT_LANGUAGE="en",
    )


def patch(client, url: str, data: bytes, offset: int = 0):
    return client.generic(
        "PATCH",
        url,
        data=data,
        content_type="application/offset+octet-stream",
        HTTP_TUS_RESUMABLE="1.0.0",
        HTTP_UPLOAD_OFFSET=str(offset),
    )


@pytest.mark.parametrize(
    "name",
    ["essay\x00.pdf", ".", "..", "....", "\u202e", "\u200b\u202e\u2066", " . "],
    ids=["nul", "dot", "dotdot", "dots", "rtl-only", "invisible-only", "spaced-dot"],
)
def test_a_name_that_is_no_name_is_refused_at_creation(as_user, course, teacher, student, name):
    assignment = an_assignment(course, teacher)
    client = as_user(student)
    response = create(client, assignment, length=100, metadata=f"filename {_b64(name)}")
    assert response.status_code == 400 and "rename the file" in response.content.decode()
    assert not Upload.objects.exists()


def test_a_name_that_is_not_base64_of_utf8_is_refused(as_user, course, teacher, student):
    assignment = an_assignment(course, teacher)
    not_utf8 = base64.b64encode(b"\xff\xfe.pdf").decode()
    for metadata in ("filename ***", f"filename {not_utf8}"):
        assert create(as_user(student), assignment, length=100, metadata=metadata).status_code == 400
    assert not Upload.objects.exists()


@pytest.mark.parametrize(
    "name",
    ["Б" * 150 + ".pdf", "🎵" * 70 + ".pdf", "../../etc/" + "ә" * 120 + ".pdf"],
    ids=["cyrillic-300-bytes", "emoji-280-bytes", "path"],
)
def test_a_long_name_uploads_is_stored_under_a_generated_name_and_shown_cleaned(
    as_user, course, teacher, student, name, django_capture_on_commit_callbacks
):
    assignment = an_assignment(course, teacher)
    data = make.small_pdf(1)
    client = as_user(student)
    created = create(client, assignment, length=len(data), metadata=f"filename {_b64(name)}")
    assert created.status_code == 201
    with django_capture_on_commit_callbacks(execute=True):  # the join task
        done = patch(client, created["Location"], data)
    assert done.status_code == 204 and done["Upload-Offset"] == str(len(data))
    assert done["Ustaz-Upload-State"] == "joining"  # answered at once; the page says it is being put together
    upload = Upload.objects.get()
    assert upload.completed_at is not None
    assert GENERATED.match(upload.stored_name.rsplit("/", 1)[-1]) and len(upload.stored_name) < 120
    with default_storage.open(upload.stored_name, "rb") as stored:
        assert stored.read() == data
    assert upload.filename.endswith(".pdf") and len(upload.filename.encode()) <= 180
    assert "/" not in upload.filename and upload.filename[:-4].strip("_.")

    with django_capture_on_commit_callbacks(execute=True):
        submission = services.submission_submit(assignment=assignment, student=student, upload_ids=[upload.pk])
    item = submission.files.get()
    assert item.name == upload.filename and item.file.name == upload.stored_name
    page = as_user(teacher).get(reverse("assignments:submission", args=[submission.pk])).content.decode()
    assert item.name in page
    download = as_user(teacher).get(reverse("assignments:file", args=[item.pk]))
    assert download.status_code == 200
    disposition = download["Content-Disposition"]
    ascii_name = re.match(r'^attachment; filename="([^"]*)"; ', disposition).group(1)
    assert ascii_name.isascii() and ascii_name.endswith(".pdf") and "/" not in ascii_name
    assert disposition.endswith(f"; filename*=UTF-8''{quote(item.name, safe='')}")


def test_a_right_to_left_override_is_removed_from_the_name(
    as_user, course, teacher, student, django_capture_on_commit_callbacks
):
    assignment = an_assignment(course, teacher)
    data = make.small_pdf(1)
    client = as_user(student)
    tricky = _b64("essay\u202efdp.exe")  # shown as "essayexe.pdf" by a bidi-aware screen
    created = create(client, assignment, length=len(data), metadata=f"filename {tricky}")
    assert created.status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        patch(client, created["Location"], data)
    upload = Upload.objects.get()
    assert upload.filename == "essayfdp.exe"
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.submission_submit(assignment=assignment, student=student, upload_ids=[upload.pk])
    download = as_user(student).get(reverse("assignments:file", args=[submission.files.get().pk]))
    assert "%E2%80%AE" not in download["Content-Disposition"] and "\u202e" not in download["Content-Disposition"]
    # Stored under a name from its content, not the one it came with.
    assert upload.stored_name.endswith(".pdf")
