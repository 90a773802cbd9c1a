"""The administration cannot move a student's status, group, programme or technology behind the orders' back:
those change only by an order, so each change is in the student's history (docs/decisions/0014)."""

from __future__ import annotations

from django.urls import reverse

from ustaz.academics.models import Delivery, StudentRecord, StudentStatus


def test_an_existing_records_order_fields_are_read_only_in_the_admin(as_user, office, student):
    record = StudentRecord.objects.get(student=student)
    url = reverse("admin:academics_studentrecord_change", args=[record.pk])
    page = as_user(office).get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert not {"status", "group", "programme", "delivery"} & set(form.fields)
    assert {"dlt_basis", "country_of_residence"} <= set(form.fields)
    data = {
        "student": student.pk,
        "year_of_study": 2,
        "dlt_basis": record.dlt_basis,
        "funding": record.funding,
        "contract_number": "",
        "country_of_residence": "KZ",
        # Sent all the same: ignored.
        "status": StudentStatus.EXPELLED,
        "delivery": Delivery.CASE,
    }
    response = as_user(office).post(url, data)
    assert response.status_code == 302, getattr(response, "context", None) and response.context["adminform"].form.errors
    record.refresh_from_db()
    assert record.year_of_study == 2
    assert record.status == StudentStatus.ACTIVE and record.delivery == Delivery.NETWORK
