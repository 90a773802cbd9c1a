"""Processing real media made with PyAV, Pillow and pdfium: renditions the browser plays, posters, waveforms,
GPS removed from photos, PDF page previews; damaged files marked with the reason, originals kept."""

from __future__ import annotations

import io

import av
import pytest
from django.core.files.storage import default_storage
from django.utils import translation
from PIL import Image

from testkit import media as make
from ustaz.assignments import media
from ustaz.assignments.models import Processing
from ustaz.core.sniff import sniff

from .helpers import a_submission, an_assignment, stored_file


@pytest.fixture
def submission(course, teacher, student):
    return a_submission(an_assignment(course, teacher), student)


def streams_of(name: str) -> list[str]:
    with media.local_path(name) as path, av.open(path) as container:
        return [s.codec_context.name for s in container.streams]


@pytest.mark.parametrize(("suffix", "codec"), [(".wav", "pcm_s16le"), (".flac", "flac")])
def test_wav_and_flac_get_an_aac_copy_and_a_waveform(tmp_path, submission, suffix, codec):
    data = make.tone(tmp_path / f"tone{suffix}", seconds=2, codec=codec).read_bytes()
    item = media.process(stored_file(submission, f"гамма{suffix}", data))
    assert item.processing == Processing.READY, item.failure
    assert 1.9 < item.probe["duration"] < 2.1
    assert item.rendition_type == "audio/mp4" and streams_of(item.rendition.name) == ["aac"]
    assert 100 < len(item.waveform) <= 1600 and max(item.waveform) == 1.0 and min(item.waveform) >= 0
    # The original is untouched.
    with default_storage.open(item.file.name, "rb") as original:
        assert original.read() == data


@pytest.mark.parametrize("suffix", [".mov", ".avi"])
def test_a_video_the_browser_cannot_play_gets_an_mp4_copy_and_a_poster(tmp_path, submission, suffix):
    data = make.video(tmp_path / f"clip{suffix}", seconds=4).read_bytes()
    item = media.process(stored_file(submission, f"орындау{suffix}", data))
    assert item.processing == Processing.READY, item.failure
    assert item.rendition_type == "video/mp4"
    assert streams_of(item.rendition.name) == ["h264", "aac"]
    with media.local_path(item.rendition.name) as path, av.open(path) as container:
        assert 3.5 < container.duration / av.time_base < 4.5
    with default_storage.open(item.poster.name, "rb") as poster:
        assert Image.open(poster).format == "JPEG"
    assert item.probe["width"] == 160 and item.probe["height"] == 120 and item.waveform


def test_an_mp4_with_h264_and_aac_is_played_as_it_is(tmp_path, submission):
    data = make.video(tmp_path / "clip.mp4", seconds=2).read_bytes()
    item = media.process(stored_file(submission, "clip.mp4", data))
    assert item.processing == Processing.READY and not item.rendition and item.poster


def test_the_location_is_removed_from_a_photo(submission):
    item = media.process(stored_file(submission, "сурет.jpg", make.jpeg_with_gps()))
    assert item.processing == Processing.READY and item.probe["location_removed"]
    with default_storage.open(item.file.name, "rb") as stored:
        photo = Image.open(io.BytesIO(stored.read()))
    exif = photo.getexif()
    assert 0x8825 not in exif and exif.get(0x010F) == "Ustaz test camera"  # the rest of the EXIF stays
    assert photo.size == (640, 480) and item.poster


def test_a_pdf_gets_page_previews(submission):
    item = media.process(stored_file(submission, "партитура.pdf", make.small_pdf(pages=3)))
    assert item.processing == Processing.READY and item.probe == {"pages": 3} and len(item.previews) == 3
    with default_storage.open(item.previews[0], "rb") as page:
        assert Image.open(page).width == 1200


def test_a_truncated_video_is_marked_with_the_reason_and_kept(tmp_path, submission):
    data = make.video(tmp_path / "clip.mp4", seconds=4).read_bytes()
    cut = data[: len(data) // 2]
    with translation.override("en"):
        item = media.process(stored_file(submission, "үзілген.mp4", cut))
    assert item.processing == Processing.FAILED
    assert "damaged or incomplete" in item.failure
    with default_storage.open(item.file.name, "rb") as original:
        assert original.read() == cut


@pytest.mark.parametrize(
    ("head", "category"),
    [
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", "audio"),
        (b"fLaC\x00\x00\x00\x22", "audio"),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00", "video"),
        (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00", "video"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image"),
        (b"%PDF-1.7\n", "pdf"),
        ("Мәтін, жазба жұмысы".encode(), "document"),
    ],
)
def test_content_is_told_by_its_bytes(head, category):
    assert sniff(head).category == category


def test_a_windows_program_is_not_a_video():
    assert sniff(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 100) is None
