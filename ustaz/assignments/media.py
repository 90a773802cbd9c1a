"""Preparing handed-in files for the browser (a background task per file):

- audio and video are probed (duration, codecs, size); a copy the browser plays is made when the original is
  not one (WAV, FLAC -> AAC in MP4; MOV, AVI, MKV... -> MP4 with H.264 and AAC); a video gets a poster frame,
  audio a waveform (peaks) for the review timeline;
- images get a thumbnail, and their GPS location is removed from the stored file (§2.5: a student's home is
  nobody's business);
- PDFs get page previews (for comments on a region of a page).

A file that cannot be processed is marked so with the reason; its original stays downloadable.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from fractions import Fraction

import av
import numpy as np
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from ustaz.core.sniff import AUDIO, IMAGE, PDF, VIDEO

from .models import Processing, SubmissionFile

log = logging.getLogger(__name__)

PLAYABLE_VIDEO = {("video/mp4", "h264"), ("video/webm", "vp8"), ("video/webm", "vp9"), ("video/webm", "av1")}
PLAYABLE_AUDIO_CODECS = {"aac", "mp3", "opus", "vorbis"}
PEAKS = 800
POSTER_WIDTH = 960
PREVIEW_WIDTH = 1200
MAX_PREVIEW_PAGES = 30
MAX_VIDEO_HEIGHT = 1080
GPS_IFD = 0x8825


class Unprocessable(Exception):
    """The file's content cannot be read as what it claims to be; str() is for the user."""


@contextlib.contextmanager
def local_path(name: str) -> Iterator[str]:
    """A path on this machine for a stored file (a temporary copy when storage is remote, e.g. S3)."""
    try:
        yield default_storage.path(name)
        return
    except NotImplementedError:
        pass
    suffix = os.path.splitext(name)[1]
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        with default_storage.open(name, "rb") as source:
            shutil.copyfileobj(source, copy, 1024 * 1024)
        copy.flush()
        yield copy.name


def _save_beside(item: SubmissionFile, leaf: str, data: bytes | None = None, path: str | None = None) -> str:
    base = os.path.dirname(item.file.name)
    name = f"{base}/derived/{item.pk}-{leaf}"
    if path is not None:
        with open(path, "rb") as handle:
            return default_storage.save(name, handle)
    return default_storage.save(name, ContentFile(data or b""))


def process(item: SubmissionFile) -> SubmissionFile:
    try:
        with local_path(item.file.name) as path:
            if item.category in (AUDIO, VIDEO):
                _media(item, path)
            elif item.category == IMAGE:
                _image(item, path)
            elif item.category == PDF:
                _pdf(item, path)
        item.processing, item.failure = Processing.READY, ""
    except Unprocessable as error:
        item.processing, item.failure = Processing.FAILED, str(error)[:300]
    except Exception as error:  # noqa: BLE001 - any decoder failure: marked, the original stays
        log.warning("file %s could not be processed: %s", item.pk, error)
        item.processing = Processing.FAILED
        item.failure = _("The file could not be processed (%(reason)s); its original can still be downloaded.") % {
            "reason": type(error).__name__
        }
    item.save()
    return item


# --- Audio and video ---------------------------------------------------------------------------------------


def probe(path: str) -> dict:
    try:
        container = av.open(path)
    except (av.error.InvalidDataError, av.error.FFmpegError, OSError) as error:
        raise Unprocessable(_("The file cannot be read as audio or video: it is damaged or incomplete.")) from error
    with container:
        video = container.streams.video[0] if container.streams.video else None
        audio = container.streams.audio[0] if container.streams.audio else None
        if video is None and audio is None:
            raise Unprocessable(_("The file holds no audio or video."))
        duration = float(container.duration / av.time_base) if container.duration else None
        info = {"format": container.format.name, "duration": duration}
        if video is not None:
            info |= {
                "video": video.codec_context.name,
                "width": video.codec_context.width,
                "height": video.codec_context.height,
                "fps": float(video.average_rate) if video.average_rate else None,
            }
        if audio is not None:
            info |= {"audio": audio.codec_context.name, "sample_rate": audio.codec_context.sample_rate}
        # A file cut short: its streams end well before the duration it declares, or nothing decodes.
        _check_decodes(container, video or audio)
    return info


