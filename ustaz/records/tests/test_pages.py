"""The office's pages: the list (filters, constant queries), a new order per kind, the order page (issue,
PDFs in Kazakh and Russian), the student's history and the section of the student's file."""

import pypdfium2
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from testkit.factories import StudyGroupFactory, UserFactory
from ustaz.academics import student_file
from ustaz.academics.models import StudentStatus
from ustaz.accounts.models import Role
from ustaz.records import documents, selectors
from ustaz.records.models import ExpulsionReason, LeaveReason, Order, OrderKind, OrderStatus

from .conftest import days, make_student, order_of


def pdf_text(content: bytes) -> str:
    return "".join(page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(content))


def test_the_office_drafts_an_order_for_a_group_and_issues_it(record, office, group):
    classmate = make_student(group, first_name="Дана", last_name="Серікова")
    client = client_for(office)
    url = reverse("records:order_create") + f"?kind=leave&group={group.pk}"
    page = client.get(url)
    assert page.status_code == 200
    assert "Нурланова" in page.content.decode() and "Серікова" in page.content.decode()
    today = timezone.localdate().isoformat()
    answer = client.post(
        url,
        {
            "order_date": today,
            "effective_on": today,
            "signed_by": "Ректор Сейітов А. Б.",
            "text": "Өтініші бойынша.",
            "students": [record.pk],
            "leave_reason": LeaveReason.HEALTH,
            "leave_until": days(90).isoformat(),
        },
    )
    order = Order.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse("records:order", args=[order.pk])
    assert order.status == OrderStatus.DRAFT and order.items.get().record == record
    record.refresh_from_db()
    assert record.status == StudentStatus.ACTIVE  # a draft changes nothing
    answer = client.post(reverse("records:order_issue", args=[order.pk]), {"number": "123-С"})
    assert answer.status_code == 302
    order.refresh_from_db()
    record.refresh_from_db()
    assert order.status == OrderStatus.APPLIED and order.number == "123-С"
    assert record.status == StudentStatus.ACADEMIC_LEAVE
    classmate.refresh_from_db()
    assert classmate.status == StudentStatus.ACTIVE
    page = client.get(reverse("records:order", args=[order.pk])).content.decode()
    assert "123-С" in page and "Нурланова" in page


def test_bad_input_is_a_clear_400_and_nothing_is_lost(record, office, group):
    client = client_for(office)
    url = reverse("records:order_create") + f"?kind=return&group={group.pk}"
    today = timezone.localdate().isoformat()
    answer = client.post(url, {"order_date": today, "effective_on": today, "signed_by": "R", "students": [record.pk]})
    assert answer.status_code == 400
    assert "is not on academic leave" in answer.content.decode()
    assert not Order.objects.exists()
    answer = client.post(url, {"order_date": "not a date", "effective_on": today, "signed_by": "R"})
    assert answer.status_code == 400
    assert client.get(reverse("records:order_create") + "?kind=nonsense").status_code == 200  # the kind chooser
    order = order_of(OrderKind.GRADUATION, [make_student(group)], by=office, effective_on=days(5), number="9")
    answer = client.post(reverse("records:order_issue", args=[order.pk]), {"number": "10"})
    assert answer.status_code == 400 and "already been issued" in answer.content.decode()
    assert client.get(reverse("records:order_pdf", args=[order.pk, "de"])).status_code == 404


def test_the_order_pdf_in_kazakh_and_russian(record, office, group):
    other = make_student(group, first_name="Ерлан", last_name="Қасымов")
    order = order_of(
        OrderKind.LEAVE,
        [record, other],
        by=office,
        leave_reason=LeaveReason.MILITARY,
        leave_until=days(365),
        number="45-С",
    )
    for language, words in (("kk", ("Бұйрық", "Білім алушы", "Топ")), ("ru", ("Приказ", "Обучающийся", "Группа"))):
        text = pdf_text(documents.order_pdf(order, language))
        for word in words:
            assert word in text, (language, word)
        assert "45-С" in text and "Нурланова" in text and "Қасымов" in text
        assert "Академ" in text  # the kind's name in the language
    # A student's extract carries their part only.
    extract = pdf_text(documents.order_pdf(order, "ru", record=record))
    assert "Нурланова" in extract and "Қасымов" not in extract
    answer = client_for(record.student).get(reverse("records:extract_pdf", args=[order.pk, record.pk, "kk"]))
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    # Not the classmate's extract.
    assert (
        client_for(record.student).get(reverse("records:extract_pdf", args=[order.pk, other.pk, "kk"])).status_code
        == 404
    )


