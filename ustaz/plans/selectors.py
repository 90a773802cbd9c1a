"""Reads the plans pages need: what a student's plan for a year is made of, the lists for the adviser and the
office (a constant number of queries whatever the number of students), and the proposal of courses."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ustaz.academics.models import (
    AcademicYear,
    Course,
    Discipline,
    Enrolment,
    StudentRecord,
    StudentStatus,
    StudyGroup,
    Term,
    TermKind,
)
from ustaz.accounts.models import User
from ustaz.curricula import rules as curricula_rules
from ustaz.curricula import selectors as curricula_selectors
from ustaz.curricula.models import Curriculum, CurriculumLine, ElectiveGroup, LineKind
from ustaz.grades import selectors as grades_selectors

from .calendar import term_number_for, terms_of_year, year_start
from .models import ElectiveWindow, PlanLine, PlanLineKind, PlannedCourse, PlanStatus, StudyPlan


# --- Windows ----------------------------------------------------------------------------------------------
def open_windows_for(record: StudentRecord, day=None) -> list[ElectiveWindow]:
    """The windows open today for the student's programme, earliest academic year first (one query)."""
    day = day or timezone.localdate()
    return list(
        ElectiveWindow.objects.filter(opens_on__lte=day, closes_on__gte=day)
        .filter(Q(programmes=None) | Q(programmes=record.programme_id))
        .select_related("academic_year")
        .distinct()
        .order_by("academic_year__starts_on", "pk")
    )


def window_open_for(record: StudentRecord, academic_year: AcademicYear, day=None) -> bool:
    return any(w.academic_year_id == academic_year.pk for w in open_windows_for(record, day))


def windows_list() -> QuerySet[ElectiveWindow]:
    return ElectiveWindow.objects.select_related("academic_year").prefetch_related("programmes")


# --- What a plan is made of -------------------------------------------------------------------------------
@dataclass
class Debt:
    """A discipline of the gradebook with FX or F, to be retaken or studied again in the plan's year."""

    kind: str  # PlanLineKind.RETAKE or RESTUDY
    discipline: Discipline
    course: Course  # the course failed
    attempt: int
    credits: int
    term_kind: str


def debts(student: User, before) -> list[Debt]:
    """The student's academic debts from the gradebook, in courses that started before the given day (the
    plan's year): FX with an exam retake left is retaken (the next exam attempt); F, or FX with the retakes
    used, means the discipline is studied again (the next study), while studies are left (rules.md)."""
    found = []
    studied: dict[int, int] = defaultdict(int)
    latest = {}
    for term in grades_selectors.transcript(student):
        for line in term.lines:
            studied[line.course.discipline_id] += 1
            if line.retaken_in is None:
                latest[line.course.discipline_id] = line
    for discipline_id, line in latest.items():
        course, result = line.course, line.result
        if result is None or not result.is_academic_debt or course.term.starts_on >= before:
            continue
        kind = TermKind.SPRING if course.term.kind == TermKind.SUMMER else course.term.kind
        if result.is_fx and line.exam_attempts <= settings.GRADES_EXAM_RETAKES:
            found.append(
                Debt(
                    PlanLineKind.RETAKE,
                    course.discipline,
                    course,
                    line.exam_attempts + 1,
                    course.discipline.credits,
                    kind,
                )
            )
        elif studied[discipline_id] <= settings.GRADES_DISCIPLINE_RETAKES:
            found.append(
                Debt(
                    PlanLineKind.RESTUDY,
                    course.discipline,
                    course,
                    studied[discipline_id] + 1,
                    course.discipline.credits,
                    kind,
                )
            )
    return found


@dataclass
class Frame:
    """What a student's plan for an academic year is made of."""

    record: StudentRecord
    academic_year: AcademicYear
    curriculum: Curriculum | None
    term_numbers: list[int] = field(default_factory=list)
    compulsory: list[CurriculumLine] = field(default_factory=list)
    groups: list[ElectiveGroup] = field(default_factory=list)  # each with .options
    debts: list[Debt] = field(default_factory=list)

    def option(self, line_id: int) -> CurriculumLine | None:
        for group in self.groups:
            for line in group.options:
                if line.pk == line_id:
                    return line
        return None


