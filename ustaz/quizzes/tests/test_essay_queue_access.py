"""The essays waiting for a grade are a teachers' page: students, applicants and other staff are refused."""

from __future__ import annotations

from django.urls import reverse

from testkit.factories import UserFactory
from ustaz.accounts.models import Role


def test_the_essay_queue_is_refused_to_everyone_but_teachers(as_user, course, teacher, student, office):
    applicant = UserFactory(roles=f",{Role.APPLICANT},")
    url = reverse("quizzes:essays")
    assert as_user(teacher).get(url).status_code == 200
    for user in (student, applicant, office):
        assert as_user(user).get(url).status_code == 403, user.roles
    page = reverse("quizzes:course", args=[course.pk])
    assert url in as_user(teacher).get(page).content.decode()
    assert url not in as_user(office).get(page).content.decode()
