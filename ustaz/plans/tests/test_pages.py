"""The plans pages through the client: the student's choice, the adviser's decision, the office's windows, lists
and proposal; bad input answered 4xx with a message; the lists' queries constant in the number of students."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from testkit.factories import UserFactory
from ustaz.academics.models import StudentRecord
from ustaz.academics.student_file import sections_for
from ustaz.accounts.models import Role
from ustaz.plans import services
from ustaz.plans.models import ElectiveWindow, PlanStatus, StudyPlan

from .conftest import el4_options, full_choice, make_student


def test_the_student_chooses_saves_and_submits_on_their_page(school, as_user):
    student = make_student(school.group)
    client = as_user(student)
    page = client.get("/plans/my/").content.decode()
    assert school.compulsory[0].discipline.name in page
    assert "EL-3" in page and school.elective_a.discipline.name in page
    response = client.post("/plans/my/", {"year": school.year.pk, "line": [school.elective_c.pk], "save": ""})
    assert response.status_code == 302
    plan = StudyPlan.objects.get(student=student)
    assert plan.status == PlanStatus.DRAFT
    response = client.post("/plans/my/", {"year": school.year.pk, "line": full_choice(school), "submit": ""})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    page = client.get("/plans/my/").content.decode()
    assert "can no longer be changed" in page


def test_a_wrong_choice_is_refused_with_a_message_and_nothing_saved(school, as_user):
    student = make_student(school.group)
    client = as_user(student)
    year = school.year.pk
    response = client.post("/plans/my/", {"year": year, "line": [school.elective_c.pk], "submit": ""})
    assert response.status_code == 400
    assert "choose disciplines of 5 credits" in response.content.decode()
    assert client.post("/plans/my/", {"year": year, "line": ["abc"], "submit": ""}).status_code == 400
    assert client.post("/plans/my/", {"year": year, "line": ["99999999999999"], "submit": ""}).status_code == 400
    # A year no window is open for is refused, never saved into another year.
    assert client.post("/plans/my/", {"year": "x", "line": full_choice(school)}).status_code == 409
    assert client.post("/plans/my/", {"line": full_choice(school)}).status_code == 409
    assert not StudyPlan.objects.filter(student=student).exists()


def test_with_the_window_closed_the_page_says_so_and_refuses_a_choice(school, as_user):
    student = make_student(school.group)
    services.window_close(window=school.window, by=school.office)
    client = as_user(student)
    assert "No elective window is open" in client.get("/plans/my/").content.decode()
    response = client.post("/plans/my/", {"year": school.year.pk, "line": full_choice(school), "submit": ""})
    assert response.status_code == 409
    assert not StudyPlan.objects.exists()


def test_a_plan_returned_after_the_window_closed_is_changed_and_resubmitted(school, as_user):
    student = make_student(school.group)
    plan = services.plan_save(student=student, academic_year=school.year, chosen_ids=full_choice(school), submit=True)
    services.window_close(window=school.window, by=school.office)
    services.plan_return(plan=plan, by=school.adviser, reason="Take the other EL-4 discipline")
    client = as_user(student)
    page = client.get("/plans/my/").content.decode()
    assert "Take the other EL-4 discipline" in page and "Submit to my adviser" in page
    changed = [school.elective_c.pk, school.elective_d.pk, el4_options(school)[1].pk]
    response = client.post("/plans/my/", {"year": school.year.pk, "line": changed, "submit": ""})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    # A classmate who had not begun cannot start now.
    classmate = make_student(school.group, name="Late")
    assert "No elective window is open" in as_user(classmate).get("/plans/my/").content.decode()


def test_the_adviser_approves_and_returns_through_the_pages(school, as_user):
    first = make_student(school.group, name="First")
    second = make_student(school.group, name="Second")
    plans = [
        services.plan_save(student=s, academic_year=school.year, chosen_ids=full_choice(school), submit=True)
        for s in (first, second)
    ]
    client = as_user(school.adviser)
    page = client.get("/plans/advising/").content.decode()
    assert f"/plans/{plans[0].pk}/" in page and f"/plans/{plans[1].pk}/" in page
    assert "Approve the plan" in client.get(f"/plans/{plans[0].pk}/").content.decode()
    assert client.post(f"/plans/{plans[0].pk}/approve/").status_code == 302
    response = client.post(f"/plans/{plans[1].pk}/return/", {"reason": ""})
    assert response.status_code == 400
    assert client.post(f"/plans/{plans[1].pk}/return/", {"reason": "Choose EL-4 again"}).status_code == 302
    assert [p.status for p in StudyPlan.objects.order_by("pk")] == [PlanStatus.APPROVED, PlanStatus.RETURNED]
    # Deciding again is refused with a message, not a 500.
    assert client.post(f"/plans/{plans[0].pk}/approve/").status_code == 409
    # The student sees the reason on their page.
    assert "Choose EL-4 again" in as_user(second).get("/plans/my/").content.decode()


def test_the_office_opens_changes_and_closes_a_window(school, as_user):
    client = as_user(school.office)
    today = timezone.localdate()
    response = client.post(
        "/plans/windows/",
        {
            "academic_year": school.year.pk,
            "opens_on": today.isoformat(),
            "closes_on": (today - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "cannot close before it opens" in response.content.decode()
    response = client.post(
        "/plans/windows/",
        {
            "academic_year": school.year.pk,
            "opens_on": today.isoformat(),
            "closes_on": (today + datetime.timedelta(days=3)).isoformat(),
            "programmes": [school.programme.pk],
        },
    )
    assert response.status_code == 302
    window = ElectiveWindow.objects.latest("pk")
    assert list(window.programmes.all()) == [school.programme]
    assert client.post(f"/plans/windows/{window.pk}/close/").status_code == 302
    window.refresh_from_db()
    assert not window.is_open()
    assert client.post("/plans/windows/", {"academic_year": "x"}).status_code == 400


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _students_with_plans(school, n, start=0):
    for i in range(n):
        student = make_student(school.group, name=f"S{start + i}")
        plan = services.plan_save(
            student=student, academic_year=school.year, chosen_ids=full_choice(school), submit=True
        )
        if i % 2:
            services.plan_approve(plan=plan, by=school.adviser)


@pytest.mark.parametrize(
    "url",
    [
        "/plans/office/?year={year}",
        "/plans/office/?year={year}&programme={programme}",
        "/plans/office/courses/?term={autumn}",
    ],
)
def test_the_office_lists_cost_the_same_queries_however_many_students(school, as_user, url):
    url = url.format(year=school.year.pk, programme=school.programme.pk, autumn=school.autumn.pk)
    client = as_user(school.office)
    _students_with_plans(school, 3)
    few = _queries(client, url)
    _students_with_plans(school, 20, start=3)
    many = _queries(client, url)
    # Office list: session, user, the form's choices (years, programmes, groups), the latest window, the
    # page's count and records (with their students, groups and programmes), their plans, the count of all
    # and the plans by state. Proposal: session, user, the term, the plans' lines, the disciplines, the
    # groups, the links, the courses, the enrolments, the jobs.
    assert few == many, (few, many)
    assert many <= 16


def test_the_advisers_list_costs_the_same_queries_however_many_students(school, as_user):
    client = as_user(school.adviser)
    _students_with_plans(school, 3)
    few = _queries(client, "/plans/advising/")
    _students_with_plans(school, 20, start=3)
    assert _queries(client, "/plans/advising/") == few


def test_the_office_list_is_paginated(school, as_user):
    from ustaz.plans import views

    for n in range(views.OFFICE_PER_PAGE + 1):
        make_student(school.group, name=f"P{n:03d}")
    client = as_user(school.office)
    first = client.get(f"/plans/office/?year={school.year.pk}").content.decode()
    assert "Page 1 of 2" in first and f"No plan yet: {views.OFFICE_PER_PAGE + 1}" in first
    second = client.get(f"/plans/office/?year={school.year.pk}&page=2").content.decode()
    assert second.count('<th scope="row">') == 1


def test_the_office_list_shows_each_student_with_the_state_of_their_plan(school, as_user):
    waiting = make_student(school.group, name="Waiting")
    services.plan_save(student=waiting, academic_year=school.year, chosen_ids=full_choice(school), submit=True)
    make_student(school.group, name="Nothing")
    from ustaz.academics.models import StudentStatus

    make_student(school.group, name="OnLeave", status=StudentStatus.ACADEMIC_LEAVE)
    page = as_user(school.office).get(f"/plans/office/?year={school.year.pk}").content.decode()
    assert "Waiting" in page and "Nothing" in page and "OnLeave" not in page
    assert "Submitted to the adviser" in page and "No plan yet" in page
    assert "Submitted to the adviser: 1" in page and "No plan yet: 1" in page and "Approved: 0" in page
    assert as_user(school.office).get("/plans/office/?year=abc").status_code == 400


def test_the_office_reviews_the_proposal_and_applies_it(school, as_user, django_capture_on_commit_callbacks):
    _students_with_plans(school, 4)  # two approved
    client = as_user(school.office)
    page = client.get(f"/plans/office/courses/?term={school.autumn.pk}").content.decode()
    assert "4 courses to make, 0 to reuse, 8 enrolments to add, for 2 students." in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/plans/office/courses/apply/", {"term": school.autumn.pk})
    assert response.status_code == 302 and "/imports/" in response["Location"]
    page = client.get(f"/plans/office/courses/?term={school.autumn.pk}").content.decode()
    assert "0 courses to make, 4 to reuse, 0 enrolments to add" in page
    assert client.post("/plans/office/courses/apply/", {"term": "nope"}).status_code == 400
    assert client.get("/plans/office/courses/?term=999999").status_code == 400


def test_the_file_section_shows_the_plans_to_those_the_file_lets_in_only(school):
    student = make_student(school.group)
    services.plan_save(student=student, academic_year=school.year, chosen_ids=full_choice(school), submit=True)
    record = student.student_record
    rector = UserFactory(roles=f",{Role.RECTOR},")
    other_teacher = UserFactory(roles=f",{Role.TEACHER},")
    classmate = make_student(school.group, name="Classmate")
    for viewer in (student, school.adviser, school.office, rector):
        sections = dict((s.key, ctx) for s, ctx in sections_for(viewer, record))
        assert "plan" in sections, viewer
        (item,) = sections["plan"]["plans"]
        assert [(t.number, t.credits) for t in item.terms] == [(3, 30), (4, 30)]
        assert (item.year.total, item.year.warning) == (60, False)
    for viewer in (other_teacher, classmate):
        assert "plan" not in {s.key for s, _ctx in sections_for(viewer, record)}
    # The section's own queries, the same with one plan or four: the adviser check, the plans, their lines.
    from ustaz.plans.access import file_section_context

    def queries():
        fresh = StudentRecord.objects.get(pk=record.pk)  # its group not loaded: the adviser check asks
        with CaptureQueriesContext(connection) as captured:
            file_section_context(school.adviser, fresh)
        return len(captured)

    one = queries()
    from .conftest import make_year

    for i in range(3):
        year, _a, _s = make_year(2030 + i)
        StudyPlan.objects.create(student=student, academic_year=year, curriculum=school.curriculum)
    assert queries() == one <= 3


def test_the_plan_page_refuses_others_and_answers_bad_input_without_a_500(school, as_user):
    student = make_student(school.group)
    plan = services.plan_save(
        student=student, academic_year=school.year, chosen_ids=[el4_options(school)[0].pk], submit=False
    )
    assert as_user(make_student(school.group, name="Other")).get(f"/plans/{plan.pk}/").status_code == 404
    assert as_user(student).get(f"/plans/{plan.pk}/").status_code == 200
    # A draft is neither approved nor returned.
    assert as_user(school.adviser).post(f"/plans/{plan.pk}/approve/").status_code == 409
    assert as_user(school.adviser).post(f"/plans/{plan.pk}/return/", {"reason": "x"}).status_code == 400
