"""Preparing handed-in files for the browser (a background task per file):

- audio and video are probed (duration, codecs, size); a copy the browser plays is made when the original is
  not one (WAV, FLAC -> AAC in MP4; MOV, AVI, MKV... -> MP4 with H.264 and AAC); a video gets a poster frame,
  audio a waveform (peaks) for the review timeline;
- images get a thumbnail, and their GPS location is removed from the stored file (§2.5: a student's home is
  nobody's business);
- PDFs get page previews (for comments on a region of a page).

A file that cannot be processed is marked so with the reason; its original stays downloadable. A file beyond
the bounds of settings.MEDIA_* (pixels, pages, duration, frames; read from its headers before anything is
decoded, and held again while decoding) is kept and marked "no preview": a 330-byte PDF whose page needs 6 GB
to draw, or a PNG that declares a billion pixels, never takes the worker down.
"""

from __future__ import annotations

import contextlib
import io
import logging
import math
import os
import shutil
import struct
import tempfile
import warnings
from collections.abc import Iterator
from fractions import Fraction

import av
import numpy as np
from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from ustaz.core.files import generated_name
from ustaz.core.sniff import AUDIO, IMAGE, PDF, VIDEO

from .models import Processing, SubmissionFile

log = logging.getLogger(__name__)

PLAYABLE_VIDEO = {("video/mp4", "h264"), ("video/webm", "vp8"), ("video/webm", "vp9"), ("video/webm", "av1")}
PLAYABLE_AUDIO_CODECS = {"aac", "mp3", "opus", "vorbis"}
PEAKS = 800
POSTER_WIDTH = 960
PREVIEW_WIDTH = 1200
MAX_VIDEO_HEIGHT = 1080
GPS_IFD = 0x8825


class Unprocessable(Exception):
    """The file's content cannot be read as what it claims to be; str() is for the user."""


class TooLarge(Unprocessable):
    """The file is beyond a bound of settings.MEDIA_*: kept, with no preview; str() is for the user."""


def _no_preview(reason: str) -> TooLarge:
    return TooLarge(_("No preview: %(reason)s. The original is kept and can be downloaded.") % {"reason": reason})


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
    """Prepare the file and record the outcome (ready, no preview, or failed with its reason)."""
    prepare(item)
    item.save()
    return item


def prepare(item: SubmissionFile) -> SubmissionFile:
    """Make the file's previews and set its outcome, without saving the row. Never raises for a file's
    content: a decoder's failure is the file's outcome, not the worker's."""
    try:
        with local_path(item.file.name) as path:
            make_previews(item, path)
        item.processing, item.failure = Processing.READY, ""
    except TooLarge as error:
        _forget_derived(item)
        item.processing, item.failure = Processing.NO_PREVIEW, str(error)[:300]
    except Unprocessable as error:
        _forget_derived(item)
        item.processing, item.failure = Processing.FAILED, str(error)[:300]
    except Exception as error:  # noqa: BLE001 - any decoder failure: marked, the original stays
        log.warning("file %s could not be processed: %s", item.pk, error)
        _forget_derived(item)
        item.processing = Processing.FAILED
        item.failure = _("The file could not be processed (%(reason)s); its original can still be downloaded.") % {
            "reason": type(error).__name__
        }
    return item


def make_previews(item: SubmissionFile, path: str) -> None:
    """The previews of the file at `path` by its category. Raises Unprocessable (TooLarge) for a file it cannot
    or may not draw; any other exception is a bug (the fuzz tests hold it to that)."""
    if item.category in (AUDIO, VIDEO):
        _media(item, path)
    elif item.category == IMAGE:
        _image(item, path)
    elif item.category == PDF:
        _pdf(item, path)


def _forget_derived(item: SubmissionFile) -> None:
    """What a failed preparation made before it stopped goes: a file has all its previews or none."""
    for name in [item.poster.name if item.poster else "", item.rendition.name if item.rendition else ""]:
        if name:
            default_storage.delete(name)
    for name in item.previews or []:
        default_storage.delete(name)
    item.poster, item.rendition, item.rendition_type, item.previews, item.waveform = "", "", "", [], []


# --- Audio and video ---------------------------------------------------------------------------------------


def _bounded(stream):
    """The stream, its decoder told to refuse pictures beyond the pixel bound (libavcodec's max_pixels, checked
    when the decoder opens and for every frame), whatever the container declared."""
    stream.codec_context.options = {"max_pixels": str(settings.MEDIA_MAX_VIDEO_PIXELS)}
    return stream


