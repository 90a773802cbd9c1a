"""Notices: every area tells people things through notify(); each person sees them in the platform (with an
unread count kept on their user row, so no page pays a query for the badge) and gets them by e-mail at once,
in a daily digest or not at all, as they chose per kind."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.functional import Promise

from ustaz.accounts.models import User

from . import kinds
from .models import EmailDelivery, Notification, Preference


def _render(text: str | Promise, params: Mapping[str, Any]) -> str:
    """A (lazy) message with its parameters, in the language active now; parameters may be lazy too."""
    rendered = str(text)
    return rendered % {k: str(v) for k, v in params.items()} if params else rendered


def email_choices(users: Iterable[User], kind: str) -> dict[int, str]:
    """Each person's e-mail delivery for the kind: their preference, else the kind's default (one query)."""
    users = list(users)
    chosen = dict(Preference.objects.filter(user__in=users, kind=kind).values_list("user_id", "email"))
    default = kinds.get(kind).default_email
    return {u.pk: chosen.get(u.pk, default) if u.email else EmailDelivery.OFF for u in users}


@transaction.atomic
def notify(
    *,
    users: Iterable[User],
    kind: str,
    title: str | Promise,
    body: str | Promise = "",
    params: Mapping[str, Any] | None = None,
    url: str = "",
) -> list[Notification]:
    """Tell each person (once, however often they are listed), in their own language. E-mails to be sent
    at once are queued after the transaction commits; digest ones wait for the daily digest."""
    people = list({u.pk: u for u in users if u.is_active}.values())
    if not people:
        return []
    params = params or {}
    delivery = email_choices(people, kind)
    notices = []
    for person in people:
        with translation.override(person.language or None):
            notices.append(
                Notification(
                    user=person,
                    kind=kind,
                    title=_render(title, params)[:300],
                    body=_render(body, params) if body else "",
                    url=url[:500],
                    email=delivery[person.pk],
                )
            )
    created = Notification.objects.bulk_create(notices)
    User.objects.filter(pk__in=[p.pk for p in people]).update(unread_notices=F("unread_notices") + 1)
    # SQLite and PostgreSQL both return the new primary keys from bulk_create.
    instant = [n.pk for n in created if n.email == EmailDelivery.INSTANT]
    if instant:
        from .tasks import email_send

        transaction.on_commit(lambda: email_send.enqueue(instant))
    return created


def _recount(user: User) -> None:
    count = Notification.objects.filter(user=user, read_at__isnull=True).count()
    User.objects.filter(pk=user.pk).update(unread_notices=count)
    user.unread_notices = count


@transaction.atomic
def mark_read(*, user: User, notification: Notification | None = None) -> None:
    """Mark one notice (or, with None, all of them) read."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification is not None:
        unread = unread.filter(pk=notification.pk)
    unread.update(read_at=timezone.now())
    _recount(user)


@transaction.atomic
def preferences_save(*, user: User, choices: Mapping[str, str]) -> None:
    for key, email in choices.items():
        kinds.get(key)
        if email not in EmailDelivery.values:
            raise ValueError(f"unknown e-mail delivery {email!r}")
        Preference.objects.update_or_create(user=user, kind=key, defaults={"email": email})


def claim_for_email(queryset) -> list[Notification]:
    """Take notices not yet e-mailed for sending: a batch token marks them, so two workers never send the
    same notice twice."""
    batch = uuid.uuid4()
    queryset.filter(emailed_at__isnull=True).update(emailed_at=timezone.now(), email_batch=batch)
    return list(Notification.objects.filter(email_batch=batch).select_related("user").order_by("user_id", "created_at"))


def release(notices: list[Notification]) -> None:
    """Put notices back to be sent later (the mail server did not take them)."""
    Notification.objects.filter(pk__in=[n.pk for n in notices]).update(emailed_at=None, email_batch=None)
