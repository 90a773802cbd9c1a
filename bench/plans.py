"""Applying the approved study plans of 600 students to a term (the courses made, every enrolment added), measured
in-process on a fresh embedded database beside a bare write (one INSERT of a trivial row through the ORM) in the
same run; also the proposal the office reviews first and a second application that finds everything made.

    .venv/bin/python bench/plans.py [--students 600] [--group-size 25] [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(function, repeat: int, before=None) -> list[float]:
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return times


def report(name: str, times: list[float]) -> None:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    print(f"{name:<44} {statistics.median(ordered):>10.1f} {p95:>10.1f} {max(ordered):>10.1f}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=600)
    parser.add_argument("--group-size", type=int, default=25)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ["USTAZ_VAR_DIR"] = tempfile.mkdtemp(prefix="ustaz-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ustaz.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from testkit.factories import DisciplineFactory, ProgrammeFactory, StudyGroupFactory, UserFactory
    from ustaz.academics.models import AcademicYear, Course, DltBasis, Enrolment, StudentRecord, Term, TermKind
    from ustaz.accounts.models import User
    from ustaz.core.models import ScheduledRun
    from ustaz.curricula import services as curricula
    from ustaz.curricula.models import Curriculum, CurriculumStatus, Cycle, LineKind
    from ustaz.plans import selectors, services
    from ustaz.plans.models import PlanLine, PlannedCourse, PlanStatus, StudyPlan

    office = UserFactory(roles=",academic_office,")
    year = AcademicYear.objects.create(
        name="2030-2031", starts_on=datetime.date(2030, 9, 1), ends_on=datetime.date(2031, 6, 30)
    )
    autumn = Term.objects.create(
        academic_year=year, kind=TermKind.AUTUMN, starts_on=year.starts_on, ends_on=datetime.date(2030, 12, 31)
    )
    programme = ProgrammeFactory()
    curriculum = curricula.curriculum_create(programme=programme, admission_year=2030, terms=8, actor=office)

    def add(term, credits, group=None):
        return curricula.line_save(
            curriculum=curriculum,
            data=curricula.LineData(
                kind=LineKind.DISCIPLINE,
                term=term,
                credits=credits,
                cycle=Cycle.BASIC,
                discipline=DisciplineFactory(credits=credits),
                component="elective" if group else "compulsory",
                control="exam",
                elective_group=group,
            ),
        )

    compulsory = [add(1, 5) for _ in range(5)]
    electives = curricula.group_save(
        curriculum=curriculum,
        data=curricula.GroupData(code="EL-1", term=1, cycle=Cycle.BASIC, credits_to_choose=5, name_kk="Таңдау"),
    )
    options = [add(1, 5, electives) for _ in range(3)]
    Curriculum.objects.filter(pk=curriculum.pk).update(status=CurriculumStatus.APPROVED)

    groups = [
        StudyGroupFactory(programme=programme, admission_year=2030)
        for _ in range((args.students + args.group_size - 1) // args.group_size)
    ]
    User.objects.bulk_create(
        [User(username=f"bench{n:04d}", last_name=f"Student {n:04d}", roles=",student,") for n in range(args.students)]
    )
    students = list(User.objects.filter(username__startswith="bench").order_by("pk"))
    StudentRecord.objects.bulk_create(
        [
            StudentRecord(
                student=s,
                programme=programme,
                group=groups[n // args.group_size],
                dlt_basis=DltBasis.HIGHER_BLENDED,
            )
            for n, s in enumerate(students)
        ]
    )
    # Approved plans as the students' choices and the advisers' approvals leave them (written in bulk here:
    # the bench measures their application, not the choosing).
    StudyPlan.objects.bulk_create(
        [StudyPlan(student=s, academic_year=year, curriculum=curriculum, status=PlanStatus.APPROVED) for s in students]
    )
    plans = list(StudyPlan.objects.filter(academic_year=year).order_by("student_id"))
    lines = []
    for n, plan in enumerate(plans):
        for chosen in [*compulsory, options[n % len(options)]]:
            lines.append(
                PlanLine(
                    plan=plan,
                    curriculum_line=chosen,
                    elective_group_id=chosen.elective_group_id,
                    discipline_id=chosen.discipline_id,
                    term_number=1,
                    term_kind="autumn",
                    credits=chosen.credits,
                )
            )
    PlanLine.objects.bulk_create(lines, batch_size=2000)

    def undo():
        PlannedCourse.objects.all().delete()
        Course.objects.filter(term=autumn).delete()  # their enrolments go with them

    serial = iter(range(10**9))
    today = datetime.date(2030, 1, 1)

    def bare_write():
        ScheduledRun.objects.create(name=f"bench-{next(serial)}", day=today)

    proposal = selectors.proposal(autumn)
    print(
        f"{args.students} students in {len(groups)} groups, {len(lines)} plan lines; the term's proposal: "
        f"{proposal.to_create} courses, {proposal.enrolments} enrolments. Times in ms over {args.repeat} runs\n"
    )
    print(f"{'measure':<44} {'p50':>10} {'p95':>10} {'max':>10}")
    report("bare write (one INSERT through the ORM)", timed(bare_write, args.repeat * 20))
    report("proposal (read, what the office reviews)", timed(lambda: selectors.proposal(autumn), args.repeat))
    report(
        "apply the plans (courses + enrolments made)",
        timed(lambda: services.plans_apply(term=autumn, by=office), args.repeat, before=undo),
    )
    assert Enrolment.objects.filter(course__term=autumn).count() == proposal.enrolments
    report("apply again (nothing to add)", timed(lambda: services.plans_apply(term=autumn, by=office), args.repeat))
    assert Enrolment.objects.filter(course__term=autumn).count() == proposal.enrolments
    assert Course.objects.filter(term=autumn).count() == proposal.to_create
    return 0


if __name__ == "__main__":
    sys.exit(main())
