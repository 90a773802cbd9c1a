"""Versions: a draft is approved when its credits are right, then read-only; a change is a new version."""

import pytest
from django.core.exceptions import ValidationError

from testkit.factories import DisciplineFactory, ProgrammeFactory, StudyGroupFactory, UserFactory
from ustaz.academics.models import DltBasis, StudentRecord
from ustaz.core.models import AuditAction, AuditEvent
from ustaz.curricula import selectors, services
from ustaz.curricula.models import Component, Control, Curriculum, CurriculumLine, CurriculumStatus, Cycle, LineKind

from .conftest import discipline_line, make_valid


def test_a_draft_with_the_right_credits_is_approved_and_audited(office):
    curriculum = make_valid(actor=office)
    approved = services.curriculum_approve(curriculum=curriculum, actor=office)
    assert approved.status == CurriculumStatus.APPROVED and approved.approved_by == office
    event = AuditEvent.objects.get(action=AuditAction.CURRICULUM_APPROVED)
    assert event.actor == office and event.target_id == str(curriculum.pk)


def test_approval_is_refused_with_the_reasons_while_the_credits_are_wrong(office):
    curriculum = make_valid(actor=office)
    CurriculumLine.objects.filter(curriculum=curriculum, term=1).update(credits=25)
    with pytest.raises(ValidationError) as refused:
        services.curriculum_approve(curriculum=curriculum, actor=office)
    assert "Term 1 has 25 credits; a term has 30." in refused.value.messages
    assert "Year 1 has 55 credits; a year has 60." in refused.value.messages
    curriculum.refresh_from_db()
    assert curriculum.status == CurriculumStatus.DRAFT
    assert not AuditEvent.objects.filter(action=AuditAction.CURRICULUM_APPROVED).exists()


def test_an_approved_curriculum_is_read_only(office):
    curriculum = services.curriculum_approve(curriculum=make_valid(actor=office), actor=office)
    line = curriculum.lines.first()
    data = services.LineData(
        kind=LineKind.DISCIPLINE,
        term=1,
        credits=5,
        cycle=Cycle.GENERAL,
        discipline=DisciplineFactory(),
        component=Component.COMPULSORY,
        control=Control.EXAM,
    )
    for attempt in (
        lambda: services.line_save(curriculum=curriculum, data=data),
        lambda: services.line_save(curriculum=curriculum, data=data, line=line),
        lambda: services.line_remove(curriculum=curriculum, line=line),
        lambda: services.curriculum_approve(curriculum=curriculum, actor=office),
    ):
        with pytest.raises(ValidationError, match="read-only"):
            attempt()
    assert curriculum.lines.count() == 11 and CurriculumLine.objects.filter(pk=line.pk, credits=line.credits).exists()


def test_a_new_version_copies_the_one_in_force_and_supersedes_it_when_approved(office):
    first = services.curriculum_approve(curriculum=make_valid(actor=office), actor=office)
    group = services.group_save(
        curriculum=(draft := services.curriculum_new_version(curriculum=first, actor=office)),
        data=services.GroupData(code="E1", term=3, cycle=Cycle.BASIC, credits_to_choose=5, name_kk="Таңдау"),
    )
    assert (draft.version, draft.status, draft.based_on) == (2, CurriculumStatus.DRAFT, first)
    assert draft.lines.count() == first.lines.count() == 11
    # The copy is changed, the original is not: term 3 becomes 25 compulsory + an elective group of 5.
    draft.lines.filter(term=3).update(credits=25)
    for _ in range(2):
        discipline_line(draft, 3, Cycle.BASIC, 5, component=Component.ELECTIVE, elective_group=group)
    assert first.lines.get(term=3).credits == 30
    with pytest.raises(ValidationError, match="already being drafted"):
        services.curriculum_new_version(curriculum=first, actor=office)

    services.curriculum_approve(curriculum=draft, actor=office)
    first.refresh_from_db()
    assert first.status == CurriculumStatus.SUPERSEDED
    assert selectors.curriculum_in_force(programme_id=first.programme_id, admission_year=2025) == draft
    # The elective group went with the new version; a third version copies it again.
    third = services.curriculum_new_version(curriculum=draft, actor=office)
    assert third.elective_groups.get().lines.count() == 2
    assert third.lines.filter(elective_group__isnull=False).count() == 2
    assert AuditEvent.objects.filter(action=AuditAction.CURRICULUM_VERSION_MADE).count() == 2


def test_only_the_version_in_force_makes_a_new_version(office):
    draft = make_valid(actor=office)
    with pytest.raises(ValidationError, match="Only the curriculum in force"):
        services.curriculum_new_version(curriculum=draft, actor=office)


def test_a_programme_has_one_curriculum_per_year_of_admission(office):
    curriculum = make_valid(actor=office)
    with pytest.raises(ValidationError, match="already has a curriculum for 2025"):
        services.curriculum_create(programme=curriculum.programme, admission_year=2025, terms=8, actor=office)
    other = services.curriculum_create(programme=curriculum.programme, admission_year=2026, terms=8, actor=office)
    assert other.version == 1


def test_students_follow_the_approved_version_of_their_year_of_admission(office):
    programme = ProgrammeFactory()
    first = services.curriculum_approve(curriculum=make_valid(programme, 2025, office), actor=office)
    make_valid(programme, 2026, office)  # a draft for the next year: nobody follows it yet
    group_2025 = StudyGroupFactory(programme=programme, admission_year=2025)
    group_2026 = StudyGroupFactory(programme=programme, admission_year=2026)
    student, newcomer = UserFactory(roles=",student,"), UserFactory(roles=",student,")
    for person, group in ((student, group_2025), (newcomer, group_2026)):
        StudentRecord.objects.create(
            student=person, programme=programme, group=group, dlt_basis=DltBasis.HIGHER_BLENDED
        )
    assert selectors.curriculum_for_student(student) == first
    assert selectors.curriculum_for_student(newcomer) is None


