"""Notices: in the platform with an unread badge, by e-mail (a real SMTP server) at once or in a daily
digest, as each person chooses, each in the person's own language."""

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from testkit.factories import UserFactory
from ustaz.accounts.models import User
from ustaz.core.services import scheduled_jobs_start
from ustaz.notifications import kinds, services
from ustaz.notifications.models import Notification, Preference
from ustaz.notifications.tasks import digest_send

KIND = kinds.register("tests.instant", "A notice sent at once").key
OTHER = kinds.register("tests.digest", "A notice for the digest", default_email="digest").key


def person(login, language="en", email=True):
    return UserFactory(username=login, language=language, email=f"{login}@example.kz" if email else "")


def notify(users, **extra):
    return services.notify(
        users=users,
        kind=KIND,
        title=gettext_lazy("Your appeal is granted: %(course)s"),
        params={"course": "Harmony"},
        url="/notifications/",
        **extra,
    )


def test_a_notice_is_shown_and_e_mailed_at_once_in_each_persons_language(
    db, smtp_server, django_capture_on_commit_callbacks
):
    aigerim, boris = person("aigerim", "kk"), person("boris", "ru")
    with django_capture_on_commit_callbacks(execute=True):
        notify([aigerim, boris, aigerim])  # listed twice, told once
    assert Notification.objects.filter(user=aigerim).count() == 1
    with translation.override("kk"):
        kk_title = str(gettext_lazy("Your appeal is granted: %(course)s")) % {"course": "Harmony"}
    with translation.override("ru"):
        ru_title = str(gettext_lazy("Your appeal is granted: %(course)s")) % {"course": "Harmony"}
    assert kk_title != ru_title
    assert Notification.objects.get(user=aigerim).title == kk_title
    by_address = {m["To"]: m for m in smtp_server.messages}
    assert set(by_address) == {"aigerim@example.kz", "boris@example.kz"}
    assert str(by_address["boris@example.kz"]["Subject"]).strip() == ru_title
    assert "http://" in by_address["boris@example.kz"].get_content()  # an absolute link
    assert User.objects.get(pk=aigerim.pk).unread_notices == 1
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


def test_digest_and_off_are_kept_from_the_instant_mail_and_the_digest_sends_one_mail_once(
    db, smtp_server, django_capture_on_commit_callbacks
):
    daily, silent, no_address = person("daily"), person("silent"), person("nomail", email=False)
    services.preferences_save(user=daily, choices={KIND: "digest"})
    services.preferences_save(user=silent, choices={KIND: "off"})
    with django_capture_on_commit_callbacks(execute=True):
        notify([daily, silent, no_address])
        notify([daily])
    assert smtp_server.messages == []
    assert digest_send.call() == 1
    [digest] = smtp_server.messages
    assert digest["To"] == "daily@example.kz"
    assert digest["Subject"] == "2 new notices in Ustaz"
    assert digest.get_content().count("Your appeal is granted: Harmony") == 2
    assert digest_send.call() == 0  # nothing is sent twice
    assert len(smtp_server.messages) == 1


def test_the_clock_queues_the_digest_once_a_day_at_its_hour(
    db, settings, smtp_server, django_capture_on_commit_callbacks
):
    settings.DIGEST_HOUR = 18
    settings.SCHEDULE = [("ustaz.notifications.tasks.digest_send", 18)]
    daily = person("daily")
    services.preferences_save(user=daily, choices={KIND: "digest"})
    notify([daily])
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    before = datetime.datetime.combine(today, datetime.time(17, 59), tz)
    after = datetime.datetime.combine(today, datetime.time(18, 1), tz)
    assert scheduled_jobs_start(before) == []
    with django_capture_on_commit_callbacks(execute=True):
        assert scheduled_jobs_start(after) == ["ustaz.notifications.tasks.digest_send"]
    assert len(smtp_server.messages) == 1
    assert scheduled_jobs_start(after + datetime.timedelta(hours=1)) == []  # once a day


def test_the_badge_counts_unread_notices_and_opening_one_reads_it(db, as_user):
    reader = person("reader")
    first, second = notify([reader])[0], notify([reader])[0]
    page = as_user(reader).get("/").content.decode()
    assert 'id="unread-badge">2<' in page
    response = as_user(reader).post(f"/notifications/{first.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    assert User.objects.get(pk=reader.pk).unread_notices == 1
    as_user(reader).post("/notifications/read/")
    assert User.objects.get(pk=reader.pk).unread_notices == 0
    assert 'id="unread-badge"' not in as_user(reader).get("/").content.decode()
    assert Notification.objects.get(pk=second.pk).read_at is not None


def test_nobody_opens_anothers_notice_and_links_never_leave_the_site(db, as_user):
    owner, stranger = person("owner"), person("stranger")
    [notice] = notify([owner])
    assert as_user(stranger).post(f"/notifications/{notice.pk}/open/").status_code == 404
    assert Notification.objects.get(pk=notice.pk).read_at is None
    assert notice.title not in as_user(stranger).get("/notifications/").content.decode()
    Notification.objects.filter(pk=notice.pk).update(url="https://evil.example/")
    assert as_user(owner).post(f"/notifications/{notice.pk}/open/")["Location"] == "/notifications/"
    assert as_user(owner).get("/notifications/").status_code == 200


@pytest.mark.parametrize("count", [3, 60])
def test_the_inbox_makes_the_same_queries_however_many_notices(db, as_user, count, django_assert_max_num_queries):
    reader = person("many")
    for _n in range(count):
        notify([reader])
    client = as_user(reader)
    with django_assert_max_num_queries(6):
        page = client.get("/notifications/")
    assert page.content.decode().count("Your appeal is granted: Harmony") == min(count, 30)


def test_the_preferences_page_saves_each_kinds_choice(db, as_user):
    reader = person("chooser")
    page = as_user(reader).get("/notifications/preferences/").content.decode()
    assert f'name="{OTHER}"' in page and f'name="{KIND}"' in page
    response = as_user(reader).post("/notifications/preferences/", {OTHER: "instant", KIND: "off"})
    assert response.status_code == 302
    assert dict(Preference.objects.filter(user=reader).values_list("kind", "email")) == {
        OTHER: "instant",
        KIND: "off",
    }
    assert as_user(reader).post("/notifications/preferences/", {OTHER: "loud"}).status_code == 200
