"""The contract and each addendum as PDF, in Kazakh or Russian, from their templates (WeasyPrint)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from .models import Contract, ContractYear

CONTRACT_LANGUAGES = ("kk", "ru")


def _pdf(template: str, context: dict, language: str) -> bytes:
    from weasyprint import HTML

    if language not in CONTRACT_LANGUAGES:
        raise ValueError(language)
    with translation.override(language):
        html = render_to_string(
            template, {**context, "UNIVERSITY_NAME": settings.UNIVERSITY_NAME, "language": language}
        )
    return HTML(string=html).write_pdf()


def contract_pdf(contract: Contract, language: str) -> bytes:
    """The contract as made: its own years (not those an addendum added or repriced) and their schedule."""
    years = [y for y in contract.study_years.all() if not y.addendum_number]
    ids = {y.pk for y in years}
    return _pdf(
        "contracts/contract_pdf.html",
        {
            "contract": contract,
            "student": contract.student,
            "programme": contract.programme,
            "installments": [i for i in contract.installments.all() if i.year_id in ids],
            "total": sum((y.fee for y in years), 0),
            "term": len(years),
        },
        language,
    )


def addendum_pdf(year: ContractYear, language: str) -> bytes:
    """An addendum: the year's fee and its schedule."""
    return _pdf(
        "contracts/addendum_pdf.html",
        {
            "year": year,
            "contract": year.contract,
            "student": year.contract.student,
            "programme": year.contract.programme,
            "installments": list(year.installments.all()),
        },
        language,
    )