def test_a_line_is_checked_for_its_kind(office):
    curriculum = make_valid(actor=office)
    cases = [
        (dict(kind=LineKind.DISCIPLINE, term=9, credits=5, cycle=Cycle.BASIC), "The term must be from 1 to 8."),
        (dict(kind=LineKind.DISCIPLINE, term=1, credits=5, cycle=Cycle.BASIC), "Choose the discipline."),
        (dict(kind=LineKind.DISCIPLINE, term=1, credits=0, cycle=Cycle.BASIC), "Credits must be from 1 to 30."),
        (
            dict(kind=LineKind.PRACTICE, term=4, credits=3, cycle=Cycle.GENERAL, practice_kind="educational", weeks=2),
            "A practice counts in the basic or the profiling cycle.",
        ),
        (
            dict(kind=LineKind.PRACTICE, term=4, credits=3, cycle=Cycle.BASIC, practice_kind="educational"),
            "A practice lasts from 1 to 52 weeks.",
        ),
        (
            dict(kind=LineKind.ATTESTATION, term=8, credits=6, cycle=Cycle.PROFILING, attestation_form="thesis"),
            "The final attestation is its own cycle.",
        ),
        (
            dict(kind=LineKind.DISCIPLINE, term=2, credits=5, cycle=Cycle.BASIC, component=Component.ELECTIVE),
            "An elective discipline belongs to an elective group.",
        ),
    ]
    for values, message in cases:
        with pytest.raises(ValidationError) as refused:
            services.line_save(curriculum=curriculum, data=services.LineData(**values))
        assert message in refused.value.messages, values
    assert curriculum.lines.count() == 11


def test_a_discipline_is_once_in_a_term_and_an_elective_line_is_in_its_groups_term_and_cycle(office):
    curriculum = make_valid(actor=office)
    taken = curriculum.lines.filter(term=1).get().discipline
    with pytest.raises(ValidationError, match="already in this term"):
        discipline_line(curriculum, 1, Cycle.GENERAL, 5, discipline=taken)
    discipline_line(curriculum, 2, Cycle.GENERAL, 5, discipline=taken)  # another term: fine
    group = services.group_save(
        curriculum=curriculum,
        data=services.GroupData(code="E1", term=3, cycle=Cycle.BASIC, credits_to_choose=5, name_kk="Таңдау"),
    )
    with pytest.raises(ValidationError, match="Elective group E1 is in term 3"):
        discipline_line(curriculum, 4, Cycle.BASIC, 5, component=Component.ELECTIVE, elective_group=group)
    with pytest.raises(ValidationError, match="Another elective group has this code"):
        services.group_save(
            curriculum=curriculum,
            data=services.GroupData(code="E1", term=4, cycle=Cycle.BASIC, credits_to_choose=5, name_kk="Екінші"),
        )
    other = make_valid(actor=office)
    with pytest.raises(ValidationError, match="not in this curriculum"):
        discipline_line(other, 3, Cycle.BASIC, 5, component=Component.ELECTIVE, elective_group=group)


def test_a_practice_and_the_attestation_keep_only_their_own_fields(office):
    curriculum = make_valid(actor=office)
    practice = services.line_save(
        curriculum=curriculum,
        data=services.LineData(
            kind=LineKind.PRACTICE,
            term=4,
            credits=3,
            cycle=Cycle.BASIC,
            component=Component.COMPULSORY,
            control=Control.DIFFERENTIATED_CREDIT,
            practice_kind="educational",
            weeks=2,
            attestation_form="thesis",
        ),
    )
    assert (practice.weeks, practice.attestation_form, practice.title) == (2, "", "Educational practice")
    attestation = curriculum.lines.get(kind=LineKind.ATTESTATION)
    assert attestation.title == "Creative exam or performance" and attestation.control == ""


def test_the_database_keeps_one_version_in_force_and_one_draft_per_programme_and_year(office):
    from django.db import IntegrityError, transaction

    approved = services.curriculum_approve(curriculum=make_valid(actor=office), actor=office)
    for status in (CurriculumStatus.APPROVED, CurriculumStatus.DRAFT):
        if status == CurriculumStatus.DRAFT:
            services.curriculum_new_version(curriculum=approved, actor=office)
        with pytest.raises(IntegrityError), transaction.atomic():
            Curriculum.objects.create(
                programme=approved.programme, admission_year=2025, version=9, terms=8, status=status
            )


def test_a_group_with_disciplines_keeps_its_term_and_cycle(office):
    curriculum = make_valid(actor=office)
    data = services.GroupData(code="E3", term=3, cycle=Cycle.BASIC, credits_to_choose=5, name_kk="Таңдау")
    group = services.group_save(curriculum=curriculum, data=data)
    discipline_line(curriculum, 3, Cycle.BASIC, 5, component=Component.ELECTIVE, elective_group=group)
    moved = services.GroupData(code="E3", term=4, cycle=Cycle.BASIC, credits_to_choose=5, name_kk="Таңдау")
    with pytest.raises(ValidationError, match="before changing its term or cycle"):
        services.group_save(curriculum=curriculum, data=moved, group=group)
    renamed = services.GroupData(code="E3", term=3, cycle=Cycle.BASIC, credits_to_choose=4, name_kk="Жаңа атауы")
    services.group_save(curriculum=curriculum, data=renamed, group=group)
    group.refresh_from_db()
    assert (group.term, group.credits_to_choose, group.name_kk) == (3, 4, "Жаңа атауы")