def _orders(office, groups: int):
    for _n in range(groups):
        group = StudyGroupFactory()
        students = [make_student(group) for _ in range(3)]
        order_of(OrderKind.EXPULSION, students, by=office, expulsion_reason=ExpulsionReason.OTHER)
        order_of(OrderKind.REINSTATEMENT, students[:2], by=office, to_group=group)


def test_the_list_of_orders_makes_the_same_queries_however_many(office, db):
    client = client_for(office)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("records:orders")).status_code == 200
        return len(captured)

    _orders(office, 1)
    few = count()
    _orders(office, 6)
    assert count() == few
    page = client.get(reverse("records:orders") + "?kind=reinstatement&status=applied").content.decode()
    assert selectors.orders_list(kind="reinstatement").count() == 7
    assert selectors.orders_list(kind="reinstatement", status="draft").count() == 0
    assert page.count("<tr>") == 1 + 7


def test_the_students_history_and_file_section_in_constant_queries(record, office, group):
    def section_queries(viewer):
        with CaptureQueriesContext(connection) as captured:
            shown = dict((s.key, c) for s, c in student_file.sections_for(viewer, record))
        return shown, len(captured)

    order_of(
        OrderKind.LEAVE,
        [record],
        by=office,
        order_date=days(-200),
        effective_on=days(-200),
        leave_reason=LeaveReason.OTHER,
        leave_until=days(-100),
    )
    shown, few = section_queries(office)
    for n in range(4):
        order_of(OrderKind.RETURN, [record], by=office, order_date=days(-99 + 2 * n), effective_on=days(-99 + 2 * n))
        order_of(
            OrderKind.LEAVE,
            [record],
            by=office,
            order_date=days(-98 + 2 * n),
            effective_on=days(-98 + 2 * n),
            leave_reason=LeaveReason.OTHER,
            leave_until=days(30),
        )
    shown, many = section_queries(office)
    assert many == few
    assert len(shown["status"]["entries"]) == 9
    # The student sees their section with their extracts; another student and a teacher do not.
    own, _n = section_queries(record.student)
    assert all(e.extract_readable for e in own["status"]["entries"])
    stranger = UserFactory(roles=f",{Role.STUDENT},")
    assert "status" not in dict(section_queries(stranger)[0])
    teacher = UserFactory(roles=f",{Role.TEACHER},")
    assert "status" not in dict(section_queries(teacher)[0])
    group.advisor = teacher
    group.save()
    record.refresh_from_db()
    assert "status" in dict(section_queries(teacher)[0])
    page = client_for(record.student).get(reverse("records:history", args=[record.pk])).content.decode()
    assert page.count("records/orders/") == 0  # no office links for the student
    assert reverse("records:extract_pdf", args=[record.history.first().item.order_id, record.pk, "kk"]) in page


@pytest.mark.parametrize("kind", OrderKind.values)
def test_the_form_of_each_kind_opens(office, group, kind, record):
    page = client_for(office).get(reverse("records:order_create") + f"?kind={kind}&group={group.pk}")
    assert page.status_code == 200
    assert "Нурланова" in page.content.decode()


def test_the_order_page_makes_the_same_queries_however_many_students(office, db):
    client = client_for(office)

    def count(order) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("records:order", args=[order.pk])).status_code == 200
        return len(captured)

    group = StudyGroupFactory()
    few = order_of(OrderKind.EXPULSION, [make_student(group)], by=office, expulsion_reason=ExpulsionReason.OTHER)
    many = order_of(
        OrderKind.TRANSFER,
        [make_student(group) for _ in range(12)],
        by=office,
        to_group=StudyGroupFactory(programme=group.programme),
    )
    assert count(many) == count(few)
    # And the drafting page for a group, whatever its size.
    url = reverse("records:order_create") + f"?kind=graduation&group={group.pk}"
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    small = len(captured)
    for _n in range(10):
        make_student(group)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    assert len(captured) == small
