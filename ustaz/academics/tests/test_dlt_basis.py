"""The DLT basis of §1.5 (docs/decisions/0012-dlt-basis.md): bases by level on every path that sets one,
Bolashak scholars, restrictive measures in force for their period only, the basis's document."""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from testkit.factories import FacultyFactory, ProgrammeFactory, StudyGroupFactory, UserFactory
from ustaz.academics import selectors, services
from ustaz.academics.admin import StudentRecordForm
from ustaz.academics.bases import basis_refusal
from ustaz.academics.models import BasisDocument, DltBasis, Level, RestrictiveMeasure, StudentRecord
from ustaz.accounts.iin import make_iin
from ustaz.core.models import AuditAction, AuditEvent

PDF = b"%PDF-1.4\n% a certificate\n"
TODAY = datetime.date(2026, 11, 30)

# basis -> the levels it fits (§1.5, rules.md).
FITS = {
    DltBasis.SHORTENED: {Level.VOCATIONAL, Level.BACHELOR},
    DltBasis.SPECIAL_NEEDS: set(Level.values),
    DltBasis.TEMPORARY_HEALTH: set(Level.values),
    DltBasis.EXCHANGE: {Level.BACHELOR, Level.MASTER, Level.DOCTORATE},
    DltBasis.HIGHER_BLENDED: {Level.BACHELOR, Level.MASTER, Level.DOCTORATE},
    DltBasis.BUSINESS_TRIP: {Level.BACHELOR},
    DltBasis.ACADEMIC_MOBILITY: {Level.BACHELOR, Level.MASTER, Level.DOCTORATE},
    DltBasis.FOREIGN_FAMILY: {Level.BACHELOR, Level.MASTER, Level.DOCTORATE},
    DltBasis.MILITARY_SERVICE: {Level.BACHELOR},
    DltBasis.WORKING_ADULT: {Level.VOCATIONAL},
    DltBasis.RESTRICTIONS: set(),  # never a student's own: switched on for a period
}


def record_in(group, basis=DltBasis.HIGHER_BLENDED, **extra) -> StudentRecord:
    return StudentRecord.objects.create(
        student=UserFactory(roles=",student,"), programme=group.programme, group=group, dlt_basis=basis, **extra
    )


def group_at(level: str):
    return StudyGroupFactory(programme=ProgrammeFactory(level=level))


# --- The rule -----------------------------------------------------------------------------------------------
def test_every_basis_is_ruled_on():
    assert set(FITS) == set(DltBasis.values)


@pytest.mark.parametrize("level", list(Level.values))
@pytest.mark.parametrize("basis", list(DltBasis.values))
def test_each_basis_fits_its_levels_only(basis, level):
    refusal = basis_refusal(basis, level)
    assert (refusal is None) == (level in FITS[basis])
    if refusal and basis != DltBasis.RESTRICTIONS:
        # The message names the basis and the level.
        assert str(DltBasis(basis).label) in refusal and str(Level(level).label) in refusal


def test_a_bolashak_scholar_is_not_an_exchange_student():
    assert basis_refusal(DltBasis.EXCHANGE, Level.MASTER) is None
    refusal = basis_refusal(DltBasis.EXCHANGE, Level.MASTER, bolashak_scholar=True)
    assert refusal and "Bolashak" in refusal
    assert basis_refusal(DltBasis.ACADEMIC_MOBILITY, Level.MASTER, bolashak_scholar=True) is None


# --- Each path that sets a basis ------------------------------------------------------------------------------
def test_the_service_refuses_a_basis_of_another_level_and_keeps_the_old_one(db, office):
    record = record_in(group_at(Level.BACHELOR))
    with pytest.raises(ValidationError, match="does not apply at the level"):
        services.student_basis_set(record=record, basis=DltBasis.WORKING_ADULT, bolashak_scholar=False, by=office)
    with pytest.raises(ValidationError, match="Bolashak"):
        services.student_basis_set(record=record, basis=DltBasis.EXCHANGE, bolashak_scholar=True, by=office)
    record.refresh_from_db()
    assert (record.dlt_basis, record.bolashak_scholar) == (DltBasis.HIGHER_BLENDED, False)
    assert not AuditEvent.objects.filter(action=AuditAction.DLT_BASIS_CHANGED).exists()

    services.student_basis_set(record=record, basis=DltBasis.MILITARY_SERVICE, bolashak_scholar=False, by=office)
    record.refresh_from_db()
    assert record.dlt_basis == DltBasis.MILITARY_SERVICE
    event = AuditEvent.objects.get(action=AuditAction.DLT_BASIS_CHANGED)
    assert event.actor == office and event.target_id == str(record.pk)
    assert (
        event.details["old"]["dlt_basis"] == "higher_blended"
        and event.details["new"]["dlt_basis"] == "military_service"
    )
    assert list(selectors.basis_history(record)) == [event]


