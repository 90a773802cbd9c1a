"""A NUL character sent in a form field, a query parameter or a JSON string is refused with 400 and a
translated message before any view stores it (PostgreSQL cannot store one: a view reading request.POST itself
failed with a server error)."""

from __future__ import annotations

import json

from django.urls import reverse

from ustaz.assignments.models import Comment
from ustaz.assignments.tests.helpers import a_submission, an_assignment, stored_file
from ustaz.quizzes.models import Bank

PDF = b"%PDF-1.4\n% work\n"


def test_a_nul_in_a_form_field_read_by_the_view_itself_is_refused(as_user, course, teacher):
    response = as_user(teacher).post(
        reverse("quizzes:banks"), {"discipline": course.discipline_id, "name": "Гармония\x00"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="bad-request"' in page
    assert "Нөлдік таңбаларға рұқсат етілмейді." in page or "Null characters are not allowed." in page
    assert not Bank.objects.exists()
    # Without it, the same form works.
    assert as_user(teacher).post(reverse("quizzes:banks"), {"discipline": course.discipline_id, "name": "Гармония"})[
        "Location"
    ] == reverse("quizzes:bank", args=[Bank.objects.get().pk])


def test_a_nul_in_a_json_string_or_a_query_is_refused(as_user, course, teacher, student):
    submission = a_submission(an_assignment(course, teacher), student)
    item = stored_file(submission, "work.pdf", PDF)
    url = reverse("assignments:comment", args=[item.pk])
    client = as_user(teacher)
    refused = client.post(url, json.dumps({"text": "жақсы\u0000", "page": 1}), content_type="application/json")
    assert refused.status_code == 400 and refused.json()["error"]
    assert not Comment.objects.exists()
    accepted = client.post(url, json.dumps({"text": "жақсы", "page": 1}), content_type="application/json")
    assert accepted.status_code == 201 and Comment.objects.get().text == "жақсы"
    assert client.get(reverse("assignments:queue"), {"q": "a\x00"}).status_code == 400
