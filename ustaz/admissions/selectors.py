"""Reads of the admission area that other pages show."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from ustaz.accounts.models import Role
from ustaz.core.calendar import Event
from ustaz.core.person_file import Entry

from . import access
from .models import Application, CreativeExam, ExamFormat, Status


def file_entries(viewer, person) -> list[Entry]:
    """The person's applications (with their documents and history) and contracts, for those who may read them:
    after enrolment they stay in the student's file."""
    if not access.is_reviewer(viewer):
        return []
    entries = []
    applications = (
        Application.objects.filter(access.reviewable(viewer), applicant=person)
        .select_related("offer__programme", "offer__campaign", "contract")
        .distinct()
    )
    for application in applications:
        entries.append(
            Entry(
                label=_("Application: %(programme)s") % {"programme": application.offer.programme},
                url=reverse("admissions:review", args=[application.pk]),
                detail=f"{application.offer.campaign.title} · {application.get_status_display()}",
            )
        )
        contract = getattr(application, "contract", None)
        if contract is not None and access.can_decide(viewer):
            entries.append(
                Entry(
                    label=_("Contract %(number)s") % {"number": contract.number},
                    url=reverse("contracts:contract", args=[contract.pk]),
                )
            )
    return entries


def calendar_events(user, start: datetime.datetime, end: datetime.datetime) -> list[Event]:
    """Creative exams in the calendar: an applicant's, once their documents are checked; a commission member's
    campaigns' exams. A recorded exam shows as its deadline."""
    if not user.has_role(Role.APPLICANT, Role.ADMISSION_COMMISSION):
        return []  # nobody else sits or judges one: no query for them
    sitting = Q(offer__applications__applicant=user, offer__applications__status=Status.CHECKED)
    judging = Q(offer__campaign__commission=user) if user.has_role(Role.ADMISSION_COMMISSION) else Q(pk__in=[])
    exams = (
        CreativeExam.objects.filter(
            sitting | judging, starts_at__lt=end, starts_at__gte=start - datetime.timedelta(days=1)
        )
        .select_related("offer__programme")
        .distinct()
    )
    events = []
    for exam in exams:
        ends = exam.starts_at + datetime.timedelta(minutes=exam.duration_minutes)
        if exam.format == ExamFormat.RECORDING:
            summary = _("Send the recording: %(title)s (%(programme)s)")
            ends = exam.starts_at
        else:
            summary = _("Creative exam: %(title)s (%(programme)s)")
        if ends < start:
            continue
        events.append(
            Event(
                uid=f"admission-exam-{exam.pk}",
                summary=summary % {"title": exam.title, "programme": exam.offer.programme},
                start=exam.starts_at,
                end=ends,
                location=exam.place,
                url=reverse("admissions:home"),
            )
        )
    return events
