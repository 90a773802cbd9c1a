"""Reads of the admission area that other pages show."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from ustaz.core.person_file import Entry

from . import access
from .models import Application


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
                    url=reverse("admissions:contract", args=[contract.pk]),
                )
            )
    return entries
