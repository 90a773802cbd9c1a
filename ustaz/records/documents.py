"""The PDF of an order in Kazakh or Russian (WeasyPrint), whole or as one student's extract."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from ustaz.academics.models import StudentRecord

from . import selectors
from .models import Order, OrderStatus

PDF_LANGUAGES = ("kk", "ru")


def order_html(order: Order, language: str, *, record: StudentRecord | None = None) -> str:
    if language not in PDF_LANGUAGES:
        raise ValueError(language)
    items = selectors.order_items(order)
    if record is not None:
        items = [i for i in items if i.record_id == record.pk]
    with translation.override(language):
        return render_to_string(
            "records/order_pdf.html",
            {
                "order": order,
                "items": items,
                "extract": record is not None,
                "draft": order.status == OrderStatus.DRAFT,
                "UNIVERSITY_NAME": settings.UNIVERSITY_NAME,
                "language": language,
            },
        )


def order_pdf(order: Order, language: str, *, record: StudentRecord | None = None) -> bytes:
    from weasyprint import HTML

    return HTML(string=order_html(order, language, record=record)).write_pdf()
