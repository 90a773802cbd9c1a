"""Reads of the contracts: a contract's balance (payments, less refunds, cover the installments oldest first,
across its years, so a year left unpaid is still owed in the next), the office's list with balances in one
query, the students who owe an overdue installment (one query for a whole journal), and a student's contracts
with everything the file shows."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from ustaz.academics.models import Funding, StudentRecord, StudentStatus

from .models import Contract, ContractYear, Installment, Payment, Refund

MONEY = DecimalField(max_digits=14, decimal_places=2)


@dataclass
class YearBalance:
    year: ContractYear
    discount: Decimal  # taken off the year's fee
    due: Decimal  # the year's fee less its discounts: what its installments add up to
    covered: Decimal  # of it, what the payments cover (oldest installments first)
    overdue: Decimal  # of it, past its dates and not covered
    carried_in: Decimal  # overdue from the years before, owed as well

    @property
    def unpaid(self) -> Decimal:
        return self.due - self.covered


@dataclass
class Balance:
    total: Decimal
    due: Decimal
    paid: Decimal
    debt: Decimal
    overdue: list[tuple[Installment, Decimal]]
    next_due: Installment | None
    payments: Decimal = Decimal(0)
    refunded: Decimal = Decimal(0)
    years: list[YearBalance] = field(default_factory=list)


def balance(contract: Contract, today: datetime.date | None = None) -> Balance:
    """Payments less refunds cover the installments oldest first, whatever their year; an installment past its
    date and not covered is overdue. Uses what is prefetched (see `with_details`) when it is there."""
    today = today or timezone.localdate()
    installments = sorted(contract.installments.all(), key=lambda i: (i.due_on, i.pk))
    payments = sum((p.amount for p in contract.payments.all()), Decimal(0))
    refunded = sum((r.amount for r in contract.refunds.all()), Decimal(0))
    paid = payments - refunded
    left = paid
    overdue = []
    next_due = None
    by_year: dict[int, list[Decimal]] = {}  # year id: [due, covered, overdue]
    for installment in installments:
        covered = min(left, installment.amount)
        left -= covered
        unpaid = installment.amount - covered
        figures = by_year.setdefault(installment.year_id, [Decimal(0)] * 3)
        figures[0] += installment.amount
        figures[1] += covered
        if unpaid and installment.due_on < today:
            overdue.append((installment, unpaid))
            figures[2] += unpaid
        elif unpaid and next_due is None:
            next_due = installment
    years = []
    carried = Decimal(0)
    for year in sorted(contract.study_years.all(), key=lambda y: y.academic_year):
        due, covered, late = by_year.get(year.pk, [Decimal(0)] * 3)
        discount = sum((d.amount for d in year.discounts.all()), Decimal(0))
        years.append(
            YearBalance(year=year, discount=discount, due=due, covered=covered, overdue=late, carried_in=carried)
        )
        carried += late
    due = sum((i.amount for i in installments if i.due_on < today), Decimal(0))
    return Balance(
        total=sum((i.amount for i in installments), Decimal(0)),
        due=due,
        paid=paid,
        debt=max(due - paid, Decimal(0)),
        overdue=overdue,
        next_due=next_due,
        payments=payments,
        refunded=refunded,
        years=years,
    )


def with_details(contracts: QuerySet[Contract]) -> QuerySet[Contract]:
    """Contracts with their years (and discounts), installments, payments and refunds: a fixed number of
    queries however many there are."""
    return contracts.select_related("programme", "student").prefetch_related(
        Prefetch("study_years", queryset=ContractYear.objects.prefetch_related("discounts")),
        "installments",
        "payments",
        "refunds",
    )


def with_balances(contracts: QuerySet[Contract], today: datetime.date | None = None) -> QuerySet[Contract]:
    """Contracts with `paid` (payments less refunds) and `due` (to date) summed in the same query."""
    today = today or timezone.localdate()
    paid = Payment.objects.filter(contract=OuterRef("pk")).values("contract").annotate(s=Sum("amount")).values("s")
    refunded = Refund.objects.filter(contract=OuterRef("pk")).values("contract").annotate(s=Sum("amount")).values("s")
    due = (
        Installment.objects.filter(contract=OuterRef("pk"), due_on__lt=today)
        .values("contract")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    zero = Value(Decimal(0))
    return contracts.annotate(
        paid=Coalesce(Subquery(paid, output_field=MONEY), zero, output_field=MONEY)
        - Coalesce(Subquery(refunded, output_field=MONEY), zero, output_field=MONEY),
        due=Coalesce(Subquery(due, output_field=MONEY), zero, output_field=MONEY),
    )


def students_with_overdue(student_ids: Iterable[int], today: datetime.date | None = None) -> set[int]:
    """Of these students, those with an installment past its date and not covered, in one query (payments
    cover the oldest installments first, so one is overdue exactly when what is due to date exceeds what is
    paid)."""
    ids = list(student_ids)
    if not ids:
        return set()
    owing = with_balances(Contract.objects.filter(student_id__in=ids), today).filter(due__gt=F("paid"))
    return set(owing.values_list("student_id", flat=True))


def contracts_of(student_id: int) -> list[Contract]:
    return list(with_details(Contract.objects.filter(student_id=student_id)).order_by("first_year", "number"))


def paying_students_without_contract(query: str = "") -> QuerySet[StudentRecord]:
    """Students on a paid contract with no contract here (imported, or enrolled by hand), studying or on leave;
    with a query, those whose name, login or group has it."""
    records = StudentRecord.objects.all()
    for word in query.split()[:5]:
        records = records.filter(
            Q(student__last_name__icontains=word)
            | Q(student__first_name__icontains=word)
            | Q(student__username__icontains=word)
            | Q(group__name__icontains=word)
        )
    return (
        records.filter(funding=Funding.PAID_CONTRACT)
        .exclude(status__in=[StudentStatus.GRADUATED, StudentStatus.EXPELLED])
        .exclude(student__contracts__isnull=False)
        .select_related("student", "programme", "group")
        .order_by("group__name", "student__last_name", "student__first_name", "pk")
    )
