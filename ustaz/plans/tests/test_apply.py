"""Courses and enrolments from the approved plans: one course per discipline and term (an existing one reused),
the groups whose students take it, studying students only; applying again adds nothing."""

from django.db import IntegrityError, transaction

from testkit.factories import CourseFactory, StudyGroupFactory
from ustaz.academics.models import Course, Enrolment, StudentRecord, StudentStatus
from ustaz.core.models import AuditAction, AuditEvent, ImportJob
from ustaz.plans import selectors, services
from ustaz.plans.models import PlannedCourse

from .conftest import el4_options, full_choice, make_student


def approved(school, chosen=None, *, group=None, name="Student"):
    student = make_student(group or school.group, name=name)
    plan = services.plan_save(
        student=student, academic_year=school.year, chosen_ids=chosen or full_choice(school), submit=True
    )
    services.plan_approve(plan=plan, by=school.adviser)
    return student


def test_the_proposal_makes_one_course_per_discipline_of_the_term_with_its_students(school):
    first = approved(school)
    second = approved(school, [school.elective_a.pk, el4_options(school)[0].pk], name="Second")
    # A plan still submitted is not counted.
    make_student(school.group, name="Waiting")
    proposal = selectors.proposal(school.autumn)
    by_discipline = {c.discipline.pk: c for c in proposal.courses}
    autumn_compulsory = [x for x in school.compulsory if x.term == 3]
    assert set(by_discipline) == {
        *(x.discipline_id for x in autumn_compulsory),
        school.elective_a.discipline_id,
        school.elective_c.discipline_id,
        school.elective_d.discipline_id,
    }
    assert set(by_discipline[autumn_compulsory[0].discipline_id].student_ids) == {first.pk, second.pk}
    assert by_discipline[school.elective_a.discipline_id].student_ids == [second.pk]
    assert by_discipline[school.elective_c.discipline_id].student_ids == [first.pk]
    assert proposal.to_create == 5 and proposal.to_reuse == 0
    assert proposal.enrolments == 2 + 2 + 1 + 1 + 1
    assert proposal.students == 2
    # The spring term's proposal holds the spring lines only.
    spring = {c.discipline.pk for c in selectors.proposal(school.spring).courses}
    assert school.compulsory[2].discipline_id in spring and school.elective_a.discipline_id not in spring


def test_applying_makes_the_courses_and_enrolments_and_applying_again_adds_nothing(school):
    first = approved(school)
    other_group = StudyGroupFactory(programme=school.programme, admission_year=2025, advisor=school.adviser)
    second = approved(school, group=other_group, name="Other")
    done = services.plans_apply(term=school.autumn, by=school.office)
    assert (done.courses_created, done.courses_reused, done.enrolments_added) == (4, 0, 8)
    compulsory = Course.objects.get(term=school.autumn, discipline_id=school.compulsory[0].discipline_id)
    assert set(compulsory.groups.all()) == {school.group, other_group}
    assert set(compulsory.enrolments.values_list("student_id", flat=True)) == {first.pk, second.pk}
    assert PlannedCourse.objects.get(course=compulsory).curriculum_line_id == school.compulsory[0].pk
    event = AuditEvent.objects.get(action=AuditAction.STUDY_PLANS_APPLIED)
    assert event.details["enrolments_added"] == 8

    courses, enrolments = Course.objects.count(), Enrolment.objects.count()
    again = services.plans_apply(term=school.autumn, by=school.office)
    assert (again.courses_created, again.courses_reused, again.enrolments_added) == (0, 4, 0)
    assert (Course.objects.count(), Enrolment.objects.count()) == (courses, enrolments)
    assert selectors.proposal(school.autumn).enrolments == 0


def test_an_existing_course_of_the_discipline_in_the_term_is_reused(school):
    student = approved(school)
    existing = CourseFactory(term=school.autumn, discipline_id=school.compulsory[0].discipline_id)
    proposal = selectors.proposal(school.autumn)
    assert next(c for c in proposal.courses if c.course is not None).course == existing
    services.plans_apply(term=school.autumn, by=school.office)
    assert Course.objects.filter(term=school.autumn, discipline_id=school.compulsory[0].discipline_id).count() == 1
    assert Enrolment.objects.filter(course=existing, student=student).exists()


def test_a_student_no_longer_studying_is_not_enrolled(school):
    student = approved(school)
    StudentRecord.objects.filter(student=student).update(status=StudentStatus.ACADEMIC_LEAVE)
    assert selectors.proposal(school.autumn).courses == []
    services.plans_apply(term=school.autumn, by=school.office)
    assert not Enrolment.objects.filter(student=student).exists()


def test_the_database_refuses_a_second_course_of_a_discipline_from_plans(school):
    approved(school)
    services.plans_apply(term=school.autumn, by=school.office)
    link = PlannedCourse.objects.first()
    second = CourseFactory(term=school.autumn, discipline=link.discipline)
    try:
        with transaction.atomic():
            PlannedCourse.objects.create(course=second, term=school.autumn, discipline=link.discipline)
    except IntegrityError:
        pass
    else:
        raise AssertionError("a second course of the discipline was linked")


def test_the_application_runs_as_a_job_with_its_progress(school, django_capture_on_commit_callbacks):
    approved(school)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.plans_apply_start(term=school.autumn, by=school.office, language="en")
    job = ImportJob.objects.get(pk=job.pk)
    assert job.status == "done"
    assert (job.total, job.applied) == (4, 4)
    assert job.result["courses_created"] == 4 and job.result["enrolments_added"] == 4
    assert job.result["summary"] == "4 courses made and 0 reused; 4 enrolments added."
    assert "from the approved plans" in job.params["title"]
