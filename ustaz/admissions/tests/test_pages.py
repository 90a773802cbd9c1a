"""An applicant's way through the pages: registering with e-mail verification (a real SMTP server), the
draft, the documents, submitting refused then accepted; nobody else sees the application or its files."""

from __future__ import annotations

import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from testkit.factories import ProgrammeFactory, UserFactory
from ustaz.accounts.iin import make_iin
from ustaz.accounts.models import User
from ustaz.admissions.models import Application, Campaign, Offer

PDF = b"%PDF-1.4\n% scan\n"


@pytest.fixture
def offer(db):
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        title="Қабылдау", opens_on=today - datetime.timedelta(days=5), closes_on=today + datetime.timedelta(days=30)
    )
    return Offer.objects.create(campaign=campaign, programme=ProgrammeFactory(), places=10, fee_per_year=1_200_000)


def test_an_applicant_registers_confirms_the_email_and_submits(offer, smtp_server, django_capture_on_commit_callbacks):
    client = Client()
    response = client.post(
        reverse("admissions:register"),
        {"last_name": "Нұрланова", "first_name": "Әлия", "email": "aliya@example.kz", "password": "Домбыра-2027-күй"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("admissions:register_sent")
    user = User.objects.get(email="aliya@example.kz")
    assert user.has_role("applicant") and user.language == "kk"  # the language the page was in
    user.language = "en"  # read on in English
    user.save()
    # Not logged in by registering (the answer is the same for a taken address): she logs in.
    assert client.get(reverse("admissions:home")).status_code == 302
    login = {"login": "aliya@example.kz", "password": "Домбыра-2027-күй"}
    assert client.post("/accounts/login/", login).status_code == 302
    assert client.get(reverse("admissions:home")).status_code == 200
    mail = smtp_server.messages[-1]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.get_content()).group(0)
    client.post(reverse("admissions:apply", args=[offer.pk]))
    client.post(reverse("admissions:apply", args=[offer.pk]))  # again: the same application
    application = Application.objects.get(applicant=user)
    url = reverse("admissions:application", args=[application.pk])
    client.post(
        url,
        {
            "basis": "business_trip",
            "justification": "Әкем Германияда ұзақ іссапарда, отбасымызбен бірге тұрамыз.",
            "iin": make_iin(datetime.date(2008, 2, 2), female=True, serial=11),
            "citizenship": "KZ",
            "country": "DE",
            "city": "Берлин",
            "time_zone": "Europe/Berlin",
            "previous_education": "Алматы, №25 мектеп, 2026",
        },
    )
    application.refresh_from_db()
    assert application.city == "Берлин" and application.basis == "business_trip"
    for kind in ("identity", "education", "education_supplement"):
        client.post(
            reverse("admissions:document_upload", args=[application.pk]),
            {"kind": kind, "file": SimpleUploadedFile(f"{kind}.pdf", PDF)},
        )
    # Not confirmed yet: refused. Confirmed, but the business-trip certificate is missing: refused, named.
    refused = client.post(reverse("admissions:submit", args=[application.pk]), follow=True).content.decode()
    assert "Confirm your e-mail first" in refused
    path = link.split("127.0.0.1:8000")[-1] if "127.0.0.1:8000" in link else link
    assert client.get(path).status_code == 200  # a page with the button: opening the link confirms nothing
    assert not EmailAddress.objects.get(email="aliya@example.kz").verified
    client.post(path)
    refused = client.post(reverse("admissions:submit", args=[application.pk]), follow=True).content.decode()
    assert "Certificate of the business trip" in refused
    client.post(
        reverse("admissions:document_upload", args=[application.pk]),
        {"kind": "business_trip", "file": SimpleUploadedFile("trip.pdf", PDF)},
    )
    client.post(reverse("admissions:submit", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == "submitted"
    page = client.get(url).content.decode()
    assert 'id="history"' in page and "submitted" in page


def test_nobody_else_sees_an_application_or_its_documents(as_user, offer, student):
    applicant = UserFactory(roles=",applicant,")
    other = UserFactory(roles=",applicant,")
    commission = UserFactory(roles=",admission_commission,")
    offer.campaign.commission.add(commission)
    another_commission = UserFactory(roles=",admission_commission,")  # sits on no commission of this campaign
    as_user(applicant).post(reverse("admissions:apply", args=[offer.pk]))
    application = Application.objects.get(applicant=applicant)
    as_user(applicant).post(
        reverse("admissions:document_upload", args=[application.pk]),
        {"kind": "identity", "file": SimpleUploadedFile("id.pdf", PDF)},
    )
    document = application.documents.get()
    for user in (other, student, another_commission):
        assert as_user(user).get(reverse("admissions:application", args=[application.pk])).status_code == 404
        assert as_user(user).get(reverse("admissions:document", args=[document.pk])).status_code == 404
        assert as_user(user).post(reverse("admissions:submit", args=[application.pk])).status_code == 404
    # A draft is the applicant's alone: the campaign's own commission reads it (and its documents) only once
    # it is submitted.
    review = reverse("admissions:review", args=[application.pk])
    assert as_user(commission).get(reverse("admissions:document", args=[document.pk])).status_code == 404
    assert as_user(commission).get(review).status_code == 404
    application.status = "submitted"
    application.save(update_fields=["status"])
    assert as_user(commission).get(reverse("admissions:document", args=[document.pk])).status_code == 200
    assert as_user(commission).get(review).status_code == 200
    assert as_user(student).post(reverse("admissions:apply", args=[offer.pk])).status_code == 403
    assert as_user(applicant).get(reverse("admissions:apply", args=[offer.pk])).status_code == 405


def test_the_commission_checks_documents_and_returns_the_application(as_user, offer, student, office):
    from ustaz.admissions import documents, services
    from ustaz.notifications.models import Notification

    applicant = UserFactory(roles=",applicant,", language="en")
    commission = UserFactory(roles=",admission_commission,")
    offer.campaign.commission.add(commission)
    application = services.application_draft(
        applicant=applicant,
        offer=offer,
        basis="higher_blended",
        justification="Жұмыс істеймін.",
        iin=make_iin(datetime.date(2007, 5, 5), female=True, serial=5),
    )
    for kind in documents.required("higher_blended"):
        services.document_add(application=application, kind=kind, upload=SimpleUploadedFile("d.pdf", PDF), by=applicant)
    services.application_submit(application=application, by=applicant)
    queue = reverse("admissions:queue")
    review = reverse("admissions:review", args=[application.pk])
    for user in (applicant, student):
        assert as_user(user).get(queue).status_code == 404
        assert as_user(user).get(review).status_code == 404
    assert applicant.full_name in as_user(commission).get(queue).content.decode()
    assert as_user(office).get(review).status_code == 200
    supplement = application.documents.get(kind="education_supplement")
    client = as_user(commission)
    refused = client.post(review, {"action": "return_document", "document": supplement.pk}, follow=True)
    assert "Say what is wrong with the document." in refused.content.decode()
    supplement.refresh_from_db()
    assert supplement.status == "pending"
    client.post(review, {"action": "return_document", "document": supplement.pk, "comment": "Оқылмайды"})
    client.post(review, {"action": "returned", "reason": "Қосымшаны қайта жүктеңіз."})
    application.refresh_from_db()
    assert application.status == "returned"
    assert Notification.objects.filter(user=applicant, kind="admissions.status_changed").exists()
    # The applicant sees what to fix, replaces the document and submits again.
    page = as_user(applicant).get(reverse("admissions:application", args=[application.pk])).content.decode()
    assert "Оқылмайды" in page and "Қосымшаны қайта жүктеңіз." in page
    as_user(applicant).post(
        reverse("admissions:document_upload", args=[application.pk]),
        {"kind": "education_supplement", "file": SimpleUploadedFile("new.pdf", PDF)},
    )
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=applicant, email=applicant.email, verified=True, primary=True)
    as_user(applicant).post(reverse("admissions:submit", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == "submitted"
    assert list(application.history.values_list("new", flat=True)) == ["draft", "submitted", "returned", "submitted"]
