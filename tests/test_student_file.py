"""The student's file (issue 22, item 6; docs/decisions/0016-student-file.md) across the areas whose sections
make it: who opens it, what each reader sees of it, its sections' content against the gradebook and admission,
and its queries."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from testkit.factories import CourseFactory, ProgrammeFactory, StudyGroupFactory, UserFactory, enrol
from ustaz.academics import services as academics_services
from ustaz.academics.models import AcademicYear, StudentRecord, StudentStatus, Term, TermKind
from ustaz.accounts.models import Role
from ustaz.grades import selectors as grade_selectors
from ustaz.grades import services as grade_services
from ustaz.grades.models import GradeSource

PDF = b"%PDF-1.4\n% a private scan\n"
MARKS = (
    ("Current control 1", 80),
    ("Midterm 1 (RK1)", 90),
    ("Current control 2", 70),
    ("Midterm 2 (RK2)", 80),
    ("Exam", 90),
)  # final 84 -> B, 3.0


def person(first_name: str, *roles: str):
    return UserFactory(roles="," + ",".join(roles) + "," if roles else "", first_name=first_name)


@pytest.fixture
def world(db):
    """A student in a group advised by a teacher; the course's own teacher (not the adviser); a student of
    another group and its adviser; the offices."""
    programme = ProgrammeFactory()
    group = StudyGroupFactory(programme=programme, name="ИН-25-1")
    other_group = StudyGroupFactory(programme=programme)
    adviser = person("Adviser", Role.TEACHER)
    other_adviser = person("OtherAdviser", Role.TEACHER)
    group.advisor, other_group.advisor = adviser, other_adviser
    group.save()
    other_group.save()
    course = CourseFactory()
    course.groups.add(group)
    student = person("Aigerim", Role.STUDENT)
    enrol(student, course, group)
    classmate = person("Classmate", Role.STUDENT)
    enrol(classmate, course, group)
    other_student = person("Other", Role.STUDENT)
    enrol(other_student, CourseFactory(), other_group)
    teacher = person("Teacher", Role.TEACHER)
    course.teachers.add(teacher)
    return {
        "programme": programme,
        "group": group,
        "course": course,
        "record": StudentRecord.objects.get(student=student),
        "student": student,
        "classmate": classmate,
        "other_student": other_student,
        "adviser": adviser,
        "other_adviser": other_adviser,
        "teacher": teacher,
        "office": person("Office", Role.ACADEMIC_OFFICE),
        "rector": person("Rector", Role.RECTOR),
        "admin": person("Admin", Role.ADMIN),
        "ict": person("Ict", Role.ICT_SUPPORT),
        "applicant": person("Applicant", Role.APPLICANT),
        "commission": person("Commission", Role.ADMISSION_COMMISSION),
    }


def file_url(record) -> str:
    return f"/students/{record.pk}/file/"


def section_ids(html: str) -> list[str]:
    return re.findall(r'<section class="file-section[^"]*" id="([\w-]+)"', html)


# --- Who opens the file ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("student", 200),
        ("adviser", 200),
        ("office", 200),
        ("rector", 200),
        ("admin", 200),
        ("classmate", 404),
        ("other_student", 404),
        ("teacher", 404),  # teaches the student's course but does not advise the group
        ("other_adviser", 404),  # advises another group
        ("ict", 404),
        ("applicant", 404),
        ("commission", 404),
    ],
)
def test_who_opens_the_file(world, as_user, who, status):
    response = as_user(world[who]).get(file_url(world["record"]))
    assert response.status_code == status
    if status == 200:
        assert "Aigerim" in response.content.decode()


def test_anonymous_is_sent_to_log_in_and_an_unknown_file_is_404(world, as_user, client):
    response = client.get(file_url(world["record"]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert as_user(world["office"]).get("/students/999999/file/").status_code == 404


def test_the_adviser_loses_the_file_when_the_group_changes_hands(world, as_user):
    academics_services.group_advisor_set(group=world["group"], advisor=world["other_adviser"], by=world["office"])
    assert as_user(world["adviser"]).get(file_url(world["record"])).status_code == 404
    assert as_user(world["other_adviser"]).get(file_url(world["record"])).status_code == 200


def test_an_adviser_who_lost_the_teacher_role_no_longer_reads_the_file(world, as_user):
    adviser = world["adviser"]
    adviser.roles = ""
    adviser.save(update_fields=["roles"])
    assert as_user(adviser).get(file_url(world["record"])).status_code == 404


@pytest.mark.parametrize("status", [StudentStatus.EXPELLED, StudentStatus.ACADEMIC_LEAVE, StudentStatus.GRADUATED])
def test_an_expelled_or_on_leave_student_keeps_reading_their_file(world, as_user, status):
    StudentRecord.objects.filter(pk=world["record"].pk).update(status=status)
    client = as_user(world["student"])
    for url in (file_url(world["record"]), "/my/file/"):
        response = client.get(url)
        assert response.status_code == 200
        assert str(StudentStatus(status).label) in response.content.decode()


def test_my_file_is_the_students_own_and_a_person_without_a_record_gets_a_clear_page(world, as_user):
    response = as_user(world["student"]).get("/my/file/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "My file" in html and "Aigerim" in html and "Classmate" not in html
    for who in ("teacher", "office", "applicant"):
        response = as_user(world[who]).get("/my/file/")
        assert response.status_code == 200
        assert 'id="no-record"' in response.content.decode()


# --- The header and the sections per reader ------------------------------------------------------------
def test_the_header_shows_the_record_its_adviser_and_the_basis_in_force(world, as_user):
    record = world["record"]
    with translation.override("en"):
        academics_services.restrictive_measure_create(
            reason="Quarantine",
            order_number="7-Н",
            order_date=timezone.localdate(),
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate() + datetime.timedelta(days=3),
            groups=[world["group"]],
            by=world["office"],
        )
    html = as_user(world["student"]).get(file_url(record)).content.decode()
    header = html.split('id="file-header"')[1].split("</header>")[0]
    assert record.programme.code in header and "ИН-25-1" in header
    assert "Year of study" in header and "Network" in header
    assert "Status: Studying" in header
    assert "Restrictive measures (quarantine, emergencies)" in header  # the basis in force today
    assert "own basis: Higher or postgraduate study" in header
    assert "Adviser" in header and world["adviser"].last_name in header


def test_the_adviser_is_not_assigned_yet(world, as_user):
    world["group"].advisor = None
    world["group"].save()
    html = as_user(world["office"]).get(file_url(world["record"])).content.decode()
    assert "not assigned" in html.split('id="file-adviser"')[1].split("</dd>")[0]


def test_each_reader_sees_the_sections_meant_for_them(world, as_user):
    url = file_url(world["record"])
    seen = {}
    for who in ("student", "adviser", "office", "rector"):
        seen[who] = as_user(world[who]).get(url).content.decode()
    for who in ("student", "office", "rector"):
        assert {"record", "transcript", "documents"} <= set(section_ids(seen[who])), who
    # The adviser reads the record and the transcript, not the admission papers and certificates.
    assert {"record", "transcript"} <= set(section_ids(seen["adviser"]))
    assert "documents" not in section_ids(seen["adviser"])
    # The IIN: the student's own and the offices'; never the adviser's.
    iin = world["student"].iin
    assert iin in seen["student"] and iin in seen["office"] and iin in seen["rector"]
    assert iin not in seen["adviser"]
    # The office's actions on the record: the office alone.
    assert 'id="record-actions"' in seen["office"]
    for who in ("student", "adviser", "rector"):
        assert 'id="record-actions"' not in seen[who], who
    # The contents list every section shown, in the registry's order.
    for who, html in seen.items():
        toc = html.split('class="file-toc')[1].split("</nav>")[0]
        assert re.findall(r'href="#([\w-]+)"', toc) == section_ids(html), who
    assert section_ids(seen["office"]).index("record") < section_ids(seen["office"]).index("transcript")


def test_the_file_is_translated(world, as_user):
    client = as_user(world["student"])
    client.cookies["django_language"] = "kk"
    kk = client.get(file_url(world["record"]), HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    client.cookies["django_language"] = "ru"
    ru = client.get(file_url(world["record"]), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert 'lang="kk"' in kk and 'lang="ru"' in ru
    assert kk != ru


# --- The transcript section against the gradebook --------------------------------------------------------
def _past_term(year_name: str, days_ago: int) -> Term:
    today = timezone.localdate()
    year, _ = AcademicYear.objects.get_or_create(
        name=year_name,
        defaults={
            "starts_on": today - datetime.timedelta(days=days_ago + 30),
            "ends_on": today - datetime.timedelta(days=days_ago - 300),
        },
    )
    return Term.objects.create(
        academic_year=year,
        kind=TermKind.AUTUMN,
        starts_on=today - datetime.timedelta(days=days_ago),
        ends_on=today - datetime.timedelta(days=days_ago - 100),
    )


def _graded_course(student, teacher, term, marks, credits=5, name="Гармония"):
    course = CourseFactory(term=term, discipline__credits=credits, discipline__name_en=name)
    course.teachers.add(teacher)
    enrol(student, course)
    with translation.override("en"):
        items = {i.title: i for i in grade_services.default_items_create(course=course)}
    for title, points in marks:
        grade_services.grade_post(
            item=items[title],
            student=student,
            points=Decimal(points),
            posted_by=teacher,
            source=GradeSource.JOURNAL,
            approved=True,  # a past term's columns are locked: entered with the office's approval
            reason="Archive",
        )
    return course


def test_the_transcript_section_shows_the_gradebooks_results_and_gpa(world, as_user):
    student, teacher = world["student"], world["teacher"]
    term = _past_term("2090-2091", 400)
    _graded_course(student, teacher, term, MARKS, credits=5, name="Harmony of the past")  # B, 3.0
    _graded_course(student, teacher, term, [(t, 100) for t, _p in MARKS], credits=3, name="Polyphony")  # A, 4.0
    terms = grade_selectors.transcript(student)
    past = next(t for t in terms if t.term == term)
    assert past.gpa == Decimal("3.38")

    html = as_user(student).get(file_url(world["record"])).content.decode()
    section = html.split('id="transcript"')[1].split("</section>")[0]
    assert "Harmony of the past" in section and "Polyphony" in section
    assert str(term) in section
    assert ">B<" in section and ">A<" in section
    assert "3.38" in section  # the term's GPA, from the gradebook
    assert f"<strong>{terms[-1].cumulative_gpa}</strong>" in section
    assert f"<strong>{sum(t.credits for t in terms)}</strong>" in section
    assert 'href="/transcript.pdf"' in section  # the student's own PDF
    office = as_user(world["office"]).get(file_url(world["record"])).content.decode()
    assert f'href="/people/{student.pk}/transcript.pdf"' in office
    adviser = as_user(world["adviser"]).get(file_url(world["record"])).content.decode()
    assert "3.38" in adviser and "transcript.pdf" not in adviser  # grades serves no PDF to the adviser


def test_a_course_without_results_yet_shows_no_letter_and_no_gpa(world, as_user):
    record = StudentRecord.objects.get(student=world["other_student"])
    html = as_user(world["office"]).get(file_url(record)).content.decode()
    section = html.split('id="transcript"')[1].split("</section>")[0]
    assert "Cumulative GPA: <strong>—</strong>" in section and "Credits earned: <strong>0</strong>" in section


# --- The documents section -------------------------------------------------------------------------------
def _enrolled_application(world):
    from ustaz.admissions.models import Application, ApplicationDocument, Campaign, Offer, Status

    today = timezone.localdate()
    campaign = Campaign.objects.create(
        title="Қабылдау 2025",
        opens_on=today - datetime.timedelta(days=200),
        closes_on=today - datetime.timedelta(days=100),
    )
    offer = Offer.objects.create(
        campaign=campaign, programme=world["programme"], places=5, fee_per_year=Decimal("1200000"), years=4
    )
    application = Application.objects.create(
        applicant=world["student"], offer=offer, basis="higher_blended", status=Status.ENROLLED
    )
    document = ApplicationDocument(
        application=application, kind="identity", name="passport.pdf", content_type="application/pdf", size=len(PDF)
    )
    document.file.save("passport.pdf", ContentFile(PDF), save=False)
    document.save()
    return document


def test_the_documents_section_lists_admissions_papers_with_working_links(world, as_user):
    document = _enrolled_application(world)
    academics_services.basis_document_save(
        record=world["record"],
        upload=SimpleUploadedFile("certificate.pdf", PDF),
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
        by=world["office"],
    )
    for who in ("student", "office", "rector"):
        client = as_user(world[who])
        html = client.get(file_url(world["record"])).content.decode()
        section = html.split('id="documents"')[1].split("</section>")[0]
        assert "passport.pdf" in section and "Identity document" in section, who
        link = f'href="/admission/documents/{document.pk}/"'
        assert link in section, who
        download = client.get(f"/admission/documents/{document.pk}/")
        assert download.status_code == 200 and b"".join(download.streaming_content) == PDF, who
        assert "certificate.pdf" in section and "valid until" in section, who
        # The basis's document is served to the office alone (academics:basis_document): a link for it only.
        basis_link = f'href="/office/students/{world["record"].pk}/basis/document/"'
        assert (basis_link in section) == (who == "office"), who


def test_a_student_who_did_not_come_through_admission(world, as_user):
    html = as_user(world["student"]).get(file_url(world["record"])).content.decode()
    section = html.split('id="documents"')[1].split("</section>")[0]
    assert 'id="no-admission"' in section
    assert "No document of the DLT basis is kept." in section


def test_a_draft_or_rejected_application_of_the_student_is_not_in_the_file(world, as_user):
    from ustaz.admissions.models import Application, Status

    document = _enrolled_application(world)
    Application.objects.filter(pk=document.application_id).update(status=Status.REJECTED)
    html = as_user(world["office"]).get(file_url(world["record"])).content.decode()
    assert "passport.pdf" not in html


# --- Query counts ------------------------------------------------------------------------------------------
def _file_queries(client, url) -> int:
    client.get(url)  # warm: session, caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["student", "office", "adviser"])
def test_the_file_makes_the_same_queries_however_long_the_history(world, as_user, who):
    client = as_user(world[who])
    url = file_url(world["record"])
    _enrolled_application(world)
    term = _past_term("2088-2089", 700)
    _graded_course(world["student"], world["teacher"], term, MARKS)
    small = _file_queries(client, url)
    # Several more terms, courses with grades, admission documents.
    for n, days in enumerate((600, 500, 450)):
        later = _past_term(f"20{91 + n}-20{92 + n}", days)
        for _ in range(3):
            _graded_course(world["student"], world["teacher"], later, MARKS)
    from ustaz.admissions.models import Application, ApplicationDocument

    application = Application.objects.get(applicant=world["student"])
    for kind in ("education", "education_supplement", "medical"):
        extra = ApplicationDocument(application=application, kind=kind, name=f"{kind}.pdf", size=len(PDF))
        extra.file.save(f"{kind}.pdf", ContentFile(PDF), save=False)
        extra.save()
    large = _file_queries(client, url)
    assert len(grade_selectors.transcript(world["student"])) >= 4
    assert large == small, (small, large)


# --- Links to the file ---------------------------------------------------------------------------------------
def test_the_people_page_and_the_bases_page_link_to_the_file(world, as_user):
    office = as_user(world["office"])
    url = file_url(world["record"])
    person = office.get(f"/people/{world['student'].pk}/").content.decode()
    assert f'href="{url}"' in person and "Student&#x27;s file" in person
    assert f'href="{url}"' in office.get("/office/bases/").content.decode()
    # A person with no student record has no such entry.
    assert "Student&#x27;s file" not in office.get(f"/people/{world['teacher'].pk}/").content.decode()


def test_the_navigation_offers_my_file_to_students(world, as_user):
    assert 'href="/my/file/"' in as_user(world["student"]).get("/").content.decode()
    assert 'href="/my/file/"' not in as_user(world["teacher"]).get("/").content.decode()
    for reader in ("office", "rector"):
        assert as_user(world[reader]).get("/").content.decode().count('href="/office/students/"') == 1, reader
    assert 'href="/office/students/"' not in as_user(world["adviser"]).get("/").content.decode()
    assert 'href="/my/advisees/"' in as_user(world["adviser"]).get("/").content.decode()
