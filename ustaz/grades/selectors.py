"""What the journal pages read, and the standing of each student computed by the rules of rules.md."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from ustaz.academics.models import Course, Enrolment
from ustaz.accounts.models import User
from ustaz.core.collation import kazakh_sort_key

from . import rules
from .models import Grade, GradeChange, GradeItem, ItemKind

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Standing:
    r1: Decimal | None
    r2: Decimal | None
    result: rules.DisciplineResult | None  # None until both ratings can be computed


def _percent(points: Decimal, item: GradeItem) -> Decimal:
    return points / item.max_points * HUNDRED


def standing(
    items: list[GradeItem],
    points_by_item: dict[int, Decimal],
    policy: rules.GradingPolicy,
    *,
    session_closed: bool = False,
    overdue_payment: bool = False,
) -> Standing:
    """A student's ratings and result from the points entered so far (marks are percentages of each
    column's maximum; current control is the weighted mean of the marks entered)."""
    ratings: dict[int, Decimal | None] = {}
    for period in (1, 2):
        current = [
            (i, points_by_item[i.pk])
            for i in items
            if i.kind == ItemKind.CURRENT and i.period == period and i.pk in points_by_item
        ]
        midterms = [
            _percent(points_by_item[i.pk], i)
            for i in items
            if i.kind == ItemKind.MIDTERM and i.period == period and i.pk in points_by_item
        ]
        if not current or not midterms:
            ratings[period] = None
            continue
        total_weight = sum((i.weight for i, _p in current), Decimal(0))
        current_average = sum((_percent(p, i) * i.weight for i, p in current), Decimal(0)) / total_weight
        ratings[period] = rules.rating(current_average, sum(midterms) / len(midterms))
    r1, r2 = ratings[1], ratings[2]
    if r1 is None or r2 is None:
        return Standing(r1, r2, None)
    # A retake replaces the exam: the latest attempt with a score counts.
    attempts = sorted((i for i in items if i.kind == ItemKind.EXAM and i.pk in points_by_item), key=lambda i: i.attempt)
    exam = rules.round_score(_percent(points_by_item[attempts[-1].pk], attempts[-1])) if attempts else None
    result = rules.discipline_result(
        r1, r2, exam, policy=policy, session_closed=session_closed, overdue_payment=overdue_payment
    )
    return Standing(r1, r2, result)


@dataclass
class JournalRow:
    student: User
    points: list[Decimal | None]  # one per item, in the items' order
    standing: Standing
    items: list[GradeItem]
    not_retaking: frozenset[int] = frozenset()  # retake columns this student has no FX for
    exam_barred: bool = False  # no exam score may be entered: not admitted for an overdue payment

    @property
    def cells(self) -> list[tuple[int, GradeItem, Decimal | None]]:
        return [(n, item, points) for n, (item, points) in enumerate(zip(self.items, self.points, strict=True))]

    def cells_html(self, editable_ids: set[int]) -> str:
        from .cells import row_cells

        return row_cells(
            student_id=self.student.pk,
            items=self.items,
            points=self.points,
            editable_ids=editable_ids - self.not_retaking - (self.exam_ids if self.exam_barred else set()),
        )

    @property
    def exam_ids(self) -> set[int]:
        return {i.pk for i in self.items if i.kind == ItemKind.EXAM}


