"""Writes to curricula: every one checks that the curriculum is a draft, in a transaction that locks it.

An approved curriculum is read-only; a change is a new version drafted from the one in force, approved in its
turn when its credits are right (rules.py), which supersedes the earlier one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ustaz.academics.models import Discipline, Programme
from ustaz.accounts.models import User
from ustaz.core.models import AuditAction
from ustaz.core.services import audit_record

from . import rules
from .models import (
    AttestationForm,
    Component,
    Curriculum,
    CurriculumLine,
    CurriculumStatus,
    Cycle,
    ElectiveGroup,
    LineKind,
    PracticeKind,
)

MAX_TERMS = 12
MAX_WEEKS = 52
FIRST_ADMISSION_YEAR = 1990


@dataclass
class LineData:
    kind: str
    term: int
    credits: int
    cycle: str
    discipline: Discipline | None = None
    component: str = ""
    control: str = ""
    elective_group: ElectiveGroup | None = None
    practice_kind: str = ""
    weeks: int | None = None
    attestation_form: str = ""


@dataclass
class GroupData:
    code: str
    term: int
    cycle: str
    credits_to_choose: int
    name_kk: str
    name_ru: str = ""
    name_en: str = ""


def read_only_error() -> ValidationError:
    return ValidationError(_("An approved curriculum is read-only: make a new version to change it."))


def _locked_draft(curriculum: Curriculum) -> Curriculum:
    locked = Curriculum.objects.select_for_update().get(pk=curriculum.pk)
    if not locked.is_draft:
        raise read_only_error()
    return locked


def default_terms(programme: Programme) -> int:
    return settings.CURRICULA_TERMS.get(programme.level, 8)


# --- Checks of one line or group ------------------------------------------------------------------------
def line_errors(curriculum: Curriculum, data: LineData) -> list[str]:
    """What is wrong with one line on its own (the credit totals are rules.problems)."""
    errors = []
    if not 1 <= data.term <= curriculum.terms:
        errors.append(_("The term must be from 1 to %(terms)s.") % {"terms": curriculum.terms})
    if not 1 <= data.credits <= settings.CURRICULA_TERM_CREDITS:
        errors.append(_("Credits must be from 1 to %(most)s.") % {"most": settings.CURRICULA_TERM_CREDITS})
    if data.kind == LineKind.DISCIPLINE:
        if data.discipline is None:
            errors.append(_("Choose the discipline."))
        if data.cycle not in (Cycle.GENERAL, Cycle.BASIC, Cycle.PROFILING):
            errors.append(_("A discipline belongs to the general, basic or profiling cycle."))
        if not data.component:
            errors.append(_("Choose the component."))
        if not data.control:
            errors.append(_("Choose the kind of control."))
    elif data.kind == LineKind.PRACTICE:
        if data.practice_kind not in PracticeKind.values:
            errors.append(_("Choose the kind of practice."))
        if data.cycle not in (Cycle.BASIC, Cycle.PROFILING):
            errors.append(_("A practice counts in the basic or the profiling cycle."))
        if data.weeks is None or not 1 <= data.weeks <= MAX_WEEKS:
            errors.append(_("A practice lasts from 1 to %(most)s weeks.") % {"most": MAX_WEEKS})
        if not data.component:
            errors.append(_("Choose the component."))
    elif data.kind == LineKind.ATTESTATION:
        if data.attestation_form not in AttestationForm.values:
            errors.append(_("Choose the form of the final attestation."))
        if data.cycle != Cycle.FINAL_ATTESTATION:
            errors.append(_("The final attestation is its own cycle."))
        if data.elective_group is not None:
            errors.append(_("The final attestation is not chosen from an elective group."))
    else:
        errors.append(_("Unknown kind of line."))
    group = data.elective_group
    if data.component == Component.ELECTIVE and group is None:
        errors.append(_("An elective discipline belongs to an elective group."))
    if group is not None:
        if data.component != Component.ELECTIVE:
            errors.append(_("A discipline of an elective group is in the elective component."))
        if group.term != data.term or group.cycle != data.cycle:
            errors.append(
                _("Elective group %(code)s is in term %(term)s, %(cycle)s: the line must be too.")
                % {"code": group.code, "term": group.term, "cycle": group.get_cycle_display()}
            )
    return errors


def group_errors(curriculum: Curriculum, data: GroupData) -> list[str]:
    errors = []
    if not data.code.strip():
        errors.append(_("Give the group a code."))
    if not data.name_kk.strip():
        errors.append(_("Give the group a name in Kazakh."))
    if not 1 <= data.term <= curriculum.terms:
        errors.append(_("The term must be from 1 to %(terms)s.") % {"terms": curriculum.terms})
    if data.cycle not in (Cycle.GENERAL, Cycle.BASIC, Cycle.PROFILING):
        errors.append(_("An elective group belongs to the general, basic or profiling cycle."))
    if not 1 <= data.credits_to_choose <= settings.CURRICULA_TERM_CREDITS:
        errors.append(_("Credits must be from 1 to %(most)s.") % {"most": settings.CURRICULA_TERM_CREDITS})
    return errors


def normalised(data: LineData) -> LineData:
    """The line without the fields its kind does not use."""
    values = vars(data).copy()
    if data.kind == LineKind.ATTESTATION:
        values.update(control="", discipline=None, component="")
    if data.kind != LineKind.PRACTICE:
        values.update(practice_kind="", weeks=None)
    if data.kind != LineKind.ATTESTATION:
        values.update(attestation_form="")
    return LineData(**values)


def _discipline_taken(curriculum: Curriculum, data: LineData, exclude_pk: int | None) -> bool:
    if data.discipline is None:
        return False
    return (
        CurriculumLine.objects.filter(curriculum=curriculum, term=data.term, discipline=data.discipline)
        .exclude(pk=exclude_pk)
        .exists()
    )


# --- Curricula and versions ---------------------------------------------------------------------------------
@transaction.atomic
def curriculum_create(*, programme: Programme, admission_year: int, terms: int, actor: User) -> Curriculum:
    if not FIRST_ADMISSION_YEAR <= admission_year <= timezone.localdate().year + 5:
        raise ValidationError(_("This year of admission is out of range."))
    if not 1 <= terms <= MAX_TERMS:
        raise ValidationError(_("The term must be from 1 to %(terms)s.") % {"terms": MAX_TERMS})
    Programme.objects.select_for_update().get(pk=programme.pk)
    if Curriculum.objects.filter(programme=programme, admission_year=admission_year).exists():
        raise ValidationError(
            _("The programme already has a curriculum for %(year)s: make a new version of it instead.")
            % {"year": admission_year}
        )
    return Curriculum.objects.create(programme=programme, admission_year=admission_year, terms=terms)


@transaction.atomic
def curriculum_new_version(*, curriculum: Curriculum, actor: User) -> Curriculum:
    """A draft copy of the curriculum in force, one version higher."""
    source = Curriculum.objects.select_for_update().get(pk=curriculum.pk)
    if source.status != CurriculumStatus.APPROVED:
        raise ValidationError(_("Only the curriculum in force can be the base of a new version."))
    siblings = Curriculum.objects.filter(programme_id=source.programme_id, admission_year=source.admission_year)
    if siblings.filter(status=CurriculumStatus.DRAFT).exists():
        raise ValidationError(_("A new version is already being drafted."))
    latest = max(siblings.values_list("version", flat=True))
    draft = Curriculum.objects.create(
        programme_id=source.programme_id,
        admission_year=source.admission_year,
        terms=source.terms,
        version=latest + 1,
        based_on=source,
    )
    groups = {}
    for group in source.elective_groups.all():
        old_pk = group.pk
        group.pk, group.id, group.curriculum = None, None, draft
        group.save()
        groups[old_pk] = group
    lines = list(source.lines.all())
    for line in lines:
        line.pk, line.id, line.curriculum = None, None, draft
        line.elective_group = groups.get(line.elective_group_id)
    CurriculumLine.objects.bulk_create(lines)
    audit_record(
        action=AuditAction.CURRICULUM_VERSION_MADE,
        actor=actor,
        target=draft,
        details={"based_on": source.pk, "version": draft.version},
    )
    return draft


def curriculum_problems(curriculum: Curriculum, lines=None, groups=None) -> list[str]:
    """What stands in the way of approving the curriculum (its lines and groups may be given, already read)."""
    lines = list(curriculum.lines.select_related("elective_group")) if lines is None else lines
    groups = list(curriculum.elective_groups.all()) if groups is None else groups
    return rules.problems(
        curriculum.terms,
        [line_facts(line) for line in lines],
        [group_facts(group) for group in groups],
        rules.policy_for(curriculum.programme.level),
        dict(Cycle.choices),
    )


def line_facts(line: CurriculumLine) -> rules.LineFacts:
    return rules.LineFacts(
        term=line.term,
        credits=line.credits,
        cycle=line.cycle,
        group=line.elective_group.code if line.elective_group_id else None,
    )


def group_facts(group: ElectiveGroup) -> rules.GroupFacts:
    return rules.GroupFacts(
        code=group.code, term=group.term, cycle=group.cycle, credits_to_choose=group.credits_to_choose
    )


@transaction.atomic
def curriculum_approve(*, curriculum: Curriculum, actor: User) -> Curriculum:
    """Approve a draft whose credits are right; the version in force before it is superseded."""
    locked = _locked_draft(curriculum)
    locked.programme = curriculum.programme
    found = curriculum_problems(locked)
    if found:
        raise ValidationError(found)
    Curriculum.objects.filter(
        programme_id=locked.programme_id, admission_year=locked.admission_year, status=CurriculumStatus.APPROVED
    ).update(status=CurriculumStatus.SUPERSEDED)
    locked.status = CurriculumStatus.APPROVED
    locked.approved_at = timezone.now()
    locked.approved_by = actor
    locked.save(update_fields=["status", "approved_at", "approved_by"])
    audit_record(
        action=AuditAction.CURRICULUM_APPROVED, actor=actor, target=locked, details={"version": locked.version}
    )
    return locked


# --- Lines and elective groups of a draft -------------------------------------------------------------------
@transaction.atomic
def line_save(*, curriculum: Curriculum, data: LineData, line: CurriculumLine | None = None) -> CurriculumLine:
    """Add a line to a draft, or change one of its lines."""
    locked = _locked_draft(curriculum)
    if line is not None and line.curriculum_id != locked.pk:
        raise ValidationError(_("This line is not in this curriculum."))
    if data.elective_group is not None and data.elective_group.curriculum_id != locked.pk:
        raise ValidationError(_("This elective group is not in this curriculum."))
    errors = line_errors(locked, data)
    if _discipline_taken(locked, data, line.pk if line else None):
        errors.append(_("This discipline is already in this term."))
    if errors:
        raise ValidationError(errors)
    line = line or CurriculumLine(curriculum=locked)
    for name, value in vars(normalised(data)).items():
        setattr(line, name, value)
    line.save()
    return line


@transaction.atomic
def line_remove(*, curriculum: Curriculum, line: CurriculumLine) -> None:
    locked = _locked_draft(curriculum)
    CurriculumLine.objects.filter(pk=line.pk, curriculum=locked).delete()


@transaction.atomic
def group_save(*, curriculum: Curriculum, data: GroupData, group: ElectiveGroup | None = None) -> ElectiveGroup:
    locked = _locked_draft(curriculum)
    if group is not None and group.curriculum_id != locked.pk:
        raise ValidationError(_("This elective group is not in this curriculum."))
    errors = group_errors(locked, data)
    code = data.code.strip()
    if ElectiveGroup.objects.filter(curriculum=locked, code=code).exclude(pk=group.pk if group else None).exists():
        errors.append(_("Another elective group has this code."))
    if group is not None and (group.term != data.term or group.cycle != data.cycle) and group.lines.exists():
        errors.append(_("Move or remove the group's disciplines before changing its term or cycle."))
    if errors:
        raise ValidationError(errors)
    group = group or ElectiveGroup(curriculum=locked)
    for name, value in vars(data).items():
        setattr(group, name, value.strip() if isinstance(value, str) else value)
    group.save()
    return group


@transaction.atomic
def group_remove(*, curriculum: Curriculum, group: ElectiveGroup) -> None:
    """Remove an elective group with its disciplines."""
    locked = _locked_draft(curriculum)
    ElectiveGroup.objects.filter(pk=group.pk, curriculum=locked).delete()


@transaction.atomic
def curriculum_replace(
    *, curriculum: Curriculum, groups: list[GroupData], lines: list[tuple[LineData, str]], actor: User, filename: str
) -> int:
    """Replace a draft's lines and elective groups by those of an imported file, already checked line by line
    (each line names its group by code). All or nothing."""
    locked = _locked_draft(curriculum)
    locked.lines.all().delete()
    locked.elective_groups.all().delete()
    made = {
        data.code: group
        for data, group in zip(
            groups,
            ElectiveGroup.objects.bulk_create([ElectiveGroup(curriculum=locked, **vars(data)) for data in groups]),
            strict=True,
        )
    }
    objects = []
    for data, group_code in lines:
        values = vars(normalised(data)) | {"elective_group": made[group_code] if group_code else None}
        objects.append(CurriculumLine(curriculum=locked, **values))
    CurriculumLine.objects.bulk_create(objects)
    audit_record(
        action=AuditAction.CURRICULUM_IMPORTED,
        actor=actor,
        target=locked,
        details={"file": filename[:200], "lines": len(objects), "groups": len(groups)},
    )
    return len(objects)
