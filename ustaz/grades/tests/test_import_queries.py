"""Checking a grades file costs the same queries for N and 2N rows: lookups are loaded once, none per row."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from testkit.factories import UserFactory, enrol
from ustaz.grades import services
from ustaz.grades.models import Grade


def test_checking_n_and_2n_rows_costs_the_same_queries(course, teacher):
    exam = services.default_items_create(course=course)[-1]
    students = [UserFactory(roles=",student,") for _ in range(8)]
    for student in students:
        enrol(student, course)
    counts = []
    for n in (4, 8):
        # The last line is wrong, so the file is only checked: nothing is written.
        lines = [f"{s.username},{60 + i}" for i, s in enumerate(students[:n])] + ["nobody,70"]
        with CaptureQueriesContext(connection) as queries:
            count, errors = services.grades_import(
                item=exam, filename="g.csv", content=("login,points\n" + "\n".join(lines)).encode(), posted_by=teacher
            )
        assert count == 0 and [line for line, _m in errors] == [n + 2]
        counts.append(len(queries))
    assert counts[0] == counts[1] == 1  # the course's enrolled students
    assert not Grade.objects.exists()