def probe(path: str) -> dict:
    try:
        container = av.open(path)
    except (av.error.InvalidDataError, av.error.FFmpegError, OSError, ValueError) as error:
        raise Unprocessable(_("The file cannot be read as audio or video: it is damaged or incomplete.")) from error
    with container:
        video, audio = _first(container.streams.video), _first(container.streams.audio)
        if video is None and audio is None:
            raise Unprocessable(_("The file holds no audio or video."))
        duration = _duration(container, video or audio)
        info = {"format": container.format.name, "duration": duration}
        if video is not None:
            info |= {
                "video": video.codec_context.name,
                "width": video.codec_context.width,
                "height": video.codec_context.height,
                "fps": _finite(video.average_rate),
            }
        if audio is not None:
            info |= {
                "audio": audio.codec_context.name,
                "sample_rate": audio.codec_context.sample_rate,
                "channels": audio.codec_context.channels,
            }
        check_bounds(info, declared_frames=video.frames if video is not None else 0)
        # A file cut short: its streams end well before the duration it declares, or nothing decodes.
        _check_decodes(container, _bounded(video) if video is not None else audio)
    return info


def _first(streams):
    """The first stream that has a decoder (a damaged header can leave a stream with none), or None."""
    return next((stream for stream in streams if stream.codec_context is not None), None)


def _finite(value) -> float | None:
    try:
        number = float(value) if value else None
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return number if number is not None and math.isfinite(number) and number > 0 else None


def _duration(container, stream) -> float | None:
    """Seconds, as the container (or else the stream) declares them; None when neither does."""
    if container.duration and container.duration > 0:
        return float(container.duration / av.time_base)
    if stream.duration and stream.time_base:
        return _finite(stream.duration * stream.time_base)
    return None


def check_bounds(info: dict, *, declared_frames: int = 0) -> None:
    """Refuse (TooLarge) what the headers say is beyond settings.MEDIA_*, before anything is decoded."""
    duration = info.get("duration") or 0
    if duration > settings.MEDIA_MAX_DURATION_SECONDS:
        raise _too_long()
    if "video" in info:
        width, height = info.get("width") or 0, info.get("height") or 0
        if width * height > settings.MEDIA_MAX_VIDEO_PIXELS:
            raise _no_preview(_("the picture is %(width)d × %(height)d pixels") % {"width": width, "height": height})
        frames = max(declared_frames or 0, int(duration * (info.get("fps") or 0)))
        if frames > settings.MEDIA_MAX_FRAMES:
            raise _no_preview(_("the video has more than %(frames)d frames") % {"frames": settings.MEDIA_MAX_FRAMES})
    if "audio" in info:
        if (info.get("sample_rate") or 0) > settings.MEDIA_MAX_SAMPLE_RATE or (
            info.get("channels") or 0
        ) > settings.MEDIA_MAX_CHANNELS:
            raise _no_preview(_("the sound has too many channels or samples per second"))


def _too_long() -> TooLarge:
    hours = round(settings.MEDIA_MAX_DURATION_SECONDS / 3600, 1)
    return _no_preview(_("the recording is longer than %(hours)s h") % {"hours": hours})


class _Guard:
    """Holds a decoding loop to the bounds, whatever the headers said: frames counted, time read from each."""

    def __init__(self):
        self.pictures = self.frames = 0

    def __call__(self, frame) -> None:
        width = getattr(frame, "width", 0)
        self.frames += 1
        self.pictures += 1 if width else 0
        seconds = frame.time
        if (
            self.pictures > settings.MEDIA_MAX_FRAMES
            or self.frames > settings.MEDIA_MAX_FRAMES * 8
            or (seconds is not None and seconds > settings.MEDIA_MAX_DURATION_SECONDS)
        ):
            raise _too_long()
        if width and width * frame.height > settings.MEDIA_MAX_VIDEO_PIXELS:
            raise _no_preview(
                _("the picture is %(width)d × %(height)d pixels") % {"width": width, "height": frame.height}
            )


def _check_decodes(container, stream) -> None:
    try:
        for frame in container.decode(stream):
            del frame
            return
    except av.error.FFmpegError as error:
        raise Unprocessable(_("The file cannot be read as audio or video: it is damaged or incomplete.")) from error
    raise Unprocessable(_("The file cannot be read as audio or video: it is damaged or incomplete."))


def _media(item: SubmissionFile, path: str) -> None:
    try:
        _prepare_media(item, path)
    except av.error.FFmpegError as error:  # the container itself damaged past what a skipped packet mends
        raise Unprocessable(_("The file cannot be read as audio or video: it is damaged or incomplete.")) from error


