"""Who may see what in admission.

An applicant sees only their own applications, documents, exams and contract. A member of the admission
commission (the role and a seat on the campaign's commission) sees the submitted applications of the campaigns
whose commission they sit on, never a draft (its IIN and documents are the applicant's until they submit it),
and nothing of other campaigns; the academic
office (and an administrator) sees every campaign and alone records decisions, contracts, payments and
enrolments, the rector records decisions too. (The contracts' own pages: ustaz.contracts.access.) Anybody else gets 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from ustaz.accounts.models import Role, User

from .models import (
    Application,
    ApplicationDocument,
    Campaign,
    CreativeExam,
    Decision,
    ExamRecording,
    Status,
)

OFFICE = (Role.ACADEMIC_OFFICE, Role.ADMIN)
DECIDERS = (Role.RECTOR, Role.ACADEMIC_OFFICE, Role.ADMIN)


def is_office(user: User) -> bool:
    return user.has_role(*OFFICE)


def can_decide(user: User) -> bool:
    return user.has_role(*DECIDERS)


def is_reviewer(user: User) -> bool:
    """Anybody who works on applications at all: the office, the rector, an admission commission member."""
    return user.has_role(*DECIDERS, Role.ADMISSION_COMMISSION)


def sees_drafts(user: User) -> bool:
    """Draft applications (counted in reports and campaign pages) are for the office and the rector alone."""
    return user.has_role(*DECIDERS)


def campaigns_for(user: User) -> QuerySet[Campaign]:
    if user.has_role(*DECIDERS):
        return Campaign.objects.all()
    if user.has_role(Role.ADMISSION_COMMISSION):
        return Campaign.objects.filter(commission=user)
    return Campaign.objects.none()


def reviewable(user: User) -> Q:
    """A filter on applications: those this person may read as a reviewer."""
    if user.has_role(*DECIDERS):
        return Q()
    if user.has_role(Role.ADMISSION_COMMISSION):
        return Q(offer__campaign__commission=user) & ~Q(status=Status.DRAFT)
    return Q(pk__in=[])


def sits_on_commission(user: User, campaign: Campaign) -> bool:
    """A member of this campaign's admission commission: the role and a seat (either alone is not enough)."""
    return user.has_role(Role.ADMISSION_COMMISSION) and campaign.commission.filter(pk=user.pk).exists()


def can_check(user: User, application: Application) -> bool:
    """Documents are checked, and applications returned or marked checked, by the campaign's commission and the
    office (the rector reads them)."""
    if is_office(user):
        return True
    return application.status != Status.DRAFT and sits_on_commission(user, application.offer.campaign)


def get_application_for_review(user: User, pk: int) -> Application:
    try:
        return (
            Application.objects.filter(reviewable(user))
            .select_related("applicant", "offer__programme", "offer__campaign")
            .distinct()
            .get(pk=pk)
        )
    except Application.DoesNotExist:
        raise Http404 from None


def get_own_application(user: User, pk: int) -> Application:
    try:
        return Application.objects.select_related("offer__programme", "offer__campaign").get(pk=pk, applicant=user)
    except Application.DoesNotExist:
        raise Http404 from None


def can_read_application(user: User, application: Application) -> bool:
    if application.applicant_id == user.pk:
        return True
    return Application.objects.filter(reviewable(user), pk=application.pk).exists()


def _with_readable_application(user: User, queryset, pk: int):
    """A document or recording whose application this person may read."""
    try:
        item = queryset.select_related("application").get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Http404 from None
    if not can_read_application(user, item.application):
        raise Http404
    return item


def get_document_for(user: User, pk: int) -> ApplicationDocument:
    return _with_readable_application(user, ApplicationDocument.objects.all(), pk)


def get_recording_for(user: User, pk: int) -> ExamRecording:
    return _with_readable_application(user, ExamRecording.objects.all(), pk)


def get_exam_to_score(user: User, pk: int) -> CreativeExam:
    """An exam for its campaign's commission members and the office."""
    try:
        exam = CreativeExam.objects.select_related("offer__programme", "offer__campaign").get(pk=pk)
    except CreativeExam.DoesNotExist:
        raise Http404 from None
    if not campaigns_for(user).filter(pk=exam.offer.campaign_id).exists():
        raise Http404
    return exam


def get_decision_for(user: User, pk: int) -> Decision:
    if not is_reviewer(user):
        raise Http404
    try:
        decision = Decision.objects.select_related("offer__programme", "offer__campaign").get(pk=pk)
    except Decision.DoesNotExist:
        raise Http404 from None
    if not campaigns_for(user).filter(pk=decision.offer.campaign_id).exists():
        raise Http404
    return decision


def mask_iin(iin: str) -> str:
    """For lists: the date of birth's first two digits and the last two, the rest hidden."""
    if len(iin) != 12:
        return "—" if not iin else "•" * len(iin)
    return f"{iin[:2]}••••••••{iin[-2:]}"
