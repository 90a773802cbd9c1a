"""The contract of an admitted applicant (made by ustaz.contracts, linked to the application; PDF in kk and ru)
and enrolment, which waits for it to be signed."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pypdfium2
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from testkit import admission as kit
from testkit.factories import PASSWORD, ProgrammeFactory, StudyGroupFactory, UserFactory
from ustaz.academics.models import StudentRecord
from ustaz.accounts.models import User
from ustaz.admissions import contracts, enrolment, exams, ranking
from ustaz.admissions.models import Application, Campaign, Offer, Status
from ustaz.contracts import documents
from ustaz.contracts import services as contract_services
from ustaz.core.models import AuditEvent


@pytest.fixture
def admitted(db, office):
    """An admitted applicant of a programme (fee 1 200 000, printed materials 60 000 a year, 4 years)."""
    member = UserFactory(roles=",admission_commission,")
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        title="Қабылдау 2026", opens_on=today - datetime.timedelta(days=5), closes_on=today + datetime.timedelta(days=5)
    )
    campaign.commission.add(member)
    offer = Offer.objects.create(
        campaign=campaign,
        programme=ProgrammeFactory(),
        places=5,
        fee_per_year=Decimal("1200000"),
        printed_materials_fee=Decimal("60000"),
        years=4,
    )
    exam = kit.exam(offer)
    application = kit.checked_application(offer, by=office)
    kit.score(exam, application, member, 40, 45)
    exams.results_publish(exam=exam, by=office)
    application.refresh_from_db()
    ranking.decision_record(
        offer=offer, order_number="12-Қ", order_date=datetime.date(2026, 8, 28), admitted=[application.pk], by=office
    )
    application.refresh_from_db()
    # The campaign is over: it ran in the summer of 2026 (the contract's numbers and schedule follow from it).
    Campaign.objects.filter(pk=campaign.pk).update(
        opens_on=datetime.date(2026, 6, 20), closes_on=datetime.date(2026, 8, 25)
    )
    return Application.objects.select_related("offer__campaign").get(pk=application.pk)


def test_a_contract_is_made_for_the_admitted_with_its_terms_and_pdfs(admitted, office):
    contract = contracts.contract_create(application=admitted, printed_materials=True, by=office)
    assert contract.number == "DL-2026-0001"
    assert contract.amount_per_year == Decimal("1260000") and contract.years == 4
    assert contract.installments.count() == 8
    assert contract.installments.first().due_on == datetime.date(2026, 9, 15)
    admitted.refresh_from_db()
    assert admitted.contract == contract and contract.student_id == admitted.applicant_id
    assert contract.iin == admitted.iin and contract.basis == admitted.basis
    assert [(y.academic_year, y.study_year) for y in contract.study_years.all()] == [
        (2026 + i, 1 + i) for i in range(4)
    ]
    with pytest.raises(ValidationError):
        contracts.contract_create(application=admitted, printed_materials=False, by=office)
    for language, words in (("kk", "Шарт"), ("ru", "Договор")):
        pdf = documents.contract_pdf(contract, language)
        text = "".join(page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(pdf))
        assert words in text, language
        assert "DL-2026-0001" in text and admitted.applicant.last_name in text
        assert "1 260 000" in text.replace("\u00a0", " ") or "1260000" in text.replace("\u00a0", "").replace(" ", "")


def test_a_contract_is_refused_before_admission(office, admitted):
    admitted.status = Status.EXAMINED
    admitted.save(update_fields=["status"])  # the status is read again under the row's lock
    with pytest.raises(ValidationError, match="admitted"):
        contracts.contract_create(application=admitted, printed_materials=False, by=office)


def test_enrolment_needs_a_signed_contract_and_issues_a_student_account(admitted, office):
    group = StudyGroupFactory(programme=admitted.offer.programme, name="ИО-26-1", admission_year=2026)
    contract = contracts.contract_create(application=admitted, printed_materials=False, by=office)
    with pytest.raises(ValidationError, match="signed"):
        enrolment.enrol(application=admitted, group=group, delivery="network", by=office)
    with pytest.raises(ValidationError, match="future"):
        contract_services.contract_sign(
            contract=contract, signed_on=timezone.localdate() + datetime.timedelta(days=1), by=office
        )
    contract_services.contract_sign(contract=contract, signed_on=timezone.localdate(), by=office)
    other = StudyGroupFactory()
    with pytest.raises(ValidationError, match="another programme"):
        enrolment.enrol(application=admitted, group=other, delivery="network", by=office)

    credential = enrolment.enrol(application=admitted, group=group, delivery="case", by=office)

    user = User.objects.get(pk=admitted.applicant_id)
    assert user.has_role("student") and not user.has_role("applicant") and user.must_change_password
    assert user.username == credential.user.username and "@" not in user.username
    assert user.check_password(credential.password) and not user.check_password(PASSWORD)
    record = StudentRecord.objects.get(student=user)
    assert (record.group, record.delivery, record.dlt_basis, record.contract_number) == (
        group,
        "case",
        admitted.basis,
        contract.number,
    )
    admitted.refresh_from_db()
    assert admitted.status == Status.ENROLLED and admitted.documents.count() == 3  # the file keeps them
    assert AuditEvent.objects.filter(action="admissions.enrolled", target_id=str(user.pk)).exists()
    with pytest.raises(ValidationError):
        enrolment.enrol(application=admitted, group=group, delivery="case", by=office)
    # The issued credentials log in.
    client = Client()
    assert client.login(username=credential.user.username, password=credential.password)
