"""Joining a finished upload's parts: in a task, claimed once by a conditional update, however often the client
asks (a retried HEAD) or hands in meanwhile; the client's HEAD and PATCH answer while it runs; a join that fails
leaves the upload whole and retryable; a file handed in while being joined is prepared once joined."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from testkit import media as make
from ustaz.assignments import services, uploads
from ustaz.assignments.models import Processing, SubmissionFile, Upload

from .helpers import an_assignment


@pytest.fixture
def assignment(course, teacher):
    return an_assignment(course, teacher)


def complete_upload(assignment, student, parts: list[bytes], content_type="application/pdf") -> Upload:
    """Every byte arrived as these parts; nothing joined yet."""
    token = timezone.now().timestamp()
    names = [default_storage.save(f"uploads/t{token}/{n:015d}", ContentFile(p)) for n, p in enumerate(parts)]
    total = sum(map(len, parts))
    return Upload.objects.create(
        assignment=assignment,
        user=student,
        filename="essay.pdf",
        length=total,
        offset=total,
        chunks=names,
        category="pdf",
        content_type=content_type,
    )


def head(client, upload):
    url = reverse("assignments:upload", args=[upload.assignment.course_id, upload.assignment_id, upload.pk])
    return client.head(url, HTTP_TUS_RESUMABLE="1.0.0")


def test_two_heads_on_a_complete_upload_start_exactly_one_join(
    as_user, assignment, student, django_capture_on_commit_callbacks
):
    parts = [make.small_pdf(1), b"% trailing bytes"]
    upload = complete_upload(assignment, student, parts)
    client = as_user(student)
    with django_capture_on_commit_callbacks(execute=False) as first:
        answered = head(client, upload)
    # The client is answered at once, the upload shown as being put together.
    assert answered.status_code == 200 and answered["Upload-Offset"] == str(upload.length)
    assert answered["Ustaz-Upload-State"] == "joining"
    with django_capture_on_commit_callbacks(execute=False) as second:
        again = head(client, upload)
    assert again.status_code == 200 and again["Ustaz-Upload-State"] == "joining"
    assert len(first) == 1 and len(second) == 0  # one join queued, not two
    upload.refresh_from_db()
    assert upload.join_started_at is not None and upload.completed_at is None
    first[0]()  # the queued task runs
    upload.refresh_from_db()
    assert upload.completed_at is not None and not upload.chunks and upload.join_started_at is None
    with default_storage.open(upload.stored_name, "rb") as joined:
        assert joined.read() == b"".join(parts)
    assert head(client, upload)["Ustaz-Upload-State"] == "complete"
    # Only the one joined file is in the upload's folder.
    folder = upload.stored_name.rsplit("/", 1)[0]
    assert default_storage.listdir(folder)[1] == [upload.stored_name.rsplit("/", 1)[1]]


def test_a_hand_in_while_joining_waits_for_the_joined_file(
    as_user, assignment, student, django_capture_on_commit_callbacks
):
    parts = [make.small_pdf(2)]
    upload = complete_upload(assignment, student, parts)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        head(as_user(student), upload)
        submission = services.submission_submit(assignment=assignment, student=student, upload_ids=[upload.pk])
    assert len(queued) == 1  # the hand-in started no second join, and queued no preparation of a missing file
    item = submission.files.get()
    assert item.processing == Processing.PENDING
    # Downloading it before it is joined: not there yet (404), not a server error.
    assert as_user(student).get(reverse("assignments:file", args=[item.pk])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        queued[0]()  # the join; it queues the file's preparation
    item.refresh_from_db()
    assert item.processing == Processing.READY, item.failure
    assert len(item.previews) == 2
    with default_storage.open(item.file.name, "rb") as handed_in:
        assert handed_in.read() == b"".join(parts)


def test_a_join_that_fails_leaves_the_upload_retryable(
    as_user, assignment, student, django_capture_on_commit_callbacks
):
    parts = [b"%PDF-1.4 first ", b"second"]
    upload = complete_upload(assignment, student, parts)
    missing = upload.chunks[1]
    with default_storage.open(missing, "rb") as kept:
        second = kept.read()
    default_storage.delete(missing)  # storage loses a part for a while
    with django_capture_on_commit_callbacks(execute=True):
        head(as_user(student), upload)
    upload.refresh_from_db()
    assert upload.completed_at is None and upload.join_started_at is None and upload.join_failure
    assert len(upload.chunks) == 2 and default_storage.exists(upload.chunks[0])  # nothing lost
    default_storage.save(missing, ContentFile(second))  # storage is back
    with django_capture_on_commit_callbacks(execute=True):
        answered = head(as_user(student), upload)
    assert answered.status_code == 200
    upload.refresh_from_db()
    assert upload.completed_at is not None and not upload.join_failure
    with default_storage.open(upload.stored_name, "rb") as joined:
        assert joined.read() == b"".join(parts)


def test_a_join_whose_worker_died_is_claimed_again_after_a_while(
    assignment, student, django_capture_on_commit_callbacks
):
    upload = complete_upload(assignment, student, [b"%PDF-1.4 all"])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert uploads.join_request(upload) is True
        assert uploads.join_request(Upload.objects.get(pk=upload.pk)) is False
    assert len(queued) == 1
    # The worker holding it stopped; half an hour later, the next request claims it again.
    Upload.objects.filter(pk=upload.pk).update(join_started_at=timezone.now() - datetime.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert uploads.join_request(Upload.objects.get(pk=upload.pk)) is True
    assert Upload.objects.get(pk=upload.pk).completed_at is not None


def test_a_hand_in_of_an_upload_still_receiving_is_refused(assignment, student):
    upload = complete_upload(assignment, student, [b"%PDF-1.4 part"])
    Upload.objects.filter(pk=upload.pk).update(length=upload.length + 10)
    with pytest.raises(Exception, match="not finished uploading"):
        services.submission_submit(assignment=assignment, student=student, upload_ids=[upload.pk])
    assert not SubmissionFile.objects.exists()


def test_the_daily_clean_joins_again_a_handed_in_upload_whose_join_failed(
    assignment, student, django_capture_on_commit_callbacks
):
    upload = complete_upload(assignment, student, [b"%PDF-1.4 kept"])
    Upload.objects.filter(pk=upload.pk).update(used=True, created_at=timezone.now() - datetime.timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True):
        assert uploads.uploads_clean() == 0  # handed in: never removed as stale
    upload.refresh_from_db()
    assert upload.completed_at is not None
    with default_storage.open(upload.stored_name, "rb") as joined:
        assert joined.read() == b"%PDF-1.4 kept"
