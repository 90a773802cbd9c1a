"""Resumable uploads through the tus endpoint with a real tus client (tuspy) against a live server: whole,
interrupted and resumed, byte-identical once stored; bad input refused with a clear message and nothing
stored lost; other people's uploads out of reach."""

from __future__ import annotations

import io

import pytest
import requests
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import translation
from tusclient import client as tus
from tusclient.exceptions import TusCommunicationError

from testkit import media as make
from ustaz.assignments import services
from ustaz.assignments.models import Submission, SubmissionFile, Upload

from .helpers import an_assignment

pytestmark = pytest.mark.django_db(transaction=True)


class Session:
    """A logged-in browser's cookies and CSRF token, for a tus client and plain requests."""

    def __init__(self, live_server, user):
        client = Client()
        client.force_login(user)
        self.session = client.cookies["sessionid"].value
        http = requests.Session()
        http.cookies.set("sessionid", self.session)
        http.get(f"{live_server.url}/accounts/login/")
        self.csrf = http.cookies["csrftoken"]
        self.http = http
        self.headers = {"Cookie": f"sessionid={self.session}; csrftoken={self.csrf}", "X-CSRFToken": self.csrf}

    def tus(self, url: str) -> tus.TusClient:
        return tus.TusClient(url, headers=self.headers)


def endpoint(live_server, assignment) -> str:
    return live_server.url + reverse("assignments:uploads", args=[assignment.course_id, assignment.pk])


def stored_bytes(upload_id) -> bytes:
    upload = Upload.objects.get(pk=upload_id)
    with default_storage.open(upload.stored_name, "rb") as handle:
        return handle.read()


def upload_id_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def test_a_video_uploads_in_chunks_and_is_stored_byte_identical(live_server, tmp_path, course, teacher, student):
    assignment = an_assignment(course, teacher)
    data = make.video(tmp_path / "recital.mov", seconds=6).read_bytes()
    me = Session(live_server, student)
    uploader = me.tus(endpoint(live_server, assignment)).uploader(
        file_stream=io.BytesIO(data), chunk_size=16 * 1024, metadata={"filename": "Күй — Адай.mov"}
    )
    uploader.upload()
    upload_id = upload_id_of(uploader.url)
    assert stored_bytes(upload_id) == data
    upload = Upload.objects.get(pk=upload_id)
    assert upload.filename == "Күй — Адай.mov" and upload.category == "video" and not upload.chunks
    submission = services.submission_submit(assignment=assignment, student=student, upload_ids=[upload_id])
    item = SubmissionFile.objects.get(submission=submission)
    with default_storage.open(item.file.name, "rb") as handle:
        assert handle.read() == data
    assert item.content_type == "video/quicktime"


def test_an_interrupted_upload_resumes_where_it_stopped(live_server, tmp_path, course, teacher, student):
    assignment = an_assignment(course, teacher)
    data = make.tone(tmp_path / "scale.wav", seconds=3).read_bytes()  # about 260 KB
    me = Session(live_server, student)
    first = me.tus(endpoint(live_server, assignment)).uploader(
        file_stream=io.BytesIO(data), chunk_size=32 * 1024, metadata={"filename": "scale.wav"}
    )
    first.upload(stop_at=100 * 1024)  # the connection "drops" after about 100 KB
    url = first.url
    offset = int(me.http.head(url, headers={"Tus-Resumable": "1.0.0"}).headers["Upload-Offset"])
    assert 96 * 1024 <= offset < len(data)
    assert Upload.objects.get(pk=upload_id_of(url)).completed_at is None
    # Later, from a new client (a new page, another network): it asks where it stopped and goes on.
    second = me.tus(endpoint(live_server, assignment)).uploader(
        file_stream=io.BytesIO(data), chunk_size=32 * 1024, url=url
    )
    assert second.offset == offset
    second.upload()
    assert stored_bytes(upload_id_of(url)) == data


def test_a_chunk_at_a_wrong_offset_is_refused_and_nothing_is_lost(live_server, course, teacher, student):
    assignment = an_assignment(course, teacher)
    me = Session(live_server, student)
    data = b"%PDF-1.4\n" + b"x" * 5000
    created = me.http.post(
        endpoint(live_server, assignment),
        headers={**me.headers, "Tus-Resumable": "1.0.0", "Upload-Length": str(len(data))},
    )
    assert created.status_code == 201
    url = created.headers["Location"]
    patch = {**me.headers, "Tus-Resumable": "1.0.0", "Content-Type": "application/offset+octet-stream"}
    ok = me.http.patch(url, data=data[:1000], headers={**patch, "Upload-Offset": "0"})
    assert ok.status_code == 204 and ok.headers["Upload-Offset"] == "1000"
    wrong = me.http.patch(url, data=data[2000:3000], headers={**patch, "Upload-Offset": "2000"})
    assert wrong.status_code == 409 and wrong.headers["Upload-Offset"] == "1000"
    again = me.http.patch(url, data=data[:1000], headers={**patch, "Upload-Offset": "0"})
    assert again.status_code == 409
    rest = me.http.patch(url, data=data[1000:], headers={**patch, "Upload-Offset": "1000"})
    assert rest.status_code == 204 and stored_bytes(upload_id_of(url)) == data
    bad_type = me.http.patch(url, data=b"x", headers={**patch, "Content-Type": "text/plain", "Upload-Offset": "0"})
    assert bad_type.status_code == 415


