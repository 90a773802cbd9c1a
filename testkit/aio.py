"""Running a coroutine from a test: in a thread of its own, because the browser tests' event loop may be
running in the test's thread (Playwright's sync API)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor


def run_in_thread(coroutine):
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
