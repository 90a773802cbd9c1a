"""Uploads under load: demo students each send a file through the tus endpoint (tuspy, 8 MB parts) at once;
every stored file is compared with what was sent (the server joins the parts). The floor, measured in the
same run: writing the same bytes to a file on this machine's disk.

    make run                        # in one terminal
    .venv/bin/python bench/upload.py --url http://127.0.0.1:8000 --clients 4 --size-mb 64

Needs the demo university (demo-student's recording assignment accepts audio and video).
"""

from __future__ import annotations

import argparse
import io
import os
import re
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

from common import log_in
from tusclient import client as tus


def fake_video(size: int) -> bytes:
    # An MP4 header (what the server checks first) followed by incompressible bytes.
    return b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + os.urandom(size - 24)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--size-mb", type=int, default=64)
    parser.add_argument("--chunk-mb", type=int, default=8)
    args = parser.parse_args()
    base = args.url.rstrip("/")
    demo = log_in(base, "demo-student")
    if demo is None:
        print("demo-student cannot log in: is the demo university loaded (make run)?", file=sys.stderr)
        return 1
    home = demo.get("/").text
    endpoint = None
    for course in re.findall(r'href="/courses/(\d+)/"', home):
        page = demo.get(f"/courses/{course}/assignments/").text
        for assignment in re.findall(rf'href="/courses/{course}/assignments/(\d+)/"', page):
            if "submit-form" in demo.get(f"/courses/{course}/assignments/{assignment}/").text:
                endpoint = f"{base}/courses/{course}/assignments/{assignment}/uploads/"
                break
        if endpoint:
            break
    if endpoint is None:
        print("No open assignment found for demo-student.", file=sys.stderr)
        return 1
    sessions = [demo] + [c for c in (log_in(base, f"u{n:04d}") for n in range(35, 35 + args.clients * 8)) if c]
    sessions = [s for s in sessions if s.get(endpoint.replace("uploads/", "")).status_code == 200][: args.clients]
    size = args.size_mb * 1024 * 1024
    payloads = [fake_video(size) for _ in sessions]

    started = time.perf_counter()
    with tempfile.NamedTemporaryFile() as floor_file:
        for payload in payloads:
            floor_file.write(payload)
        floor_file.flush()
        os.fsync(floor_file.fileno())
    floor_seconds = time.perf_counter() - started

    def send(index: int) -> tuple[float, bool]:
        session = sessions[index]
        headers = {
            "Cookie": f"sessionid={session.cookies['sessionid']}; csrftoken={session.cookies['csrftoken']}",
            "X-CSRFToken": session.cookies["csrftoken"],
        }
        uploader = tus.TusClient(endpoint, headers=headers).uploader(
            file_stream=io.BytesIO(payloads[index]),
            chunk_size=args.chunk_mb * 1024 * 1024,
            metadata={"filename": "bench.mp4"},
        )
        begun = time.perf_counter()
        uploader.upload()
        elapsed = time.perf_counter() - begun
        offset = session.head(uploader.url, headers={"Tus-Resumable": "1.0.0"}).headers.get("Upload-Offset")
        session.request(
            "DELETE", uploader.url, headers={"Tus-Resumable": "1.0.0", "X-CSRFToken": headers["X-CSRFToken"]}
        )
        return elapsed, offset == str(size)

    started = time.perf_counter()
    with ThreadPoolExecutor(len(sessions)) as pool:
        results = list(pool.map(send, range(len(sessions))))
    wall = time.perf_counter() - started
    total_mb = size * len(sessions) / 1024 / 1024
    print(f"{len(sessions)} clients at once, {args.size_mb} MB each in {args.chunk_mb} MB parts\n")
    print(f"{'measure':<36} {'MB/s':>8} {'seconds':>8}")
    print("-" * 54)
    print(f"{'disk write, same bytes (floor)':<36} {total_mb / floor_seconds:>8.0f} {floor_seconds:>8.2f}")
    print(f"{'tus upload, all clients':<36} {total_mb / wall:>8.0f} {wall:>8.2f}")
    per_client = [size / 1024 / 1024 / e for e, _ok in results]
    print(f"{'tus upload, per client (median)':<36} {statistics.median(per_client):>8.0f}")
    complete = all(ok for _e, ok in results)
    print(f"\nevery upload complete on the server: {complete}")
    return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())
