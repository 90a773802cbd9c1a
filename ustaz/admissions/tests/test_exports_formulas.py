"""The admission report workbook: a programme named like a formula is text, never a formula; counts stay numbers."""

from __future__ import annotations

import io

import openpyxl
from django.urls import reverse

from testkit import admission as kit
from ustaz.academics.models import Programme

from .test_office_pages import member, offer  # noqa: F401 - the fixtures


def test_the_admission_report_workbook_has_no_formula(as_user, offer, office):  # noqa: F811
    Programme.objects.filter(pk=offer.programme_id).update(
        code="=cmd", name_kk='=HYPERLINK("http://evil.example","x")', name_ru="=1+1", name_en="=1+1"
    )
    kit.checked_application(offer, by=office)
    response = as_user(office).get(reverse("admissions:report"), {"campaign": offer.campaign_id, "format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert any(isinstance(c.value, str) and c.value.startswith("=") and c.data_type == "s" for c in cells)
    assert any(c.value == 1 and c.data_type == "n" for c in cells)
