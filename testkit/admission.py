"""Admission built through its services, for tests and benchmarks: checked applications, exams, scores."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from testkit.factories import UserFactory
from ustaz.accounts.iin import make_iin
from ustaz.admissions import documents, exams, services
from ustaz.admissions.models import Application, CreativeExam, Criterion, Offer, Status

PDF = b"%PDF-1.4\n% scan\n"
_serial = itertools.count(500)


def checked_application(
    offer: Offer,
    *,
    by,
    applicant=None,
    basis: str = "higher_blended",
    country: str = "KZ",
    submitted_at: datetime.datetime | None = None,
) -> Application:
    """An applicant's application drafted, documented, submitted and checked by `by` (the commission)."""
    applicant = applicant or UserFactory(roles=",applicant,", iin="")
    serial = next(_serial)
    application = services.application_draft(
        applicant=applicant,
        offer=offer,
        basis=basis,
        justification="Алыста тұрамын.",
        iin=make_iin(datetime.date(2007, 1 + serial % 12, 1 + serial % 28), female=serial % 2 == 0, serial=serial),
        country=country,
    )
    for kind in documents.required(basis):
        services.document_add(
            application=application, kind=kind, upload=SimpleUploadedFile(f"{kind}.pdf", PDF), by=applicant
        )
    services.application_submit(application=application, by=applicant)
    if submitted_at is not None:
        Application.objects.filter(pk=application.pk).update(submitted_at=submitted_at)
        application.submitted_at = submitted_at
    services.status_change(application=application, new=Status.CHECKED, by=by)
    return application


def exam(
    offer: Offer,
    title: str = "Мамандық бойынша емтихан",
    *,
    position: int = 1,
    pass_score=50,
    criteria=(("Техника", 50), ("Көркемдік", 50)),
    format: str = "in_person",
) -> CreativeExam:
    created = CreativeExam.objects.create(
        offer=offer,
        title=title,
        position=position,
        format=format,
        place="Үлкен зал" if format == "in_person" else "",
        starts_at=timezone.now() + datetime.timedelta(days=3),
        pass_score=Decimal(pass_score),
    )
    for index, (name, top) in enumerate(criteria, start=1):
        Criterion.objects.create(exam=created, name=name, max_points=Decimal(top), position=index)
    return created


def score(exam_: CreativeExam, application: Application, member, *points) -> None:
    """The member's points for each criterion in order."""
    criteria = list(exam_.criteria.all())
    exams.scores_save(
        exam=exam_,
        application=application,
        member=member,
        points={c.pk: Decimal(str(p)) for c, p in zip(criteria, points, strict=True)},
    )