def _prepare_media(item: SubmissionFile, path: str) -> None:
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
                item.rendition = _save_rendition(item, "rendition.mp4", target)
                item.rendition_type = "video/mp4"
    else:
        if info["audio"] not in PLAYABLE_AUDIO_CODECS or item.content_type in ("audio/wav", "audio/flac"):
            with tempfile.TemporaryDirectory() as work:
                target = os.path.join(work, "rendition.m4a")
                transcode_audio(path, target)
                item.rendition = _save_rendition(item, "rendition.m4a", target)
                item.rendition_type = "audio/mp4"
    if "audio" in info:
        item.waveform = waveform(path, info.get("duration"))


def _save_rendition(item: SubmissionFile, leaf: str, target: str) -> str:
    # A recording whose few samples made no packet leaves the muxer nothing to write.
    if not os.path.exists(target) or os.path.getsize(target) == 0:
        raise Unprocessable(_("The file cannot be read as audio or video: it is damaged or incomplete."))
    return _save_beside(item, leaf, path=target)


def _even(value: int) -> int:
    return max(2, value - value % 2)


def transcode_video(source: str, target: str) -> None:
    """MP4 with H.264 (yuv420p, at most 1080 lines) and AAC stereo, its index at the front for streaming."""
    guard = _Guard()
    with av.open(source) as src, av.open(target, "w", format="mp4", options={"movflags": "faststart"}) as out:
        video_in = _bounded(_first(src.streams.video))
        audio_in = _first(src.streams.audio)
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
                guard(frame)
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
    guard = _Guard()
    with av.open(source) as src, av.open(target, "w", format="mp4", options={"movflags": "faststart"}) as out:
        audio_in = _first(src.streams.audio)
        audio_out = out.add_stream("aac", rate=48000)
        audio_out.layout = "stereo"
        resampler = av.AudioResampler(format="fltp", layout="stereo", rate=48000)
        for packet in src.demux(audio_in):
            for frame in _decoded(packet):
                guard(frame)
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
    except av.error.FFmpegError:  # one damaged packet: skipped, the rest is kept
        return []


def _poster(path: str, info: dict) -> bytes:
    """A frame a tenth into the video (at most 3 s in), as a JPEG."""
    with av.open(path) as container:
        stream = _bounded(_first(container.streams.video))
        at = min(3.0, (info.get("duration") or 0) / 10)
        if at > 0 and stream.time_base:
            container.seek(int(at / stream.time_base), stream=stream, any_frame=False, backward=True)
        frame = next((frame for packet in container.demux(stream) for frame in _decoded(packet)), None)
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
    guard = _Guard()
    with av.open(path) as container:
        stream = _first(container.streams.audio)
        for frame in (frame for packet in container.demux(stream) for frame in _decoded(packet)):
            guard(frame)
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


