"""Load scenario against a running Ustaz: virtual students open home, a course page, a text material, a
file download and their programme's curriculum, each with their own session; a bare Django view served the
same way is the floor.

    make run                       # in one terminal (or any deployment)
    make bench                     # in another: .venv/bin/python bench/run.py --url http://127.0.0.1:8000

Needs wrk (Debian: apt-get install wrk; the script installs it when run as root). Each page is loaded
for --duration seconds at each --concurrency; every response is checked to be the real page (status 200
and a marker of its content, never the login page). Figures are printed beside the baseline.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import httpx
from common import log_in

HERE = Path(__file__).resolve().parent


@dataclass
class Student:
    cookie: str
    home: str
    course: str
    course_marker: str
    page: str
    page_marker: str
    file: str
    classes: str
    feed: str
    forum: str
    assignment: str
    curriculum: str


def prepare_student(base: str, login: str) -> Student | None:
    client = log_in(base, login)
    if client is None:
        return None
    try:
        home = client.get("/")
        courses = re.findall(r'href="(/courses/\d+/)"', home.text)
        if not courses:
            return None
        course = client.get(courses[0])
        title = re.search(r"<h1[^>]*>([^<]+)</h1>", course.text).group(1).strip()
        pages = re.findall(r'href="(/courses/\d+/materials/\d+/)"', course.text)
        files = re.findall(r'href="(/courses/\d+/materials/\d+/file/)"', course.text)
        if not pages or not files:
            return None
        page = client.get(pages[0])
        page_title = re.search(r"<h1[^>]*>([^<]+)</h1>", page.text).group(1).strip()
        feed = re.search(r'id="feed-url" value="https?://[^/"]+([^"]+)"', client.get("/calendar/").text)
        forum = client.get(courses[0] + "forum/").headers.get("Location", "")
        assignments = re.findall(
            r'href="(/courses/\d+/assignments/\d+/)"', client.get(courses[0] + "assignments/").text
        )
        curricula = re.findall(r'href="(/curricula/\d+/)"', client.get("/curricula/").text)
        if feed is None or not forum or not assignments or not curricula:
            return None
        cookie = f"sessionid={client.cookies['sessionid']}"
        return Student(
            cookie=cookie,
            home="/",
            course=courses[0],
            course_marker=f">{title}</h1>",
            page=pages[0],
            page_marker=f">{page_title}</h1>",
            file=files[0],
            classes=courses[0] + "classes/",
            feed=feed.group(1),
            forum=forum,
            assignment=assignments[0],
            curriculum=curricula[0],
        )
    finally:
        client.close()


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    import os

    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, capture_output=True)  # noqa: S607
        return shutil.which("wrk") or sys.exit("wrk could not be installed")
    sys.exit("wrk is needed: apt-get install wrk")


def run_wrk(
    wrk: str,
    base: str,
    plan: list[tuple[str, str, str]],
    concurrency: int,
    duration: int,
    *,
    script: Path = HERE / "sessions.lua",
    plan_file: str | None = None,
    pace_ms: int = 0,
) -> dict:
    """wrk with one connection per thread; the script reads its plan from the file named by BENCH_PLAN."""
    if plan_file is None:
        with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as handle:
            for cookie, path, marker in plan:
                handle.write(f"{cookie}\t{path}\t{marker}\n")
        plan_file = handle.name
        own_file = True
    else:
        own_file = False
    result = subprocess.run(  # noqa: S603
        [
            wrk,
            "-t",
            str(concurrency),
            "-c",
            str(concurrency),
            "-d",
            f"{duration}s",
            "--latency",
            "-s",
            str(script),
            base,
        ],
        capture_output=True,
        text=True,
        check=True,
        env={
            "BENCH_PLAN": plan_file,
            "BENCH_LIB": str(HERE / "report.lua"),
            "BENCH_PACE_MS": str(pace_ms),
            "PATH": "/usr/bin:/bin",
        },
    )
    if own_file:
        Path(plan_file).unlink()
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULT "))
    figures = json.loads(line.removeprefix("RESULT "))
    figures["rps"] = figures["requests"] / figures["seconds"]
    figures["errors"] = figures["wrong"] + figures["socket_errors"]
    return figures


def admission_office_scenarios(base: str) -> dict[str, list[tuple[str, str, str]]]:
    """The commission's and the office's admission pages, each session of the demo staff: the competitive
    list, the exam's scoring sheet, every contract with its balance."""

    plans: dict[str, list[tuple[str, str, str]]] = {}
    clients = {login: log_in(base, login) for login in ("demo-commission", "demo-rector", "demo-office")}
    if not all(clients.values()):
        print("The demo staff could not log in: the admission scenarios are left out.", file=sys.stderr)
        return plans
    cookie = {login: f"sessionid={client.cookies['sessionid']}" for login, client in clients.items()}
    home = clients["demo-commission"].get("/admission/").text
    campaign = re.search(r'href="(/admission/campaigns/\d+/)"', home)
    if campaign:
        page = clients["demo-commission"].get(campaign.group(1)).text
        ranking = re.findall(r'href="(/admission/programmes/\d+/ranking/)"', page)
        exam = re.search(r'href="(/admission/exams/\d+/)"', page)
        if len(ranking) > 1:
            plans["competitive list (rector)"] = [(cookie["demo-rector"], ranking[1], 'id="ranking"')]
        if exam:
            plans["exam sheet (commission)"] = [(cookie["demo-commission"], exam.group(1), 'id="sheet"')]
    plans["contracts (office)"] = [(cookie["demo-office"], "/contracts/", 'id="contracts"')]
    plans["curricula (office)"] = [(cookie["demo-office"], "/curricula/", 'id="curricula"')]
    for client in clients.values():
        client.close()
    return plans


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--concurrency", default="16,64")
    parser.add_argument("--duration", type=int, default=10, help="seconds per page and concurrency")
    parser.add_argument("--students", type=int, default=64, help="virtual students (each its own session)")
    parser.add_argument("--first-login", type=int, default=35, help="demo students are u0035, u0036, ...")
    args = parser.parse_args()
    base = args.url.rstrip("/")
    wrk = ensure_wrk()

    students: list[Student] = []
    number = args.first_login
    while len(students) < args.students and number < args.first_login + args.students * 3:
        student = prepare_student(base, f"u{number:04d}")
        if student:
            students.append(student)
        number += 1
    if not students:
        print("No demo student could log in: is the demo university loaded (make run)?", file=sys.stderr)
        return 1
    print(f"{len(students)} virtual students logged in, each with their own session.\n")

    scenarios = {
        "bare Django view (floor)": [(s.cookie, "/bench/bare/", "ok") for s in students],
        "curriculum page": [(s.cookie, s.curriculum, 'id="curriculum"') for s in students],
        "home": [(s.cookie, s.home, 'id="h-studying"') for s in students],
        "course page": [(s.cookie, s.course, s.course_marker) for s in students],
        "text material": [(s.cookie, s.page, s.page_marker) for s in students],
        "file download": [(s.cookie, s.file, "") for s in students],
        "notices": [(s.cookie, "/notifications/", 'id="notices-link"') for s in students],
        "classes": [(s.cookie, s.classes, 'id="upcoming"') for s in students],
        "calendar feed (.ics)": [("", s.feed, "BEGIN:VCALENDAR") for s in students],
        "chat rooms": [(s.cookie, "/chat/", 'id="rooms"') for s in students],
        "course forum": [(s.cookie, s.forum, 'id="threads"') for s in students],
        "an assignment": [(s.cookie, s.assignment, "<h1") for s in students],
        "admission (campaigns open)": [(s.cookie, "/admission/", 'id="offers"') for s in students],
        **admission_office_scenarios(base),
    }
    with httpx.Client(base_url=base, cookies={"sessionid": students[0].cookie.split("=", 1)[1]}) as client:
        course_html = client.get(students[0].course).content
    print(f"course page HTML: {len(course_html) / 1024:.1f} KB\n")
    header = f"{'page':<26} {'conns':>5} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}"
    print(header)
    print("-" * len(header))
    failed = False
    for concurrency in [int(c) for c in args.concurrency.split(",")]:
        for name, plan in scenarios.items():
            f = run_wrk(wrk, base, plan, concurrency, args.duration)
            failed |= f["errors"] > 0
            print(
                f"{name:<26} {concurrency:>5} {f['rps']:>9.0f} {f['p50_ms']:>8.1f} {f['p95_ms']:>8.1f} "
                f"{f['p99_ms']:>8.1f} {f['errors']:>7}",
                flush=True,
            )
        print()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