def _check_decodes(container, stream) -> None:
    try:
        for frame in container.decode(stream):
            del frame
            return
    except av.error.FFmpegError as error:
        raise Unprocessable(_("The file cannot be read as audio or video: it is damaged or incomplete.")) from error
    raise Unprocessable(_("The file cannot be read as audio or video: it is damaged or incomplete."))


def _media(item: SubmissionFile, path: str) -> None:
    info = probe(path)
    item.probe = info
    is_video = "video" in info
    if is_video:
        playable = (item.content_type, info["video"]) in PLAYABLE_VIDEO and info.get("audio", "aac") in (
            PLAYABLE_AUDIO_CODECS
        )
        item.poster = _save_beside(item, "poster.jpg", _poster(path, info))
        if not playable:
            with tempfile.TemporaryDirectory() as work:
                target = os.path.join(work, "rendition.mp4")
                transcode_video(path, target)
                item.rendition = _save_beside(item, "rendition.mp4", path=target)
                item.rendition_type = "video/mp4"
    else:
        if info["audio"] not in PLAYABLE_AUDIO_CODECS or item.content_type in ("audio/wav", "audio/flac"):
            with tempfile.TemporaryDirectory() as work:
                target = os.path.join(work, "rendition.m4a")
                transcode_audio(path, target)
                item.rendition = _save_beside(item, "rendition.m4a", path=target)
                item.rendition_type = "audio/mp4"
    if "audio" in info:
        item.waveform = waveform(path, info.get("duration"))


def _even(value: int) -> int:
    return max(2, value - value % 2)


def transcode_video(source: str, target: str) -> None:
    """MP4 with H.264 (yuv420p, at most 1080 lines) and AAC stereo, its index at the front for streaming."""
    with av.open(source) as src, av.open(target, "w", format="mp4", options={"movflags": "faststart"}) as out:
        video_in = src.streams.video[0]
        audio_in = src.streams.audio[0] if src.streams.audio else None
        width, height = video_in.codec_context.width, video_in.codec_context.height
        if height > MAX_VIDEO_HEIGHT:
            width, height = width * MAX_VIDEO_HEIGHT // height, MAX_VIDEO_HEIGHT
        rate = video_in.average_rate or Fraction(25)
        video_out = out.add_stream("libx264", rate=rate)
        video_out.width, video_out.height, video_out.pix_fmt = _even(width), _even(height), "yuv420p"
        video_out.options = {"crf": "23", "preset": "veryfast"}
        audio_out = resampler = None
        if audio_in is not None:
            audio_out = out.add_stream("aac", rate=48000)
            audio_out.layout = "stereo"
            resampler = av.AudioResampler(format="fltp", layout="stereo", rate=48000)
        streams = [s for s in (video_in, audio_in) if s is not None]
        for packet in src.demux(*streams):
            for frame in _decoded(packet):
                if packet.stream.type == "video":
                    frame = frame.reformat(width=video_out.width, height=video_out.height, format="yuv420p")
                    frame.pts = None
                    out.mux(video_out.encode(frame))
                else:
                    for converted in resampler.resample(frame):
                        converted.pts = None
                        out.mux(audio_out.encode(converted))
        out.mux(video_out.encode(None))
        if audio_out is not None:
            for converted in resampler.resample(None):
                converted.pts = None
                out.mux(audio_out.encode(converted))
            out.mux(audio_out.encode(None))


def transcode_audio(source: str, target: str) -> None:
    """AAC in MP4 (M4A), stereo 48 kHz."""
    with av.open(source) as src, av.open(target, "w", format="mp4", options={"movflags": "faststart"}) as out:
        audio_in = src.streams.audio[0]
        audio_out = out.add_stream("aac", rate=48000)
        audio_out.layout = "stereo"
        resampler = av.AudioResampler(format="fltp", layout="stereo", rate=48000)
        for packet in src.demux(audio_in):
            for frame in _decoded(packet):
                for converted in resampler.resample(frame):
                    converted.pts = None
                    out.mux(audio_out.encode(converted))
        for converted in resampler.resample(None):
            converted.pts = None
            out.mux(audio_out.encode(converted))
        out.mux(audio_out.encode(None))