def test_the_office_page_refuses_a_basis_of_another_level_with_a_400(db, office, as_user):
    record = record_in(group_at(Level.VOCATIONAL), DltBasis.WORKING_ADULT)
    client = as_user(office)
    url = f"/office/students/{record.pk}/basis/"
    response = client.post(url, {"action": "basis", "dlt_basis": DltBasis.MILITARY_SERVICE})
    assert response.status_code == 400
    assert "does not apply at the level" in response.content.decode()
    record.refresh_from_db()
    assert record.dlt_basis == DltBasis.WORKING_ADULT
    # "Restrictive measures" is not offered as a student's own basis.
    response = client.post(url, {"action": "basis", "dlt_basis": DltBasis.RESTRICTIONS})
    assert response.status_code == 400
    response = client.post(url, {"action": "basis", "dlt_basis": DltBasis.TEMPORARY_HEALTH})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.dlt_basis == DltBasis.TEMPORARY_HEALTH


def test_the_office_page_refuses_exchange_for_a_bolashak_scholar(db, office, as_user):
    record = record_in(group_at(Level.MASTER))
    response = as_user(office).post(
        f"/office/students/{record.pk}/basis/", {"action": "basis", "dlt_basis": "exchange", "bolashak_scholar": "on"}
    )
    assert response.status_code == 400 and "Bolashak" in response.content.decode()
    record.refresh_from_db()
    assert (record.dlt_basis, record.bolashak_scholar) == (DltBasis.HIGHER_BLENDED, False)


def test_the_admin_refuses_a_basis_of_another_level(db):
    group = group_at(Level.MASTER)
    student = UserFactory(roles=",student,")
    data = {
        "student": student.pk,
        "programme": group.programme.pk,
        "group": group.pk,
        "year_of_study": 1,
        "delivery": "network",
        "dlt_basis": DltBasis.BUSINESS_TRIP,
        "funding": "paid_contract",
        "country_of_residence": "KZ",
        "status": "active",
    }
    form = StudentRecordForm(data=data)
    assert not form.is_valid()
    assert "does not apply at the level" in form.errors["dlt_basis"][0]
    assert not form.is_valid() or StudentRecord.objects.exists()
    form = StudentRecordForm(data={**data, "dlt_basis": DltBasis.EXCHANGE, "bolashak_scholar": "on"})
    assert not form.is_valid() and "Bolashak" in form.errors["dlt_basis"][0]
    form = StudentRecordForm(data={**data, "dlt_basis": DltBasis.ACADEMIC_MOBILITY})
    assert form.is_valid(), form.errors
    assert site._registry[StudentRecord].form is StudentRecordForm


