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


def pdf_with_page(width: float, height: float) -> bytes:
    """A PDF of one empty page of `width` × `height` points, written by hand (about 330 bytes): a page of
    10 × 14,400 pt drawn 1,200 pixels wide would need 1,200 × 1,728,000 pixels."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] >>" % (str(width).encode(), str(height).encode()),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def png_declaring(width: int, height: int) -> bytes:
    """A PNG whose header declares `width` × `height` pixels, with one tiny compressed row after it: a
    decompression bomb's shape, a few dozen bytes."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def png(size: tuple[int, int] = (64, 48)) -> bytes:
    image = Image.new("RGB", size, (30, 90, 160))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def webm(path: Path, *, seconds: float = 1.0, size: tuple[int, int] = (64, 48), fps: int = 10) -> Path:
    """A small VP8 video in WebM (no sound)."""
    with av.open(str(path), "w", format="webm") as container:
        picture = container.add_stream("libvpx", rate=fps)
        picture.width, picture.height, picture.pix_fmt = size[0], size[1], "yuv420p"
        for n in range(int(seconds * fps)):
            image = np.full((size[1], size[0], 3), (n * 25) % 256, dtype=np.uint8)
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts = n
            frame.time_base = Fraction(1, fps)
            container.mux(picture.encode(frame))
        container.mux(picture.encode(None))
    return path