def plan_frame(record: StudentRecord, academic_year: AcademicYear) -> Frame:
    """The curriculum in force for the student's group, its lines and elective groups of the year's terms, and
    the debts of the gradebook (a constant number of queries)."""
    curriculum = curricula_selectors.curriculum_in_force(
        programme_id=record.programme_id, admission_year=record.group.admission_year
    )
    frame = Frame(record=record, academic_year=academic_year, curriculum=curriculum)
    if curriculum is None:
        return frame
    start = year_start(academic_year)
    frame.term_numbers = terms_of_year(record.group.admission_year, start, curriculum.terms)
    if not frame.term_numbers:
        return frame
    groups = list(curriculum.elective_groups.filter(term__in=frame.term_numbers).order_by("term", "code"))
    by_pk = {g.pk: g for g in groups}
    for group in groups:
        group.options = []
    for line in (
        curriculum.lines.filter(term__in=frame.term_numbers).select_related("discipline").order_by("term", "kind", "id")
    ):
        if line.elective_group_id:
            if line.elective_group_id in by_pk:
                line.elective_group = by_pk[line.elective_group_id]
                by_pk[line.elective_group_id].options.append(line)
        else:
            frame.compulsory.append(line)
    frame.groups = groups
    frame.debts = debts(record.student, academic_year.starts_on)
    return frame


def lines_for(frame: Frame, plan: StudyPlan | None, chosen: list[CurriculumLine]) -> list[PlanLine]:
    """The lines (not saved) of a plan made of the frame and the electives chosen: the compulsory lines and
    those chosen, then the debts, each in its term of the plan's year."""
    lines = [
        PlanLine(
            plan=plan,
            kind=PlanLineKind.CURRICULUM,
            curriculum_line=line,
            elective_group_id=line.elective_group_id,
            discipline_id=line.discipline_id,
            term_number=line.term,
            term_kind=TermKind.AUTUMN if line.term % 2 else TermKind.SPRING,
            credits=line.credits,
        )
        for line in [*frame.compulsory, *chosen]
    ]
    start = year_start(frame.academic_year)
    for debt in frame.debts:
        lines.append(
            PlanLine(
                plan=plan,
                kind=debt.kind,
                discipline=debt.discipline,
                term_number=term_number_for(frame.record.group.admission_year, start, debt.term_kind),
                term_kind=debt.term_kind,
                credits=debt.credits,
                attempt=debt.attempt,
                failed_course=debt.course,
            )
        )
    return lines


def line_title(line: PlanLine | CurriculumLine) -> str:
    curriculum_line = line.curriculum_line if isinstance(line, PlanLine) else line
    if curriculum_line is not None and curriculum_line.kind != LineKind.DISCIPLINE:
        return curriculum_line.title
    return line.discipline.name if line.discipline_id else ""


# --- A plan's page ----------------------------------------------------------------------------------------
@dataclass
class TermCredits:
    number: int
    kind: str
    credits: int
    warning: bool  # off the curriculum's credits of a term
    over: bool  # over the most a plan's term may hold


def credits_by_term(lines, term_numbers) -> list[TermCredits]:
    """Credits of each term of the plan: its lines but the exams retaken (their credits were counted when the
    discipline was studied)."""
    policy = curricula_rules.policy_for("")
    totals: dict[int, int] = dict.fromkeys(term_numbers, 0)
    for line in lines:
        if line.kind != PlanLineKind.RETAKE:
            totals[line.term_number] = totals.get(line.term_number, 0) + line.credits
    result = []
    for number, credits in sorted(totals.items()):
        kind = TermKind.AUTUMN if number % 2 else TermKind.SPRING
        result.append(
            TermCredits(
                number=number,
                kind=kind,
                credits=credits,
                warning=abs(credits - policy.term_credits) > policy.term_tolerance,
                over=credits > settings.PLANS_TERM_CREDITS_MAX,
            )
        )
    return result


@dataclass
class YearCredits:
    total: int
    expected: int
    warning: bool  # a full year off the curriculum's credits of a year


def year_credits(terms: list[TermCredits]) -> YearCredits:
    """The year's credits from its terms', checked against USTAZ_CURRICULA_YEAR_CREDITS when both terms are in
    the plan (a plan of the last, odd term is not a full year)."""
    total = sum(t.credits for t in terms)
    expected = settings.CURRICULA_YEAR_CREDITS
    return YearCredits(total=total, expected=expected, warning=len(terms) == 2 and total != expected)


