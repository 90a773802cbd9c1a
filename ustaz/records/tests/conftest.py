import datetime

import pytest
from django.utils import timezone

from testkit.factories import CourseFactory, StudyGroupFactory, UserFactory, enrol
from ustaz.academics.models import StudentRecord
from ustaz.accounts.models import Role
from ustaz.records import services
from ustaz.records.services import ItemData, OrderData


@pytest.fixture
def group(db):
    return StudyGroupFactory()


def make_student(group, course=None, **user):
    person = UserFactory(roles=f",{Role.STUDENT},", **user)
    enrol(person, course or CourseFactory(), group)
    return StudentRecord.objects.select_related("student", "group", "programme").get(student=person)


@pytest.fixture
def record(group, course):
    return make_student(group, course, first_name="Асель", last_name="Нурланова")


def order_of(kind, records, *, by, effective_on=None, order_date=None, number=None, **item):
    """Draft and issue an order (applied at once when its date has come)."""
    today = timezone.localdate()
    order_date = order_date or min(today, effective_on or today)
    order = services.order_draft(
        data=OrderData(
            kind=kind,
            order_date=order_date,
            effective_on=effective_on or today,
            signed_by="Ректор А. Б. Сейітов",
            items=[ItemData(record=r, **item) for r in records],
        ),
        by=by,
    )
    services.order_issue(order=order, number=number or services.next_number(order_date.year), by=by)
    order.refresh_from_db()
    return order


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)
