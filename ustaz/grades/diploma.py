"""The diploma's result (issue 15, item 7; docs/decisions/0020-diploma-result.md): a graduate's final transcript
(every discipline, practice and the final attestation with credits, letter, points, traditional grade and term;
the cumulative GPA by GradingPolicy; credits earned against the curriculum's total) and the honours check.

Built for many students at once in a constant number of queries (the office's page of a graduating group), and
for one student by the same code. What is a practice and what is the final attestation comes from the student's
curriculum in force (ustaz.curricula: a line of kind "practice" or "attestation" naming the course's
discipline); the attestation's grade is, for now, the result of the course teaching that line.

Who reads it: the student their own, the group's adviser their advisees, the academic office, the rector and
an administrator every one; anybody else is told nothing (404)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ustaz.academics import access as academics_access
from ustaz.academics.models import Enrolment, StudentRecord, StudyGroup
from ustaz.accounts.models import Role, User
from ustaz.curricula.models import AttestationForm, Curriculum, CurriculumStatus, ElectiveGroup, LineKind
from ustaz.curricula.models import CurriculumLine as CurriculumLineModel

from . import rules
from .models import Grade, GradeItem, ItemKind
from .selectors import standing

DISCIPLINE, PRACTICE, ATTESTATION = "discipline", "practice", "attestation"
SECTION_TITLES = {
    DISCIPLINE: _("Disciplines"),
    PRACTICE: _("Practices"),
    ATTESTATION: _("Final attestation"),
}


@dataclass
class FinalLine:
    kind: str
    course: object  # None for a line of the curriculum no course of the student teaches (the attestation's)
    credits: int
    result: rules.DisciplineResult | None
    exam_attempts: int = 1
    retaken_in: object = None  # the term the discipline was studied again in
    planned: tuple[str, int] | None = None  # without a course: the curriculum line's title and term number

    @property
    def code(self) -> str:
        return self.course.discipline.code if self.course else ""

    @property
    def title(self) -> str:
        return self.course.title if self.course else self.planned[0]

    @property
    def term(self) -> str:
        return str(self.course.term) if self.course else str(_("Term %(n)s") % {"n": self.planned[1]})

    @property
    def letter(self) -> rules.Letter | None:
        return self.result.letter if self.result else None

    @property
    def traditional(self) -> str:
        return str(rules.TRADITIONAL_LABELS[self.letter.traditional]) if self.letter else ""

    @property
    def passed(self) -> bool:
        return self.letter is not None and not self.result.is_academic_debt


@dataclass
class FinalSection:
    kind: str
    lines: list[FinalLine]

    @property
    def title(self) -> str:
        return str(SECTION_TITLES[self.kind])


@dataclass
class FinalTranscript:
    record: StudentRecord
    sections: list[FinalSection]
    gpa: Decimal | None
    credits_earned: int
    credits_required: int | None  # the curriculum's total; None without a curriculum in force
    retakes: int
    honours: rules.Honours
    lines: list[FinalLine] = field(default_factory=list)

    @property
    def student(self) -> User:
        return self.record.student


# --- Who reads it ------------------------------------------------------------------------------------------
def can_read_final_transcript(viewer: User, record: StudentRecord) -> bool:
    """The student, their group's adviser, the office, the rector, an administrator (as the student's file)."""
    return academics_access.can_view_student_file(viewer, record)


def get_final_transcript_record_for(viewer: User, student_pk: int) -> StudentRecord:
    record = StudentRecord.objects.select_related("student", "programme", "group").filter(student_id=student_pk).first()
    if record is None or not can_read_final_transcript(viewer, record):
        raise Http404
    return record


def can_read_group_honours(viewer: User, group: StudyGroup) -> bool:
    """The office, the rector and an administrator read every group's honours; its adviser their own group."""
    if not viewer.is_authenticated:
        return False
    if academics_access.can_read_every_file(viewer):
        return True
    return group.advisor_id == viewer.pk and viewer.has_role(Role.TEACHER)


def get_graduating_group_for(viewer: User, group_pk: int) -> StudyGroup:
    group = StudyGroup.objects.select_related("programme").filter(pk=group_pk).first()
    if group is None or not can_read_group_honours(viewer, group):
        raise Http404
    return group


# --- Building it --------------------------------------------------------------------------------------------
def _curricula(records: list[StudentRecord]) -> dict[tuple[int, int], dict]:
    """For each (programme, year of admission): the kind of each discipline and the curriculum's total credits
    (three queries whatever the number of students)."""
    keys = {(r.programme_id, r.group.admission_year) for r in records}
    if not keys:
        return {}
    condition = Q()
    for programme_id, year in keys:
        condition |= Q(programme_id=programme_id, admission_year=year)
    curricula = {
        c.pk: (c.programme_id, c.admission_year)
        for c in Curriculum.objects.filter(condition, status=CurriculumStatus.APPROVED).only(
            "pk", "programme_id", "admission_year"
        )
    }
    found: dict[tuple[int, int], dict] = {
        key: {"kinds": {}, "total": 0, "attestation": []} for key in curricula.values()
    }
    lines = CurriculumLineModel.objects.filter(curriculum_id__in=curricula).values_list(
        "curriculum_id", "kind", "discipline_id", "credits", "elective_group_id", "attestation_form", "term"
    )
    for curriculum_id, kind, discipline_id, credits, elective_group_id, form, term in lines:
        entry = found[curricula[curriculum_id]]
        if discipline_id and kind in (LineKind.PRACTICE, LineKind.ATTESTATION):
            entry["kinds"][discipline_id] = kind
        elif kind == LineKind.ATTESTATION:
            # A form of the final attestation with no discipline (as the curricula's editor keeps it): no course
            # teaches it; the transcript lists it without a grade until ustaz.attestation gives one.
            entry["attestation"].append(
                (AttestationForm(form).label if form else _("Final attestation"), term, credits)
            )
        if elective_group_id is None:
            entry["total"] += credits
    groups = ElectiveGroup.objects.filter(curriculum_id__in=curricula).values_list("curriculum_id", "credits_to_choose")
    for curriculum_id, credits in groups:
        found[curricula[curriculum_id]]["total"] += credits
    return found


