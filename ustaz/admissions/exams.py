"""Creative exams (§3.3): each commission member scores each criterion; when the results are published the
exam's score is computed by the programme's rule, the applicants are told, and those with every exam of
their programme published become examined."""

from __future__ import annotations

import statistics
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ustaz.accounts.models import User
from ustaz.core.files import clean_filename
from ustaz.core.models import AuditAction
from ustaz.core.services import audit_record
from ustaz.core.sniff import AUDIO, HEAD_BYTES, IMAGE, PDF, VIDEO, sniff
from ustaz.notifications import services as notifications

from . import access
from .apps import STATUS_CHANGED
from .models import (
    Application,
    CreativeExam,
    ExamFormat,
    ExamRecording,
    ExamResult,
    ExamScore,
    ScoreRule,
    Status,
    StatusChange,
)

MAX_RECORDING_MB = 2048
CENT = Decimal("0.01")


def combine(totals: list[Decimal], rule: str) -> Decimal:
    """The exam's score from the members' totals, by the programme's rule, kept to two decimals."""
    if not totals:
        raise ValueError("no scores")
    values = sorted(totals)
    if rule == ScoreRule.TRIMMED and len(values) >= 4:
        values = values[1:-1]
    if rule == ScoreRule.MEDIAN:
        result = Decimal(statistics.median(values))
    else:
        result = sum(values, Decimal(0)) / len(values)
    return result.quantize(CENT, rounding=ROUND_HALF_UP)


def examinees(exam: CreativeExam):
    """The applicants sitting the exam: those of its programme whose documents are checked."""
    return (
        Application.objects.filter(offer=exam.offer_id, status__in=(Status.CHECKED, Status.EXAMINED))
        .select_related("applicant")
        .order_by("applicant__last_name", "applicant__first_name", "pk")
    )


@transaction.atomic
def scores_save(
    *, exam: CreativeExam, application: Application, member: User, points: dict[int, Decimal | None]
) -> int:
    """One member's points for one applicant, by criterion; a blank removes that criterion's score."""
    if exam.published_at is not None:
        raise ValidationError(_("The results of this exam are published; scores cannot be changed."))
    if application.offer_id != exam.offer_id or application.status != Status.CHECKED:
        raise ValidationError(_("This applicant does not sit this exam."))
    criteria = {c.pk: c for c in exam.criteria.all()}
    errors = []
    for pk, value in points.items():
        criterion = criteria.get(pk)
        if criterion is None:
            raise ValidationError(_("Unknown criterion."))
        if value is not None and not (0 <= value <= criterion.max_points):
            errors.append(
                _("%(criterion)s: from 0 to %(max)s points.")
                % {"criterion": criterion.name, "max": criterion.max_points}
            )
    if errors:
        raise ValidationError(errors)
    saved = 0
    for pk, value in points.items():
        if value is None:
            ExamScore.objects.filter(application=application, criterion_id=pk, member=member).delete()
        else:
            ExamScore.objects.update_or_create(
                application=application, criterion_id=pk, member=member, defaults={"points": value}
            )
            saved += 1
    return saved