def journal(
    course: Course, *, student: User | None = None, group_id: int | None = None
) -> tuple[list[GradeItem], list[JournalRow]]:
    """The course's columns and a row per enrolled student (or only the given student's): three queries."""
    items = list(GradeItem.objects.filter(course=course).order_by("position", "id"))
    enrolments = (
        Enrolment.objects.filter(course=course)
        .select_related("student")
        .only("student__id", "student__username", "student__last_name", "student__first_name", "student__patronymic")
        .order_by("student__last_name", "student__first_name", "student__id")
    )
    grades = Grade.objects.filter(item__course=course).values_list("student_id", "item_id", "points")
    if student is not None:
        enrolments = enrolments.filter(student=student)
        grades = grades.filter(student=student)
    if group_id is not None:
        enrolments = enrolments.filter(student__student_record__group_id=group_id)
        grades = grades.filter(student__student_record__group_id=group_id)
    by_student: dict[int, dict[int, Decimal]] = {}
    for student_id, item_id, points in grades:
        by_student.setdefault(student_id, {})[item_id] = points
    policy = rules.GradingPolicy.from_settings()
    # Once the term is over, a student not admitted to the exam has an F (an academic debt).
    closed = course.term.ends_on < timezone.localdate()
    enrolments = sorted(enrolments, key=lambda e: kazakh_sort_key(e.student.full_name or e.student.username))
    retakes = [i for i in items if i.kind == ItemKind.EXAM and i.attempt > 1]
    # The bar is on admission to the session's exam: asked while the term runs, never of a term gone by.
    owing = set() if closed else overdue_payments(policy, [e.student_id for e in enrolments])
    exam_ids = {i.pk for i in items if i.kind == ItemKind.EXAM}
    rows = []
    for enrolment in enrolments:
        points_by_item = by_student.get(enrolment.student_id, {})
        overdue = enrolment.student_id in owing
        rows.append(
            JournalRow(
                student=enrolment.student,
                points=[points_by_item.get(i.pk) for i in items],
                standing=standing(items, points_by_item, policy, session_closed=closed, overdue_payment=overdue),
                items=items,
                not_retaking=frozenset(r.pk for r in retakes if not fx_before(r, items, points_by_item, policy)),
                exam_barred=overdue and not exam_ids & set(points_by_item),
            )
        )
    return items, rows


def overdue_payments(policy: rules.GradingPolicy, student_ids: list[int]) -> set[int]:
    """The students (of these) who owe an overdue contract payment today, when the setting bars them from the
    exam (one query for them all); nobody, and no query, when it does not."""
    if not policy.bar_overdue_payment or not student_ids:
        return set()
    from ustaz.contracts.selectors import students_with_overdue

    return students_with_overdue(student_ids, timezone.localdate())


def barred_from_exam(item: GradeItem, student_ids: list[int]) -> set[int]:
    """Of these students, those the payment bar keeps from this exam column now (its term still running): for
    the journal's cells, the grades import and the testing centre (one query, none when the setting is off)."""
    if item.kind != ItemKind.EXAM or item.course.term.ends_on < timezone.localdate():
        return set()
    return overdue_payments(rules.GradingPolicy.from_settings(), student_ids)


def fx_before(retake: GradeItem, items: list[GradeItem], points_by_item: dict[int, Decimal], policy) -> bool:
    """Whether the student had FX from the columns before this retake: who may take it (the journal's cells
    and grade_post both ask here)."""
    earlier = [i for i in items if not (i.kind == ItemKind.EXAM and i.attempt >= retake.attempt)]
    result = standing(earlier, points_by_item, policy).result
    return result is not None and result.is_fx


def course_result(course: Course, student: User) -> rules.DisciplineResult | None:
    """One student's result in one course (two queries)."""
    items = list(GradeItem.objects.filter(course=course).order_by("position", "id"))
    points = dict(Grade.objects.filter(item__course=course, student=student).values_list("item_id", "points"))
    closed = course.term.ends_on < timezone.localdate()
    policy = rules.GradingPolicy.from_settings()
    overdue = not closed and student.pk in overdue_payments(policy, [student.pk])
    return standing(items, points, policy, session_closed=closed, overdue_payment=overdue).result


def grade_history(course: Course, *, student: User | None = None, limit: int = 500):
    """The latest changes of the course's grades, newest first, with who changed what (two joins)."""
    changes = (
        GradeChange.objects.filter(item__course=course)
        .select_related("item", "student", "changed_by")
        .only(
            "old_points",
            "new_points",
            "changed_at",
            "source",
            "source_ref",
            "reason",
            "item__title",
            "student__username",
            "student__last_name",
            "student__first_name",
            "student__patronymic",
            "changed_by__username",
            "changed_by__last_name",
            "changed_by__first_name",
            "changed_by__patronymic",
        )
        .order_by("-changed_at", "-id")
    )
    if student is not None:
        changes = changes.filter(student=student)
    return list(changes[:limit])


