"""Reads of final attestation: admission computed from the curriculum and the gradebook in a constant number of
queries whatever the number of students, the commission's page and the member's list."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ustaz.academics.models import Enrolment, StudentRecord, StudentStatus
from ustaz.accounts.models import User
from ustaz.core.collation import kazakh_sort_key
from ustaz.curricula.models import Curriculum, CurriculumLine, CurriculumStatus, LineKind
from ustaz.grades import rules as grade_rules
from ustaz.grades.models import Grade, GradeItem
from ustaz.grades.selectors import standing

from . import rules
from .models import Commission, CommissionMember, Conflict, StudentAttestation


@dataclass
class Admission:
    student: User
    record: StudentRecord | None
    admitted: bool
    reasons: list[str] = field(default_factory=list)
    attestations: list[StudentAttestation] = field(default_factory=list)


def _line_label(line: CurriculumLine) -> str:
    if line.kind == LineKind.PRACTICE:
        kind = line.get_practice_kind_display()
        return f"{kind}: {line.discipline.name}" if line.discipline_id else str(kind)
    return line.discipline.name if line.discipline_id else ""


def _results(student_ids: list[int], discipline_ids: set[int]) -> dict[tuple[int, int], list[str | None]]:
    """Every letter (None: no result yet) of each student in each course of these disciplines they were enrolled
    in, keyed by (student, discipline): three queries."""
    enrolments = list(
        Enrolment.objects.filter(student_id__in=student_ids, course__discipline_id__in=discipline_ids)
        .select_related("course__term")
        .only("student_id", "course_id", "course__discipline_id", "course__term__ends_on")
    )
    course_ids = {e.course_id for e in enrolments}
    items: dict[int, list[GradeItem]] = defaultdict(list)
    for item in GradeItem.objects.filter(course_id__in=course_ids).order_by("position", "id"):
        items[item.course_id].append(item)
    points: dict[tuple[int, int], dict[int, Decimal]] = defaultdict(dict)
    for student_id, item_id, course_id, value in Grade.objects.filter(
        student_id__in=student_ids, item__course_id__in=course_ids
    ).values_list("student_id", "item_id", "item__course_id", "points"):
        points[(student_id, course_id)][item_id] = value
    policy = grade_rules.GradingPolicy.from_settings()
    today = timezone.localdate()
    letters: dict[tuple[int, int], list[str | None]] = defaultdict(list)
    for enrolment in enrolments:
        course = enrolment.course
        result = standing(
            items.get(course.pk, []),
            points.get((enrolment.student_id, course.pk), {}),
            policy,
            session_closed=course.term.ends_on < today,
        ).result
        letter = result.letter.letter if result is not None and result.letter is not None else None
        letters[(enrolment.student_id, course.discipline_id)].append(letter)
    return letters


DEBT = ("FX", "F")


def admissions(records: list[StudentRecord]) -> list[Admission]:
    """Whether each student is admitted to final attestation, and why not: every line of their curriculum in
    force before the attestation passed (a letter other than FX and F in some course of its discipline), and
    in each elective group the credits to choose passed. Five queries whatever the number of students."""
    if not records:
        return []
    keys = {(r.programme_id, r.group.admission_year) for r in records}
    curricula = {
        (c.programme_id, c.admission_year): c
        for c in Curriculum.objects.filter(
            status=CurriculumStatus.APPROVED,
            programme_id__in={k[0] for k in keys},
            admission_year__in={k[1] for k in keys},
        )
    }
    lines_by_curriculum: dict[int, list[CurriculumLine]] = defaultdict(list)
    lines = (
        CurriculumLine.objects.filter(curriculum__in=curricula.values())
        .exclude(kind=LineKind.ATTESTATION)
        .select_related("discipline", "elective_group")
        .order_by("term", "kind", "id")
    )
    for line in lines:
        lines_by_curriculum[line.curriculum_id].append(line)
    discipline_ids = {ln.discipline_id for group in lines_by_curriculum.values() for ln in group if ln.discipline_id}
    letters = _results([r.student_id for r in records], discipline_ids)
    out = []
    for record in records:
        curriculum = curricula.get((record.programme_id, record.group.admission_year))
        reasons: list[str] = []
        if curriculum is None:
            reasons.append(_("No curriculum in force for the student's programme and year of admission."))
        else:
            reasons = _reasons(record.student_id, lines_by_curriculum.get(curriculum.pk, []), letters)
        out.append(Admission(student=record.student, record=record, admitted=not reasons, reasons=reasons))
    return out


def _reasons(student_id: int, lines: list[CurriculumLine], letters) -> list[str]:
    reasons: list[str] = []
    elective_passed: dict[int, int] = defaultdict(int)
    groups = {}
    for line in lines:
        got = letters.get((student_id, line.discipline_id), []) if line.discipline_id else []
        passed = any(letter is not None and letter not in DEBT for letter in got)
        if line.elective_group_id:
            groups[line.elective_group_id] = line.elective_group
            if passed:
                elective_passed[line.elective_group_id] += line.credits
            continue
        if passed:
            continue
        debt = [letter for letter in got if letter in DEBT]
        if debt:
            reasons.append(
                _("Academic debt: %(line)s (%(letter)s), term %(term)s.")
                % {"line": _line_label(line), "letter": debt[-1], "term": line.term}
            )
        else:
            reasons.append(
                _("No result: %(line)s, term %(term)s.") % {"line": _line_label(line) or line.title, "term": line.term}
            )
    for pk, group in sorted(groups.items(), key=lambda kv: (kv[1].term, kv[1].code)):
        if elective_passed[pk] < group.credits_to_choose:
            reasons.append(
                _("Electives %(code)s, term %(term)s: %(passed)s of %(needed)s credits passed.")
                % {
                    "code": group.code,
                    "term": group.term,
                    "passed": elective_passed[pk],
                    "needed": group.credits_to_choose,
                }
            )
    return reasons


def admission(student: User) -> tuple[bool, list[str]]:
    """Is this student admitted to final attestation, and if not, why (the same rule as the office's list)."""
    record = StudentRecord.objects.filter(student=student).select_related("group", "student").first()
    if record is None:
        return False, [_("The person has no student record.")]
    result = admissions([record])[0]
    return result.admitted, result.reasons


def graduating_records(commission: Commission) -> list[StudentRecord]:
    """The programme's students studying now who finish their curriculum in force in the commission's year
    (two queries), in Kazakh alphabetical order."""
    years = {
        rules.graduating_admission_year(academic_year=commission.academic_year, terms=terms)
        for terms in Curriculum.objects.filter(
            programme_id=commission.programme_id, status=CurriculumStatus.APPROVED
        ).values_list("terms", flat=True)
    }
    records = list(
        StudentRecord.objects.filter(
            programme_id=commission.programme_id, group__admission_year__in=years, status=StudentStatus.ACTIVE
        ).select_related("student", "group")
    )
    records.sort(key=lambda r: kazakh_sort_key(r.student.full_name or r.student.username))
    return records


def admission_list(commission: Commission) -> list[Admission]:
    """The office's list of the commission's graduating students with their admission and their attestations
    (eight queries whatever the number of students)."""
    result = admissions(graduating_records(commission))
    by_student: dict[int, list[StudentAttestation]] = defaultdict(list)
    for attestation in StudentAttestation.objects.filter(
        commission=commission, student_id__in=[a.student.pk for a in result]
    ).select_related("supervisor", "reviewer"):
        by_student[attestation.student_id].append(attestation)
    for entry in result:
        entry.attestations = by_student.get(entry.student.pk, [])
    return result


def order_warning(commission: Commission) -> str | None:
    """The translated warning shown when the order approving the composition is missing or late."""
    problem = rules.order_problem(
        order_number=commission.order_number,
        order_date=commission.order_date,
        first_sitting=commission.first_sitting_on,
        days=settings.ATTESTATION_ORDER_DAYS_BEFORE,
    )
    if problem == "missing":
        return _("The order approving the commission's composition is not recorded.")
    if problem == "late":
        return _(
            "The order approving the commission's composition is dated less than %(days)s days before its first "
            "sitting."
        ) % {"days": settings.ATTESTATION_ORDER_DAYS_BEFORE}
    return None


def commissions_list(queryset: QuerySet[Commission]) -> list[Commission]:
    """Commissions with their chair and warning (two queries)."""
    commissions = list(queryset.select_related("programme").order_by("-academic_year", "programme__code"))
    chairs = {
        m.commission_id: m
        for m in CommissionMember.objects.filter(commission__in=commissions, role="chair").select_related("person")
    }
    for commission in commissions:
        commission.chair = chairs.get(commission.pk)
        commission.warning = order_warning(commission)
    return commissions


def members(commission: Commission) -> list[CommissionMember]:
    return list(commission.members.select_related("person").order_by("role", "person__last_name"))


def stepped_aside(commission: Commission) -> dict[int, list[Conflict]]:
    """Declared conflicts by member (one query)."""
    conflicts: dict[int, list[Conflict]] = defaultdict(list)
    for conflict in Conflict.objects.filter(member__commission=commission).select_related("student"):
        conflicts[conflict.member_id].append(conflict)
    return conflicts


def quorum_for(commission: Commission, *, present_member_ids: set[int], student: User) -> bool:
    """Whether the members present, less those stepped aside for this student, make the quorum."""
    voting = [m for m in commission.members.all() if m.votes]
    aside = set(
        Conflict.objects.filter(member__commission=commission, student=student).values_list("member_id", flat=True)
    )
    present = sum(1 for m in voting if m.pk in present_member_ids and m.pk not in aside)
    return rules.has_quorum(
        voting_members=len(voting), present=present, fraction=rules.parse_fraction(settings.ATTESTATION_QUORUM)
    )


def quorum_needed(commission: Commission, members_list: list[CommissionMember]) -> int:
    """How many voting members make the quorum of this commission (no query: from the members read)."""
    voting = sum(1 for m in members_list if m.votes)
    return rules.quorum_needed(voting, rules.parse_fraction(settings.ATTESTATION_QUORUM))
