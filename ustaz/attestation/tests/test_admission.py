"""Admission to final attestation: every line of the curriculum before it passed, no FX or F, nothing missing;
the office's list with the reasons, in a number of queries that does not grow with the students."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from ustaz.attestation import selectors
from ustaz.curricula.models import CurriculumStatus

from .conftest import graduate, pass_all, result


def reasons_of(student):
    with translation.override("en"):
        return selectors.admission(student)


def test_a_student_who_passed_everything_is_admitted(school):
    student = graduate(school)
    pass_all(school, student)
    assert reasons_of(student) == (True, [])


def test_fx_and_f_are_academic_debt(school):
    student = graduate(school)
    result(student, school.required[0], 40, school.teacher)  # FX
    result(student, school.required[1], 5, school.teacher)  # F
    result(student, school.options[0], 90, school.teacher)
    admitted, reasons = reasons_of(student)
    assert not admitted
    assert reasons == [
        f"Academic debt: {school.required[0].name} (FX), term 1.",
        f"Academic debt: {school.required[1].name} (F), term 2.",
    ]


def test_a_discipline_never_graded_or_never_taken_is_missing(school):
    student = graduate(school)
    result(student, school.required[0], None, school.teacher)  # enrolled, never graded
    result(student, school.options[1], 90, school.teacher)  # the other option of the elective group counts
    admitted, reasons = reasons_of(student)
    assert not admitted
    assert reasons == [
        f"No result: {school.required[0].name}, term 1.",
        f"No result: {school.required[1].name}, term 2.",
    ]


def test_a_debt_passed_later_no_longer_counts(school):
    student = graduate(school)
    pass_all(school, student)
    result(student, school.required[0], 5, school.teacher)  # an F first, then passed on studying it again
    assert reasons_of(student) == (True, [])


def test_the_elective_groups_credits_must_be_passed(school):
    student = graduate(school)
    for discipline in school.required:
        result(student, discipline, 90, school.teacher)
    result(student, school.options[0], 40, school.teacher)
    admitted, reasons = reasons_of(student)
    assert not admitted
    assert reasons == ["Electives E1, term 5: 0 of 5 credits passed."]


def test_without_a_curriculum_in_force_nobody_is_admitted(school):
    student = graduate(school)
    pass_all(school, student)
    school.curriculum.status = CurriculumStatus.SUPERSEDED
    school.curriculum.save()
    admitted, reasons = reasons_of(student)
    assert not admitted
    assert reasons == ["No curriculum in force for the student's programme and year of admission."]


def test_a_person_without_a_student_record_is_not_admitted(school):
    admitted, reasons = reasons_of(school.teacher)
    assert not admitted and reasons


def test_the_office_list_shows_who_is_admitted_and_why_not(school, as_user):
    good = graduate(school, "Admitted")
    pass_all(school, good)
    bad = graduate(school, "Debtor")
    result(bad, school.required[0], 40, school.teacher)
    url = reverse("attestation:admission", args=[school.commission.pk])
    with translation.override("en"):
        response = as_user(school.office).get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    entries = {e.student.pk: e for e in response.context["entries"]}
    assert set(entries) == {good.pk, bad.pk}
    assert entries[good.pk].admitted
    assert not entries[bad.pk].admitted
    assert any(school.required[0].name in r for r in entries[bad.pk].reasons)
    assert response.context["admitted"] == 1


def test_students_of_other_years_are_not_on_the_list(school):
    from testkit.factories import StudyGroupFactory

    younger = StudyGroupFactory(programme=school.programme, admission_year=2023)
    graduate(school, "Younger", group=younger)
    mine = graduate(school, "Graduating")
    assert [r.student for r in selectors.graduating_records(school.commission)] == [mine]


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_admission_list_does_not_grow_with_the_students(school, as_user):
    client = as_user(school.office)
    url = reverse("attestation:admission", args=[school.commission.pk])
    for n in range(2):
        pass_all(school, graduate(school, f"A{n}"))
    small = _queries(client, url)
    for n in range(6):
        student = graduate(school, f"B{n}")
        pass_all(school, student) if n % 2 else result(student, school.required[0], 40, school.teacher)
    large = _queries(client, url)
    assert large == small


def test_admission_reads_a_fixed_number_of_queries(school, django_assert_num_queries):
    students = [graduate(school, f"S{n}") for n in range(3)]
    for student in students:
        pass_all(school, student)
    records = selectors.graduating_records(school.commission)
    with django_assert_num_queries(5):
        result = selectors.admissions(records)
    assert [a.admitted for a in result] == [True, True, True]