@dataclass
class TranscriptLine:
    course: Course
    result: rules.DisciplineResult | None
    retaken_in: object = None  # the term the discipline was studied again in, when it was
    exam_attempts: int = 1


@dataclass
class TranscriptTerm:
    term: object
    lines: list[TranscriptLine]
    gpa: Decimal | None
    cumulative_gpa: Decimal | None
    credits: int


def transcript(student: User) -> list[TranscriptTerm]:
    """Every course of the student by term, with its result, the term's GPA and the cumulative GPA
    (credit-weighted; disciplines without a letter yet are left out): four queries."""
    from ustaz.academics.models import Course as CourseModel

    courses = list(
        CourseModel.objects.filter(enrolments__student=student)
        .select_related("discipline", "term__academic_year")
        .order_by("term__starts_on", "discipline__code")
    )
    items_by_course: dict[int, list[GradeItem]] = {}
    for item in GradeItem.objects.filter(course__in=courses).order_by("position", "id"):
        items_by_course.setdefault(item.course_id, []).append(item)
    points: dict[int, Decimal] = dict(
        Grade.objects.filter(student=student, item__course__in=courses).values_list("item_id", "points")
    )
    policy = rules.GradingPolicy.from_settings()
    terms: list[TranscriptTerm] = []
    graded_so_far: list[tuple[int, rules.Letter | None]] = []
    for course in courses:
        course_items = items_by_course.get(course.pk, [])
        own = {i.pk: points[i.pk] for i in course_items if i.pk in points}
        closed = course.term.ends_on < timezone.localdate()
        line = TranscriptLine(
            course=course,
            result=standing(course_items, own, policy, session_closed=closed).result,
            exam_attempts=len({i.attempt for i in course_items if i.kind == ItemKind.EXAM and i.pk in own}) or 1,
        )
        if not terms or terms[-1].term != course.term:
            terms.append(TranscriptTerm(term=course.term, lines=[], gpa=None, cumulative_gpa=None, credits=0))
        terms[-1].lines.append(line)
    latest: dict[int, TranscriptLine] = {}  # discipline -> its latest line so far
    for entry in terms:
        letters = [(ln.course.discipline.credits, ln.result.letter if ln.result else None) for ln in entry.lines]
        entry.gpa = rules.gpa(letters)
        entry.credits = sum(c for c, letter in letters if letter is not None)
        for line in entry.lines:
            earlier = latest.get(line.course.discipline_id)
            if earlier is not None:
                earlier.retaken_in = entry.term
            latest[line.course.discipline_id] = line
        if policy.retaken_counts == "all":
            graded_so_far.extend(letters)
            entry.cumulative_gpa = rules.gpa(graded_so_far)
        else:
            entry.cumulative_gpa = rules.gpa(
                (ln.course.discipline.credits, ln.result.letter if ln.result else None) for ln in latest.values()
            )
    return terms


def calendar_events(user: User, start, end) -> list:
    """For a teacher's calendar: the last day for entering each column's marks (the ten-day rule)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from ustaz.accounts.models import Role
    from ustaz.core.calendar import Event

    if not user.has_role(Role.TEACHER):
        return []
    items = GradeItem.objects.filter(
        course__teachers=user, entry_until__gte=start.date(), entry_until__lte=end.date(), is_locked=False
    ).select_related("course__discipline")
    return [
        Event(
            uid=f"grades-entry-{item.pk}",
            summary=_("Marks due: %(column)s (%(course)s)") % {"column": item.title, "course": item.course.title},
            start=item.entry_until,
            url=reverse("grades:course", args=[item.course_id]),
        )
        for item in items
    ]
