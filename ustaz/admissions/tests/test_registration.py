"""Registering as an applicant tells nobody whether an address has an account (the same answer either way; the
owner of an existing account is told by e-mail, in their language), is limited per client address and per
e-mail, and two registrations with one address at the same moment make one account and answer alike."""

from __future__ import annotations

import re
import threading

import pytest
from django.core import mail
from django.db import connections
from django.test import Client
from django.urls import reverse

from testkit.factories import UserFactory
from testkit.races import in_thread, writers_queue_as_in_production
from ustaz.accounts.models import User

PASSWORD = "Домбыра-2027-күй"
CSRF = re.compile(r'"X-CSRFToken": "[^"]+"|name="csrfmiddlewaretoken" value="[^"]+"')


def register(client: Client, email: str, **extra):
    data = {"last_name": "Нұрланова", "first_name": "Әлия", "email": email, "password": PASSWORD}
    return client.post(reverse("admissions:register"), data, **extra)


def test_a_new_and_a_taken_address_get_the_same_answer_and_the_owner_is_told(db):
    owner = UserFactory(email="taken@example.kz", language="ru")
    new = register(Client(), "new@example.kz")
    taken = register(Client(), "Taken@Example.kz")
    assert (new.status_code, new["Location"], new.content) == (taken.status_code, taken["Location"], taken.content)
    assert new.status_code == 302 and new["Location"] == reverse("admissions:register_sent")
    assert set(new.cookies) == set(taken.cookies) == set()  # nobody is logged in by registering
    sent_new = CSRF.sub("", Client().get(new["Location"]).content.decode())
    sent_taken = CSRF.sub("", Client().get(taken["Location"]).content.decode())
    assert sent_new == sent_taken  # but for each page's own CSRF token
    assert "Электрондық поштаңызды тексеріңіз" in sent_new or "Check your e-mail" in sent_new
    # One new account; the existing one untouched.
    assert User.objects.filter(email__iexact="taken@example.kz").count() == 1
    assert User.objects.get(email="new@example.kz").has_role("applicant")
    # Each address got one letter: the new one its confirmation link, the owner a notice in Russian.
    letters = {m.to[0]: m for m in mail.outbox}
    assert set(letters) == {"new@example.kz", "taken@example.kz"}
    assert "/accounts/confirm-email/" in letters["new@example.kz"].body
    notice = letters["taken@example.kz"]
    assert "/accounts/confirm-email/" not in notice.body
    assert "Войти: http" in notice.body and "Забыли пароль? http" in notice.body
    assert "/accounts/password/reset/" in notice.body
    assert User.objects.get(pk=owner.pk).password == owner.password  # the attempt changed nothing


def test_registering_is_limited_per_email_and_per_address(db, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "applicant_register": "5/h/ip,2/h/key"}
    client = Client()
    first = [register(client, "one@example.kz").status_code for _ in range(2)]
    refused = register(client, "one@example.kz")
    assert first == [302, 302] and refused.status_code == 429
    page = refused.content.decode()
    # In the page's language (Kazakh by default).
    assert "тіркелу әрекеттері тым көп" in page
    assert User.objects.filter(email="one@example.kz").count() == 1
    # Another e-mail from the same address: allowed until the address's own limit (the refused try counted).
    assert register(client, "two@example.kz").status_code == 302
    assert register(client, "three@example.kz").status_code == 302
    assert register(client, "four@example.kz").status_code == 429
    assert not User.objects.filter(email="four@example.kz").exists()
    # Another client address is counted apart.
    assert register(Client(REMOTE_ADDR="10.0.0.9"), "five@example.kz").status_code == 302


@pytest.mark.django_db(transaction=True)
def test_two_registrations_with_one_email_at_once_make_one_account_and_answer_alike(monkeypatch, tmp_path):
    from ustaz.admissions import forms

    # Both requests pass the form's checks before either stores anything: the moment of a real race.
    barrier = threading.Barrier(2, timeout=10)
    validate = forms.validate_password

    def validate_together(password, *args, **kwargs):
        barrier.wait()
        return validate(password, *args, **kwargs)

    monkeypatch.setattr(forms, "validate_password", validate_together)
    answers: list = [None, None]

    def attempt(index: int) -> None:
        try:
            client = Client(raise_request_exception=False, REMOTE_ADDR=f"10.0.0.{index + 1}")
            response = register(client, "twice@example.kz")
            answers[index] = (response.status_code, response.get("Location"))
        finally:
            connections.close_all()

    with writers_queue_as_in_production(tmp_path):
        threads = [threading.Thread(target=attempt, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        accounts = in_thread(lambda: User.objects.filter(email__iexact="twice@example.kz").count())
    assert answers == [(302, reverse("admissions:register_sent"))] * 2
    assert accounts == 1
    # One confirmation link and one notice that the address has an account, both to the address.
    letters = sorted(m.body for m in mail.outbox if m.to == ["twice@example.kz"])
    assert len(letters) == 2 and sum("/accounts/confirm-email/" in body for body in letters) == 1
