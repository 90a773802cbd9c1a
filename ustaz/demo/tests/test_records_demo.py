from django.core.management import call_command
from django.utils.timezone import localdate

from ustaz.academics import selectors as academics_selectors
from ustaz.academics.models import DltBasis, StudentRecord, StudentStatus
from ustaz.records import selectors
from ustaz.records.models import HistoryEntry, Order, OrderKind, OrderStatus


def test_the_demo_has_enrolment_orders_a_student_on_leave_and_one_expelled_and_reinstated(db):
    call_command("load_demo")
    counts = (Order.objects.count(), HistoryEntry.objects.count())
    call_command("load_demo")  # a second run adds nothing
    assert (Order.objects.count(), HistoryEntry.objects.count()) == counts

    today = localdate()
    assert not Order.objects.exclude(status=OrderStatus.APPLIED).exists()
    # Everyone's enrolment is an order; demo-student studies.
    assert HistoryEntry.objects.filter(item__order__kind=OrderKind.ENROLMENT).count() == StudentRecord.objects.count()
    demo = StudentRecord.objects.get(student__username="demo-student")
    assert demo.status == StudentStatus.ACTIVE
    [on_leave] = StudentRecord.objects.filter(status=StudentStatus.ACADEMIC_LEAVE)
    assert on_leave.group_id == demo.group_id
    assert selectors.status_on(on_leave, today) == StudentStatus.ACADEMIC_LEAVE
    [expulsion] = Order.objects.filter(kind=OrderKind.EXPULSION)
    returned = expulsion.items.get().record
    assert returned.status == StudentStatus.ACTIVE
    assert selectors.status_on(returned, expulsion.effective_on) == StudentStatus.EXPELLED
    assert expulsion.effective_on.year in (today.year, today.year - 1)
    assert [e.order.kind for e in selectors.history(returned)] == [
        OrderKind.ENROLMENT,
        OrderKind.EXPULSION,
        OrderKind.REINSTATEMENT,
    ]
    # demo-student's group studied under restrictive measures for last spring's quarantine, now ended.
    [quarantine] = academics_selectors.measures_covering(demo)
    assert quarantine.ends_on < today
    assert academics_selectors.effective_basis(demo, quarantine.starts_on) == DltBasis.RESTRICTIONS
