"""Individual study plans in the demo (issue 22, item 2): demo-teacher advises demo-student's group; last
spring the group chose its electives for this academic year (plans approved, and the courses of the term under
way made from them, reusing the demo's courses where their disciplines match); this year's window is open for
the next academic year: demo-student can choose, and three classmates' plans wait for demo-teacher's approval.

Made once: a second run finds next year's window and does nothing."""

from __future__ import annotations

import datetime
from itertools import combinations

from django.utils import timezone

from ustaz.academics.models import AcademicYear, Course, StudentRecord, StudentStatus, Term, TermKind
from ustaz.accounts.models import User
from ustaz.notifications.models import Notification
from ustaz.plans import selectors as plans_selectors
from ustaz.plans import services as plans_services
from ustaz.plans.apps import PLAN_DECIDED, PLAN_SUBMITTED
from ustaz.plans.models import ElectiveWindow, PlannedCourse, StudyPlan

SUBMITTED_CLASSMATES = 3


def _year(start: int) -> AcademicYear:
    year, _created = AcademicYear.objects.get_or_create(
        name=f"{start}-{start + 1}",
        defaults={"starts_on": datetime.date(start, 9, 1), "ends_on": datetime.date(start + 1, 8, 31)},
    )
    for kind, starts_on, ends_on in (
        (TermKind.AUTUMN, datetime.date(start, 9, 1), datetime.date(start + 1, 1, 20)),
        (TermKind.SPRING, datetime.date(start + 1, 1, 21), datetime.date(start + 1, 6, 15)),
    ):
        Term.objects.get_or_create(academic_year=year, kind=kind, defaults={"starts_on": starts_on, "ends_on": ends_on})
    return year


def _choice(frame, offset: int = 0) -> list[int]:
    """Options of each elective group making exactly its credits (the offset-th such choice, so students
    differ)."""
    chosen = []
    for group in frame.groups:
        fitting = [
            combo
            for size in range(1, len(group.options) + 1)
            for combo in combinations(group.options, size)
            if sum(line.credits for line in combo) == group.credits_to_choose
        ]
        if fitting:
            chosen += [line.pk for line in fitting[offset % len(fitting)]]
    return chosen


def load_plans() -> None:
    today = timezone.localdate()
    start = today.year if today.month >= 8 else today.year - 1
    this_year, next_year = _year(start), _year(start + 1)
    if ElectiveWindow.objects.filter(academic_year=next_year).exists():
        return
    office = User.objects.get(username="demo-office")
    adviser = User.objects.get(username="demo-teacher")
    record = StudentRecord.objects.select_related("group").get(student__username="demo-student")
    group = record.group
    group.advisor = adviser
    group.save(update_fields=["advisor"])
    records = list(
        StudentRecord.objects.filter(group=group, status=StudentStatus.ACTIVE)
        .select_related("student", "group", "programme")
        .order_by("pk")
    )

    # Last spring: the window for this year, every student of the group chose, demo-teacher approved.
    spring_day = datetime.date(start, 4, 15)
    plans_services.window_save(
        academic_year=this_year,
        opens_on=datetime.date(start, 4, 1),
        closes_on=datetime.date(start, 4, 30),
        by=office,
    )
    for n, member in enumerate(records):
        frame = plans_selectors.plan_frame(member, this_year)
        if frame.curriculum is None:
            return
        plan = plans_services.plan_save(
            student=member.student, academic_year=this_year, chosen_ids=_choice(frame, n), submit=True, on=spring_day
        )
        plans_services.plan_approve(plan=plan, by=adviser)
    decided = datetime.datetime(start, 5, 5, 11, 0, tzinfo=timezone.get_current_timezone())
    StudyPlan.objects.filter(academic_year=this_year, student__student_record__group=group).update(
        submitted_at=decided - datetime.timedelta(days=10), decided_at=decided
    )
    # What they were told last spring has been read since.
    told = [adviser.pk, *(r.student_id for r in records)]
    Notification.objects.filter(kind__in=[PLAN_SUBMITTED, PLAN_DECIDED], user_id__in=told).update(read_at=decided)
    for user_id in told:
        unread = Notification.objects.filter(user_id=user_id, read_at__isnull=True).count()
        User.objects.filter(pk=user_id).update(unread_notices=unread)
    # This year's courses from those plans: the demo's courses reused where the discipline matches; a course
    # made anew is taught by the group's adviser, like the rest of demo-student's courses.
    # Only the term under way: the office applies the spring's plans when the spring comes.
    for term in Term.objects.filter(
        academic_year=this_year, kind__in=[TermKind.AUTUMN, TermKind.SPRING], starts_on__lte=today, ends_on__gte=today
    ):
        plans_services.plans_apply(term=term, by=office)
    made = PlannedCourse.objects.filter(term__academic_year=this_year).values_list("course_id", flat=True)
    for course in Course.objects.filter(pk__in=list(made), teachers=None):
        course.teachers.add(adviser)

    # Now: the window for next year is open to every programme; three classmates have submitted.
    plans_services.window_save(
        academic_year=next_year,
        opens_on=today - datetime.timedelta(days=7),
        closes_on=min(today + datetime.timedelta(days=21), next_year.ends_on - datetime.timedelta(days=1)),
        by=office,
    )
    classmates = [r for r in records if r.student.username != "demo-student"][:SUBMITTED_CLASSMATES]
    for n, member in enumerate(classmates):
        frame = plans_selectors.plan_frame(member, next_year)
        plans_services.plan_save(
            student=member.student, academic_year=next_year, chosen_ids=_choice(frame, n), submit=True
        )
