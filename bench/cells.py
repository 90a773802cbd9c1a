"""Teachers typing into their journals at once: each virtual teacher (a demo teacher with their own session)
saves cells of the exam column of one of their courses, one every --pace ms (a fast typist: a value and
Enter), then as fast as the server answers, through wrk (`bench/cells.lua`); the bare Django view at the same
number of connections is the floor, in the same run.

    make run                                   # in one terminal
    .venv/bin/python bench/cells.py            # in another (--url, --teachers 16, --duration 10)

It writes grades: run it on the demo university, never on real data. The exam column of the demo's courses
is empty mid-term; the bench empties it again afterwards (the history of changes keeps the bench's rows, as
it keeps every change). Every response is checked to be a saved cell (status 200, no refusal).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ensure_wrk, log_in, run_wrk  # noqa: E402

HERE = Path(__file__).resolve().parent


@dataclass
class Teacher:
    client: httpx.Client
    cell_url: str
    item: str
    students: list[str]


def prepare_teacher(base: str, login: str, taken: set[str]) -> Teacher | None:
    client = log_in(base, login)
    if client is None:
        return None
    for course in dict.fromkeys(re.findall(r'href="/courses/(\d+)/"', client.get("/").text)):
        if course in taken:
            continue
        journal = client.get(f"/courses/{course}/grades/")
        url = re.search(r'data-cell-url="([^"]+)"', journal.text)
        columns = re.findall(r'<input class="ji[^"]*" value="" [^>]*data-i="(\d+)"', journal.text)
        students = re.findall(r'<tr data-s="(\d+)"', journal.text)
        if journal.status_code == 200 and url and columns and students:
            taken.add(course)
            return Teacher(client=client, cell_url=url.group(1), item=columns[-1], students=students)
    client.close()
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--teachers", type=int, default=16)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--pace", type=int, default=250, help="ms between one teacher's saves (typing and Enter)")
    args = parser.parse_args()
    base = args.url.rstrip("/")
    wrk = ensure_wrk()
    teachers: list[Teacher] = []
    taken: set[str] = set()
    for login in ["demo-teacher"] + [f"u{n:04d}" for n in range(1, 40)]:
        if len(teachers) == args.teachers:
            break
        teacher = prepare_teacher(base, login, taken)
        if teacher:
            teachers.append(teacher)
    if not teachers:
        print("No demo teacher could log in: is the demo university loaded (make run)?", file=sys.stderr)
        return 1
    print(f"{len(teachers)} virtual teachers, each in their own course's journal.\n")
    header = f"{'measure':<26} {'conns':>5} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}"
    print(header)
    print("-" * len(header))
    cookie = lambda t: "; ".join(f"{k}={v}" for k, v in t.client.cookies.items())  # noqa: E731
    floor = [(cookie(t), "/bench/bare/", "ok") for t in teachers]
    figures = {"bare Django view (floor)": run_wrk(wrk, base, floor, len(teachers), args.duration)}
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as handle:
        for t in teachers:
            handle.write(
                f"{cookie(t)}\t{t.client.cookies['csrftoken']}\t{t.cell_url}\t{t.item}\t{','.join(t.students)}\n"
            )
    try:
        for pace in (args.pace, 0):
            name = f"cell, one per {pace} ms each" if pace else "cell, flat out"
            figures[name] = run_wrk(
                wrk,
                base,
                [],
                len(teachers),
                args.duration,
                script=HERE / "cells.lua",
                plan_file=handle.name,
                pace_ms=pace,
            )
    finally:
        Path(handle.name).unlink()
        for t in teachers:  # leave the exam columns empty again
            headers = {"X-CSRFToken": t.client.cookies["csrftoken"], "HX-Request": "true"}
            for student in t.students:
                t.client.post(t.cell_url, data={"item": t.item, "student": student, "value": ""}, headers=headers)
            t.client.close()
    failed = False
    for name, f in figures.items():
        failed |= f["errors"] > 0
        print(
            f"{name:<26} {len(teachers):>5} {f['rps']:>9.0f} {f['p50_ms']:>8.1f} {f['p95_ms']:>8.1f} "
            f"{f['p99_ms']:>8.1f} {f['errors']:>7}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
