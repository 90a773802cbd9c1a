"""Admission reports: applications by programme, basis, country and status, and the funnel from registration
to enrolment, each a handful of grouped queries whatever the number of applications."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ustaz.academics.models import DltBasis, Programme
from ustaz.accounts.models import Role, User
from ustaz.core.tables import xlsx_append

from .models import Application, Campaign, Status, StatusChange


@dataclass
class Line:
    label: str
    count: int
    share: float = 0.0  # of the largest line, for the bars

    @property
    def percent(self) -> int:
        return round(self.share * 100)


def _lines(pairs: list[tuple[str, int]]) -> list[Line]:
    top = max((n for _l, n in pairs), default=0) or 1
    return [Line(label=str(label), count=n, share=n / top) for label, n in pairs]


def applications(campaign: Campaign | None, *, drafts: bool = True) -> QuerySet[Application]:
    """The applications counted; without drafts for those who may read only submitted ones."""
    found = Application.objects.all() if drafts else Application.objects.exclude(status=Status.DRAFT)
    return found.filter(offer__campaign=campaign) if campaign else found


def by_programme(campaign: Campaign | None, *, drafts: bool = True) -> list[Line]:
    counts = dict(
        applications(campaign, drafts=drafts).values_list("offer__programme").annotate(n=Count("pk")).order_by()
    )
    programmes = Programme.objects.in_bulk(list(counts))
    return _lines([(str(programmes[pk]), counts[pk]) for pk in sorted(counts, key=lambda pk: programmes[pk].code)])


def by_basis(campaign: Campaign | None, *, drafts: bool = True) -> list[Line]:
    counts = dict(applications(campaign, drafts=drafts).values_list("basis").annotate(n=Count("pk")).order_by())
    return _lines([(label, counts[value]) for value, label in DltBasis.choices if value in counts])


def by_country(campaign: Campaign | None, *, drafts: bool = True) -> list[Line]:
    rows = (
        applications(campaign, drafts=drafts).values_list("country").annotate(n=Count("pk")).order_by("-n", "country")
    )
    return _lines(list(rows))


def by_status(campaign: Campaign | None, *, drafts: bool = True) -> list[Line]:
    counts = dict(applications(campaign, drafts=drafts).values_list("status").annotate(n=Count("pk")).order_by())
    return _lines([(label, counts[value]) for value, label in Status.choices if value in counts])


def funnel(campaign: Campaign | None, *, drafts: bool = True) -> list[Line]:
    """How many reached each step: registered, applied, submitted, checked, examined, admitted, contracted,
    enrolled. A step counts once reached, whatever happened after (the history says so)."""
    found = applications(campaign, drafts=drafts)
    if campaign:
        registered = (
            User.objects.filter(Q(User.role_filter(Role.APPLICANT)) | Q(pk__in=found.values("applicant")))
            .filter(Q(date_joined__date__lte=campaign.closes_on))
            .filter(Q(date_joined__date__gte=campaign.opens_on) | Q(pk__in=found.values("applicant")))
            .count()
        )
    else:
        registered = User.objects.filter(
            Q(User.role_filter(Role.APPLICANT)) | Q(pk__in=found.values("applicant"))
        ).count()
    reached = dict(
        StatusChange.objects.filter(application__in=found)
        .values_list("new")
        .annotate(n=Count("application", distinct=True))
        .order_by()
    )
    contracted = found.filter(contract__isnull=False).count()
    steps = [
        (pgettext("admission funnel", "registered"), registered),
        (pgettext("admission funnel", "applied"), found.count()),
        (pgettext("admission funnel", "submitted"), reached.get(Status.SUBMITTED, 0)),
        (pgettext("admission funnel", "documents checked"), reached.get(Status.CHECKED, 0)),
        (pgettext("admission funnel", "examined"), reached.get(Status.EXAMINED, 0)),
        (pgettext("admission funnel", "admitted"), reached.get(Status.ADMITTED, 0)),
        (pgettext("admission funnel", "contract made"), contracted),
        (pgettext("admission funnel", "enrolled"), reached.get(Status.ENROLLED, 0)),
    ]
    return _lines(steps)


def tables(campaign: Campaign | None, *, drafts: bool = True) -> list[tuple[str, list[Line]]]:
    return [
        (_("The funnel"), funnel(campaign, drafts=drafts)),
        (_("By programme"), by_programme(campaign, drafts=drafts)),
        (_("By basis of §1.5"), by_basis(campaign, drafts=drafts)),
        (_("By country of residence"), by_country(campaign, drafts=drafts)),
        (_("By status"), by_status(campaign, drafts=drafts)),
    ]


def workbook(campaign: Campaign | None, *, drafts: bool = True) -> bytes:
    """The same tables as an Excel workbook, a sheet each."""
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, lines in tables(campaign, drafts=drafts):
        sheet = book.create_sheet(title=title.replace("§", "")[:31])
        xlsx_append(sheet, [title, _("Applications")])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for line in lines:
            xlsx_append(sheet, [line.label, line.count])
        sheet.column_dimensions["A"].width = 70
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
