"""The office's list of students, the adviser's list of advisees and the groups page where the office sets
each group's adviser (docs/decisions/0016-student-file.md)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from testkit.factories import ProgrammeFactory, StudyGroupFactory, UserFactory
from ustaz.academics import services
from ustaz.academics.models import DltBasis, StudentRecord, StudentStatus, StudyGroup
from ustaz.accounts.models import Role
from ustaz.core.models import AuditAction, AuditEvent


def add_students(group, count, **fields):
    records = []
    for _ in range(count):
        student = UserFactory(roles=f",{Role.STUDENT},")
        records.append(
            StudentRecord.objects.create(
                student=student,
                programme=group.programme,
                group=group,
                dlt_basis=DltBasis.HIGHER_BLENDED,
                **fields,
            )
        )
    return records


@pytest.fixture
def rector(db):
    return UserFactory(roles=f",{Role.RECTOR},")


@pytest.fixture
def adviser(db):
    return UserFactory(roles=f",{Role.TEACHER},", first_name="Adviser")


# --- The office's list of students -------------------------------------------------------------------------
def test_the_list_searches_by_name_login_and_iin_and_links_to_each_file(office, as_user):
    group = StudyGroupFactory()
    [found, *_rest] = add_students(group, 3)
    User = found.student.__class__
    User.objects.filter(pk=found.student.pk).update(last_name="Жұмабаева", username="zhumabaeva.a")
    found.student.refresh_from_db()
    client = as_user(office)
    for query in ("Жұмабаева", "zhumabaeva", found.student.iin):
        html = client.get("/office/students/", {"q": query}).content.decode()
        assert f'href="/students/{found.pk}/file/"' in html, query
        assert html.count("/file/") == 1, query
    assert "No students." in client.get("/office/students/", {"q": "nobody-like-this"}).content.decode()


def test_the_list_filters_by_programme_group_and_status(office, as_user):
    programme = ProgrammeFactory()
    group = StudyGroupFactory(programme=programme)
    other = StudyGroupFactory()
    [studying] = add_students(group, 1)
    [on_leave] = add_students(group, 1, status=StudentStatus.ACADEMIC_LEAVE)
    [elsewhere] = add_students(other, 1)
    client = as_user(office)

    def shown(**params):
        html = client.get("/office/students/", params).content.decode()
        return {r.pk for r in (studying, on_leave, elsewhere) if f"/students/{r.pk}/file/" in html}

    assert shown() == {studying.pk, on_leave.pk, elsewhere.pk}
    assert shown(programme=programme.pk) == {studying.pk, on_leave.pk}
    assert shown(group=other.pk) == {elsewhere.pk}
    assert shown(status=StudentStatus.ACADEMIC_LEAVE) == {on_leave.pk}
    assert shown(group=group.pk, status=StudentStatus.ACTIVE) == {studying.pk}


@pytest.mark.parametrize(
    "params",
    [{"group": "abc"}, {"programme": "99999999999999"}, {"status": "nonsense"}, {"page": "-1"}, {"q": "x" * 500}],
)
def test_bad_filters_are_ignored_not_an_error(office, as_user, params):
    add_students(StudyGroupFactory(), 2)
    assert as_user(office).get("/office/students/", params).status_code == 200


def test_the_list_is_paged(office, as_user):
    from ustaz.academics.views import STUDENTS_PER_PAGE

    add_students(StudyGroupFactory(), STUDENTS_PER_PAGE + 2)
    client = as_user(office)
    first = client.get("/office/students/").content.decode()
    second = client.get("/office/students/", {"page": 2}).content.decode()
    assert first.count("/file/") == STUDENTS_PER_PAGE and second.count("/file/") == 2


def _list_queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_lists_make_the_same_queries_however_many_students(office, adviser, as_user):
    groups = [StudyGroupFactory(advisor=adviser) for _ in range(2)]
    for group in groups:
        add_students(group, 2)
    office_client, adviser_client = as_user(office), as_user(adviser)
    small = (
        _list_queries(office_client, "/office/students/"),
        _list_queries(adviser_client, "/my/advisees/"),
        _list_queries(office_client, "/office/groups/"),
    )
    for group in [*groups, *(StudyGroupFactory(advisor=adviser) for _ in range(3))]:
        add_students(group, 9, status=StudentStatus.ACADEMIC_LEAVE)
    for _ in range(4):
        UserFactory(roles=f",{Role.TEACHER},")
    large = (
        _list_queries(office_client, "/office/students/"),
        _list_queries(adviser_client, "/my/advisees/"),
        _list_queries(office_client, "/office/groups/"),
    )
    assert StudentRecord.objects.count() >= 40
    assert large == small, (small, large)


def test_who_may_see_the_list(office, rector, teacher, student, ict, as_user):
    assert as_user(office).get("/office/students/").status_code == 200
    assert as_user(rector).get("/office/students/").status_code == 200
    for person in (teacher, student, ict):
        assert as_user(person).get("/office/students/").status_code == 403


# --- The adviser's list -----------------------------------------------------------------------------------
def test_an_adviser_lists_the_students_of_their_groups_only(adviser, as_user):
    mine = add_students(StudyGroupFactory(advisor=adviser), 2)
    others = add_students(StudyGroupFactory(advisor=UserFactory(roles=f",{Role.TEACHER},")), 2)
    html = as_user(adviser).get("/my/advisees/").content.decode()
    for record in mine:
        assert f'href="/students/{record.pk}/file/"' in html
    for record in others:
        assert f"/students/{record.pk}/file/" not in html
    # Filtering by another group shows none of its students.
    html = as_user(adviser).get("/my/advisees/", {"group": others[0].group_id}).content.decode()
    assert "/file/" not in html


def test_a_teacher_who_advises_no_group_is_told_so_and_others_are_refused(teacher, student, office, as_user):
    response = as_user(teacher).get("/my/advisees/")
    assert response.status_code == 200 and "You advise no group." in response.content.decode()
    assert as_user(student).get("/my/advisees/").status_code == 403
    assert as_user(office).get("/my/advisees/").status_code == 403


# --- The groups page and the adviser's change --------------------------------------------------------------
def test_the_groups_page_shows_each_group_with_its_programme_year_size_and_adviser(office, adviser, as_user):
    group = StudyGroupFactory(name="ФО-24-2", admission_year=2024, advisor=adviser)
    add_students(group, 3)
    html = as_user(office).get("/office/groups/").content.decode()
    row = html.split(f'id="group-{group.pk}"')[1].split("</tr>")[0]
    assert "ФО-24-2" in row and group.programme.code in row and "2024" in row and "<td>3</td>" in row
    assert f'<option value="{adviser.pk}" selected>' in row


def test_the_office_sets_and_clears_a_groups_adviser_audited(office, adviser, as_user):
    group = StudyGroupFactory()
    client = as_user(office)
    response = client.post(f"/office/groups/{group.pk}/advisor/", {"advisor": adviser.pk, "page": "1"})
    assert response.status_code == 302 and response["Location"] == "/office/groups/?page=1"
    group.refresh_from_db()
    assert group.advisor == adviser
    event = AuditEvent.objects.get(action=AuditAction.GROUP_ADVISER_SET)
    assert event.actor == office and event.target_id == str(group.pk)
    assert event.details == {"old": None, "new": adviser.pk}
    # The same adviser again: nothing to record.
    client.post(f"/office/groups/{group.pk}/advisor/", {"advisor": adviser.pk})
    assert AuditEvent.objects.filter(action=AuditAction.GROUP_ADVISER_SET).count() == 1
    client.post(f"/office/groups/{group.pk}/advisor/", {"advisor": ""})
    group.refresh_from_db()
    assert group.advisor is None
    assert AuditEvent.objects.filter(action=AuditAction.GROUP_ADVISER_SET).count() == 2


def test_the_adviser_must_hold_the_teacher_role(office, student, as_user):
    group = StudyGroupFactory()
    response = as_user(office).post(f"/office/groups/{group.pk}/advisor/", {"advisor": student.pk})
    assert response.status_code == 400
    assert 'id="bad-request"' in response.content.decode()
    group.refresh_from_db()
    assert group.advisor is None
    assert not AuditEvent.objects.filter(action=AuditAction.GROUP_ADVISER_SET).exists()
    # The service refuses it too, whoever calls it.
    with pytest.raises(ValidationError):
        services.group_advisor_set(group=group, advisor=student, by=office)
    inactive = UserFactory(roles=f",{Role.TEACHER},", is_active=False)
    with pytest.raises(ValidationError):
        services.group_advisor_set(group=group, advisor=inactive, by=office)
    assert StudyGroup.objects.get(pk=group.pk).advisor is None


@pytest.mark.parametrize("value", ["abc", "99999999", "-1"])
def test_a_bad_adviser_value_is_a_400(office, as_user, value):
    group = StudyGroupFactory()
    assert as_user(office).post(f"/office/groups/{group.pk}/advisor/", {"advisor": value}).status_code == 400
    assert as_user(office).post("/office/groups/99999/advisor/", {"advisor": ""}).status_code == 404


def test_only_the_office_sets_advisers(teacher, student, ict, rector, adviser, as_user):
    group = StudyGroupFactory()
    for person in (teacher, student, ict, rector):
        client = as_user(person)
        assert client.get("/office/groups/").status_code == 403
        assert client.post(f"/office/groups/{group.pk}/advisor/", {"advisor": adviser.pk}).status_code == 403
    group.refresh_from_db()
    assert group.advisor is None
