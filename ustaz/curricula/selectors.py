"""Reads the curricula pages need: a constant number of queries whatever the number of lines."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, QuerySet

from ustaz.academics.models import StudentRecord
from ustaz.accounts.models import User

from . import access, rules
from .models import Curriculum, CurriculumLine, CurriculumStatus, Cycle, ElectiveGroup, LineKind
from .services import curriculum_problems, group_facts, line_facts


def curricula_list(user: User) -> QuerySet[Curriculum]:
    """The curricula this person reads, with their programme and number of lines (one query)."""
    return (
        access.visible_curricula(user)
        .select_related("programme")
        .annotate(line_count=Count("lines"))
        .order_by("programme__code", "-admission_year", "-version")
    )


def curriculum_in_force(*, programme_id: int, admission_year: int) -> Curriculum | None:
    """The approved version students admitted that year follow."""
    return Curriculum.objects.filter(
        programme_id=programme_id, admission_year=admission_year, status=CurriculumStatus.APPROVED
    ).first()


def curriculum_for_student(student: User) -> Curriculum | None:
    record = StudentRecord.objects.filter(student=student).select_related("group").first()
    if record is None:
        return None
    return curriculum_in_force(programme_id=record.programme_id, admission_year=record.group.admission_year)


@dataclass
class TermView:
    number: int
    credits: int
    lines: list[CurriculumLine] = field(default_factory=list)
    groups: list[ElectiveGroup] = field(default_factory=list)
    wrong: bool = False


@dataclass
class CurriculumPage:
    curriculum: Curriculum
    terms: list[TermView]
    years: list[tuple[int, int, bool]]
    cycles: list[tuple[str, int, int | None]]
    total: int
    problems: list[str]
    groups: list[ElectiveGroup]
    hours_per_credit: int


def curriculum_page(curriculum: Curriculum) -> CurriculumPage:
    """Terms with their lines and elective groups, the totals and what is wrong (two queries)."""
    groups = list(curriculum.elective_groups.all())
    by_pk = {g.pk: g for g in groups}
    lines = list(curriculum.lines.select_related("discipline").order_by("term", "kind", "id"))
    for line in lines:
        # Each line's group from the list already read, not one query per line.
        line.elective_group = by_pk.get(line.elective_group_id)
    # Each choice's label translated once for the page, not once per line and column (lazy strings are slow).
    labels = {
        model_field: {value: str(label) for value, label in CurriculumLine._meta.get_field(model_field).choices}
        for model_field in ("cycle", "component", "control", "practice_kind", "attestation_form")
    }
    options: dict[int, list[CurriculumLine]] = defaultdict(list)
    by_term: dict[int, list[CurriculumLine]] = defaultdict(list)
    for line in lines:
        line.cycle_label = labels["cycle"].get(line.cycle, "")
        line.component_label = labels["component"].get(line.component, "")
        line.control_label = labels["control"].get(line.control, "")
        if line.kind == LineKind.PRACTICE:
            kind = labels["practice_kind"].get(line.practice_kind, "")
            line.label = f"{kind}: {line.discipline.name}" if line.discipline_id else kind
        elif line.kind == LineKind.ATTESTATION:
            line.label = labels["attestation_form"].get(line.attestation_form, "")
        else:
            line.label = line.discipline.name if line.discipline_id else ""
        if line.elective_group_id:
            options[line.elective_group_id].append(line)
        else:
            by_term[line.term].append(line)
    for group in groups:
        group.options = options.get(group.pk, [])
        group.cycle_label = labels["cycle"].get(group.cycle, "")
    policy = rules.policy_for(curriculum.programme.level)
    result = rules.totals(curriculum.terms, [line_facts(x) for x in lines], [group_facts(g) for g in groups])
    terms = []
    for number in range(1, curriculum.terms + 1):
        credits = result.by_term.get(number, 0)
        terms.append(
            TermView(
                number=number,
                credits=credits,
                lines=by_term.get(number, []),
                groups=[g for g in groups if g.term == number],
                wrong=abs(credits - policy.term_credits) > policy.term_tolerance,
            )
        )
    years = [
        (year, result.by_year.get(year, 0), result.by_year.get(year, 0) != policy.year_credits)
        for year in range(1, curriculum.terms // 2 + 1)
    ]
    cycles = [
        (label, result.by_cycle.get(value, 0), policy.cycle_minimums.get(value)) for value, label in Cycle.choices
    ]
    return CurriculumPage(
        curriculum=curriculum,
        terms=terms,
        years=years,
        cycles=cycles,
        total=result.total,
        problems=curriculum_problems(curriculum, lines=lines, groups=groups),
        groups=groups,
        hours_per_credit=settings.CURRICULA_CREDIT_HOURS,
    )
