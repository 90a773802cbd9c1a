"""Fuzzing the parsers of what people upload and import (hypothesis).

CI runs a short run (the "ci" profile); `USTAZ_FUZZ=long make test` or
`USTAZ_FUZZ=long .venv/bin/python -m pytest -k fuzz` runs for longer. A parser under fuzzing must answer every
input with its result or its own translated error: no other exception, nothing written on failure, and its
memory bounded (``bounded_memory``). Time is bounded by the parsers' own limits on size and rows, which the
fuzzed inputs reach, not by a clock.
"""

from __future__ import annotations

import contextlib
import os
import tracemalloc

from hypothesis import HealthCheck, settings

_CHECKS = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large]
settings.register_profile("ci", max_examples=40, deadline=None, suppress_health_check=_CHECKS, derandomize=False)
settings.register_profile("long", max_examples=3000, deadline=None, suppress_health_check=_CHECKS)
settings.load_profile(os.environ.get("USTAZ_FUZZ", "ci"))


@contextlib.contextmanager
def bounded_memory(megabytes: int = 64):
    """Fails if the block allocated more than ``megabytes`` of Python memory at its peak."""
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        yield
    finally:
        _current, peak = tracemalloc.get_traced_memory()
        if started:
            tracemalloc.stop()
    assert peak < megabytes * 1024 * 1024, f"peak memory {peak / 1e6:.1f} MB over {megabytes} MB"
