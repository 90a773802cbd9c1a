"""The move from admission keeps every row: a database with admission contracts, installments, payments and
their audit events, migrated, has them all in ustaz.contracts with the same keys and times, a study year per
year at its fee, each installment in its year, the student and programme filled and the application linked;
and migrated back, admission's tables have them again."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from testkit.factories import ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("admissions", "0003_declined"), ("contracts", None)]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _old_apps(executor: MigrationExecutor, latest):
    """The models as they were before the move (every other app as it is now)."""
    nodes = [n for n in latest if n[0] not in ("admissions", "contracts")] + [BEFORE[0]]
    return executor.loader.project_state(nodes).apps


def test_admission_contracts_move_with_their_rows_and_back():
    latest = _latest()
    try:
        old_apps = _old_apps(_migrate(BEFORE), latest)
        office = UserFactory(roles=",academic_office,")
        applicant = UserFactory(roles=",applicant,")
        programme = ProgrammeFactory()
        Campaign = old_apps.get_model("admissions", "Campaign")
        Offer = old_apps.get_model("admissions", "Offer")
        Application = old_apps.get_model("admissions", "Application")
        OldContract = old_apps.get_model("admissions", "Contract")
        OldInstallment = old_apps.get_model("admissions", "Installment")
        OldPayment = old_apps.get_model("admissions", "Payment")
        AuditEvent = old_apps.get_model("core", "AuditEvent")
        campaign = Campaign.objects.create(
            title="2025", opens_on=datetime.date(2025, 6, 20), closes_on=datetime.date(2025, 8, 25)
        )
        offer = Offer.objects.create(
            campaign=campaign, programme_id=programme.pk, places=5, fee_per_year=Decimal(1000000), years=2
        )
        application = Application.objects.create(
            applicant_id=applicant.pk, offer=offer, basis="business_trip", iin="990101300123", city="Almaty"
        )
        old = OldContract.objects.create(
            pk=41,
            application=application,
            number="DL-2025-0007",
            amount_per_year=Decimal(1000000),
            years=2,
            printed_materials=True,
            created_by_id=office.pk,
            signed_on=datetime.date(2025, 8, 29),
        )
        made_at = datetime.datetime(2025, 8, 27, 9, 30, tzinfo=datetime.UTC)
        OldContract.objects.filter(pk=old.pk).update(created_at=made_at)
        dates = [(2025, 9, 15), (2026, 1, 15), (2026, 9, 15), (2027, 1, 15)]
        for number, (y, m, d) in enumerate(dates):
            OldInstallment.objects.create(
                pk=70 + number, contract=old, due_on=datetime.date(y, m, d), amount=Decimal(500000)
            )
        OldPayment.objects.create(
            pk=90,
            contract=old,
            amount=Decimal(500000),
            paid_on=datetime.date(2025, 9, 10),
            reference="PP-77",
            source="statement",
            recorded_by_id=office.pk,
        )
        AuditEvent.objects.create(action="admissions.payment", target_type="admissions.contract", target_id="41")

        _migrate(latest)

        from ustaz.admissions.models import Application as NewApplication
        from ustaz.contracts import selectors
        from ustaz.contracts.models import Contract, Installment, Payment
        from ustaz.core.models import AuditEvent as NewAuditEvent

        contract = Contract.objects.get()
        assert (contract.pk, contract.number, contract.student_id, contract.programme_id) == (
            41,
            "DL-2025-0007",
            applicant.pk,
            programme.pk,
        )
        assert (contract.first_year, contract.years, contract.amount_per_year) == (2025, 2, Decimal(1000000))
        assert contract.printed_materials and contract.signed_on == datetime.date(2025, 8, 29)
        assert contract.created_at == made_at and contract.created_by_id == office.pk
        assert (contract.iin, contract.basis, contract.address) == ("990101300123", "business_trip", "KZ, Almaty")
        years = list(contract.study_years.order_by("academic_year"))
        assert [(y.academic_year, y.study_year, y.fee) for y in years] == [
            (2025, 1, Decimal(1000000)),
            (2026, 2, Decimal(1000000)),
        ]
        installments = list(Installment.objects.order_by("due_on"))
        assert [i.pk for i in installments] == [70, 71, 72, 73]
        assert [i.year_id for i in installments] == [years[0].pk, years[0].pk, years[1].pk, years[1].pk]
        payment = Payment.objects.get()
        assert (payment.pk, payment.contract_id, payment.reference, payment.source) == (90, 41, "PP-77", "statement")
        assert NewApplication.objects.get(pk=application.pk).contract_id == 41
        assert NewAuditEvent.objects.get().target_type == "contracts.contract"
        state = selectors.balance(contract, today=datetime.date(2026, 2, 1))
        assert (state.paid, state.due, state.debt) == (Decimal(500000), Decimal(1000000), Decimal(500000))
        # New rows get keys after the copied ones (PostgreSQL's sequences were moved on).
        assert (
            Payment.objects.create(
                contract=contract, amount=1, paid_on=datetime.date(2026, 1, 1), recorded_by=office
            ).pk
            > 90
        )

        back = _old_apps(_migrate(BEFORE), latest)
        again = back.get_model("admissions", "Contract").objects.get()
        assert (again.pk, again.application_id, again.number) == (41, application.pk, "DL-2025-0007")
        assert back.get_model("admissions", "Installment").objects.count() == 4
        assert back.get_model("admissions", "Payment").objects.filter(pk=90, reference="PP-77").exists()
        assert back.get_model("core", "AuditEvent").objects.get().target_type == "admissions.contract"
    finally:
        _migrate(latest)
