"""Opening the page of a conversation with someone starts nothing: a GET shows the existing conversation or a
page with a button, and only its POST makes the conversation."""

from __future__ import annotations

from django.urls import reverse

from ustaz.discussions.models import Room, RoomKind


def test_a_get_makes_no_conversation_and_the_button_posts_one(as_user, course, teacher, student):
    url = reverse("discussions:direct", args=[teacher.pk])
    client = as_user(student)
    for _ in range(3):  # a crawler following the link again and again
        response = client.get(url)
        assert response.status_code == 200
    assert not Room.objects.filter(kind=RoomKind.DIRECT).exists()
    page = response.content.decode()
    assert 'id="direct-start"' in page and 'method="post"' in page and url in page
    started = client.post(url)
    room = Room.objects.get(kind=RoomKind.DIRECT)
    assert started.status_code == 302 and started["Location"] == reverse("discussions:room", args=[room.pk])
    # Once it exists, the link opens it (for either person), and posting again makes no second one.
    assert client.get(url)["Location"] == started["Location"]
    assert as_user(teacher).get(reverse("discussions:direct", args=[student.pk]))["Location"] == started["Location"]
    as_user(teacher).post(reverse("discussions:direct", args=[student.pk]))
    assert Room.objects.filter(kind=RoomKind.DIRECT).count() == 1
