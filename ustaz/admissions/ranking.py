"""The competitive list of a programme and the rector's decision on it.

Ranking (the University's rules, `settings.ADMISSION_TIE_BREAKS`, documented in docs/decisions/0009):
1. only applicants who passed every creative exam compete; the others are listed below, without a place;
2. a higher competitive score (the sum of the exams' scores) ranks first;
3. equal scores are separated by the tie-breaks in their order: "exams" — the higher score on the programme's
   first exam, then on the second...; "submitted" — the application completed (submitted) earlier;
4. still equal (the same second), the application filed first (its number).
The first competitors, as many as the places left (the places less those admitted), are within the places;
an applicant who declined their place leaves the list and frees it. The decision (an order with its number and
date) admits applicants from the list, never more than the places, each once. The others wait for a later
order (a second wave after refusals), unless the order closes the competition: then they are not admitted by
it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ustaz.accounts.models import User
from ustaz.contracts import services as contract_services
from ustaz.core.models import AuditAction
from ustaz.core.services import audit_record
from ustaz.notifications import services as notifications

from .apps import STATUS_CHANGED
from .models import Application, CreativeExam, Decision, ExamResult, Offer, Status, StatusChange

TIE_BREAK_LABELS = {
    "exams": gettext_lazy("decided by the exams in their order"),
    "submitted": gettext_lazy("decided by the earlier submission"),
    "number": gettext_lazy("decided by the application's number"),
}
LIST_LANGUAGES = ("kk", "ru")
RANKED = (Status.EXAMINED, Status.ADMITTED, Status.REJECTED, Status.DECLINED, Status.ENROLLED)
HOLDING_PLACES = (Status.ADMITTED, Status.ENROLLED)


@dataclass
class Row:
    application: Application
    scores: list[Decimal | None] = field(default_factory=list)
    place: int | None = None
    within: bool = False
    tie: str = ""


def tie_breaks() -> list[str]:
    rules = list(getattr(settings, "ADMISSION_TIE_BREAKS", ["exams", "submitted"]))
    unknown = set(rules) - {"exams", "submitted"}
    if unknown:
        raise ValueError(f"ADMISSION_TIE_BREAKS: unknown {sorted(unknown)}")
    return rules


def _key(row: Row, rules: list[str]) -> list[tuple[str, object]]:
    application = row.application
    key: list[tuple[str, object]] = [("total", -(application.total_score or 0))]
    for rule in rules:
        if rule == "exams":
            key += [("exams", -(s or 0)) for s in row.scores]
        elif rule == "submitted":
            key.append(("submitted", application.submitted_at or datetime.datetime.max.replace(tzinfo=datetime.UTC)))
    key.append(("number", application.pk))
    return key


def ranking(offer: Offer) -> list[Row]:
    """The programme's list: competitors in order with their places, then those who failed an exam."""
    exams = list(CreativeExam.objects.filter(offer=offer).values_list("pk", flat=True))
    applications = list(
        Application.objects.filter(offer=offer, status__in=RANKED).select_related("applicant", "decision")
    )
    scores: dict[int, dict[int, Decimal]] = {}
    for result in ExamResult.objects.filter(application__in=[a.pk for a in applications]):
        scores.setdefault(result.application_id, {})[result.exam_id] = result.score
    rows = [Row(application=a, scores=[scores.get(a.pk, {}).get(e) for e in exams]) for a in applications]
    rules = tie_breaks()

    def competes(row: Row) -> bool:
        return row.application.passed_exams and row.application.status != Status.DECLINED

    competing = sorted((r for r in rows if competes(r)), key=lambda r: [v for _n, v in _key(r, rules)])
    # Below the list, without a place: who failed an exam, and who declined the place.
    failed = sorted((r for r in rows if not competes(r)), key=lambda r: [v for _n, v in _key(r, rules)])
    holding = sum(1 for r in competing if r.application.status in HOLDING_PLACES)
    free = max(offer.places - holding, 0)
    waiting = 0
    for index, row in enumerate(competing):
        row.place = index + 1
        if row.application.status in HOLDING_PLACES:
            row.within = True
        elif row.application.status == Status.EXAMINED:
            row.within = waiting < free
            waiting += 1
        for neighbour in (
            competing[index - 1] if index else None,
            competing[index + 1] if index + 1 < len(competing) else None,
        ):
            if neighbour is None or neighbour.application.total_score != row.application.total_score:
                continue
            # The first part of the key where the two differ is the rule that put them in this order.
            for (name, mine), (_other, theirs) in zip(_key(row, rules), _key(neighbour, rules), strict=True):
                if mine != theirs:
                    row.tie = str(TIE_BREAK_LABELS[name])
                    break
            if row.tie:
                break
    return competing + failed