def test_the_students_import_refuses_a_row_whose_basis_does_not_fit_the_groups_level(db, office, as_user):
    group = group_at(Level.BACHELOR)
    first = make_iin(datetime.date(2005, 5, 5), female=False, serial=911)
    second = make_iin(datetime.date(2005, 6, 6), female=True, serial=922)
    text = f"last_name,first_name,iin,dlt_basis\nСейітов,Ерлан,{first},exchange\nАбенова,Дана,{second},working_adult\n"
    upload = io.BytesIO(text.encode())
    upload.name = "students.csv"
    response = as_user(office).post("/office/students/import/", {"group": group.pk, "file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Working adult in technical and vocational education" in page and "Bachelor" in page
    assert not StudentRecord.objects.exists()
    result = services.students_import(group=group, filename="s.csv", content=text.encode(), issued_by=office)
    assert [line for line, _message in result.errors] == [3]


# --- Restrictive measures --------------------------------------------------------------------------------------
def measure(by, *, starts_on, ends_on, **covers) -> RestrictiveMeasure:
    return services.restrictive_measure_create(
        reason="Карантин",
        order_number="17-Н",
        order_date=starts_on - datetime.timedelta(days=2),
        starts_on=starts_on,
        ends_on=ends_on,
        by=by,
        **covers,
    )


def test_the_effective_basis_is_restrictive_measures_only_within_the_period(db, office):
    group, other = StudyGroupFactory(), StudyGroupFactory()
    covered, outside = record_in(group, DltBasis.EXCHANGE), record_in(other, DltBasis.EXCHANGE)
    start, end = datetime.date(2026, 3, 16), datetime.date(2026, 4, 4)
    measure(office, starts_on=start, ends_on=end, groups=[group])
    day = datetime.timedelta(days=1)
    assert selectors.effective_basis(covered, start - day) == DltBasis.EXCHANGE
    assert selectors.effective_basis(covered, start) == DltBasis.RESTRICTIONS
    assert selectors.effective_basis(covered, end) == DltBasis.RESTRICTIONS
    assert selectors.effective_basis(covered, end + day) == DltBasis.EXCHANGE
    assert selectors.effective_basis(outside, start) == DltBasis.EXCHANGE
    covered.refresh_from_db()
    assert covered.dlt_basis == DltBasis.EXCHANGE  # their own basis is kept underneath
    event = AuditEvent.objects.get(action=AuditAction.RESTRICTIVE_MEASURE_CREATED)
    assert event.actor == office and event.details["groups"] == [group.name]
    assert list(selectors.measures_covering(covered)) == [RestrictiveMeasure.objects.get()]
    assert list(selectors.measures_covering(outside)) == []


def test_measures_cover_whole_programmes_and_faculties(db, office):
    faculty = FacultyFactory()
    in_faculty = record_in(StudyGroupFactory(programme=ProgrammeFactory(department__faculty=faculty)))
    programme_group = StudyGroupFactory()
    in_programme = record_in(StudyGroupFactory(programme=programme_group.programme))
    elsewhere = record_in(StudyGroupFactory())
    today = timezone.localdate()
    m = measure(office, starts_on=today, ends_on=today, programmes=[programme_group.programme], faculties=[faculty])
    assert set(selectors.measure_students(m)) == {in_faculty, in_programme}
    effective = dict(selectors.with_effective_basis(StudentRecord.objects.all()).values_list("pk", "effective_basis"))
    assert effective == {
        in_faculty.pk: DltBasis.RESTRICTIONS,
        in_programme.pk: DltBasis.RESTRICTIONS,
        elsewhere.pk: DltBasis.HIGHER_BLENDED,
    }


def test_a_measure_needs_students_and_a_period_that_does_not_end_before_it_starts(db, office):
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="Choose the groups"):
        measure(office, starts_on=today, ends_on=today)
    with pytest.raises(ValidationError, match="cannot end before"):
        measure(office, starts_on=today, ends_on=today - datetime.timedelta(days=1), groups=[StudyGroupFactory()])
    assert not RestrictiveMeasure.objects.exists()


def test_the_office_ends_measures_early_and_the_own_basis_applies_from_today(db, office, as_user):
    group = StudyGroupFactory()
    record = record_in(group, DltBasis.SPECIAL_NEEDS)
    today = timezone.localdate()
    m = measure(
        office,
        starts_on=today - datetime.timedelta(days=5),
        ends_on=today + datetime.timedelta(days=20),
        groups=[group],
    )
    assert selectors.effective_basis(record) == DltBasis.RESTRICTIONS
    response = as_user(office).post(f"/office/measures/{m.pk}/end/")
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.ends_on == today - datetime.timedelta(days=1) and m.planned_ends_on == today + datetime.timedelta(days=20)
    assert selectors.effective_basis(record) == DltBasis.SPECIAL_NEEDS
    assert selectors.effective_basis(record, today - datetime.timedelta(days=1)) == DltBasis.RESTRICTIONS
    event = AuditEvent.objects.get(action=AuditAction.RESTRICTIVE_MEASURE_ENDED)
    assert event.actor == office and event.details["ends_on"] == (today - datetime.timedelta(days=1)).isoformat()
    # Ended measures cannot be ended again: a 400, nothing changed.
    response = as_user(office).post(f"/office/measures/{m.pk}/end/")
    assert response.status_code == 400
    assert AuditEvent.objects.filter(action=AuditAction.RESTRICTIVE_MEASURE_ENDED).count() == 1


def test_measures_ended_before_they_start_are_in_force_on_no_day(db, office):
    group = StudyGroupFactory()
    record = record_in(group)
    today = timezone.localdate()
    start = today + datetime.timedelta(days=10)
    m = measure(office, starts_on=start, ends_on=start + datetime.timedelta(days=5), groups=[group])
    services.restrictive_measure_end(measure=m, by=office)
    for offset in range(-1, 20):
        assert selectors.effective_basis(record, today + datetime.timedelta(days=offset)) == DltBasis.HIGHER_BLENDED


def test_the_office_creates_measures_on_its_page(db, office, as_user):
    group = StudyGroupFactory()
    record_in(group)
    client = as_user(office)
    today = timezone.localdate()
    bad = client.post(
        "/office/measures/new/",
        {"reason": "Карантин", "order_number": "5", "order_date": today, "starts_on": today, "ends_on": today},
    )
    assert bad.status_code == 400 and not RestrictiveMeasure.objects.exists()
    response = client.post(
        "/office/measures/new/",
        {
            "reason": "Карантин",
            "order_number": "5-Н",
            "order_date": today,
            "starts_on": today,
            "ends_on": today + datetime.timedelta(days=7),
            "groups": [group.pk],
        },
    )
    m = RestrictiveMeasure.objects.get()
    assert response["Location"] == f"/office/measures/{m.pk}/"
    page = client.get(f"/office/measures/{m.pk}/").content.decode()
    assert "5-Н" in page and "Restrictive measures (quarantine, emergencies)" in page
    assert "5-Н" in client.get("/office/measures/").content.decode()


# --- The basis's document ----------------------------------------------------------------------------------------
def test_the_document_is_kept_with_its_expiry_and_checked_by_content(db, office, as_user):
    record = record_in(StudyGroupFactory(), DltBasis.SPECIAL_NEEDS)
    client = as_user(office)
    url = f"/office/students/{record.pk}/basis/"
    expires = timezone.localdate() + datetime.timedelta(days=90)
    fake = client.post(
        url,
        {"action": "document", "file": SimpleUploadedFile("cert.pdf", b"MZ\x90\x00 not a pdf"), "expires_on": expires},
    )
    assert fake.status_code == 400 and "is not a PDF or a scan" in fake.content.decode()
    assert not BasisDocument.objects.exists()
    response = client.post(
        url, {"action": "document", "file": SimpleUploadedFile("../../анықтама.pdf", PDF), "expires_on": expires}
    )
    assert response.status_code == 302
    document = BasisDocument.objects.get(record=record)
    assert document.expires_on == expires and document.content_type == "application/pdf"
    assert "/" not in document.name and "анықтама" not in document.file.name
    download = client.get(f"/office/students/{record.pk}/basis/document/")
    assert b"".join(download.streaming_content if download.streaming else [download.content]) == PDF
    assert AuditEvent.objects.filter(action=AuditAction.DLT_BASIS_DOCUMENT, target_id=str(record.pk)).count() == 1


def test_a_document_over_the_limit_is_refused(db, office, settings):
    record = record_in(StudyGroupFactory())
    upload = SimpleUploadedFile("big.pdf", PDF)
    upload.size = services.BASIS_DOCUMENT_MAX_MB * 1024 * 1024 + 1
    with pytest.raises(ValidationError, match="at most"):
        services.basis_document_save(record=record, upload=upload, expires_on=None, by=office)
    assert not BasisDocument.objects.exists()


# --- Permissions and queries ---------------------------------------------------------------------------------
@pytest.mark.parametrize("persona", ["student", "teacher", "ict"])
def test_only_the_office_opens_the_basis_pages(request, persona, as_user, office):
    group = StudyGroupFactory()
    record = record_in(group)
    today = timezone.localdate()
    m = measure(office, starts_on=today, ends_on=today, groups=[group])
    applicant = UserFactory(roles=",applicant,")
    urls = [
        "/office/bases/",
        f"/office/students/{record.pk}/basis/",
        f"/office/students/{record.pk}/basis/document/",
        "/office/measures/",
        "/office/measures/new/",
        f"/office/measures/{m.pk}/",
    ]
    for user in (request.getfixturevalue(persona), applicant):
        client = as_user(user)
        for url in urls:
            assert client.get(url).status_code == 403, url
        assert client.post(f"/office/measures/{m.pk}/end/").status_code == 403
    for url in urls:
        assert as_user(None).get(url).status_code == 302
    office_client = as_user(office)
    for url in urls:
        if "document" not in url:
            assert office_client.get(url).status_code == 200, url
    m.refresh_from_db()
    assert m.ends_on == today


def test_the_office_lists_take_as_many_queries_for_many_students_as_for_few(db, office, as_user):
    client = as_user(office)
    group = StudyGroupFactory()
    today = timezone.localdate()
    m = measure(office, starts_on=today, ends_on=today, groups=[group])

    def counts():
        counted = []
        for url in ("/office/bases/", f"/office/bases/?group={group.pk}", f"/office/measures/{m.pk}/"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counted.append(len(queries))
        return counted

    record = record_in(group)
    services.basis_document_save(record=record, upload=SimpleUploadedFile("a.pdf", PDF), expires_on=today, by=office)
    few = counts()
    for n in range(12):
        extra = record_in(group, DltBasis.SPECIAL_NEEDS if n % 2 else DltBasis.EXCHANGE)
        if n % 3 == 0:
            services.basis_document_save(
                record=extra, upload=SimpleUploadedFile("a.pdf", PDF), expires_on=today, by=office
            )
    assert counts() == few
    page = client.get("/office/bases/").content.decode()
    assert page.count("Restrictive measures (quarantine, emergencies)") == 13
