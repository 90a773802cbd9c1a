"""A cohort taking a test at once: demo students of demo-student's group open the demo test and save answers
as fast as the server takes them (each save one transaction, as in an exam hour when everyone clicks), each
student on their own connection. Every save must be accepted. The floor, the same way in the same run:
the bare Django view.

    make run                        # in one terminal (a freshly loaded demo: each student has one attempt)
    .venv/bin/python bench/quiz.py --url http://127.0.0.1:8000 --students 16 --seconds 10

The attempts it opens stay open until their deadline (the worker then closes and grades them).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import threading
import time

from common import log_in


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--students", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    base = args.url.rstrip("/")
    demo = log_in(base, "demo-student")
    if demo is None:
        print("demo-student cannot log in: is the demo university loaded (make run)?", file=sys.stderr)
        return 1
    test_url = None
    for course in re.findall(r'href="/courses/(\d+)/"', demo.get("/").text):
        tests = re.findall(rf'href="(/courses/{course}/tests/\d+/)"', demo.get(f"/courses/{course}/tests/").text)
        if tests:
            test_url = tests[0]
            break
    if test_url is None:
        print("No test found in demo-student's courses.", file=sys.stderr)
        return 1
    sessions = []
    for number in range(35, 35 + args.students * 12):
        client = log_in(base, f"u{number:04d}")
        if client is None:
            continue
        started = client.post(
            f"{test_url}start/", data={"csrfmiddlewaretoken": client.cookies["csrftoken"]}, headers={"Referer": base}
        )
        location = started.headers.get("Location", "")
        if re.match(r"^/attempts/\d+/$", location):
            page = client.get(location).text
            positions = [int(p) for p in re.findall(r'data-position="(\d+)"', page)]
            sessions.append((client, location, positions))
        if len(sessions) == args.students:
            break
    if not sessions:
        print("No student could start the test (each has one attempt: load a fresh demo).", file=sys.stderr)
        return 1

    def run(job, duration: float) -> tuple[list[float], int]:
        times: list[float] = []
        failures = [0]
        lock = threading.Lock()
        stop = time.monotonic() + duration

        def loop(index: int):
            n = 0
            while time.monotonic() < stop:
                begun = time.perf_counter()
                ok = job(index, n)
                elapsed = (time.perf_counter() - begun) * 1000
                with lock:
                    times.append(elapsed)
                    failures[0] += 0 if ok else 1
                n += 1

        threads = [threading.Thread(target=loop, args=(i,)) for i in range(len(sessions))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return times, failures[0]

    def bare(index: int, _n: int) -> bool:
        return sessions[index][0].get("/bench/bare/").status_code == 200

    def save(index: int, n: int) -> bool:
        client, location, positions = sessions[index]
        response = client.post(
            f"{location}save/",
            json={"position": positions[n % len(positions)], "response": str(n)},
            headers={"X-CSRFToken": client.cookies["csrftoken"], "Referer": base},
        )
        return response.status_code == 200

    print(f"{len(sessions)} students in the test at once, {args.seconds} s each measure\n")
    header = f"{'measure':<34} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'failed':>7}"
    print(header)
    print("-" * len(header))
    for name, job in (("bare Django view (floor)", bare), ("answer saves", save)):
        times, failed = run(job, args.seconds)
        print(
            f"{name:<34} {len(times) / args.seconds:>8.0f} {statistics.median(times):>8.1f} "
            f"{percentile(times, 0.95):>8.1f} {percentile(times, 0.99):>8.1f} {failed:>7}",
            flush=True,
        )
        if name == "answer saves" and failed:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