def plan_lines(plan: StudyPlan) -> list[PlanLine]:
    lines = list(
        plan.lines.select_related("discipline", "curriculum_line__discipline", "elective_group", "failed_course__term")
    )
    for line in lines:
        line.title = line_title(line)
    return lines


def years_to_choose(record: StudentRecord) -> list[AcademicYear]:
    """The academic years the student may work on a plan for now: those of the windows open to their programme,
    and those of their plans returned to them (two queries)."""
    years = {w.academic_year_id: w.academic_year for w in open_windows_for(record)}
    for plan in StudyPlan.objects.filter(student_id=record.student_id, status=PlanStatus.RETURNED).select_related(
        "academic_year"
    ):
        years.setdefault(plan.academic_year_id, plan.academic_year)
    return sorted(years.values(), key=lambda y: y.starts_on)


def plan_of(student: User, academic_year: AcademicYear) -> StudyPlan | None:
    return StudyPlan.objects.filter(student=student, academic_year=academic_year).first()


def student_plans(student: User) -> list[StudyPlan]:
    return list(StudyPlan.objects.filter(student=student).select_related("academic_year", "decided_by"))


# --- The adviser's and the office's lists ------------------------------------------------------------------
def advised_plans(adviser: User) -> list[StudyPlan]:
    """The plans of the students of the groups the teacher advises, those waiting first (one query)."""
    plans = StudyPlan.objects.filter(student__student_record__group__advisor=adviser).select_related(
        "student__student_record__group", "academic_year"
    )
    order = {PlanStatus.SUBMITTED: 0, PlanStatus.RETURNED: 1, PlanStatus.DRAFT: 2, PlanStatus.APPROVED: 3}
    return sorted(
        plans,
        key=lambda p: (order.get(p.status, 9), -p.academic_year.starts_on.toordinal(), p.student.get_full_name()),
    )


@dataclass
class OfficeRow:
    record: StudentRecord
    plan: StudyPlan | None


def office_records(*, programme_id: int | None, group_id: int | None) -> QuerySet[StudentRecord]:
    """The studying students of the programme or group chosen (all of them when none is), in list order."""
    records = StudentRecord.objects.filter(status=StudentStatus.ACTIVE)
    if programme_id:
        records = records.filter(programme_id=programme_id)
    if group_id:
        records = records.filter(group_id=group_id)
    return records.select_related("student", "group", "programme").order_by(
        "group__name", "student__last_name", "student__first_name", "pk"
    )


def office_rows(records, academic_year: AcademicYear) -> list[OfficeRow]:
    """The records given (a page of them) with each one's plan for the year, if any (one query beside the
    records')."""
    records = list(records)
    plans = {
        p.student_id: p
        for p in StudyPlan.objects.filter(
            academic_year=academic_year, student_id__in=[r.student_id for r in records]
        ).only("pk", "student_id", "status", "submitted_at", "decided_at", "academic_year_id")
    }
    return [OfficeRow(record=r, plan=plans.get(r.student_id)) for r in records]


