"""The protocol of an appeal commission's decision as PDF (rules.md: the commission records a protocol)."""

from __future__ import annotations


def protocol_pdf(*, appeal, commission) -> bytes:
    """In the active language (the view sets kk or ru): the commission, its members, the appeal, the decision and
    the new grade."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    members = list(commission.members.order_by("last_name", "first_name")) if commission else []
    html = render_to_string(
        "grades/appeal_protocol_pdf.html", {"appeal": appeal, "commission": commission, "members": members}
    )
    return HTML(string=html).write_pdf()