@transaction.atomic
def decision_record(
    *,
    offer: Offer,
    order_number: str,
    order_date: datetime.date,
    admitted: list[int],
    by: User,
    close: bool = False,
) -> Decision:
    """The rector's order: the applicants it admits. With `close`, the programme's competition ends and the
    others examined or checked are not admitted by the same order; without, they wait for a later order."""
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    order_number = order_number.strip()
    if not order_number:
        raise ValidationError(_("Give the order's number."))
    if Decision.objects.filter(order_number=order_number).exists():
        raise ValidationError(_("An order with this number is already recorded."))
    if not admitted and not close:
        raise ValidationError(_("Choose whom the order admits."))
    chosen = list(Application.objects.filter(pk__in=admitted, offer=offer).select_related("applicant"))
    if len(chosen) != len(set(admitted)):
        raise ValidationError(_("Some of the chosen applications are not of this programme."))
    problems = []
    for application in chosen:
        name = application.applicant.full_name
        if application.decision_id is not None:
            problems.append(_("%(name)s: a decision is already recorded.") % {"name": name})
        elif application.status != Status.EXAMINED:
            problems.append(_("%(name)s: not examined.") % {"name": name})
        elif not application.passed_exams:
            problems.append(_("%(name)s: did not pass the creative exams.") % {"name": name})
    if problems:
        raise ValidationError(problems)
    already = Application.objects.filter(offer=offer, status__in=HOLDING_PLACES).count()
    if already + len(chosen) > offer.places:
        raise ValidationError(
            _("The programme has %(places)d places: %(already)d admitted already, %(chosen)d chosen now.")
            % {"places": offer.places, "already": already, "chosen": len(chosen)}
        )
    decision = Decision.objects.create(offer=offer, order_number=order_number, order_date=order_date, recorded_by=by)
    others = (
        list(
            Application.objects.filter(offer=offer, status__in=(Status.EXAMINED, Status.CHECKED), decision=None)
            .exclude(pk__in=[a.pk for a in chosen])
            .select_related("applicant")
        )
        if close
        else []
    )
    # Kept as written in every language: the order's number and date.
    reason = f"№ {order_number}, {order_date:%d.%m.%Y}"
    for application, new in [(a, Status.ADMITTED) for a in chosen] + [(a, Status.REJECTED) for a in others]:
        StatusChange.objects.create(application=application, old=application.status, new=new, by=by, reason=reason)
        application.status = new
        application.decision = decision
        application.save(update_fields=["status", "decision"])
        notifications.notify(
            users=[application.applicant],
            kind=STATUS_CHANGED,
            title=gettext_lazy("Your application: %(status)s"),
            body=reason,
            params={"status": Status(new).label},
            url=reverse("admissions:application", args=[application.pk]),
        )
    audit_record(
        action=AuditAction.ADMISSION_DECIDED,
        actor=by,
        target=decision,
        details={"admitted": [a.pk for a in chosen], "not_admitted": [a.pk for a in others]},
    )
    return decision


@transaction.atomic
def place_decline(*, application: Application, by: User, reason: str) -> Application:
    """An admitted applicant declines the place (or does not sign in time): the place is free for a later
    order. An unsigned contract without payments is withdrawn; a signed or paid one must be settled first."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Status.ADMITTED:
        raise ValidationError(_("Only an admitted applicant declines a place."))
    if not reason.strip():
        raise ValidationError(_("Say why the place is declined."))
    contract = application.contract
    if contract is not None:
        application.contract = None
        application.save(update_fields=["contract"])
        contract_services.contract_withdraw(contract=contract)  # refused (all undone) if signed or paid
    StatusChange.objects.create(
        application=application, old=application.status, new=Status.DECLINED, by=by, reason=reason.strip()
    )
    application.status = Status.DECLINED
    application.save(update_fields=["status"])
    return application


def admitted_list_pdf(decision: Decision, language: str) -> bytes:
    """The list of applicants an order admits, best score first, in Kazakh or Russian."""
    from weasyprint import HTML

    if language not in LIST_LANGUAGES:
        raise ValueError(language)
    admitted = list(
        decision.applications.filter(status__in=HOLDING_PLACES)
        .select_related("applicant")
        .order_by("-total_score", "applicant__last_name")
    )
    with translation.override(language):
        html = render_to_string(
            "admissions/admitted_pdf.html",
            {"decision": decision, "admitted": admitted, "UNIVERSITY_NAME": settings.UNIVERSITY_NAME},
        )
    return HTML(string=html).write_pdf()
