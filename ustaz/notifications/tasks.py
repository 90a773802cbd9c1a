"""Background work of notices: e-mails at once, and the daily digest (queued by `manage.py clock`)."""

from __future__ import annotations

import logging
from itertools import groupby

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import ngettext
from django_tasks import task

from .models import EmailDelivery, Notification
from .services import claim_for_email, release

log = logging.getLogger(__name__)


def _absolute(url: str) -> str:
    return url if not url or "://" in url else settings.SITE_URL.rstrip("/") + url


def _message(user, subject: str, template: str, context: dict) -> EmailMessage:
    """The e-mail, rendered in the language active now (the callers set the reader's)."""
    body = render_to_string(template, {**context, "user": user, "site_url": settings.SITE_URL.rstrip("/")})
    return EmailMessage(subject=str(subject), body=body, to=[user.email])


def _send(messages_by_notices: list[tuple[EmailMessage, list[Notification]]]) -> int:
    """Send over one connection; what the mail server refuses is released for a later attempt."""
    sent = 0
    with get_connection() as connection:
        for message, notices in messages_by_notices:
            message.connection = connection
            try:
                message.send()
            except Exception:
                log.exception("notice e-mail to %s not sent", message.to)
                release(notices)
                continue
            sent += 1
    return sent


@task()
def email_send(notification_ids: list[int]) -> int:
    """E-mail the given notices at once, each in its reader's language."""
    notices = claim_for_email(Notification.objects.filter(pk__in=notification_ids, email=EmailDelivery.INSTANT))
    batch = []
    for notice in notices:
        with translation.override(notice.user.language or None):
            message = _message(
                notice.user,
                notice.title,
                "notifications/email/notice.txt",
                {"notice": notice, "link": _absolute(notice.url)},
            )
        batch.append((message, [notice]))
    return _send(batch)


@task()
def digest_send() -> int:
    """One e-mail per person with every digest notice not yet e-mailed."""
    notices = claim_for_email(Notification.objects.filter(email=EmailDelivery.DIGEST))
    batch = []
    for _user_id, group in groupby(notices, key=lambda n: n.user_id):
        group = list(group)
        user = group[0].user
        with translation.override(user.language or None):
            subject = ngettext("%(n)s new notice in Ustaz", "%(n)s new notices in Ustaz", len(group)) % {
                "n": len(group)
            }
            items = [(n, _absolute(n.url)) for n in group]
            message = _message(user, subject, "notifications/email/digest.txt", {"items": items})
        batch.append((message, group))
    return _send(batch)


@task()
def basis_documents_notify() -> int:
    """The daily job: the academic office is told of DLT basis documents about to expire."""
    from .basis_documents import basis_documents_notify

    return basis_documents_notify()
