"""Media processing bounded before decoding (settings.MEDIA_*): a tiny PDF with a huge page, a PNG that declares
a billion pixels, a video beyond the picture or duration bound are kept, marked "no preview" (shown so to the
student and the teacher), and the worker survives: each is first prepared in a child process under a hard
address-space limit (what a crash or an out-of-memory kill would look like there), then by the real task."""

from __future__ import annotations

import io
import json
import os
import resource

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation

from testkit import media as make
from testkit.fuzz import bounded_memory
from ustaz.assignments import media, tasks
from ustaz.assignments.models import Processing, SubmissionFile

from .helpers import a_submission, an_assignment, stored_file

CHILD_MEMORY_MB = 768  # address space a child may add to what it inherited: far below any unbounded render


@pytest.fixture
def submission(course, teacher, student):
    return a_submission(an_assignment(course, teacher), student)


def _address_space() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmSize")


def prepared_in_child(item: SubmissionFile) -> tuple[int, list]:
    """media.prepare in a forked process whose address space is capped: (exit status, [processing, failure])."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: no database work, only the file and storage
        status = 3
        try:
            os.close(read)
            limit = _address_space() + CHILD_MEMORY_MB * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, resource.RLIM_INFINITY))
            media.prepare(item)
            os.write(write, json.dumps([item.processing, item.failure]).encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    chunks = []
    while block := os.read(read, 65536):
        chunks.append(block)
    os.close(read)
    _pid, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), json.loads(b"".join(chunks) or b"null")


def assert_kept_without_preview(item: SubmissionFile, data: bytes) -> None:
    code, outcome = prepared_in_child(SubmissionFile.objects.get(pk=item.pk))
    assert code == 0 and outcome and outcome[0] == Processing.NO_PREVIEW, (code, outcome)
    with bounded_memory(64):
        result = tasks.file_process.enqueue(item.pk)
    assert result.return_value == Processing.NO_PREVIEW
    item.refresh_from_db()
    assert item.processing == Processing.NO_PREVIEW and item.failure
    assert not item.previews and not item.poster and not item.rendition
    with default_storage.open(item.file.name, "rb") as original:
        assert original.read() == data


def test_a_330_byte_pdf_with_a_huge_page_is_kept_and_marked_no_preview(submission):
    data = make.pdf_with_page(10, 14400)
    assert len(data) < 400
    item = stored_file(submission, "партитура.pdf", data)
    assert_kept_without_preview(item, data)
    with translation.override("en"):
        item.refresh_from_db()
        item = media.process(item)
        assert "No preview" in item.failure and "10 × 14400 points" in item.failure


def test_a_png_declaring_ten_billion_pixels_is_kept_and_marked_no_preview(submission):
    data = make.png_declaring(100_000, 100_000)
    item = stored_file(submission, "бомба.png", data)
    assert_kept_without_preview(item, data)


def test_a_picture_over_the_pixel_bound_is_not_decoded(submission, settings):
    settings.MEDIA_MAX_IMAGE_PIXELS = 640 * 480 - 1
    data = make.png((640, 480))
    item = stored_file(submission, "scan.png", data)
    assert_kept_without_preview(item, data)


def test_a_photo_too_large_to_draw_still_loses_its_location(submission, settings):
    from PIL import Image

    settings.MEDIA_MAX_IMAGE_PIXELS = 640 * 480 - 1
    data = make.jpeg_with_gps((640, 480))
    item = stored_file(submission, "photo.jpg", data)
    original_name = item.file.name
    with bounded_memory(16):  # not decoded: a few kilobytes of header rewritten, the pixels copied
        item = media.process(item)
    assert item.processing == Processing.NO_PREVIEW and item.probe["location_removed"]
    assert not default_storage.exists(original_name)
    with default_storage.open(item.file.name, "rb") as stored:
        kept = stored.read()
    assert item.size == len(kept)
    photo = Image.open(io.BytesIO(kept))
    assert 0x8825 not in photo.getexif() and photo.getexif()[0x010F] == "Ustaz test camera"
    assert photo.size == (640, 480) and kept[-len(data) // 2 :] == data[-len(data) // 2 :]  # pixels untouched


def test_a_video_over_the_picture_bound_gets_no_poster_and_no_copy(tmp_path, submission, settings):
    settings.MEDIA_MAX_VIDEO_PIXELS = 160 * 120 - 1
    data = make.video(tmp_path / "clip.mov", seconds=1).read_bytes()
    item = stored_file(submission, "clip.mov", data)
    assert_kept_without_preview(item, data)


def test_a_recording_longer_than_the_bound_is_not_decoded(tmp_path, submission, settings):
    settings.MEDIA_MAX_DURATION_SECONDS = 2
    video = make.video(tmp_path / "clip.mov", seconds=4).read_bytes()
    assert_kept_without_preview(stored_file(submission, "clip.mov", video), video)
    sound = make.tone(tmp_path / "long.wav", seconds=3).read_bytes()
    assert_kept_without_preview(stored_file(submission, "long.wav", sound), sound)


def test_a_video_with_more_frames_than_the_bound_is_not_decoded(tmp_path, submission, settings):
    settings.MEDIA_MAX_FRAMES = 10
    data = make.video(tmp_path / "clip.mov", seconds=2, fps=10).read_bytes()
    assert_kept_without_preview(stored_file(submission, "clip.mov", data), data)


def test_a_pdf_gets_previews_of_its_first_pages_only(submission, settings):
    settings.MEDIA_PDF_PREVIEW_PAGES = 2
    item = media.process(stored_file(submission, "score.pdf", make.small_pdf(3)))
    assert item.processing == Processing.READY, item.failure
    assert item.probe["pages"] == 3 and len(item.previews) == 2


def test_a_small_pdf_page_is_drawn_1200_pixels_wide(submission):
    from PIL import Image

    item = media.process(stored_file(submission, "a6.pdf", make.pdf_with_page(298, 420)))
    assert item.processing == Processing.READY, item.failure
    with default_storage.open(item.previews[0], "rb") as page:
        assert 1199 <= Image.open(page).size[0] <= 1201


def test_the_student_and_the_teacher_see_no_preview(as_user, submission, student, teacher):
    item = media.process(stored_file(submission, "партитура.pdf", make.pdf_with_page(10, 14400)))
    assert item.processing == Processing.NO_PREVIEW
    url = reverse("assignments:submission", args=[submission.pk])
    for person in (student, teacher):
        page = as_user(person).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "no-preview" in page and "партитура.pdf" in page
        download = as_user(person).get(reverse("assignments:file", args=[item.pk]))
        assert download.status_code == 200


def test_a_damaged_photo_read_whole_still_loses_its_location(submission, monkeypatch):
    """Found by the fuzzer in CI: once WeasyPrint is imported (any PDF made in the process), Pillow loads truncated
    images, and a JPEG whose first quantization table's marker is damaged then decodes but cannot be saved with
    its tables kept: the preview maker raised ValueError and the photo kept its location."""
    from PIL import Image, ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # as weasyprint.images sets it on import
    data = make.jpeg_with_gps((64, 48)).replace(b"\xff\xdb", b"\xfe\xdb", 1)
    item = stored_file(submission, "photo.jpg", data)
    item = media.process(item)
    assert item.processing != Processing.READY or item.poster
    with default_storage.open(item.file.name, "rb") as stored:
        kept = stored.read()
    assert 0x8825 not in Image.open(io.BytesIO(kept)).getexif()  # the location is gone all the same
