"""Searching names on the embedded SQLite as on PostgreSQL: the case of Kazakh and Russian letters ignored."""

from __future__ import annotations

import pytest

from testkit.factories import UserFactory
from ustaz.accounts.models import User
from ustaz.core.sqlite import like


@pytest.mark.parametrize(
    ("pattern", "value", "matches"),
    [
        ("%нұрланова%", "Нұрланова", True),
        ("%АЙГЕРІМ%", "Айгерім", True),
        ("өнер%", "Өнер алды", True),
        ("%өнер", "Өнер алды", False),
        ("a_c", "ABC", True),
        ("a\\%c", "a%c", True),
        ("a\\%c", "abc", False),
    ],
)
def test_like_folds_the_case_of_every_letter(pattern, value, matches):
    assert like(pattern, value, "\\") is matches


def test_like_with_null_is_null():
    assert like(None, "x") is None and like("%x%", None) is None


@pytest.mark.django_db
def test_a_search_finds_a_kazakh_name_whatever_its_case():
    UserFactory(last_name="Нұрланова", first_name="Әлия")
    UserFactory(last_name="Smith", first_name="Anna")
    assert list(User.objects.filter(last_name__icontains="нұрланова").values_list("first_name", flat=True)) == ["Әлия"]
    assert User.objects.filter(first_name__istartswith="ӘЛ").count() == 1
    assert User.objects.filter(last_name__icontains="SMI").count() == 1
    assert User.objects.filter(last_name__icontains="%").count() == 0  # a percent sign is a character here
