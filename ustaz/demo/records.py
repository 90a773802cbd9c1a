"""Orders on students in the demo (docs/decisions/0014): every student's enrolment as an order of their year
of admission (under the rector's admission order where admission recorded one), one student on academic leave
now, one expelled last year and reinstated this autumn. demo-student stays studying. The group under restrictive
measures for last spring's quarantine is made with the DLT basis (load_demo.add_dlt_basis). Made once: a second
run finds the orders and adds nothing."""

from __future__ import annotations

import datetime

from django.utils import timezone

from ustaz.academics.models import StudentRecord, StudentStatus
from ustaz.accounts.models import User
from ustaz.admissions.models import Decision
from ustaz.records import services
from ustaz.records.models import ExpulsionReason, LeaveReason, Order, OrderKind
from ustaz.records.services import ItemData, OrderData

SIGNATORY = "Ректор Ә. Т. Құлбаев"


def _year_start(today: datetime.date) -> int:
    return today.year if today.month >= 8 else today.year - 1


def _issue(kind: str, records, *, on: datetime.date, number: str, by: User, text: str, **item) -> Order:
    order = services.order_draft(
        data=OrderData(
            kind=kind,
            order_date=on,
            effective_on=on,
            signed_by=SIGNATORY,
            text=text,
            items=[ItemData(record=r, **item) for r in records],
        ),
        by=by,
    )
    return services.order_issue(order=order, number=number, by=by)


def load_records() -> None:
    if Order.objects.exists():
        return
    office = User.objects.get(username="demo-office")
    today = timezone.localdate()
    start = _year_start(today)
    records = list(StudentRecord.objects.select_related("student", "group", "programme").order_by("pk"))
    decisions = {d.order_date.year: d for d in Decision.objects.order_by("order_date")}
    by_year: dict[int, list[StudentRecord]] = {}
    for record in records:
        by_year.setdefault(record.group.admission_year, []).append(record)
    for index, (year, people) in enumerate(sorted(by_year.items())):
        decision = decisions.get(year)
        on = decision.order_date if decision else datetime.date(year, 8, 28)
        if on > today:
            on = today
        _issue(
            OrderKind.ENROLMENT,
            people,
            on=on,
            number=decision.order_number if decision else f"{40 + index}-Қ",
            by=office,
            text="Қабылдау комиссиясының шешімі негізінде білім алушылар қатарына қабылдансын.",
        )
    others = [r for r in records if r.student.username != "demo-student" and r.status == StudentStatus.ACTIVE]
    demo_group = next(r.group_id for r in records if r.student.username == "demo-student")
    # A classmate of demo-student on childcare leave since the autumn.
    on_leave = next(r for r in others if r.group_id == demo_group)
    leave_from = max(datetime.date(start, 10, 1), today - datetime.timedelta(days=30))
    leave_from = min(leave_from, today)
    _issue(
        OrderKind.LEAVE,
        [on_leave],
        on=leave_from,
        number="118-Д",
        by=office,
        text="Білім алушының өтініші және туу туралы куәлік негізінде.",
        leave_reason=LeaveReason.CHILDCARE,
        leave_until=datetime.date(start + 2, 8, 31),
    )
    # Another student expelled last spring for an unpaid contract and reinstated this autumn.
    returned = next(
        r for r in others if r.group_id != demo_group and r.pk != on_leave.pk and r.group.admission_year < start
    )
    _issue(
        OrderKind.EXPULSION,
        [returned],
        on=datetime.date(start, 3, 20),
        number="57-О",
        by=office,
        text="Ақылы оқу шарты бойынша төлем жасалмағандықтан.",
        expulsion_reason=ExpulsionReason.UNPAID,
    )
    _issue(
        OrderKind.REINSTATEMENT,
        [returned],
        on=min(datetime.date(start, 9, 1), today),
        number="96-Қ",
        by=office,
        text="Білім алушының өтініші және қарызы өтелгені негізінде.",
        to_group=StudentRecord.objects.get(pk=returned.pk).group,
    )