def final_transcripts(
    records: list[StudentRecord], *, honours_policy: rules.HonoursPolicy | None = None
) -> dict[int, FinalTranscript]:
    """The final transcript of each student record (its group loaded), keyed by the student's id: seven
    queries whatever the number of students."""
    records = list(records)
    ids = [r.student_id for r in records]
    policy = rules.GradingPolicy.from_settings()
    honours_policy = honours_policy or rules.HonoursPolicy.from_settings()
    courses_of: dict[int, list] = defaultdict(list)
    enrolments = (
        Enrolment.objects.filter(student_id__in=ids)
        .select_related("course__discipline", "course__term__academic_year")
        .order_by("course__term__starts_on", "course__discipline__code", "course_id")
    )
    courses = {}
    for enrolment in enrolments:
        courses_of[enrolment.student_id].append(enrolment.course)
        courses[enrolment.course_id] = enrolment.course
    items_by_course: dict[int, list[GradeItem]] = defaultdict(list)
    for item in GradeItem.objects.filter(course_id__in=courses).order_by("position", "id"):
        items_by_course[item.course_id].append(item)
    points: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for student_id, item_id, value in Grade.objects.filter(student_id__in=ids, item__course_id__in=courses).values_list(
        "student_id", "item_id", "points"
    ):
        points[student_id][item_id] = value
    curricula = _curricula(records)
    today = timezone.localdate()
    result: dict[int, FinalTranscript] = {}
    for record in records:
        curriculum = curricula.get((record.programme_id, record.group.admission_year))
        kinds = curriculum["kinds"] if curriculum else {}
        own_points = points[record.student_id]
        lines: list[FinalLine] = []
        for course in courses_of[record.student_id]:
            course_items = items_by_course[course.pk]
            own = {i.pk: own_points[i.pk] for i in course_items if i.pk in own_points}
            attempts = {i.attempt for i in course_items if i.kind == ItemKind.EXAM and i.pk in own}
            lines.append(
                FinalLine(
                    kind=kinds.get(course.discipline_id, DISCIPLINE),
                    course=course,
                    credits=course.discipline.credits,
                    result=standing(course_items, own, policy, session_closed=course.term.ends_on < today).result,
                    exam_attempts=len(attempts) or 1,
                )
            )
        for title, term, credits in curriculum["attestation"] if curriculum else []:
            lines.append(FinalLine(kind=ATTESTATION, course=None, credits=credits, result=None, planned=(title, term)))
        result[record.student_id] = _assemble(record, lines, curriculum, policy, honours_policy)
    return result


def _assemble(record, lines, curriculum, policy, honours_policy) -> FinalTranscript:
    latest: dict[object, FinalLine] = {}
    for line in lines:  # in term order
        if line.course is None:
            latest[("planned", id(line))] = line
            continue
        earlier = latest.get(line.course.discipline_id)
        if earlier is not None:
            earlier.retaken_in = line.course.term
        latest[line.course.discipline_id] = line
    counted = lines if policy.retaken_counts == "all" else list(latest.values())
    gpa = rules.gpa((line.credits, line.letter) for line in counted)
    retakes = sum(line.exam_attempts - 1 for line in lines) + sum(1 for line in lines if line.retaken_in)
    final = list(latest.values())
    result = rules.honours(
        gpa=gpa,
        exam_letters=[ln.letter.letter for ln in final if ln.letter and ln.kind != ATTESTATION],
        attestation_letters=[ln.letter.letter if ln.letter else None for ln in final if ln.kind == ATTESTATION],
        retakes=retakes,
        policy=honours_policy,
    )
    sections = [
        FinalSection(kind, [line for line in lines if line.kind == kind])
        for kind in (DISCIPLINE, PRACTICE, ATTESTATION)
    ]
    return FinalTranscript(
        record=record,
        sections=sections,
        gpa=gpa,
        credits_earned=sum(line.credits for line in final if line.passed),
        credits_required=curriculum["total"] if curriculum else None,
        retakes=retakes,
        honours=result,
        lines=lines,
    )


def final_transcript(record: StudentRecord) -> FinalTranscript:
    return final_transcripts([record])[record.student_id]


@dataclass
class GraduatesPage:
    group: StudyGroup
    transcripts: list[FinalTranscript]

    @property
    def qualifying(self) -> int:
        return sum(1 for t in self.transcripts if t.honours.qualifies)


def graduates(group: StudyGroup) -> GraduatesPage:
    """A graduating group's students, each with the honours check and the conditions that fail (constant in
    the number of students: one query for the records, then final_transcripts')."""
    from ustaz.core.collation import kazakh_sort_key

    records = list(
        StudentRecord.objects.filter(group=group).select_related("student", "programme", "group").order_by("id")
    )
    records.sort(key=lambda r: kazakh_sort_key(r.student.full_name or r.student.username))
    transcripts = final_transcripts(records)
    return GraduatesPage(group=group, transcripts=[transcripts[r.student_id] for r in records])
