"""Contracts in the demo (issue 22): a continuing student whose contract the office made (not through
admission): last academic year at one fee, this one at another by an addendum, a family discount on this year
by the rector's order, the payments of what fell due, and a refund of a payment made twice. Made once: a second
run finds it. (demo-student's admission contract keeps its overdue installment: load_demo.)"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from ustaz.academics.models import Funding, StudentRecord
from ustaz.accounts.models import User
from ustaz.contracts import services
from ustaz.contracts.models import Contract
from ustaz.contracts.money import academic_year_of


def load_contracts_demo(today: datetime.date | None = None) -> Contract | None:
    today = today or timezone.localdate()
    if Contract.objects.filter(application__isnull=True).exists():
        return None
    office = User.objects.get(username="demo-office")
    record = (
        StudentRecord.objects.filter(funding=Funding.PAID_CONTRACT, year_of_study__gte=2, student__contracts=None)
        .exclude(student__username="demo-student")
        .select_related("student")
        .order_by("student__username")
        .first()
    )
    if record is None:
        return None
    start = academic_year_of(today)
    contract = services.contract_for_record(
        record=record, first_year=start - 1, years=1, fee=Decimal("850000"), by=office
    )
    contract.signed_on = datetime.date(start - 1, 8, 28)
    contract.save(update_fields=["signed_on"])
    signed = min(datetime.date(start, 8, 26), today)
    year = services.addendum_record(
        contract=contract, academic_year=start, fee=Decimal("920000"), number="1", signed_on=signed, by=office
    )
    services.discount_record(
        year=year,
        percent=Decimal(10),
        reason="Отбасынан екінші студент (інісі де осы университетте оқиды)",
        order_number="214-Ж",
        order_date=signed,
        by=office,
    )
    for number, installment in enumerate(i for i in contract.installments.all() if i.due_on < today):
        services.payment_record(
            contract=contract,
            amount=installment.amount,
            paid_on=installment.due_on - datetime.timedelta(days=2),
            reference=f"KZ-DEMO-{contract.pk}-{number:02d}",
            by=office,
        )
    first = contract.installments.order_by("due_on").first()
    twice_on = first.due_on - datetime.timedelta(days=1)
    services.payment_record(contract=contract, amount=first.amount, paid_on=twice_on, reference="", by=office)
    services.refund_record(
        contract=contract,
        amount=first.amount,
        refunded_on=min(twice_on + datetime.timedelta(days=10), today),
        reason="Төлем екі рет жасалды: артығы қайтарылды",
        by=office,
    )
    return contract
