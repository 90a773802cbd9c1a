"""The journal of a course with 300 students and 40 columns, measured in-process on a fresh embedded database:
the journal page, a full recompute of every student's result, and saving one cell, beside Django's bare view
in the same run.

    .venv/bin/python bench/journal.py [--students 300] [--items 40] [--repeat 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(function, repeat: int) -> list[float]:
    function()  # warm up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return times


def report(name: str, times: list[float]) -> None:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    print(f"{name:<38} {statistics.median(ordered):>9.1f} {p95:>9.1f} {max(ordered):>9.1f}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    os.environ["USTAZ_VAR_DIR"] = tempfile.mkdtemp(prefix="ustaz-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ustaz.settings")
    import django

    django.setup()
    from decimal import Decimal

    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from testkit.factories import CourseFactory, UserFactory
    from ustaz.academics.models import Enrolment
    from ustaz.accounts.models import User
    from ustaz.grades import selectors, services
    from ustaz.grades.models import Grade, GradeSource

    course = CourseFactory()
    teacher = UserFactory(roles=",teacher,")
    course.teachers.add(teacher)
    items = services.default_items_create(course=course)
    for n in range(args.items - len(items)):
        items.append(services.item_create(course=course, kind="current", period=1 + n % 2, title=f"Task {n + 1}"))
    students = User.objects.bulk_create(
        [User(username=f"bench{n:04d}", last_name=f"Student {n:04d}", roles=",student,") for n in range(args.students)]
    )
    students = list(User.objects.filter(username__startswith="bench").order_by("pk"))
    Enrolment.objects.bulk_create([Enrolment(course=course, student=s) for s in students])
    Grade.objects.bulk_create(
        [
            Grade(item=i, student=s, points=Decimal((s.pk * 7 + i.pk * 13) % 101), source=GradeSource.JOURNAL)
            for s in students
            for i in items[:-1]
        ],
        batch_size=2000,
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(teacher)
    print(
        f"{args.students} students x {len(items)} columns, {Grade.objects.count()} grades; times in ms "
        f"over {args.repeat} runs\n"
    )
    print(f"{'measure':<38} {'p50':>9} {'p95':>9} {'max':>9}")
    report("bare Django view (floor)", timed(lambda: client.get("/bench/bare/"), args.repeat))
    report("journal page", timed(lambda: client.get(f"/courses/{course.pk}/grades/"), args.repeat))
    report("recompute every result", timed(lambda: selectors.journal(course), args.repeat))
    cells = iter(range(10**9))
    exam = items[-1]

    def save_cell():
        student = students[next(cells) % len(students)]
        client.post(
            f"/courses/{course.pk}/grades/cell/",
            {"item": exam.pk, "student": student.pk, "value": str(next(cells) % 100)},
            HTTP_HX_REQUEST="true",
        )

    report("save one cell (with the row's results)", timed(save_cell, args.repeat * 5))
    size = len(client.get(f"/courses/{course.pk}/grades/").content)
    print(f"\njournal page HTML: {size / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
