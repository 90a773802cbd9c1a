"""The admission pages of the commission, the rector and the office, each checked for who may open it (the
wrong role and the other campaign's commission get 404 or 403), for masked IINs in lists, and for a number of
SQL queries that does not grow with the applications."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import openpyxl
import pypdfium2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from testkit import admission as kit
from testkit.factories import ProgrammeFactory, StudyGroupFactory, UserFactory
from testkit.media import tone
from ustaz.academics.models import StudentRecord
from ustaz.accounts.models import User
from ustaz.admissions import contracts, exams, ranking
from ustaz.admissions.models import Campaign, ExamScore, Offer, Status
from ustaz.contracts.models import Payment


@pytest.fixture
def member(db):
    return UserFactory(roles=",admission_commission,")


@pytest.fixture
def outsider(db):
    """A commission member of another campaign."""
    other = Campaign.objects.create(
        title="Басқа", opens_on=datetime.date(2025, 6, 1), closes_on=datetime.date(2025, 8, 1)
    )
    user = UserFactory(roles=",admission_commission,")
    other.commission.add(user)
    return user


@pytest.fixture
def offer(db, member):
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        title="Қабылдау", opens_on=today - datetime.timedelta(days=30), closes_on=today + datetime.timedelta(days=5)
    )
    campaign.commission.add(member)
    return Offer.objects.create(campaign=campaign, programme=ProgrammeFactory(), places=2, fee_per_year=900_000)


def _text(pdf: bytes) -> str:
    return "".join(page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(pdf))


def test_the_queue_and_review_are_the_campaigns_own_and_mask_iins(as_user, offer, member, outsider, office, student):
    application = kit.checked_application(offer, by=office)
    application.status = Status.SUBMITTED
    application.save()
    page = as_user(member).get(reverse("admissions:queue")).content.decode()
    assert application.applicant.full_name in page
    assert application.iin not in page and f"{application.iin[:2]}••••••••{application.iin[-2:]}" in page
    assert application.applicant.full_name not in as_user(outsider).get(reverse("admissions:queue")).content.decode()
    assert as_user(outsider).get(reverse("admissions:review", args=[application.pk])).status_code == 404
    assert as_user(student).get(reverse("admissions:queue")).status_code == 404
    assert as_user(member).get(reverse("admissions:review", args=[application.pk])).status_code == 200
    # The rector reads the application but the check is the commission's and the office's.
    rector = UserFactory(roles=",rector,")
    review = reverse("admissions:review", args=[application.pk])
    assert as_user(rector).get(review).status_code == 200
    assert as_user(rector).post(review, {"action": "checked"}).status_code == 403
    assert as_user(outsider).post(review, {"action": "checked"}).status_code == 404
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert as_user(outsider).get(reverse("admissions:campaign", args=[offer.campaign_id])).status_code == 404
    assert as_user(member).get(reverse("admissions:campaign", args=[offer.campaign_id])).status_code == 200


def test_the_queue_makes_the_same_queries_for_many_applications(
    as_user, offer, member, office, django_assert_max_num_queries
):
    for _i in range(12):
        application = kit.checked_application(offer, by=office)
        application.status = Status.SUBMITTED
        application.save()
    client = as_user(member)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("admissions:queue")).status_code == 200


def test_members_score_on_the_sheet_and_the_office_publishes(as_user, offer, member, outsider, office, student):
    exam = kit.exam(offer, pass_score=50)
    first = kit.checked_application(offer, by=office)
    second = kit.checked_application(offer, by=office)
    url = reverse("admissions:exam", args=[exam.pk])
    criteria = list(exam.criteria.all())
    for user in (outsider, student, first.applicant):
        assert as_user(user).get(url).status_code == 404
    # The office sees the sheet but does not score.
    assert as_user(office).post(reverse("admissions:exam_score", args=[exam.pk, first.pk]), {}).status_code == 403
    score_url = reverse("admissions:exam_score", args=[exam.pk, first.pk])
    response = as_user(member).post(score_url, {f"c{criteria[0].pk}": "41,5", f"c{criteria[1].pk}": "40"})
    assert response.status_code == 302
    assert sorted(ExamScore.objects.filter(application=first).values_list("points", flat=True)) == [40, Decimal("41.5")]
    as_user(member).post(score_url, {f"c{criteria[0].pk}": "99", f"c{criteria[1].pk}": "40"})
    assert ExamScore.objects.get(application=first, criterion=criteria[0]).points == Decimal("41.5")  # refused
    page = as_user(member).get(url).content.decode()
    assert "81.5" in page or "81,5" in page
    assert as_user(student).post(reverse("admissions:exam_publish", args=[exam.pk])).status_code == 404
    as_user(office).post(reverse("admissions:exam_publish", args=[exam.pk]))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.EXAMINED and first.total_score == Decimal("81.5")
    assert second.status == Status.CHECKED  # absent
    # The applicant reads the score on their page; another applicant cannot open it.
    mine = as_user(first.applicant).get(reverse("admissions:application", args=[first.pk])).content.decode()
    assert 'id="result-' in mine and "81.5" in mine
    assert as_user(second.applicant).get(reverse("admissions:application", args=[first.pk])).status_code == 404


def test_the_sheet_makes_the_same_queries_for_many_examinees(
    as_user, offer, member, office, django_assert_max_num_queries
):
    exam = kit.exam(offer)
    for _i in range(10):
        kit.score(exam, kit.checked_application(offer, by=office), member, 30, 30)
    client = as_user(member)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("admissions:exam", args=[exam.pk])).status_code == 200


def test_a_recording_is_sent_checked_by_content_and_read_only_by_its_people(
    as_user, offer, member, outsider, office, tmp_path, django_capture_on_commit_callbacks
):
    exam = kit.exam(offer, format="recording")
    application = kit.checked_application(offer, by=office)
    other = kit.checked_application(offer, by=office)
    url = reverse("admissions:recording_upload", args=[exam.pk, application.pk])
    client = as_user(application.applicant)
    client.post(url, {"file": SimpleUploadedFile("performance.wav", b"MZ\x90\x00" + b"\x00" * 200)})
    assert not application.exam_recordings.exists()
    audio = tone(tmp_path / "performance.wav", seconds=1.0).read_bytes()
    client.post(url, {"file": SimpleUploadedFile("performance.wav", audio)})
    recording = application.exam_recordings.get()
    assert recording.content_type.startswith("audio/")
    file_url = reverse("admissions:recording", args=[recording.pk])
    assert b"".join(as_user(member).get(file_url).streaming_content) == audio
    for user in (outsider, other.applicant):
        assert as_user(user).get(file_url).status_code == 404
    # A second recording replaces the first; a failed one (the wrong kind) leaves the stored one as it was.
    first_name = recording.file.name
    client.post(url, {"file": SimpleUploadedFile("take2.exe", b"MZ\x90\x00" + b"\x00" * 200)})
    recording.refresh_from_db()
    assert recording.file.name == first_name and recording.file.storage.exists(first_name)
    second = tone(tmp_path / "take2.wav", seconds=0.5, frequency=660).read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"file": SimpleUploadedFile("take2.wav", second)})
    recording.refresh_from_db()
    assert recording.file.read() == second and not recording.file.storage.exists(first_name)
    # Somebody else's application: 404, nothing stored.
    assert as_user(other.applicant).post(url, {"file": SimpleUploadedFile("x.wav", audio)}).status_code == 404


def _examined(offer, member, office, n):
    exam = kit.exam(offer)
    made = [kit.checked_application(offer, by=office) for _i in range(n)]
    for index, application in enumerate(made):
        kit.score(exam, application, member, 50 - index, 40)
    exams.results_publish(exam=exam, by=office)
    for application in made:
        application.refresh_from_db()
    return made


def test_the_rector_records_the_order_from_the_list_and_the_lists_come_as_pdfs(
    as_user, offer, member, outsider, office, django_assert_max_num_queries
):
    rector = UserFactory(roles=",rector,")
    a, b, c, d = _examined(offer, member, office, 4)
    url = reverse("admissions:ranking", args=[offer.pk])
    page = as_user(member).get(url).content.decode()
    assert page.index(a.applicant.full_name) < page.index(b.applicant.full_name) < page.index(c.applicant.full_name)
    assert a.iin not in page
    assert 'name="admit"' not in page  # the commission reads the list, the rector decides
    assert as_user(outsider).get(url).status_code == 404
    assert (
        as_user(member).post(url, {"order_number": "1", "order_date": "2026-08-28", "admit": [a.pk]}).status_code == 403
    )
    client = as_user(rector)
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200
    # More than the places: refused, nothing recorded, the reason shown.
    response = as_user(rector).post(
        url, {"order_number": "77-Қ", "order_date": "2026-08-28", "admit": [a.pk, b.pk, c.pk]}, follow=True
    )
    assert "2" in response.content.decode() and not offer.decisions.exists()
    as_user(rector).post(
        url, {"order_number": "77-Қ", "order_date": "2026-08-28", "admit": [a.pk, b.pk], "close": "on"}
    )
    decision = offer.decisions.get()
    a.refresh_from_db()
    c.refresh_from_db()
    assert (a.status, c.status) == (Status.ADMITTED, Status.REJECTED)
    for language, word in (("kk", "тізімі"), ("ru", "Список")):
        response = as_user(member).get(reverse("admissions:decision_pdf", args=[decision.pk, language]))
        text = _text(response.content)
        assert word in text and "77-Қ" in text and a.applicant.last_name in text and c.applicant.last_name not in text
    assert as_user(outsider).get(reverse("admissions:decision_pdf", args=[decision.pk, "kk"])).status_code == 404
    assert as_user(a.applicant).get(reverse("admissions:decision_pdf", args=[decision.pk, "kk"])).status_code == 404


def _admitted(offer, member, office):
    (application,) = _examined(offer, member, office, 1)
    ranking.decision_record(
        offer=offer, order_number="5-Қ", order_date=datetime.date(2026, 8, 28), admitted=[application.pk], by=office
    )
    application.refresh_from_db()
    return application


def test_the_office_makes_the_contract_records_payments_and_enrols(
    as_user, offer, member, office, student, smtp_server
):
    application = _admitted(offer, member, office)
    group = StudyGroupFactory(programme=offer.programme, name="КӨ-26-1")
    assert as_user(member).post(reverse("admissions:contract_create", args=[application.pk])).status_code == 404
    as_user(office).post(reverse("admissions:contract_create", args=[application.pk]), {"printed_materials": "on"})
    application.refresh_from_db()
    contract = application.contract
    url = reverse("contracts:contract", args=[contract.pk])
    # Its student sees it (and the PDFs); another student does not; the student cannot record anything.
    assert as_user(application.applicant).get(url).status_code == 200
    assert as_user(application.applicant).post(url, {"action": "payment", "amount": "1"}).status_code == 403
    for user in (student, member):
        assert as_user(user).get(url).status_code == 404
        assert as_user(user).get(reverse("contracts:contract_pdf", args=[contract.pk, "ru"])).status_code == 404
    pdf = as_user(application.applicant).get(reverse("contracts:contract_pdf", args=[contract.pk, "ru"])).content
    assert "Договор" in _text(pdf)
    office_client = as_user(office)
    office_client.post(url, {"action": "payment", "amount": "abc", "paid_on": "2026-09-01"})
    assert not Payment.objects.exists()
    office_client.post(url, {"action": "payment", "amount": "450 000", "paid_on": "2026-09-01", "reference": "A-1"})
    assert Payment.objects.get().amount == 450000
    # Enrolment waits for the signature.
    enrol_url = reverse("admissions:enrol", args=[application.pk])
    assert as_user(member).post(enrol_url, {"group": group.pk, "delivery": "network"}).status_code == 404
    office_client.post(enrol_url, {"group": group.pk, "delivery": "network"})
    assert not StudentRecord.objects.filter(student=application.applicant).exists()
    office_client.post(url, {"action": "sign", "signed_on": timezone.localdate().isoformat()})
    review = office_client.get(reverse("admissions:review", args=[application.pk])).content.decode()
    assert 'id="enrol"' in review
    response = office_client.post(enrol_url, {"group": group.pk, "delivery": "network"})
    assert response.status_code == 302 and response.url == reverse("accounts:issued")
    user = User.objects.get(pk=application.applicant_id)
    assert StudentRecord.objects.get(student=user).group == group
    mail = smtp_server.messages[-1]
    assert user.username in mail.get_content()
    slips = office_client.get(reverse("accounts:issued_slips"))
    assert user.username in _text(slips.content)
    # The student's own link to the contract (once the one-time password is changed); the office still reads
    # the application and documents.
    assert as_user(user).get(reverse("contracts:my_contract")).url == reverse("account_change_password")
    user.must_change_password = False
    user.save()
    assert as_user(user).get(reverse("contracts:my_contract")).url == url
    # Another student has none: a page that says so, nobody else's contract.
    other = as_user(student).get(reverse("contracts:my_contract"))
    assert other.status_code == 200 and contract.number not in other.content.decode()
    assert as_user(office).get(reverse("admissions:review", args=[application.pk])).status_code == 200
    file_page = as_user(office).get(reverse("accounts:person", args=[user.pk])).content.decode()
    assert reverse("admissions:review", args=[application.pk]) in file_page and url in file_page
    document = application.documents.first()
    assert as_user(user).get(reverse("admissions:document", args=[document.pk])).status_code == 200


def test_the_contracts_list_and_the_statement_import(as_user, offer, member, office, django_assert_max_num_queries):
    application = _admitted(offer, member, office)
    contract = contracts.contract_create(application=application, printed_materials=False, by=office)
    url = reverse("contracts:list")
    assert as_user(member).get(url).status_code == 404
    bad = f"date,contract,amount,reference\n2026-09-01,{contract.number},100,R-1\n2026-09-01,NOPE-1,100,R-2\n"
    page = as_user(office).post(url, {"statement": SimpleUploadedFile("s.csv", bad.encode())}).content.decode()
    assert "NOPE-1" in page and 'id="import-errors"' in page and not Payment.objects.exists()
    good = f"date,contract,amount,reference\n2026-09-01,{contract.number},100,R-1\n"
    as_user(office).post(url, {"statement": SimpleUploadedFile("s.csv", good.encode())})
    as_user(office).post(url, {"statement": SimpleUploadedFile("s.csv", good.encode())})
    assert Payment.objects.count() == 1
    client = as_user(office)
    with django_assert_max_num_queries(8):
        assert contract.number in client.get(url).content.decode()


def test_reports_count_by_programme_basis_country_status_and_the_funnel(as_user, offer, member, outsider, office):
    kit.checked_application(offer, by=office, basis="business_trip", country="DE")
    kit.checked_application(offer, by=office, basis="business_trip", country="KZ")
    kit.checked_application(offer, by=office, basis="working_adult", country="KZ")
    url = reverse("admissions:report")
    # A commission member sees their campaign only: another campaign is 404.
    assert as_user(member).get(url).context["chosen"] == offer.campaign
    assert as_user(member).get(url, {"campaign": offer.campaign_id}).status_code == 200
    assert as_user(outsider).get(url, {"campaign": offer.campaign_id}).status_code == 404
    response = as_user(office).get(url, {"campaign": offer.campaign_id, "format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheets = {ws.title: {row[0]: row[1] for row in ws.iter_rows(min_row=2, values_only=True)} for ws in book}
    assert len(sheets) == 5
    funnel, by_programme, by_basis, by_country, by_status = sheets.values()
    assert funnel["registered"] == 3 and funnel["submitted"] == 3 and funnel["documents checked"] == 3
    assert funnel["enrolled"] == 0
    assert by_country == {"KZ": 2, "DE": 1}
    assert sum(by_basis.values()) == 3 and max(by_basis.values()) == 2
    assert by_status == {"documents checked": 3}
    assert list(by_programme.values()) == [3]
    html = as_user(office).get(url).content.decode()
    assert "<svg" in html and "DE" in html


@pytest.fixture
def bbb(settings):
    from testkit.bbb import FakeBigBlueButton

    with FakeBigBlueButton(secret="bbb-exam-secret", algorithm="sha256") as fake:
        settings.BBB_URL, settings.BBB_SECRET, settings.BBB_CHECKSUM = fake.url, fake.secret, "sha256"
        yield fake


def test_an_online_exam_opens_in_bigbluebutton_the_commission_as_moderators(
    as_user, offer, member, outsider, office, bbb
):
    exam = kit.exam(offer, format="online")
    exam.provider = "bbb"
    exam.save()
    application = kit.checked_application(offer, by=office)
    url = reverse("admissions:exam_join", args=[exam.pk])
    # Before the commission opens the room, the applicant is told to wait.
    early = as_user(application.applicant).post(url)
    assert early.url == reverse("admissions:home") and exam.meeting_id not in bbb.meetings
    opened = as_user(member).post(url)
    assert opened.status_code == 302 and "join?" in opened.url and "role=MODERATOR" in opened.url
    assert bbb.meetings[exam.meeting_id].params["record"] == "true"
    joined = as_user(application.applicant).post(url)
    assert "role=VIEWER" in joined.url
    assert as_user(application.applicant).get(url).status_code == 405
    for user in (
        outsider,
        kit.checked_application(
            Offer.objects.create(campaign=offer.campaign, programme=ProgrammeFactory(), places=1, fee_per_year=1),
            by=office,
        ).applicant,
    ):
        assert as_user(user).post(url).status_code == 404


def test_an_online_exam_by_jitsi_gives_the_commission_a_moderator_token(as_user, offer, member, office, settings):
    from ustaz.live.providers import jwt_decode

    settings.JITSI_URL, settings.JITSI_JWT_SECRET, settings.JITSI_APP_ID = "https://meet.example.kz", "s3cret", "ustaz"
    exam = kit.exam(offer, format="online")
    exam.provider = "jitsi"
    exam.save()
    application = kit.checked_application(offer, by=office)
    url = reverse("admissions:exam_join", args=[exam.pk])
    for user, moderator in ((member, True), (application.applicant, False)):
        address = as_user(user).post(url).url
        assert address.startswith(f"https://meet.example.kz/{exam.meeting_id}?jwt=")
        token = address.split("jwt=", 1)[1].split("#", 1)[0]
        assert jwt_decode(token, "s3cret")["context"]["user"]["moderator"] is moderator


def test_creative_exams_are_in_the_calendars_of_their_applicants_and_commission(offer, member, outsider, office):
    from ustaz.core.calendar import events_for

    exam = kit.exam(offer)
    sent = kit.exam(offer, "Бейнежазба", position=2, format="recording")
    checked = kit.checked_application(offer, by=office)
    start, end = timezone.now(), timezone.now() + datetime.timedelta(days=30)
    for user in (checked.applicant, member):
        uids = {e.uid for e in events_for(user, start, end)}
        assert {f"admission-exam-{exam.pk}", f"admission-exam-{sent.pk}"} <= uids
    for user in (outsider, office):
        assert not any(e.uid.startswith("admission-exam-") for e in events_for(user, start, end))
    # Not yet checked: no exam to sit.
    drafted = UserFactory(roles=",applicant,")
    from ustaz.admissions import services

    services.application_draft(applicant=drafted, offer=offer, basis="higher_blended")
    assert not any(e.uid.startswith("admission-exam-") for e in events_for(drafted, start, end))


def test_the_office_records_a_refused_place_on_the_application(as_user, offer, member, office):
    application = _admitted(offer, member, office)
    url = reverse("admissions:review", args=[application.pk])
    assert 'id="decline"' in as_user(office).get(url).content.decode()
    assert as_user(member).post(url, {"action": "declined", "reason": "Бас тартты."}).status_code == 403
    as_user(office).post(url, {"action": "declined", "reason": "Бас тартты."})
    application.refresh_from_db()
    assert application.status == Status.DECLINED
    assert application.history.filter(new=Status.DECLINED, by=office, reason="Бас тартты.").exists()
    page = as_user(member).get(reverse("admissions:ranking", args=[offer.pk])).content.decode()
    assert application.applicant.full_name in page
