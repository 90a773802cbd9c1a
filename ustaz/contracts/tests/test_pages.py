"""The contracts' pages: the office's list (queries constant in the number of students), the paying students
without a contract and the office's contract for one, a contract's page with its years, addenda, discounts and
refunds recorded there (bad input: 400 with the reason, nothing saved), the PDFs, the student's own contract,
and the contracts section of the student's file (the student's own, the office's and the rector's; no money for
an adviser or a teacher)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from testkit.factories import CourseFactory, UserFactory, enrol
from ustaz.academics import student_file
from ustaz.academics.models import StudentRecord
from ustaz.contracts import services
from ustaz.contracts.models import Contract, Discount, Payment, Refund

from .conftest import make_contract


@pytest.fixture
def rector(db):
    return UserFactory(roles=",rector,")


def _paying_student():
    student = UserFactory(roles=",student,")
    enrol(student, CourseFactory())
    return StudentRecord.objects.select_related("student").get(student=student)


def test_the_office_list_costs_the_same_queries_for_few_and_many_students(office, as_user):
    client = as_user(office)
    counts = []
    for size in (3, 15):
        while Contract.objects.count() < size:
            contract = make_contract(office, years=2, first_year=2025)
            services.payment_record(
                contract=contract, amount=Decimal(1000), paid_on=datetime.date(2025, 9, 1), reference="", by=office
            )
            _paying_student()  # and one without a contract, counted on the page
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("contracts:list"))
        assert response.status_code == 200 and len(response.context["contracts"]) == size
        assert response.context["missing"] == size
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("contracts:missing")).status_code == 200
    few = len(queries)
    _paying_student()
    with CaptureQueriesContext(connection) as queries:
        assert len(client.get(reverse("contracts:missing")).context["records"]) == 16
    assert len(queries) == few


def test_the_office_makes_a_contract_from_the_list_of_paying_students_without_one(office, student, as_user):
    record = _paying_student()
    client = as_user(office)
    page = client.get(reverse("contracts:missing")).content.decode()
    assert record.student.full_name in page and reverse("contracts:create", args=[record.pk]) in page
    url = reverse("contracts:create", args=[record.pk])
    for bad in (
        {"first_year": "20x6", "years": "2", "fee": "1000"},
        {"first_year": "2026", "years": "2", "fee": "9" * 40},
    ):
        response = client.post(url, bad)
        assert response.status_code == 400 and not Contract.objects.exists()
    assert client.post(reverse("contracts:create", args=[999999]), {}).status_code == 404
    assert as_user(student).post(url, {"first_year": "2026", "years": "2", "fee": "1000"}).status_code == 404
    response = client.post(url, {"first_year": "2026", "years": "2", "fee": "850 000"})
    contract = Contract.objects.get()
    assert response.url == reverse("contracts:contract", args=[contract.pk])
    assert contract.student == record.student and contract.study_years.count() == 2
    assert client.post(url, {"first_year": "2026", "years": "2", "fee": "1000"}).status_code == 400


def test_the_contract_page_records_addenda_discounts_and_refunds_and_refuses_bad_input(office, student, as_user):
    contract = make_contract(office, student=student, fee="1000000", years=1, first_year=2025)
    url = reverse("contracts:contract", args=[contract.pk])
    client = as_user(office)
    assert client.post(url, {"action": "payment", "amount": "600000", "paid_on": "2025-09-10"}).status_code == 302
    refund = {"action": "refund", "amount": "100000", "refunded_on": "2025-09-20", "reason": "Екі рет төленді"}
    assert client.post(url, {**refund, "amount": "600000.01"}).status_code == 400
    assert client.post(url, {**refund, "refunded_on": "вчера"}).status_code == 400
    assert client.post(url, refund).status_code == 302
    year = contract.study_years.get()
    discount = {
        "action": "discount",
        "year": year.pk,
        "kind": "percent",
        "value": "10",
        "reason": "Отбасынан екінші студент",
        "order_number": "45-Ж",
        "order_date": "2025-09-01",
    }
    for bad in ({"value": "NaN"}, {"value": "1e400"}, {"value": "150"}, {"year": "x"}, {"year": "0"}):
        response = client.post(url, {**discount, **bad})
        assert response.status_code == 400, bad
    assert client.post(url, {**discount, "kind": "amount", "value": "много"}).status_code == 400
    assert client.post(url, discount).status_code == 302
    addendum = {
        "action": "addendum",
        "academic_year": "2026",
        "fee": "1 100 000",
        "number": "1",
        "signed_on": "2026-08-20",
    }
    assert client.post(url, {**addendum, "academic_year": "3000"}).status_code == 400
    assert client.post(url, {**addendum, "fee": "-5"}).status_code == 400
    assert client.post(url, addendum).status_code == 302
    assert (Payment.objects.count(), Refund.objects.count(), Discount.objects.count()) == (1, 1, 1)
    page = client.get(url).content.decode()
    added = contract.study_years.get(academic_year=2026)
    assert "2026–2027" in page and reverse("contracts:addendum_pdf", args=[added.pk, "kk"]) in page
    assert "Отбасынан екінші студент" in page and "Екі рет төленді" in page and 'id="refunded"' in page
    # Its student reads it all and records nothing; another student gets 404.
    assert as_user(student).get(url).status_code == 200
    assert as_user(student).post(url, refund).status_code == 403
    assert as_user(UserFactory(roles=",student,")).get(url).status_code == 404
    pdf = as_user(student).get(reverse("contracts:addendum_pdf", args=[added.pk, "ru"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert client.get(reverse("contracts:addendum_pdf", args=[added.pk, "en"])).status_code == 404
    # The contract's own years have no addendum to print.
    assert client.get(reverse("contracts:addendum_pdf", args=[year.pk, "kk"])).status_code == 404
    assert as_user(student).get(reverse("contracts:my_contract")).url == url


def _section(viewer, record):
    found = [ctx for section, ctx in student_file.sections_for(viewer, record) if section.key == "contracts"]
    return found[0] if found else None


def test_the_file_section_shows_money_to_the_student_the_office_and_the_rector_only(office, rector, db):
    record = _paying_student()
    advisor = UserFactory(roles=",teacher,")
    record.group.advisor = advisor
    record.group.save()
    contract = services.contract_for_record(record=record, first_year=2025, years=1, fee=Decimal(800000), by=office)
    services.addendum_record(
        contract=contract,
        academic_year=2026,
        fee=Decimal(900000),
        number="1",
        signed_on=datetime.date(2026, 8, 1),
        by=office,
    )
    services.payment_record(
        contract=contract, amount=Decimal(400000), paid_on=datetime.date(2025, 9, 1), reference="", by=office
    )
    for viewer in (record.student, office, rector):
        context = _section(viewer, record)
        assert context is not None and [c["contract"] for c in context["contracts"]] == [contract]
    for viewer in (advisor, UserFactory(roles=",teacher,"), UserFactory(roles=",student,")):
        assert _section(viewer, record) is None
    from django.template.loader import render_to_string

    html = render_to_string("contracts/file_section.html", _section(office, record))
    assert contract.number in html and "2026–2027" in html and "400" in html


def test_the_file_section_costs_the_same_queries_however_long_the_history(office, db):
    record = _paying_student()
    contract = services.contract_for_record(record=record, first_year=2020, years=1, fee=Decimal(800000), by=office)
    counts = []
    for extra in (0, 4):
        for n in range(extra):
            last = contract.study_years.order_by("-academic_year").first()
            year = services.addendum_record(
                contract=contract,
                academic_year=last.academic_year + 1,
                fee=Decimal(800000 + n),
                number=f"{last.academic_year}-{n}",
                signed_on=datetime.date(2025, 1, 1),
                by=office,
            )
            services.discount_record(
                year=year,
                amount=Decimal(1000),
                reason="x",
                order_number=str(n),
                order_date=datetime.date(2025, 1, 1),
                by=office,
            )
            services.payment_record(
                contract=contract, amount=Decimal(5), paid_on=datetime.date(2025, 1, 1), reference="", by=office
            )
        fresh = type(record).objects.get(pk=record.pk)  # as a new request reads it: nothing cached on it
        with CaptureQueriesContext(connection) as queries:
            context = _section(office, fresh)
        assert len(context["contracts"][0]["balance"].years) == 1 + extra
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_list_without_a_contract_is_paged_and_searched(office, as_user):
    from ustaz.contracts.views import MISSING_PER_PAGE

    records = [_paying_student() for _ in range(MISSING_PER_PAGE + 3)]
    target = records[7].student
    target.last_name = "Сәрсенбаева"
    target.save()
    client = as_user(office)
    first = client.get(reverse("contracts:missing"))
    assert len(first.context["records"]) == MISSING_PER_PAGE and first.context["page"].paginator.count == len(records)
    second = client.get(reverse("contracts:missing"), {"page": 2})
    assert len(second.context["records"]) == 3
    found = client.get(reverse("contracts:missing"), {"q": "сәрсенбаева"})  # in lower case, on SQLite too
    assert [r.pk for r in found.context["records"]] == [records[7].pk]
    assert "Сәрсенбаева" in found.content.decode()
