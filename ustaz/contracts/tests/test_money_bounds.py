"""Sums of money too large for their column (40 digits) are refused by hand and in a statement, by line;
nothing is saved, and the money pages keep working."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ustaz.contracts import money, services
from ustaz.contracts.models import Payment

from .test_contracts import _statement

FORTY_DIGITS = "9" * 40


@pytest.mark.parametrize("text", [FORTY_DIGITS, "10000000000", "NaN", "Infinity", "1e30", "١٢٣"])
def test_amounts_beyond_a_payments_column_or_not_numbers_are_refused(text):
    with pytest.raises(money.AmountError):
        money.parse_amount(text)


def test_the_largest_amount_a_payment_keeps_is_accepted():
    assert str(money.parse_amount("9 999 999 999,99")) == "9999999999.99"


def test_a_payment_of_40_digits_by_hand_answers_400_and_saves_nothing(contract, office, as_user):
    url = reverse("contracts:contract", args=[contract.pk])
    client = as_user(office)
    response = client.post(url, {"action": "payment", "amount": FORTY_DIGITS, "paid_on": "2026-09-01"})
    assert response.status_code == 400
    assert "is too large" in response.content.decode()
    assert not Payment.objects.exists()
    assert client.get(url).status_code == 200
    assert client.get(reverse("contracts:list")).status_code == 200


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_statement_line_of_40_digits_is_refused_by_line(contract, office, as_user, kind):
    name, content = _statement(
        [
            ["10.09.2026", contract.number, "300 000,00", "PP-1"],
            ["11.09.2026", contract.number, FORTY_DIGITS, "PP-2"],
            ["12.09.2026", contract.number, "5", "P" * 61],
        ],
        kind,
    )
    report = services.statement_import(filename=name, content=content, by=office)
    assert [line for line, _message in report.errors] == [3, 4]
    assert "too large" in report.errors[0][1] and "longer than 60" in report.errors[1][1]
    assert not Payment.objects.exists()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = as_user(office).post(reverse("contracts:list"), {"statement": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert not Payment.objects.exists()
