"""The same bank statement imported twice at the same moment: no duplicate, no 500; the second answers as it
would alone ("recorded before, nothing new"). Runs on SQLite and, with USTAZ_DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.test import Client
from django.urls import reverse

from testkit.factories import UserFactory
from testkit.races import in_thread, writers_queue_as_in_production
from ustaz.contracts.models import Contract, Payment

pytestmark = pytest.mark.django_db(transaction=True)

MESSAGES = [
    "0 payments recorded; 20 were recorded before and are not counted again.",
    "20 payments recorded; 0 were recorded before and are not counted again.",
]


def _contract(office):
    """A contract with nothing else around it (the statement needs only its number)."""
    return Contract.objects.create(
        student=UserFactory(roles=",student,"),
        number="DL-2026-0001",
        amount_per_year=Decimal(1000),
        years=4,
        first_year=2026,
        created_by=office,
    )


def test_two_identical_statements_at_once_record_each_payment_once(office, tmp_path):
    contract = _contract(office)
    lines = [f"2026-09-{day:02d};{contract.number};100;PP-{day}" for day in range(1, 21)]
    content = ("date;contract;amount;reference\n" + "\n".join(lines) + "\n").encode()
    start = threading.Barrier(2)
    answers: list = []
    failures: list = []
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(office)

    def upload(client):
        try:
            start.wait(timeout=60)
            response = client.post(
                reverse("contracts:list"), {"statement": SimpleUploadedFile("s.csv", content)}, follow=True
            )
            # (The page's text, not response.context: the test client's capture of contexts is shared by threads.)
            html = response.content.decode()
            answers.append((response.redirect_chain, [m for m in MESSAGES if m in html]))
        except BaseException as error:  # reported below, not lost in the thread
            failures.append(error)
        finally:
            connections.close_all()

    with writers_queue_as_in_production(tmp_path):
        threads = [threading.Thread(target=upload, args=(client,)) for client in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        payments = in_thread(Payment.objects.count)
    assert failures == []
    assert [chain for chain, _said in answers] == [[(reverse("contracts:list"), 302)]] * 2
    assert payments == 20
    assert sorted(message for _chain, said in answers for message in said) == MESSAGES