def _decoded(packet):
    try:
        return packet.decode()
    except av.error.InvalidDataError:  # one damaged packet: skipped, the rest is kept
        return []


def _poster(path: str, info: dict) -> bytes:
    """A frame a tenth into the video (at most 3 s in), as a JPEG."""
    with av.open(path) as container:
        stream = container.streams.video[0]
        at = min(3.0, (info.get("duration") or 0) / 10)
        if at > 0 and stream.time_base:
            container.seek(int(at / stream.time_base), stream=stream, any_frame=False, backward=True)
        frame = next(container.decode(stream), None)
        if frame is None:
            raise Unprocessable(_("The video has no picture that can be read."))
        image = frame.to_image()
    image.thumbnail((POSTER_WIDTH, POSTER_WIDTH))
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def waveform(path: str, duration: float | None, peaks: int = PEAKS) -> list[float]:
    """The loudest sample of each of `peaks` equal slices of the track, 0..1 (computed in one pass, a slice
    at a time, whatever the length)."""
    rate = 8000
    total = int((duration or 0) * rate) or rate * 600
    per_bucket = max(1, total // peaks)
    result: list[float] = []
    carry = np.zeros(0, dtype=np.float32)
    resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
    with av.open(path) as container:
        for frame in container.decode(container.streams.audio[0]):
            for converted in resampler.resample(frame):
                samples = np.concatenate([carry, np.abs(converted.to_ndarray().reshape(-1))])
                whole = len(samples) // per_bucket * per_bucket
                if whole:
                    result.extend(samples[:whole].reshape(-1, per_bucket).max(axis=1).tolist())
                carry = samples[whole:]
    if len(carry):
        result.append(float(carry.max()))
    top = max(result, default=0.0) or 1.0
    return [round(min(1.0, value / top), 3) for value in result[: peaks * 2]]


# --- Images and PDFs ---------------------------------------------------------------------------------------


def _image(item: SubmissionFile, path: str) -> None:
    try:
        image = Image.open(path)
        image.load()
    except (OSError, Image.DecompressionBombError) as error:
        raise Unprocessable(_("The image cannot be read: it is damaged or incomplete.")) from error
    exif = image.getexif()
    item.probe = {"width": image.width, "height": image.height}
    if GPS_IFD in exif:
        del exif[GPS_IFD]
        buffer = io.BytesIO()
        options = {"quality": "keep"} if image.format == "JPEG" else {}
        image.save(buffer, format=image.format, exif=exif.tobytes(), **options)
        name = item.file.name
        default_storage.delete(name)
        stored = default_storage.save(name, ContentFile(buffer.getvalue()))
        item.file.name, item.size = stored, len(buffer.getvalue())
        item.probe["location_removed"] = True
    shown = ImageOps.exif_transpose(image)
    shown.thumbnail((POSTER_WIDTH, POSTER_WIDTH))
    buffer = io.BytesIO()
    shown.convert("RGB").save(buffer, "JPEG", quality=85)
    item.poster = _save_beside(item, "thumbnail.jpg", buffer.getvalue())


def _pdf(item: SubmissionFile, path: str) -> None:
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(path)
    except pypdfium2.PdfiumError as error:
        raise Unprocessable(_("The PDF cannot be read: it is damaged or incomplete.")) from error
    try:
        pages = len(document)
        previews = []
        for index in range(min(pages, MAX_PREVIEW_PAGES)):
            page = document[index]
            width = page.get_width() or 1
            bitmap = page.render(scale=PREVIEW_WIDTH / width)
            image = bitmap.to_pil()
            buffer = io.BytesIO()
            image.convert("RGB").save(buffer, "JPEG", quality=80)
            previews.append(_save_beside(item, f"page-{index + 1}.jpg", buffer.getvalue()))
        item.probe = {"pages": pages}
        item.previews = previews
    finally:
        document.close()
