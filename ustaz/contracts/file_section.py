"""The contracts section of the student's file: contracts, years and addenda, installments, payments, refunds,
discounts, balance and debt. The student sees their own, the office and the rector everyone's; an adviser or a
teacher sees no money (no section). A fixed number of queries whatever the student's history."""

from __future__ import annotations

from django.utils import timezone

from . import access, selectors


def context(viewer, record) -> dict | None:
    if not access.sees_money_of(viewer, record.student_id):
        return None
    today = timezone.localdate()
    items = []
    for contract in selectors.contracts_of(record.student_id):
        state = selectors.balance(contract, today)
        items.append(
            {
                "contract": contract,
                "balance": state,
                "installments": sorted(contract.installments.all(), key=lambda i: (i.due_on, i.pk)),
                "overdue": {i.pk for i, _left in state.overdue},
                "payments": list(contract.payments.all()),
                "refunds": list(contract.refunds.all()),
                "discounts": [(y.year, d) for y in state.years for d in y.year.discounts.all()],
            }
        )
    return {"contracts": items}
