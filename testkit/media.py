"""Real media made for the tests: tones in WAV and FLAC, short videos in MOV and MP4 (PyAV), a JPEG with a
GPS location in its EXIF (Pillow), a small PDF (pdfium)."""

from __future__ import annotations

import io
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image


def tone(path: Path, *, seconds: float = 2.0, frequency: float = 440.0, codec: str = "pcm_s16le") -> Path:
    """A sine tone (WAV by default; codec="flac" with a .flac path for FLAC)."""
    rate = 44100
    with av.open(str(path), "w") as container:
        stream = container.add_stream(codec, rate=rate)
        stream.layout = "mono"
        samples = (np.sin(2 * np.pi * frequency * np.arange(int(rate * seconds)) / rate) * 0.5 * 32767).astype(np.int16)
        for start in range(0, len(samples), 1024):
            block = samples[start : start + 1024].reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(block, format="s16", layout="mono")
            frame.sample_rate = rate
            frame.pts = start
            frame.time_base = Fraction(1, rate)
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return path


def video(path: Path, *, seconds: float = 4.0, size: tuple[int, int] = (160, 120), fps: int = 10) -> Path:
    """A moving colour gradient with a tone: H.264 and AAC in the container the path's suffix names (.mp4 or
    .mov), or MPEG-4 Part 2 and MP3 in .avi."""
    suffix = path.suffix.lower()
    video_codec, audio_codec = ("mpeg4", "libmp3lame") if suffix == ".avi" else ("libx264", "aac")
    with av.open(str(path), "w") as container:
        picture = container.add_stream(video_codec, rate=fps)
        picture.width, picture.height, picture.pix_fmt = size[0], size[1], "yuv420p"
        sound = container.add_stream(audio_codec, rate=44100)
        sound.layout = "mono"
        for n in range(int(seconds * fps)):
            x = np.linspace(0, 255, size[0]).astype(np.int32)
            image = np.zeros((size[1], size[0], 3), dtype=np.uint8)
            image[..., 0] = (x + n * 8) % 256
            image[..., 1] = np.linspace(0, 255, size[1], dtype=np.uint8)[:, None]
            image[..., 2] = (n * 20) % 256
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts = n
            frame.time_base = Fraction(1, fps)
            container.mux(picture.encode(frame))
        container.mux(picture.encode(None))
        rate = 44100
        samples = (np.sin(2 * np.pi * 330 * np.arange(int(rate * seconds)) / rate) * 0.3).astype(np.float32)
        frame_size = sound.codec_context.frame_size or 1152
        resampler = av.AudioResampler(format=sound.codec_context.format.name, layout="mono", rate=rate)
        for start in range(0, len(samples), frame_size):
            block = samples[start : start + frame_size]
            if len(block) < frame_size:
                block = np.pad(block, (0, frame_size - len(block)))
            frame = av.AudioFrame.from_ndarray(block.reshape(1, -1), format="flt", layout="mono")
            frame.sample_rate = rate
            frame.pts = start
            frame.time_base = Fraction(1, rate)
            for converted in resampler.resample(frame):
                container.mux(sound.encode(converted))
        container.mux(sound.encode(None))
    return path


def jpeg_with_gps(size: tuple[int, int] = (640, 480)) -> bytes:
    """A photo whose EXIF says where it was taken (Almaty)."""
    image = Image.new("RGB", size, (200, 120, 40))
    for x in range(0, size[0], 40):
        image.paste((20, 60, 160), (x, 0, x + 20, size[1]))
    exif = Image.Exif()
    exif[0x010F] = "Ustaz test camera"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (43.0, 15.0, 0.0)
    gps[3], gps[4] = "E", (76.0, 57.0, 0.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=90)
    return buffer.getvalue()


def small_pdf(pages: int = 2) -> bytes:
    import pypdfium2

    document = pypdfium2.PdfDocument.new()
    for _n in range(pages):
        document.new_page(595, 842)
    buffer = io.BytesIO()
    document.save(buffer)
    document.close()
    return buffer.getvalue()
