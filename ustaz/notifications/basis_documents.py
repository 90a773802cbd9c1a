"""The academic office is told before the supporting document of a student's DLT basis expires (§1.5,
rules.md "Admission documents by DLT basis"; docs/decisions/0012-dlt-basis.md): a daily job, once per
document (a new file or date is a new document)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy

from ustaz.academics.models import BasisDocument
from ustaz.accounts.models import Role, User

from . import services

KIND = "academics.basis_document_expiring"


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def basis_documents_notify(today: datetime.date | None = None) -> int:
    """Tell the academic office of each document expiring within USTAZ_DLT_DOCUMENT_NOTICE_DAYS that it has
    not been told of; returns how many documents were noticed."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=settings.DLT_DOCUMENT_NOTICE_DAYS)
    office = list(User.objects.filter(User.role_filter(Role.ACADEMIC_OFFICE), is_active=True))
    if not office:
        return 0  # nobody to tell yet: the documents wait for the first member of the office
    told = 0
    pending = BasisDocument.objects.filter(
        expiry_notice_sent_at__isnull=True, expires_on__isnull=False, expires_on__lte=horizon
    ).values_list("pk", flat=True)
    for pk in list(pending):
        with transaction.atomic():
            # Locked and read again: two workers never tell of the same document twice.
            document = (
                BasisDocument.objects.select_for_update(of=("self",))
                .select_related("record__student", "record__group")
                .filter(pk=pk, expiry_notice_sent_at__isnull=True)
                .first()
            )
            if document is None:
                continue
            record = document.record
            services.notify(
                users=office,
                kind=KIND,
                title=gettext_lazy("The DLT basis document of %(student)s expires on %(date)s"),
                body=gettext_lazy(
                    "%(student)s (%(group)s): “%(document)s” is valid until %(date)s. Ask the student for a new "
                    "document or change their basis."
                ),
                params={
                    "student": record.student.full_name or record.student.username,
                    "group": record.group.name,
                    "document": document.name,
                    "date": lazy(_date, str)(document.expires_on),
                },
                url=reverse("academics:student_basis", args=[record.pk]),
            )
            document.expiry_notice_sent_at = timezone.now()
            document.save(update_fields=["expiry_notice_sent_at"])
            told += 1
    return told
