"""Contracts from the template (PDF in kk and ru), their schedules, payments by hand and from bank statements
(each bad line reported, nothing half-recorded, nothing counted twice), balances and overdue; enrolment."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import openpyxl
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
from ustaz.admissions.models import Application, Campaign, Contract, Offer, Payment, Status
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


def test_the_schedule_splits_each_year_and_adds_up_exactly(settings):
    settings.ADMISSION_PAYMENT_SCHEDULE = [("09-15", 30), ("12-01", 30), ("03-01", 40)]
    plan = contracts.schedule(amount_per_year=Decimal("1000000.01"), years=2, first_year=2026)
    assert [d for d, _a in plan] == [
        datetime.date(2026, 9, 15),
        datetime.date(2026, 12, 1),
        datetime.date(2027, 3, 1),
        datetime.date(2027, 9, 15),
        datetime.date(2027, 12, 1),
        datetime.date(2028, 3, 1),
    ]
    assert sum(a for _d, a in plan[:3]) == Decimal("1000000.01")
    assert plan[0][1] == Decimal("300000.00") and plan[2][1] == Decimal("400000.01")


def test_a_contract_is_made_for_the_admitted_with_its_terms_and_pdfs(admitted, office):
    contract = contracts.contract_create(application=admitted, printed_materials=True, by=office)
    assert contract.number == "DL-2026-0001"
    assert contract.amount_per_year == Decimal("1260000") and contract.years == 4
    assert contract.installments.count() == 8
    assert contract.installments.first().due_on == datetime.date(2026, 9, 15)
    with pytest.raises(ValidationError):
        contracts.contract_create(application=admitted, printed_materials=False, by=office)
    for language, words in (("kk", "Шарт"), ("ru", "Договор")):
        pdf = contracts.contract_pdf(contract, language)
        text = "".join(page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(pdf))
        assert words in text, language
        assert "DL-2026-0001" in text and admitted.applicant.last_name in text
        assert "1 260 000" in text.replace("\u00a0", " ") or "1260000" in text.replace("\u00a0", "").replace(" ", "")


def test_a_contract_is_refused_before_admission(office, admitted):
    admitted.status = Status.EXAMINED
    with pytest.raises(ValidationError, match="admitted"):
        contracts.contract_create(application=admitted, printed_materials=False, by=office)


def test_balance_covers_installments_oldest_first_and_shows_overdue(admitted, office):
    contract = contracts.contract_create(application=admitted, printed_materials=False, by=office)
    # 600 000 due 15.09.2026 and 15.01.2027, and so on.
    contracts.payment_record(
        contract=contract, amount=Decimal("700000"), paid_on=datetime.date(2026, 9, 1), reference="", by=office
    )
    state = contracts.balance(contract, today=datetime.date(2027, 2, 1))
    assert state.due == Decimal("1200000") and state.paid == Decimal("700000") and state.debt == Decimal("500000")
    assert [(i.due_on, left) for i, left in state.overdue] == [(datetime.date(2027, 1, 15), Decimal("500000"))]
    assert state.next_due.due_on == datetime.date(2027, 9, 15)
    assert contracts.balance(contract, today=datetime.date(2026, 9, 20)).debt == 0
    listed = contracts.with_balances(Contract.objects.all(), today=datetime.date(2027, 2, 1)).get()
    assert (listed.paid, listed.due) == (Decimal("700000"), Decimal("1200000"))


def _statement(rows, kind="csv"):
    header = ["Дата", "Договор", "Сумма", "Номер документа"]
    if kind == "csv":
        lines = [";".join(header)] + [";".join(r) for r in rows]
        return "statement.csv", ("\n".join(lines) + "\n").encode("utf-8")
    book = openpyxl.Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return "statement.xlsx", out.getvalue()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_bank_statement_is_recorded_once_and_bad_lines_are_reported(admitted, office, kind):
    contract = contracts.contract_create(application=admitted, printed_materials=False, by=office)
    bad = _statement(
        [
            ["10.09.2026", contract.number, "300 000,00", "PP-1"],
            ["11.09.2026", "DL-1999-0042", "100000", "PP-2"],
            ["12.09.2026", contract.number, "сто тысяч", "PP-3"],
            ["2026-13-01", contract.number, "100000", "PP-4"],
        ],
        kind,
    )
    report = contracts.statement_import(filename=bad[0], content=bad[1], by=office)
    lines = dict(report.errors)
    assert set(lines) == {3, 4, 5}
    assert "DL-1999-0042" in lines[3] and "сто тысяч" in lines[4] and "2026-13-01" in lines[5]
    assert not Payment.objects.exists()  # nothing recorded half-way

    good = _statement(
        [["10.09.2026", contract.number, "300 000,00", "PP-1"], ["2026-09-14", contract.number, "300000.5", "PP-2"]],
        kind,
    )
    report = contracts.statement_import(filename=good[0], content=good[1], by=office)
    assert not report.errors and len(report.recorded) == 2 and report.already == 0
    again = contracts.statement_import(filename=good[0], content=good[1], by=office)
    assert not again.errors and again.recorded == [] and again.already == 2
    assert contracts.balance(contract).paid == Decimal("600000.50")
    assert AuditEvent.objects.filter(action="admissions.statement").count() == 2


def test_a_statement_without_its_columns_is_refused(office):
    report = contracts.statement_import(filename="s.csv", content=b"date;amount\n2026-09-01;5\n", by=office)
    assert report.errors and report.errors[0][0] == 1 and "contract" in report.errors[0][1]
    empty = contracts.statement_import(filename="s.csv", content=b"date;contract;amount;reference\n", by=office)
    assert empty.errors == [(1, "The statement has no payment lines.")] and not Payment.objects.exists()


@pytest.mark.parametrize("text", ["", "0", "-5", "12,5,5", "1e5", "abc"])
def test_malformed_amounts(text):
    with pytest.raises(ValueError):
        contracts.parse_amount(text)


@pytest.mark.parametrize(("text", "value"), [("150 000,50", "150000.50"), ("150,000.50", "150000.50"), ("7", "7")])
def test_amounts(text, value):
    assert contracts.parse_amount(text) == Decimal(value)


def test_enrolment_needs_a_signed_contract_and_issues_a_student_account(admitted, office):
    group = StudyGroupFactory(programme=admitted.offer.programme, name="ИО-26-1", admission_year=2026)
    contract = contracts.contract_create(application=admitted, printed_materials=False, by=office)
    with pytest.raises(ValidationError, match="signed"):
        enrolment.enrol(application=admitted, group=group, delivery="network", by=office)
    with pytest.raises(ValidationError, match="future"):
        contracts.contract_sign(
            contract=contract, signed_on=timezone.localdate() + datetime.timedelta(days=1), by=office
        )
    contracts.contract_sign(contract=contract, signed_on=timezone.localdate(), by=office)
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