def score_sheets(exam: CreativeExam, applications: list[Application]) -> dict[int, dict[int, dict[int, Decimal]]]:
    """{application: {member: {criterion: points}}} for the exam, in one query."""
    sheets: dict[int, dict[int, dict[int, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for score in ExamScore.objects.filter(criterion__exam=exam, application__in=[a.pk for a in applications]):
        sheets[score.application_id][score.member_id][score.criterion_id] = score.points
    return sheets


@transaction.atomic
def results_publish(*, exam: CreativeExam, by: User) -> list[ExamResult]:
    """Compute each applicant's score on the exam and show it to them. Refused while a member's sheet is half
    filled (a criterion left without points), so that no score is computed from part of a sheet."""
    exam = CreativeExam.objects.select_for_update().select_related("offer").get(pk=exam.pk)
    if exam.published_at is not None:
        raise ValidationError(_("The results of this exam are already published."))
    criteria = list(exam.criteria.all())
    if not criteria:
        raise ValidationError(_("The exam has no criteria to score."))
    applications = list(examinees(exam).filter(status=Status.CHECKED))
    sheets = score_sheets(exam, applications)
    incomplete = [
        application.applicant.full_name
        for application in applications
        for sheet in sheets.get(application.pk, {}).values()
        if len(sheet) != len(criteria)
    ]
    if incomplete:
        raise ValidationError(
            _("Some scores are missing a criterion: %(names)s. Complete or clear them first.")
            % {"names": ", ".join(sorted(set(incomplete)))}
        )
    results = []
    for application in applications:
        totals = [sum(sheet.values(), Decimal(0)) for sheet in sheets.get(application.pk, {}).values()]
        if not totals:
            continue  # absent: no result, not examined
        score = combine(totals, exam.offer.score_rule)
        results.append(
            ExamResult(
                application=application,
                exam=exam,
                score=score,
                members=len(totals),
                passed=score >= exam.pass_score,
            )
        )
    ExamResult.objects.bulk_create(results)
    exam.published_at = timezone.now()
    exam.save(update_fields=["published_at"])
    audit_record(
        action=AuditAction.EXAM_RESULTS_PUBLISHED,
        actor=by,
        target=exam,
        details={"results": len(results), "absent": len(applications) - len(results)},
    )
    _examined(exam.offer_id, by)
    return results


def _examined(offer_id: int, by: User) -> None:
    """Once every exam of the programme is published, an applicant with a result on each is examined."""
    exams = list(CreativeExam.objects.filter(offer_id=offer_id))
    if any(e.published_at is None for e in exams):
        return
    results: dict[int, list[ExamResult]] = defaultdict(list)
    for result in ExamResult.objects.filter(exam__offer_id=offer_id).order_by("exam__position", "exam_id"):
        results[result.application_id].append(result)
    done = []
    for application in Application.objects.filter(offer_id=offer_id, status=Status.CHECKED).select_related("applicant"):
        mine = results.get(application.pk, [])
        if len(mine) != len(exams):
            continue
        application.total_score = sum((r.score for r in mine), Decimal(0))
        application.passed_exams = all(r.passed for r in mine)
        StatusChange.objects.create(application=application, old=application.status, new=Status.EXAMINED, by=by)
        application.status = Status.EXAMINED
        application.save(update_fields=["total_score", "passed_exams", "status"])
        done.append(application)
    for application in done:
        notifications.notify(
            users=[application.applicant],
            kind=STATUS_CHANGED,
            title=gettext_lazy("Your creative exam results are published"),
            params={},
            url=reverse("admissions:application", args=[application.pk]),
        )


@transaction.atomic
def recording_add(*, exam: CreativeExam, application: Application, upload: UploadedFile) -> ExamRecording:
    """The applicant's recorded performance, replacing an earlier one, until the exam's deadline."""
    if exam.format != ExamFormat.RECORDING or exam.offer_id != application.offer_id:
        raise ValidationError(_("This exam does not take a recording."))
    if application.status != Status.CHECKED:
        raise ValidationError(_("Recordings are taken once your documents are checked."))
    if timezone.now() > exam.starts_at:
        raise ValidationError(_("The time to send a recording for this exam is over."))
    if upload.size > MAX_RECORDING_MB * 1024 * 1024:
        raise ValidationError(_("A recording is at most %(limit)d MB.") % {"limit": MAX_RECORDING_MB})
    found = sniff(upload.read(HEAD_BYTES))
    upload.seek(0)
    if found is None or found.category not in (AUDIO, VIDEO, IMAGE, PDF):
        raise ValidationError(
            _("“%(name)s” is not a recording, a photo or a scan this exam can take.") % {"name": upload.name}
        )
    recording = ExamRecording.objects.filter(exam=exam, application=application).first() or ExamRecording(
        exam=exam, application=application
    )
    earlier = recording.file.name if recording.pk else ""
    recording.name = clean_filename(upload.name, fallback=f"recording.{found.extension}")
    recording.content_type = found.content_type
    recording.size = upload.size
    recording.file.save(f"recording.{found.extension}", upload, save=False)  # stored under a generated name
    recording.save()
    if earlier:
        # The earlier recording goes only once the new one is stored and recorded: a failed upload loses nothing.
        storage, name = recording.file.storage, earlier
        transaction.on_commit(lambda: storage.delete(name))
    return recording


def can_score(user: User, exam: CreativeExam) -> bool:
    """Scores are the commission members' own; the office publishes them but does not score."""
    return access.sits_on_commission(user, exam.offer.campaign)


def can_publish(user: User, exam: CreativeExam) -> bool:
    return can_score(user, exam) or access.is_office(user)