def open_image(path: str) -> Image.Image:
    """The picture, opened (its header read) and checked against the pixel bound before any decoding."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(path)
    except Image.DecompressionBombError as error:
        raise _no_preview(_("the picture has too many pixels")) from error
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        raise Unprocessable(_("The image cannot be read: it is damaged or incomplete.")) from error
    width, height = image.size
    if width <= 0 or height <= 0:
        raise Unprocessable(_("The image cannot be read: it is damaged or incomplete."))
    if width * height > settings.MEDIA_MAX_IMAGE_PIXELS:
        image.close()
        raise _no_preview(_("the picture is %(width)d × %(height)d pixels") % {"width": width, "height": height})
    return image


def _image(item: SubmissionFile, path: str) -> None:
    try:
        image = open_image(path)
    except TooLarge:
        # Too large to draw, but not to keep a student's home out of it: the location goes all the same.
        _remove_location_undecoded(item, path)
        raise
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image.load()
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError) as error:
        raise Unprocessable(_("The image cannot be read: it is damaged or incomplete.")) from error
    exif = image.getexif()
    item.probe = {"width": image.width, "height": image.height}
    if GPS_IFD in exif:
        del exif[GPS_IFD]
        buffer = io.BytesIO()
        options = {"quality": "keep"} if image.format == "JPEG" else {}
        try:
            image.save(buffer, format=image.format, exif=exif.tobytes(), **options)
        except (OSError, ValueError) as error:
            # Decoded, but not to be written again as it came (a damaged JPEG read whole because WeasyPrint, once
            # imported, lets Pillow load truncated images; tables Pillow cannot keep): the location still goes,
            # from the header, without decoding.
            _remove_location_undecoded(item, path)
            raise Unprocessable(_("The image cannot be read: it is damaged or incomplete.")) from error
        _replace_original(item, ContentFile(buffer.getvalue()), len(buffer.getvalue()))
        item.probe["location_removed"] = True
    try:
        image.thumbnail((POSTER_WIDTH, POSTER_WIDTH))  # in place: the full picture is let go before turning it
        shown = ImageOps.exif_transpose(image)
        buffer = io.BytesIO()
        shown.convert("RGB").save(buffer, "JPEG", quality=85)
    except (OSError, ValueError) as error:
        raise Unprocessable(_("The image cannot be read: it is damaged or incomplete.")) from error
    item.poster = _save_beside(item, "thumbnail.jpg", buffer.getvalue())


def _replace_original(item: SubmissionFile, content, size: int) -> None:
    """The stored file replaced: the new one saved first (under a new name), the old one deleted after."""
    old = item.file.name
    directory, _slash, leaf = old.rpartition("/")
    stored = default_storage.save(f"{directory}/{generated_name(leaf)}", content)
    item.file.name, item.size = stored, size
    default_storage.delete(old)


JPEG_HEADER_BYTES = 256 * 1024  # the segments before a JPEG's pixels (an Exif segment is at most 64 KB)


def jpeg_without_location(head: bytes) -> bytes | None:
    """The start of a JPEG (its segments before the pixels) with the GPS directory taken out of its Exif,
    without decoding a pixel; None when there is no location to remove (or it cannot be found safely)."""
    if not head.startswith(b"\xff\xd8"):
        return None
    position = 2
    while position + 4 <= len(head):
        if head[position] != 0xFF:
            return None
        marker = head[position + 1]
        if marker in (0xD9, 0xDA):  # the end, or the pixels: no Exif before them
            return None
        length = int.from_bytes(head[position + 2 : position + 4], "big")
        end = position + 2 + length
        if length < 2 or end > len(head):
            return None
        segment = head[position + 4 : end]
        if marker == 0xE1 and segment.startswith(b"Exif\x00\x00"):
            exif = Image.Exif()
            try:
                exif.load(segment)
            except (OSError, ValueError, SyntaxError, struct.error):
                return None
            if GPS_IFD not in exif:
                return None
            del exif[GPS_IFD]
            body = exif.tobytes()
            if len(body) + 2 > 0xFFFF:
                return None
            replaced = b"\xff\xe1" + (len(body) + 2).to_bytes(2, "big") + body
            return head[:position] + replaced + head[end:]
        position = end
    return None


def _remove_location_undecoded(item: SubmissionFile, path: str) -> None:
    with open(path, "rb") as original:
        head = original.read(JPEG_HEADER_BYTES)
        cleaned = jpeg_without_location(head)
        if cleaned is None:
            return
        with tempfile.TemporaryFile() as copy:
            copy.write(cleaned)
            shutil.copyfileobj(original, copy, 1024 * 1024)
            size = copy.tell()
            copy.seek(0)
            _replace_original(item, File(copy, name="image"), size)
    item.probe = {**(item.probe or {}), "location_removed": True}


def preview_scale(width: float, height: float) -> float:
    """The scale a page of `width` × `height` points is drawn at (PREVIEW_WIDTH pixels wide); TooLarge when
    that picture would be beyond settings.MEDIA_MAX_PDF_PAGE_PIXELS (a 10 × 14,400 pt page: 2 billion)."""
    if not (math.isfinite(width) and math.isfinite(height)) or width <= 0 or height <= 0:
        raise Unprocessable(_("The PDF cannot be read: it is damaged or incomplete."))
    scale = PREVIEW_WIDTH / width
    if (width * scale) * (height * scale) > settings.MEDIA_MAX_PDF_PAGE_PIXELS:
        raise _no_preview(
            _("a page is %(width)d × %(height)d points, too large to draw") % {"width": width, "height": height}
        )
    return scale


def _pdf(item: SubmissionFile, path: str) -> None:
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(path)
    except pypdfium2.PdfiumError as error:
        raise Unprocessable(_("The PDF cannot be read: it is damaged or incomplete.")) from error
    try:
        pages = len(document)
        shown = min(pages, settings.MEDIA_PDF_PREVIEW_PAGES)
        # Every page's size is checked before any is drawn: a file has all its previews or none.
        scales = []
        for index in range(shown):
            page = document[index]
            scales.append(preview_scale(*page.get_size()))
            page.close()
        previews = []
        for index, scale in enumerate(scales):
            page = document[index]
            bitmap = page.render(scale=scale)
            image = bitmap.to_pil()
            buffer = io.BytesIO()
            image.convert("RGB").save(buffer, "JPEG", quality=80)
            del image, bitmap
            page.close()
            previews.append(_save_beside(item, f"page-{index + 1}.jpg", buffer.getvalue()))
            item.previews = previews
        item.probe = {"pages": pages}
        item.previews = previews
    except pypdfium2.PdfiumError as error:  # a page that cannot be loaded or drawn
        raise Unprocessable(_("The PDF cannot be read: it is damaged or incomplete.")) from error
    finally:
        document.close()