def test_a_program_renamed_to_mp4_is_refused_by_its_content(live_server, course, teacher, student):
    assignment = an_assignment(course, teacher, accepts=["video"])
    me = Session(live_server, student)
    program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 4000
    uploader = me.tus(endpoint(live_server, assignment)).uploader(
        file_stream=io.BytesIO(program), chunk_size=64 * 1024, metadata={"filename": "recital.mp4"}
    )
    with pytest.raises(TusCommunicationError) as refused:
        uploader.upload()
    assert refused.value.status_code == 415
    assert (
        "recital.mp4" in refused.value.response_content.decode() and "video" in refused.value.response_content.decode()
    )
    assert not Upload.objects.exists()


def test_a_file_of_another_kind_than_the_assignment_takes_is_refused(live_server, tmp_path, course, teacher, student):
    assignment = an_assignment(course, teacher, accepts=["pdf"])
    me = Session(live_server, student)
    uploader = me.tus(endpoint(live_server, assignment)).uploader(
        file_stream=io.BytesIO(make.tone(tmp_path / "t.wav", seconds=1).read_bytes()), chunk_size=64 * 1024
    )
    with pytest.raises(TusCommunicationError) as refused:
        uploader.upload()
    assert refused.value.status_code == 415 and "PDF" in refused.value.response_content.decode()


def test_an_upload_past_the_size_limit_is_refused_before_any_byte(live_server, course, teacher, student):
    assignment = an_assignment(course, teacher, max_size_mb=1)
    me = Session(live_server, student)
    response = me.http.post(
        endpoint(live_server, assignment),
        headers={**me.headers, "Tus-Resumable": "1.0.0", "Upload-Length": str(5 * 1024 * 1024)},
    )
    assert response.status_code == 413 and "up to 1 MB" in response.text
    options = me.http.options(endpoint(live_server, assignment))
    assert options.headers["Tus-Max-Size"] == str(1024 * 1024) and "creation" in options.headers["Tus-Extension"]


def test_nobody_else_reaches_an_upload_or_the_endpoint(live_server, course, teacher, student, other_student):
    assignment = an_assignment(course, teacher)
    me = Session(live_server, student)
    created = me.http.post(
        endpoint(live_server, assignment), headers={**me.headers, "Tus-Resumable": "1.0.0", "Upload-Length": "100"}
    )
    url = created.headers["Location"]
    stranger = Session(live_server, other_student)
    assert stranger.http.head(url, headers={"Tus-Resumable": "1.0.0"}).status_code == 404
    patch = {**stranger.headers, "Tus-Resumable": "1.0.0", "Content-Type": "application/offset+octet-stream"}
    assert stranger.http.patch(url, data=b"%PDF-", headers={**patch, "Upload-Offset": "0"}).status_code == 404
    assert (
        stranger.http.post(
            endpoint(live_server, assignment),
            headers={**stranger.headers, "Tus-Resumable": "1.0.0", "Upload-Length": "100"},
        ).status_code
        == 404
    )
    # The teacher cannot write into a student's upload either.
    teacher_session = Session(live_server, teacher)
    assert teacher_session.http.head(url, headers={"Tus-Resumable": "1.0.0"}).status_code == 404
    # An upload cannot be handed in by someone else.
    with translation.override("en"), pytest.raises(Exception, match="not finished uploading"):
        services.submission_submit(assignment=assignment, student=student, upload_ids=[upload_id_of(url)])
    assert not Submission.objects.exists()


@pytest.mark.parametrize("kind", ["flac", "mp4", "jpeg", "pdf"])
def test_every_kind_of_creative_work_goes_through_tus_and_is_prepared(
    live_server, tmp_path, course, teacher, student, kind
):
    from ustaz.assignments.models import Processing

    made = {
        "flac": lambda: make.tone(tmp_path / "t.flac", seconds=2, codec="flac").read_bytes(),
        "mp4": lambda: make.video(tmp_path / "v.mp4", seconds=3).read_bytes(),
        "jpeg": make.jpeg_with_gps,
        "pdf": lambda: make.small_pdf(2),
    }[kind]()
    assignment = an_assignment(course, teacher)
    me = Session(live_server, student)
    uploader = me.tus(endpoint(live_server, assignment)).uploader(
        file_stream=io.BytesIO(made), chunk_size=20 * 1024, metadata={"filename": f"work.{kind}"}
    )
    uploader.upload()
    assert stored_bytes(upload_id_of(uploader.url)) == made
    submission = services.submission_submit(
        assignment=assignment, student=student, upload_ids=[upload_id_of(uploader.url)]
    )
    item = SubmissionFile.objects.get(submission=submission)  # processed by the (immediate) task queue
    assert item.processing == Processing.READY, item.failure
    if kind == "flac":
        assert item.rendition_type == "audio/mp4" and item.waveform
    elif kind == "mp4":
        assert item.poster and not item.rendition  # H.264 and AAC in MP4: played as it is
    elif kind == "jpeg":
        assert item.probe["location_removed"] and item.poster
    else:
        assert len(item.previews) == 2
