"""For each basis of §1.5: the documents it asks for, submission refused until they are there (the missing
ones named), accepted afterwards; the history keeps who, when and why."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from testkit.factories import ProgrammeFactory, UserFactory
from ustaz.academics.models import DltBasis
from ustaz.accounts.iin import make_iin
from ustaz.admissions import documents, services
from ustaz.admissions.models import Campaign, Offer, Status, StatusChange
from ustaz.notifications.models import Notification

PDF = b"%PDF-1.4\n% scan\n"


@pytest.fixture
def offer(db):
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        title="2027 қабылдау",
        opens_on=today - datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=30),
    )
    return Offer.objects.create(campaign=campaign, programme=ProgrammeFactory(), places=10, fee_per_year=1_500_000)


@pytest.fixture
def applicant(db):
    return UserFactory(roles=",applicant,")


EXPECTED = {
    DltBasis.SHORTENED: {"prior_diploma"},
    DltBasis.SPECIAL_NEEDS: {"pmpc", "disability"},
    DltBasis.TEMPORARY_HEALTH: {"medical"},
    DltBasis.EXCHANGE: {"exchange"},
    DltBasis.HIGHER_BLENDED: set(),
    DltBasis.BUSINESS_TRIP: {"business_trip"},
    DltBasis.ACADEMIC_MOBILITY: {"mobility"},
    DltBasis.FOREIGN_FAMILY: {"foreign_identity", "family"},
    DltBasis.MILITARY_SERVICE: {"military"},
    DltBasis.WORKING_ADULT: {"employer"},
    DltBasis.RESTRICTIONS: set(),
}


def test_every_basis_has_its_rule():
    assert set(EXPECTED) == set(DltBasis.values)


@pytest.mark.parametrize("basis", list(DltBasis.values))
def test_each_basis_asks_for_its_documents_and_refuses_until_they_are_there(basis, offer, applicant):
    required = documents.required(basis)
    assert set(required) == {"identity", "education", "education_supplement"} | EXPECTED[basis]
    application = services.application_draft(
        applicant=applicant,
        offer=offer,
        basis=basis,
        justification="Шетелде тұрамын, күндізгі оқуға келе алмаймын.",
        iin=make_iin(datetime.date(2008, 3, 1), female=False, serial=7),
    )
    # Everything but the last required document: refused, the missing one named.
    for kind in required[:-1]:
        services.document_add(
            application=application, kind=kind, upload=SimpleUploadedFile(f"{kind}.pdf", PDF), by=applicant
        )
    with pytest.raises(Exception) as refused:
        services.application_submit(application=application, by=applicant)
    label = str(dict(documents.DocumentKind.choices)[required[-1]])
    assert label in str(refused.value)
    services.document_add(
        application=application, kind=required[-1], upload=SimpleUploadedFile("last.pdf", PDF), by=applicant
    )
    services.application_submit(application=application, by=applicant)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED and application.submitted_at
    assert list(StatusChange.objects.filter(application=application).values_list("old", "new")) == [
        ("", "draft"),
        ("draft", "submitted"),
    ]


def test_a_document_is_checked_by_its_content(offer, applicant):
    application = services.application_draft(applicant=applicant, offer=offer, basis=DltBasis.EXCHANGE)
    with pytest.raises(Exception, match="not a PDF or a scan"):
        services.document_add(
            application=application,
            kind="identity",
            upload=SimpleUploadedFile("passport.pdf", b"MZ\x90\x00program"),
            by=applicant,
        )
    assert not application.documents.exists()


def test_the_justification_and_iin_are_needed_and_a_bad_iin_is_refused(offer, applicant):
    with pytest.raises(ValidationError):
        services.application_draft(applicant=applicant, offer=offer, basis=DltBasis.HIGHER_BLENDED, iin="123456789012")
    application = services.application_draft(applicant=applicant, offer=offer, basis=DltBasis.HIGHER_BLENDED)
    with pytest.raises(Exception) as refused:
        services.application_submit(application=application, by=applicant)
    message = str(refused.value)
    assert "justification" in message and "IIN" in message and "Identity document" in message


def _documented_draft(applicant, offer):
    """A draft with its justification, IIN and every document it needs, ready to submit."""
    application = services.application_draft(
        applicant=applicant,
        offer=offer,
        basis=DltBasis.HIGHER_BLENDED,
        justification="Жұмыс істеймін.",
        iin=make_iin(datetime.date(2007, 5, 5), female=True, serial=3),
    )
    for kind in documents.required(DltBasis.HIGHER_BLENDED):
        services.document_add(application=application, kind=kind, upload=SimpleUploadedFile("d.pdf", PDF), by=applicant)
    return application


def test_a_returned_application_tells_the_applicant_what_to_fix(offer, applicant):
    commission = UserFactory(roles=",admission_commission,")
    application = _documented_draft(applicant, offer)
    services.application_submit(application=application, by=applicant)
    with pytest.raises(Exception, match="what the applicant must correct"):
        services.status_change(application=application, new=Status.RETURNED, by=commission)
    services.status_change(
        application=application, new=Status.RETURNED, by=commission, reason="Аттестаттың қосымшасы оқылмайды."
    )
    notice = Notification.objects.get(user=applicant, kind="admissions.status_changed")
    assert "returned" in notice.title and "оқылмайды" in notice.body
    last = StatusChange.objects.filter(application=application).last()
    assert (last.old, last.new, last.by, last.reason) == (
        "submitted",
        "returned",
        commission,
        "Аттестаттың қосымшасы оқылмайды.",
    )
    # Returned: the applicant may change it again.
    services.application_draft(applicant=applicant, offer=offer, city="Берлин")


def test_the_office_opens_a_campaign_in_the_administration(as_user, office, applicant):
    from django.urls import reverse

    assert as_user(office).get(reverse("admin:admissions_campaign_add")).status_code == 200
    assert as_user(applicant).get(reverse("admin:admissions_campaign_add")).status_code == 302


def test_the_office_schedules_a_creative_exam_with_its_criteria_in_the_administration(as_user, office, offer):
    from django.urls import reverse

    from ustaz.admissions.models import CreativeExam

    url = reverse("admin:admissions_creativeexam_add")
    assert as_user(office).get(url).status_code == 200
    response = as_user(office).post(
        url,
        {
            "offer": offer.pk,
            "position": 1,
            "title": "Шығармашылық емтихан",
            "format": "online",
            "provider": "link",
            "link": "https://meet.example.kz/exam",
            "place": "",
            "starts_at_0": "2027-07-10",
            "starts_at_1": "10:00:00",
            "duration_minutes": 90,
            "pass_score": "50",
            "criteria-TOTAL_FORMS": "2",
            "criteria-INITIAL_FORMS": "0",
            "criteria-MIN_NUM_FORMS": "0",
            "criteria-MAX_NUM_FORMS": "1000",
            "criteria-0-position": "1",
            "criteria-0-name": "Техника",
            "criteria-0-max_points": "50",
            "criteria-1-position": "2",
            "criteria-1-name": "Көркемдік",
            "criteria-1-max_points": "50",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    exam = CreativeExam.objects.get(offer=offer)
    assert list(exam.criteria.values_list("name", "max_points")) == [("Техника", 50), ("Көркемдік", 50)]
    # 10:00 in Almaty (the office's zone) is 05:00 UTC.
    assert exam.starts_at.astimezone(datetime.UTC).hour == 5


def test_applications_come_in_only_while_the_campaign_is_open(offer, applicant):
    """A closed campaign takes no new application, nor a first submission; a returned one is still corrected."""
    today = timezone.localdate()
    other = UserFactory(roles=",applicant,")
    application = _documented_draft(applicant, offer)
    Campaign.objects.filter(pk=offer.campaign_id).update(closes_on=today - datetime.timedelta(days=1))
    offer.refresh_from_db()
    application.refresh_from_db()
    with pytest.raises(ValidationError, match="does not take applications"):
        services.application_draft(applicant=other, offer=offer)
    with pytest.raises(ValidationError, match="closed on"):
        services.application_submit(application=application, by=applicant)
    # Returned for corrections before the closing day: corrected and submitted after it.
    application.status = Status.RETURNED
    application.save()
    services.application_draft(applicant=applicant, offer=offer, city="Шымкент")
    services.application_submit(application=application, by=applicant)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
