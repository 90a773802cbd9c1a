"""The academic office is told before a DLT basis document expires: once per document, in each reader's
language, within USTAZ_DLT_DOCUMENT_NOTICE_DAYS."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import formats, timezone, translation

from testkit.factories import StudyGroupFactory, UserFactory
from ustaz.academics import services as academics_services
from ustaz.academics.models import DltBasis, StudentRecord
from ustaz.notifications.basis_documents import KIND, basis_documents_notify
from ustaz.notifications.models import Notification
from ustaz.notifications.tasks import basis_documents_notify as basis_documents_task

PDF = b"%PDF-1.4\n% disability certificate\n"


def document(expires_in: int | None, by, name="Айгерім"):
    group = StudyGroupFactory(name=f"ИО-{name}")
    record = StudentRecord.objects.create(
        student=UserFactory(roles=",student,", first_name=name),
        programme=group.programme,
        group=group,
        dlt_basis=DltBasis.SPECIAL_NEEDS,
    )
    expires_on = None if expires_in is None else timezone.localdate() + datetime.timedelta(days=expires_in)
    academics_services.basis_document_save(
        record=record, upload=SimpleUploadedFile("cert.pdf", PDF), expires_on=expires_on, by=by
    )
    return record


def test_the_office_is_told_once_per_document_in_each_readers_language(
    db, settings, smtp_server, django_capture_on_commit_callbacks
):
    settings.DLT_DOCUMENT_NOTICE_DAYS = 30
    kk_office = UserFactory(roles=",academic_office,", language="kk", email="kk@example.kz")
    ru_office = UserFactory(roles=",academic_office,", language="ru", email="ru@example.kz")
    en_office = UserFactory(roles=",academic_office,", language="en", email="en@example.kz")
    UserFactory(roles=",teacher,", email="teacher@example.kz")
    soon = document(20, kk_office, "Soon")
    document(31, kk_office, "Later")  # outside the window
    document(None, kk_office, "Never")  # no expiry
    with django_capture_on_commit_callbacks(execute=True):
        assert basis_documents_task.call() == 1
    notices = Notification.objects.filter(kind=KIND)
    assert {n.user for n in notices} == {kk_office, ru_office, en_office}
    expires = timezone.localdate() + datetime.timedelta(days=20)
    dates = {}
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            dates[language] = formats.date_format(expires, "DATE_FORMAT")
    assert len(set(dates.values())) == 3  # each language writes the date its own way
    by_address = {m["To"]: m for m in smtp_server.messages}
    assert set(by_address) == {"kk@example.kz", "ru@example.kz", "en@example.kz"}
    for reader, language in ((kk_office, "kk"), (ru_office, "ru"), (en_office, "en")):
        notice = notices.get(user=reader)
        assert dates[language] in notice.title and "Soon" in notice.title
        assert notice.url == f"/office/students/{soon.pk}/basis/"
        assert dates[language] in str(by_address[reader.email]["Subject"])

    # The next days: nothing again for the same document.
    with django_capture_on_commit_callbacks(execute=True):
        assert basis_documents_notify() == 0
        assert basis_documents_notify(timezone.localdate() + datetime.timedelta(days=2)) == 1  # "Later" now in
    assert Notification.objects.filter(kind=KIND).count() == 6


def test_a_new_date_for_the_document_is_told_again(db, settings):
    settings.DLT_DOCUMENT_NOTICE_DAYS = 10
    office = UserFactory(roles=",academic_office,")
    record = document(5, office)
    assert basis_documents_notify() == 1
    assert basis_documents_notify() == 0
    academics_services.basis_document_save(
        record=record, upload=None, expires_on=timezone.localdate() + datetime.timedelta(days=8), by=office
    )
    assert basis_documents_notify() == 1
    assert Notification.objects.filter(kind=KIND, user=office).count() == 2


def test_the_job_is_in_the_daily_schedule(settings):
    assert "ustaz.notifications.tasks.basis_documents_notify" in [job for job, _hour in settings.SCHEDULE]


def test_documents_wait_while_the_office_has_nobody_to_tell(db):
    former = UserFactory(roles=",academic_office,", is_active=False)
    record = document(5, former)
    assert basis_documents_notify() == 0
    assert record.basis_document.expiry_notice_sent_at is None
    office = UserFactory(roles=",academic_office,")
    assert basis_documents_notify() == 1
    assert list(Notification.objects.filter(kind=KIND).values_list("user", flat=True)) == [office.pk]
