"""The curricula pages, tried by every persona, and the office's editing through them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from testkit.factories import DisciplineFactory, ProgrammeFactory, UserFactory, enrol
from ustaz.curricula import services
from ustaz.curricula.models import Curriculum, CurriculumLine, CurriculumStatus, Cycle, ElectiveGroup

from .conftest import discipline_line, make_valid

PERSONAS = ["anonymous", "student", "classmate", "other_student", "teacher", "office", "rector", "applicant", "ict"]
PERSONAS += ["commission"]


@pytest.fixture
def classmate(student, course):
    user = UserFactory(roles=",student,", first_name="Classmate")
    enrol(user, course, group=student.student_record.group)
    return user


@pytest.fixture
def anonymous():
    return None


@pytest.fixture
def approved(student, office):
    curriculum = make_valid(student.student_record.programme, 2025, office)
    return services.curriculum_approve(curriculum=curriculum, actor=office)


@pytest.fixture
def draft(approved, office):
    curriculum = services.curriculum_new_version(curriculum=approved, actor=office)
    services.group_save(
        curriculum=curriculum,
        data=services.GroupData(code="E9", term=3, cycle=Cycle.BASIC, credits_to_choose=5, name_kk="Таңдау"),
    )
    return curriculum


def status_of(as_user, request, persona, method, url, data=None):
    client = as_user(request.getfixturevalue(persona))
    response = client.post(url, data or {}) if method == "post" else client.get(url)
    return response


READ = {
    "anonymous": 302,
    "student": 200,
    "classmate": 200,
    "other_student": 404,
    "teacher": 200,
    "office": 200,
    "rector": 200,
    "applicant": 404,
    "ict": 404,
    "commission": 404,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_reads_an_approved_curriculum_and_its_export(request, as_user, persona, approved):
    for url in (f"/curricula/{approved.pk}/", f"/curricula/{approved.pk}/export.xlsx"):
        response = status_of(as_user, request, persona, "get", url)
        assert response.status_code == READ[persona], url
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_draft_is_read_only_by_the_office_and_the_rector(request, as_user, persona, draft):
    expected = {"office": 200, "rector": 200, "anonymous": 302}.get(persona, 404)
    assert status_of(as_user, request, persona, "get", f"/curricula/{draft.pk}/").status_code == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_sees_the_list_and_what_it_lists(request, as_user, persona, draft, approved):
    other = services.curriculum_approve(curriculum=make_valid(actor=None), actor=None)
    response = status_of(as_user, request, persona, "get", "/curricula/")
    expected = {"anonymous": 302, "applicant": 403, "ict": 403, "commission": 403}.get(persona, 200)
    assert response.status_code == expected
    if expected != 200:
        return
    listed = set(response.context["curricula"])
    sees_all = {"office": {approved, draft, other}, "rector": {approved, draft, other}, "teacher": {approved, other}}
    own = {"student": {approved}, "classmate": {approved}, "other_student": set()}
    assert listed == (sees_all | own)[persona]


EDITS = [
    ("get", "lines/new/"),
    ("post", "lines/new/"),
    ("get", "groups/new/"),
    ("post", "approve/"),
    ("get", "import/"),
    ("post", "lines/{line}/remove/"),
    ("get", "lines/{line}/"),
]


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "office"])
def test_nobody_but_the_office_edits(request, as_user, persona, draft, approved):
    for curriculum in (draft, approved):
        line = curriculum.lines.first()
        group_edits = [("get", "groups/{group}/"), ("post", "groups/{group}/remove/")] if curriculum == draft else []
        group = curriculum.elective_groups.first()
        for method, tail in EDITS + group_edits + [("post", "new-version/")]:
            url = f"/curricula/{curriculum.pk}/" + tail.format(line=line.pk, group=group.pk if group else 0)
            expected = {"anonymous": 302}.get(persona)
            if expected is None:
                readable = READ[persona] == 200 and (curriculum == approved or persona == "rector")
                expected = 403 if readable else 404
            assert status_of(as_user, request, persona, method, url).status_code == expected, (url, curriculum)
    assert CurriculumLine.objects.filter(curriculum=draft).count() == 11 and draft.elective_groups.count() == 1
    assert Curriculum.objects.filter(status=CurriculumStatus.DRAFT).count() == 1


def test_the_office_is_told_an_approved_curriculum_is_read_only(office, as_user, approved):
    client = as_user(office)
    line = approved.lines.first()
    for method, tail in EDITS:
        url = f"/curricula/{approved.pk}/" + tail.format(line=line.pk)
        response = client.post(url, {}) if method == "post" else client.get(url)
        assert response.status_code == 409, url
    assert approved.lines.count() == 11


def test_the_office_drafts_fills_and_approves_a_curriculum_through_its_pages(office, as_user):
    programme = ProgrammeFactory()
    client = as_user(office)
    response = client.post("/curricula/", {"programme": programme.pk, "admission_year": 2026, "terms": ""})
    curriculum = Curriculum.objects.get(programme=programme)
    assert response["Location"] == f"/curricula/{curriculum.pk}/" and curriculum.terms == 8
    assert client.post("/curricula/", {"programme": programme.pk, "admission_year": 2026}).status_code == 400

    from .conftest import VALID_PLAN

    for term, cycle, credits in VALID_PLAN:
        data = {
            "kind": "discipline",
            "term": term,
            "discipline": DisciplineFactory().pk,
            "credits": credits,
            "cycle": cycle,
            "component": "compulsory",
            "control": "exam",
        }
        assert client.post(f"/curricula/{curriculum.pk}/lines/new/", data).status_code == 302
    # The attestation is missing: approval is refused with the reasons on the page.
    response = client.post(f"/curricula/{curriculum.pk}/approve/")
    assert response.status_code == 409
    assert "Term 8 has 18 credits; a term has 30." in response.content.decode()
    assert "Final attestation: 0 credits; at least 12." in response.content.decode()
    attestation = {"kind": "attestation", "term": 8, "credits": 12, "cycle": "final_attestation"}
    response = client.post(f"/curricula/{curriculum.pk}/lines/new/", attestation)
    assert response.status_code == 400 and "Choose the form of the final attestation." in response.content.decode()
    attestation["attestation_form"] = "thesis"
    assert client.post(f"/curricula/{curriculum.pk}/lines/new/", attestation).status_code == 302

    # Term 3 becomes 25 compulsory credits and an elective group of 5 with two options.
    line = curriculum.lines.get(term=3)
    data = {k: getattr(line, k) for k in ("kind", "term", "credits", "cycle", "component", "control")}
    response = client.post(
        f"/curricula/{curriculum.pk}/lines/{line.pk}/", {**data, "discipline": line.discipline_id, "credits": 25}
    )
    assert response.status_code == 302
    group = {"code": "E3", "name_kk": "Таңдау", "term": 3, "cycle": "basic", "credits_to_choose": 5}
    assert client.post(f"/curricula/{curriculum.pk}/groups/new/", group).status_code == 302
    group_pk = ElectiveGroup.objects.get(curriculum=curriculum).pk
    page = client.get(f"/curricula/{curriculum.pk}/")
    assert "Elective group E3 needs at least two disciplines to choose from." in page.content.decode()
    for _ in range(2):
        option = {**data, "credits": 5, "discipline": DisciplineFactory().pk, "component": "elective"}
        option["elective_group"] = group_pk
        assert client.post(f"/curricula/{curriculum.pk}/lines/new/", option).status_code == 302
    page = client.get(f"/curricula/{curriculum.pk}/")
    assert "The credits agree with the rules." in page.content.decode()
    assert [t.credits for t in page.context["page"].terms] == [30] * 8

    removed = curriculum.lines.get(term=1)
    client.post(f"/curricula/{curriculum.pk}/lines/{removed.pk}/remove/")
    assert not CurriculumLine.objects.filter(pk=removed.pk).exists()
    assert client.post(f"/curricula/{curriculum.pk}/approve/").status_code == 409
    discipline_line(curriculum, 1, Cycle.GENERAL, 30)
    assert client.post(f"/curricula/{curriculum.pk}/approve/").status_code == 302
    curriculum.refresh_from_db()
    assert curriculum.status == CurriculumStatus.APPROVED

    response = client.post(f"/curricula/{curriculum.pk}/new-version/")
    draft = Curriculum.objects.get(programme=programme, status=CurriculumStatus.DRAFT)
    assert response["Location"] == f"/curricula/{draft.pk}/" and draft.version == 2
    client.post(f"/curricula/{draft.pk}/groups/{group_pk}/remove/")  # the first version's group: not this one
    assert ElectiveGroup.objects.filter(pk=group_pk).exists()
    copied = draft.elective_groups.get()
    client.post(f"/curricula/{draft.pk}/groups/{copied.pk}/remove/")
    assert not draft.elective_groups.exists() and draft.lines.count() == curriculum.lines.count() - 2


def test_bad_numbers_in_a_form_are_a_400_not_a_500(office, as_user):
    curriculum = make_valid(actor=office)
    client = as_user(office)
    for credits in ("1e309", "NaN", "-5", "99999999999999999999", "abc"):
        data = {"kind": "discipline", "term": 1, "credits": credits, "cycle": "general", "discipline": "x"}
        assert client.post(f"/curricula/{curriculum.pk}/lines/new/", data).status_code == 400
    assert client.post(f"/curricula/{curriculum.pk}/lines/999999/", {}).status_code == 404
    assert curriculum.lines.count() == 11


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_a_curriculum_page_costs_the_same_queries_whatever_its_lines(office, as_user):
    client = as_user(office)
    small = make_valid(actor=office)
    large = make_valid(actor=office)
    group = services.group_save(
        curriculum=large,
        data=services.GroupData(code="E1", term=3, cycle=Cycle.BASIC, credits_to_choose=5, name_kk="Таңдау"),
    )
    for term in range(1, 9):
        for _ in range(3):
            discipline_line(large, term, Cycle.BASIC, 2)
    for _ in range(4):
        discipline_line(large, 3, Cycle.BASIC, 5, component="elective", elective_group=group)
    # session, user, the curriculum with its programme, elective groups, lines with their disciplines;
    # (savepoints of the test client do not count on SQLite)
    assert _queries(client, f"/curricula/{small.pk}/") == _queries(client, f"/curricula/{large.pk}/") <= 6


def test_the_list_costs_the_same_queries_whatever_the_number_of_curricula(office, as_user):
    client = as_user(office)
    make_valid(actor=office)
    few = _queries(client, "/curricula/")
    for _ in range(4):
        make_valid(actor=office)
    # session, user, curricula with programmes and line counts, programmes for the form's choices
    assert _queries(client, "/curricula/") == few <= 5


def test_a_refused_approval_asked_for_by_htmx_is_shown_in_the_page(office, as_user):
    curriculum = make_valid(actor=office)
    CurriculumLine.objects.filter(curriculum=curriculum, term=1).update(credits=20)
    response = as_user(office).post(f"/curricula/{curriculum.pk}/approve/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Term 1 has 20 credits; a term has 30." in response.content.decode()
    curriculum.refresh_from_db()
    assert curriculum.status == CurriculumStatus.DRAFT