def office_counts(records: QuerySet[StudentRecord], academic_year: AcademicYear) -> list[tuple[str, int]]:
    """How many of the students have a plan in each state, and how many have none (two queries)."""
    total = records.count()
    by_status = dict(
        StudyPlan.objects.filter(academic_year=academic_year, student_id__in=records.values("student_id"))
        .order_by()  # no default ordering in the GROUP BY
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    counts = [(str(label), by_status.get(value, 0)) for value, label in PlanStatus.choices]
    counts.append((str(_("No plan yet")), total - sum(by_status.values())))
    return counts


# --- Courses from the approved plans -------------------------------------------------------------------------
@dataclass
class ProposedCourse:
    discipline: Discipline
    course: Course | None  # the course of the discipline in the term to reuse, None when one is to be made
    curriculum_line_id: int | None
    groups: list[StudyGroup]
    student_ids: list[int]
    new_enrolments: int
    restudy_ids: set[int] = field(default_factory=set)  # those who study the discipline again (F)


@dataclass
class Proposal:
    term: Term
    courses: list[ProposedCourse]
    students: int

    @property
    def to_create(self) -> int:
        return sum(1 for c in self.courses if c.course is None)

    @property
    def to_reuse(self) -> int:
        return sum(1 for c in self.courses if c.course is not None)

    @property
    def enrolments(self) -> int:
        return sum(c.new_enrolments for c in self.courses)


def proposal(term: Term) -> Proposal:
    """The courses to make (or reuse) and the enrolments to add for the term, from the approved plans of its
    academic year: one course per discipline, with the groups whose studying students take it (six queries,
    whatever the number of students)."""
    kinds = [term.kind, TermKind.SPRING] if term.kind == TermKind.SUMMER else [term.kind]
    rows = list(
        PlanLine.objects.filter(
            plan__status=PlanStatus.APPROVED,
            plan__academic_year_id=term.academic_year_id,
            plan__student__student_record__status=StudentStatus.ACTIVE,
            term_kind__in=kinds,
            discipline__isnull=False,
            kind__in=[PlanLineKind.CURRICULUM, PlanLineKind.RESTUDY],
        )
        .values_list(
            "discipline_id", "plan__student_id", "plan__student__student_record__group_id", "curriculum_line_id", "kind"
        )
        .order_by("discipline_id", "plan__student_id")
    )
    students: dict[int, dict[int, None]] = defaultdict(dict)
    groups: dict[int, dict[int, None]] = defaultdict(dict)
    lines: dict[int, int | None] = {}
    restudy: dict[int, set[int]] = defaultdict(set)
    for discipline_id, student_id, group_id, line_id, kind in rows:
        students[discipline_id][student_id] = None
        if kind == PlanLineKind.RESTUDY:
            restudy[discipline_id].add(student_id)
        groups[discipline_id][group_id] = None
        if line_id and lines.get(discipline_id) is None:
            lines[discipline_id] = line_id
    disciplines = Discipline.objects.in_bulk(list(students))
    group_objects = StudyGroup.objects.in_bulk({g for gs in groups.values() for g in gs})
    linked = dict(
        PlannedCourse.objects.filter(term=term, discipline_id__in=list(students)).values_list(
            "discipline_id", "course_id"
        )
    )
    of_discipline: dict[int, list[Course]] = defaultdict(list)
    for course in Course.objects.filter(term=term, discipline_id__in=list(students)).order_by("pk"):
        of_discipline[course.discipline_id].append(course)
    # The course made from plans before, else the discipline's first course of the term.
    existing = {
        d: next((c for c in courses if c.pk == linked.get(d)), courses[0]) for d, courses in of_discipline.items()
    }
    enrolled = set(Enrolment.objects.filter(course__in=list(existing.values())).values_list("course_id", "student_id"))
    proposed = []
    for discipline_id in sorted(students, key=lambda d: disciplines[d].code):
        course = existing.get(discipline_id)
        ids = list(students[discipline_id])
        new = sum(1 for s in ids if course is None or (course.pk, s) not in enrolled)
        proposed.append(
            ProposedCourse(
                discipline=disciplines[discipline_id],
                course=course,
                curriculum_line_id=lines.get(discipline_id),
                groups=sorted((group_objects[g] for g in groups[discipline_id]), key=lambda g: g.name),
                student_ids=ids,
                new_enrolments=new,
                restudy_ids=restudy.get(discipline_id, set()),
            )
        )
    return Proposal(term=term, courses=proposed, students=len({s for ss in students.values() for s in ss}))


def terms_to_apply() -> QuerySet[Term]:
    return Term.objects.select_related("academic_year").order_by("-starts_on")


# --- The student's file ----------------------------------------------------------------------------------------
@dataclass
class FilePlan:
    plan: StudyPlan
    terms: list[TermCredits]
    year: YearCredits


def file_plans(record: StudentRecord) -> list[FilePlan]:
    """The student's plans by year with their credits per term (two queries)."""
    plans = list(
        StudyPlan.objects.filter(student_id=record.student_id)
        .select_related("academic_year")
        .prefetch_related("lines")
        .order_by("-academic_year__starts_on")
    )
    result = []
    for plan in plans:
        lines = list(plan.lines.all())
        numbers = sorted({line.term_number for line in lines})
        terms = credits_by_term(lines, numbers)
        result.append(FilePlan(plan=plan, terms=terms, year=year_credits(terms)))
    return result
