"""Real files for the demo university's materials, made on the spot (no binary blobs in the repository)."""

from __future__ import annotations

import io
import math

import av
import numpy as np


def scale_wav(seconds_per_note: float = 0.4, sample_rate: int = 16000) -> bytes:
    """A C major scale played as sine tones, as a WAV file (PyAV)."""
    notes = [261.63, 293.66, 329.63, 349.23, 392.00, 440.00, 493.88, 523.25]
    samples_per_note = int(seconds_per_note * sample_rate)
    t = np.arange(samples_per_note) / sample_rate
    envelope = np.minimum(1, np.minimum(t / 0.02, (seconds_per_note - t) / 0.05))
    signal = np.concatenate([0.4 * envelope * np.sin(2 * math.pi * f * t) for f in notes])
    pcm = (signal * 32767).astype(np.int16)
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="wav") as container:
        stream = container.add_stream("pcm_s16le", rate=sample_rate, layout="mono")
        frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = sample_rate
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return buffer.getvalue()


def syllabus_pdf(title: str, code: str, credits: int, topics: list[str]) -> bytes:
    from django.utils.html import escape
    from weasyprint import HTML

    items = "".join(f"<li>{escape(topic)}</li>" for topic in topics)
    html = f"""<!doctype html><html><head><meta charset="utf-8"><style>
    body {{ font-family: "DejaVu Sans", sans-serif; font-size: 11pt; }} h1 {{ font-size: 16pt; }}
    </style></head><body><h1>{escape(title)}</h1><p>{escape(code)} · {credits} ECTS</p>
    <h2>Силлабус / Syllabus</h2><ol>{items}</ol>
    <p>Оқу материалдары білім алушы үшін тегін; оларды көптеп көшіруге және үшінші тұлғаларға беруге болмайды.</p>
    </body></html>"""
    return HTML(string=html).write_pdf()
