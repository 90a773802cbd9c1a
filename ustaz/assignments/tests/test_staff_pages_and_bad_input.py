"""The review queue is a teachers' page; a hand-in that the form refuses (a NUL character in the text) comes
back as the page with the reason and what was typed, and stores nothing."""

from __future__ import annotations

from django.urls import reverse

from testkit.factories import UserFactory
from ustaz.accounts.models import Role
from ustaz.assignments import services
from ustaz.assignments.models import Submission

from .helpers import an_assignment


def test_the_review_queue_is_refused_to_everyone_but_teachers(as_user, course, teacher, student, office):
    applicant = UserFactory(roles=f",{Role.APPLICANT},")
    rector = UserFactory(roles=f",{Role.RECTOR},")
    url = reverse("assignments:queue")
    assert as_user(teacher).get(url).status_code == 200
    for user in (student, applicant, office, rector):
        assert as_user(user).get(url).status_code == 403, user.roles
    assert as_user(None).get(url).status_code == 302  # to the login page
    # The course page offers the queue only to who may open it.
    page = reverse("assignments:course", args=[course.pk])
    assert reverse("assignments:queue") in as_user(teacher).get(page).content.decode()
    assert reverse("assignments:queue") not in as_user(office).get(page).content.decode()


def test_a_nul_character_in_the_text_is_refused_with_the_page_and_nothing_is_lost(
    settings, as_user, course, teacher, student
):
    # The view validates its form itself (core's middleware refuses a NUL earlier; here it is taken away).
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("RejectNulCharactersMiddleware")]
    assignment = an_assignment(course, teacher)
    services.submission_submit(assignment=assignment, student=student, text="Бірінші нұсқа")
    response = as_user(student).post(
        reverse("assignments:submit", args=[course.pk, assignment.pk]),
        {"text": "Екінші\x00 нұсқа", "uploads": ""},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="submit-errors"' in page and "Null characters are not allowed." in page
    assert "Екінші" in page  # what was typed is shown again
    assert list(Submission.objects.values_list("version", "text")) == [(1, "Бірінші нұсқа")]
