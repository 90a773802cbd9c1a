"""Writes of the testing centre: banks imported and questions edited as new versions, attempts opened with a
deadline the server keeps, every answer saved as it is given (the same save twice does no harm), attempts
closed by the student or at the deadline by the worker, graded, and the result posted to the gradebook."""

from __future__ import annotations

import datetime
import random
import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Max, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ustaz.academics import access as academics_access
from ustaz.academics.models import Enrolment
from ustaz.accounts.models import User
from ustaz.core.models import AuditAction
from ustaz.core.numbers import check_for_field
from ustaz.core.services import audit_record
from ustaz.core.sniff import HEAD_BYTES, sniff
from ustaz.grades import selectors as grade_selectors
from ustaz.grades import services as grades
from ustaz.grades.models import GradeSource
from ustaz.notifications import services as notifications

from . import access, bounds, grading, importers
from .apps import RESULT_READY
from .models import (
    Accommodation,
    Answer,
    Attempt,
    AttemptEvent,
    AttemptStatus,
    Bank,
    BankImport,
    Category,
    EventKind,
    GradingMethod,
    ImportStatus,
    Question,
    QuestionVersion,
    Test,
    TextFormat,
)

_SCORE_DIGITS = Attempt._meta.get_field("max_score").max_digits - Attempt._meta.get_field("max_score").decimal_places
SAVE_GRACE = datetime.timedelta(seconds=5)  # a save sent just before the deadline may arrive just after it


# --- Banks -------------------------------------------------------------------------------------------------


def bank_import(*, bank: Bank, category: str, raw: bytes, fmt: str, encoding: str = "auto", by: User) -> int:
    """Read a file into the bank's category: every question or none (importers.ImportErrors with lines).

    The file is read and checked against the import limits first, outside any transaction: reading a large
    bank takes seconds, and a write transaction held that long locks an SQLite database for every other
    writer (the task worker, students saving answers). Only the writes of a checked bank are in one."""
    parsed = importers.read(raw, fmt, encoding)
    return _bank_store(bank=bank, category=category, parsed=parsed)


def bank_import_queue(
    *, bank: Bank, category: str, upload, fmt: str, encoding: str = "auto", by: User, language: str = ""
) -> BankImport:
    """Keep the uploaded file and queue its import for the task worker (the page shows its progress). A file
    over the size limit is refused here, before it is stored."""
    limits = importers.Limits.from_settings()
    if upload.size > limits.max_bytes:
        raise importers.ImportErrors([(1, importers.too_large_message(limits))])
    if fmt not in importers.FORMATS:
        raise importers.ImportErrors([(1, _("Unknown format."))])
    job = BankImport(
        bank=bank,
        created_by=by,
        filename=(upload.name or "")[-255:],
        fmt=fmt,
        encoding=encoding,
        category=category,
        language=language,
    )
    job.file.save(f"{uuid.uuid4().hex}.upload", upload, save=False)
    job.save()
    from . import tasks

    transaction.on_commit(lambda: tasks.bank_import_run.enqueue(job.pk))
    return job


def bank_import_run(*, job_pk: int) -> str:
    """The worker's part: read the queued file (outside any transaction, its progress kept for the page), then
    write the checked bank in one transaction; or keep the errors by line and write nothing. Once only: a job
    another worker took, or one finished, is left alone."""
    if not BankImport.objects.filter(pk=job_pk, status=ImportStatus.QUEUED).update(status=ImportStatus.READING):
        return "taken"
    job = BankImport.objects.select_related("bank", "created_by").get(pk=job_pk)
    jobs = BankImport.objects.filter(pk=job_pk)
    if job.created_by is None or not job.created_by.is_active or not access.can_manage_bank(job.created_by, job.bank):
        # Whoever queued it no longer manages the bank (moved off the discipline, deactivated): the rule the
        # request checked holds in the worker too.
        with translation.override(job.language or None):
            message = _("The import was not run: its author no longer manages this bank.")
        jobs.update(status=ImportStatus.FAILED, errors=[[1, message]], finished_at=timezone.now())
        if job.file:
            job.file.delete(save=False)
            jobs.update(file="")
        return ImportStatus.FAILED
    try:
        with translation.override(job.language or None):
            try:
                with job.file.open("rb") as handle:
                    raw = handle.read(importers.Limits.from_settings().max_bytes + 1)
                parsed = importers.read(
                    raw, job.fmt, job.encoding, progress=lambda lines: jobs.update(lines_read=lines)
                )
            except importers.ImportErrors as failed:
                jobs.update(status=ImportStatus.FAILED, errors=failed.errors, finished_at=timezone.now())
                return ImportStatus.FAILED
            jobs.update(status=ImportStatus.WRITING)
            count = _bank_store(bank=job.bank, category=job.category, parsed=parsed)
            jobs.update(status=ImportStatus.DONE, questions=count, finished_at=timezone.now())
            return ImportStatus.DONE
    except Exception:
        with translation.override(job.language or None):
            message = _("The import stopped on an error of the platform; nothing was imported. Try again.")
        jobs.update(status=ImportStatus.FAILED, errors=[[1, message]], finished_at=timezone.now())
        raise
    finally:
        if job.file:
            job.file.delete(save=False)
            jobs.update(file="")


@transaction.atomic
def _bank_store(*, bank: Bank, category: str, parsed: list[importers.Parsed]) -> int:
    """The questions into the category given, or into the one the file names for them (GIFT's $CATEGORY:)."""
    default = category.strip() or _("Imported")
    targets = {}
    for name in dict.fromkeys(item.category.strip() or default for item in parsed):
        targets[name], _created = Category.objects.get_or_create(bank=bank, name=name)
    questions = Question.objects.bulk_create(
        [Question(bank=bank, category=targets[item.category.strip() or default], kind=item.kind) for item in parsed],
        batch_size=500,
    )
    versions = QuestionVersion.objects.bulk_create(
        [
            QuestionVersion(
                question=question,
                number=1,
                text=item.text,
                text_format=item.text_format,
                data=item.data,
                feedback=item.feedback,
                points=bounds.points(item.points) if item.points is not None else Decimal(1),
            )
            for question, item in zip(questions, parsed, strict=True)
        ],
        batch_size=500,
    )
    for question, version in zip(questions, versions, strict=True):
        question.current = version
    Question.objects.bulk_update(questions, ["current"], batch_size=500)
    return len(parsed)


def _media_kind(upload):
    kind = sniff(upload.read(HEAD_BYTES))
    upload.seek(0)
    if kind is None or kind.category not in ("audio", "video", "image"):
        raise ValidationError(_("Attach a recording, a video or a picture."))
    return kind


def _key_kept(kind: str, old: dict, data: dict) -> dict:
    """A key edited on the question form, with what the form does not show (imported weights, fractions and
    feedback of each answer) kept where it still fits: a short answer's by its text; a numeric question's other
    answers beside the one edited; a choice's partial credit unless the right options changed (then the right
    ones share the question again)."""
    data = dict(data)
    if kind == "short" and (old.get("fractions") or old.get("answer_feedback")):
        fractions = old.get("fractions") or {}
        notes = old.get("answer_feedback") or []
        by_text = {
            answer: (fractions.get(str(i)), notes[i] if i < len(notes) else "")
            for i, answer in reversed(list(enumerate(old.get("answers", []))))
        }
        kept = [by_text.get(answer, (None, "")) for answer in data["answers"]]
        data.pop("fractions", None)
        data.pop("answer_feedback", None)
        if any(fraction is not None for fraction, _note in kept):
            data["fractions"] = {str(i): f for i, (f, _note) in enumerate(kept) if f is not None}
            if len(data["fractions"]) == len(data["answers"]):
                raise ValidationError(_("A short-answer question needs one answer of 100%."))
        if any(note for _f, note in kept):
            data["answer_feedback"] = [note for _f, note in kept]
    elif kind == "numeric" and old.get("answers"):
        answers = [dict(answer) for answer in old["answers"]]
        edited = next(
            (
                answer
                for answer in answers
                if answer["answer"] == old.get("answer") and answer["tolerance"] == old.get("tolerance")
            ),
            answers[0],
        )
        edited.update(answer=data["answer"], tolerance=data["tolerance"], fraction=100)
        data["answers"] = answers
    elif kind == "single" and old.get("fractions"):
        data["fractions"] = {i: f for i, f in old["fractions"].items() if int(i) != int(data["correct"])}
        if not data["fractions"]:
            del data["fractions"]
    elif kind == "multiple" and old.get("weights") and sorted(data["correct"]) != sorted(old.get("correct", [])):
        del data["weights"]
    return data


@transaction.atomic
def question_edit(
    *,
    question: Question,
    text: str,
    data: dict,
    points: Decimal,
    by: User,
    media=None,
    option_media: dict | None = None,
    text_format: str | None = None,
    feedback: str | None = None,
) -> QuestionVersion:
    """A new version: attempts already given the old one keep it. The media stay unless a new file comes
    (audio, video or an image, checked by its content); the text's format and the general feedback stay
    unless given."""
    points = bounds.points(points)
    if question.kind == "numeric":
        data = {**data, "answer": bounds.key_number(data["answer"]), "tolerance": bounds.tolerance(data["tolerance"])}
    number = (question.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    previous = question.current
    if previous is not None:
        data = _key_kept(question.kind, previous.data, data)
    if text_format is None:
        text_format = previous.text_format if previous is not None else TextFormat.PLAIN
    if text_format not in TextFormat.values:
        raise ValidationError(_("Choose the format of the text."))
    if feedback is None:
        feedback = previous.feedback if previous is not None else ""
    version = QuestionVersion(
        question=question,
        number=number,
        text=text,
        text_format=text_format,
        data=data,
        feedback=feedback,
        points=points,
    )
    if option_media:
        # A recording or picture as an option (a painting to choose): kept beside the question, by option.
        stored = dict(data.get("option_media") or {})
        for index, upload in option_media.items():
            kind = _media_kind(upload)
            name = default_storage.save(
                f"quizzes/{question.bank_id}/{question.pk}/v{number}-option{index}.{kind.extension}", upload
            )
            stored[str(index)] = {"name": name, "type": kind.content_type, "kind": kind.category}
        data = {**data, "option_media": stored}
        version.data = data
    if media is not None:
        kind = _media_kind(media)
        version.media_kind, version.media_type = kind.category, kind.content_type
        version.media.save(f"v{number}.{kind.extension}", media, save=False)
    elif previous is not None and previous.media:
        version.media, version.media_kind, version.media_type = (
            previous.media.name,
            previous.media_kind,
            previous.media_type,
        )
    version.save()
    Question.objects.filter(pk=question.pk).update(current=version)
    question.current = version
    return version


# --- Attempts ----------------------------------------------------------------------------------------------


def window(test: Test, student: User) -> tuple[datetime.datetime, datetime.datetime, int]:
    """When this student may take the test, and their extra minutes (accommodations, §1.5)."""
    own = Accommodation.objects.filter(test=test, student=student).first()
    if own is None:
        return test.opens_at, test.closes_at, 0
    return own.opens_at or test.opens_at, own.closes_at or test.closes_at, own.extra_minutes


def attempts_left(test: Test, student: User) -> int:
    return max(0, test.attempts_allowed - Attempt.objects.filter(test=test, student=student).count())


def _draw(test: Test, rng: random.Random) -> list[dict]:
    layout, total = [], Decimal(0)
    for section in test.sections.select_related("category").order_by("pk"):
        versions = list(
            QuestionVersion.objects.filter(
                question__category=section.category, question__is_archived=False, question__current_id=F("pk")
            ).select_related("question")
        )
        if len(versions) < section.count:
            raise ValidationError(
                _("The category “%(category)s” has %(have)d questions; the test draws %(want)d.")
                % {"category": section.category.name, "have": len(versions), "want": section.count}
            )
        for version in rng.sample(versions, section.count):
            kind = version.question.kind
            size = len(version.data.get("options") or version.data.get("items") or version.data.get("right") or [])
            order = list(range(size))
            if test.shuffle_options or kind == "ordering":
                rng.shuffle(order)
            layout.append({"version": version.pk, "kind": kind, "order": order})
            total += version.points
    if total.adjusted() >= _SCORE_DIGITS:
        # The attempt's score could not be kept (Attempt.max_score): refused before the student starts.
        raise ValidationError(_("The questions of this test are worth too many points together; ask the teacher."))
    return layout


@transaction.atomic
def attempt_start(*, test: Test, student: User, session_key: str = "", ip: str | None = None) -> Attempt:
    """The open attempt, or a new one with its questions drawn and a deadline the server keeps."""
    if not academics_access.takes_part(student):
        raise PermissionDenied  # on academic leave, expelled or graduated (docs/decisions/0014)
    if not Enrolment.objects.filter(course_id=test.course_id, student=student).exists():
        raise PermissionDenied
    open_attempt = Attempt.objects.filter(test=test, student=student, status=AttemptStatus.OPEN).first()
    if open_attempt is not None:
        return open_attempt
    now = timezone.now()
    opens, closes, extra = window(test, student)
    if now < opens:
        raise ValidationError(_("The test is not open yet."))
    if now >= closes:
        raise ValidationError(_("The test is closed."))
    if attempts_left(test, student) <= 0:
        raise ValidationError(_("You have used all your attempts."))
    if test.grade_item_id and student.pk in grade_selectors.barred_from_exam(test.grade_item, [student.pk]):
        # rules.md [U]: the University's setting bars a student with an overdue contract payment from the exam.
        raise ValidationError(_("You are not admitted to the exam: a contract payment is overdue."))
    deadline = min(now + datetime.timedelta(minutes=test.time_limit_minutes + extra), closes)
    layout = _draw(test, random.Random())  # noqa: S311 - shuffling, not secrecy
    number = (Attempt.objects.filter(test=test, student=student).aggregate(n=Max("number"))["n"] or 0) + 1
    attempt = Attempt.objects.create(
        test=test, student=student, number=number, deadline=deadline, layout=layout, session_key=session_key
    )
    Answer.objects.bulk_create(
        [Answer(attempt=attempt, position=n, version_id=item["version"]) for n, item in enumerate(layout)]
    )
    AttemptEvent.objects.create(attempt=attempt, kind=EventKind.STARTED, ip_address=ip)
    from . import tasks

    transaction.on_commit(lambda: tasks.schedule_close(attempt.pk, deadline))
    return attempt


@transaction.atomic
def attempt_take_over(
    *, attempt: Attempt, session_key: str, ip: str | None = None, now: datetime.datetime | None = None
) -> Attempt:
    """The student goes on with their open attempt in this browser (the one it was opened in crashed or is
    elsewhere): from now on only this session saves, and the change is logged for the proctor and the teacher
    with both addresses. The deadline does not move."""
    now = now or timezone.now()
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.status != AttemptStatus.OPEN or now > attempt.deadline + SAVE_GRACE:
        raise ValidationError(_("The time is up: the attempt is closed."), code="closed")
    if not session_key:
        raise ValidationError(_("Sign in again to go on with the attempt."))
    if attempt.session_key == session_key:
        return attempt
    previous_ip = _last_ip(attempt)
    attempt.session_key = session_key
    attempt.save(update_fields=["session_key"])
    AttemptEvent.objects.create(
        attempt=attempt, kind=EventKind.TAKEN_OVER, ip_address=ip, details={"previous_ip": previous_ip}
    )
    return attempt


def _last_ip(attempt: Attempt) -> str | None:
    return (
        AttemptEvent.objects.filter(attempt=attempt, ip_address__isnull=False)
        .order_by("-at", "-pk")
        .values_list("ip_address", flat=True)
        .first()
    )


def answer_save(
    *,
    attempt: Attempt,
    position: int,
    response,
    flagged: bool | None = None,
    session_key: str = "",
    ip: str | None = None,
    now: datetime.datetime | None = None,
) -> Answer:
    """Keep a student's answer. Saving the same answer again changes nothing; a save after the deadline, or
    from another session than the one the attempt was opened in, is refused."""
    now = now or timezone.now()
    if attempt.session_key and session_key and session_key != attempt.session_key:
        # Kept (outside the refused save's transaction) for the teacher's log.
        AttemptEvent.objects.create(attempt=attempt, kind=EventKind.OTHER_DEVICE, ip_address=ip)
        raise PermissionDenied(_("This attempt is open in another browser or device."))
    with transaction.atomic():
        return _answer_store(attempt, position, response, flagged, ip, now)


def _answer_store(attempt: Attempt, position: int, response, flagged, ip, now) -> Answer:
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.status != AttemptStatus.OPEN or now > attempt.deadline + SAVE_GRACE:
        raise ValidationError(_("The time is up: the attempt is closed."), code="closed")
    previous_ip = _last_ip(attempt)
    try:
        answer = Answer.objects.get(attempt=attempt, position=position)
    except Answer.DoesNotExist:
        raise ValidationError(_("No such question in this attempt.")) from None
    changed = []
    if response != answer.response:
        answer.response = response
        changed.append("response")
    if flagged is not None and flagged != answer.flagged:
        answer.flagged = flagged
        changed.append("flagged")
    if changed:
        answer.save(update_fields=[*changed, "saved_at"])
        AttemptEvent.objects.create(
            attempt=attempt, kind=EventKind.SAVED, ip_address=ip, details={"position": position}
        )
    if ip and previous_ip not in (None, ip):
        AttemptEvent.objects.create(attempt=attempt, kind=EventKind.IP_CHANGED, ip_address=ip)
    return answer


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _grade_answers(attempt: Attempt) -> None:
    answers = list(Answer.objects.filter(attempt=attempt).select_related("version__question"))
    total, maximum, pending = Decimal(0), Decimal(0), False
    for answer in answers:
        version = answer.version
        maximum += version.points
        fraction = grading.score(version.question.kind, version.data, answer.response)
        if fraction is None:
            if answer.points is None:
                pending = True
            else:
                total += answer.points
            continue
        answer.points = _quantize(version.points * Decimal(str(fraction)))
        total += answer.points
    Answer.objects.bulk_update([a for a in answers if a.version.question.kind != "essay"], ["points"])
    attempt.score, attempt.max_score, attempt.needs_grading = _quantize(total), maximum, pending


@transaction.atomic
def attempt_finish(*, attempt: Attempt, timed_out: bool = False, ip: str | None = None) -> Attempt:
    """Close and grade the attempt (once: a second call, or the worker after the student, changes nothing)."""
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.status != AttemptStatus.OPEN:
        return attempt
    attempt.status = AttemptStatus.TIMED_OUT if timed_out else AttemptStatus.SUBMITTED
    attempt.finished_at = min(timezone.now(), attempt.deadline) if timed_out else timezone.now()
    _grade_answers(attempt)
    attempt.save(update_fields=["status", "finished_at", "score", "max_score", "needs_grading"])
    AttemptEvent.objects.create(
        attempt=attempt, kind=EventKind.TIMED_OUT if timed_out else EventKind.SUBMITTED, ip_address=ip
    )
    if not attempt.needs_grading:
        result_post(test=attempt.test, student=attempt.student)
    return attempt


def close_overdue(now: datetime.datetime | None = None) -> int:
    """The worker's sweep: attempts past their deadline are closed and graded with what was saved."""
    now = now or timezone.now()
    overdue = list(Attempt.objects.filter(status=AttemptStatus.OPEN, deadline__lt=now - SAVE_GRACE))
    for attempt in overdue:
        attempt_finish(attempt=attempt, timed_out=True)
    return len(overdue)


def counted_percent(test: Test, student: User) -> Decimal | None:
    finished = list(
        Attempt.objects.filter(test=test, student=student, needs_grading=False)
        .exclude(status=AttemptStatus.OPEN)
        .order_by("number")
    )
    percents = [a.score * 100 / a.max_score for a in finished if a.max_score]
    if not percents:
        return None
    if test.grading_method == GradingMethod.LAST:
        value = percents[-1]
    elif test.grading_method == GradingMethod.AVERAGE:
        value = sum(percents) / len(percents)
    else:
        value = max(percents)
    return _quantize(value)


def result_post(*, test: Test, student: User, by: User | None = None) -> Decimal | None:
    """The counting result into the test's journal column (scaled to its maximum), through the gradebook."""
    percent = counted_percent(test, student)
    if percent is None:
        return None
    if test.grade_item_id:
        item = test.grade_item
        grades.grade_post(
            item=item,
            student=student,
            points=_quantize(percent * item.max_points / 100).quantize(Decimal("0.1")),
            posted_by=by,
            source=GradeSource.QUIZ,
            source_ref=test.title[:100],
        )
    from django.urls import reverse

    notifications.notify(
        users=[student],
        kind=RESULT_READY,
        title=gettext_lazy("Your result in %(test)s: %(percent)s%%"),
        params={"test": test.title, "percent": f"{percent:.0f}"},
        url=reverse("quizzes:test", args=[test.course_id, test.pk]),
    )
    return percent


@transaction.atomic
def essay_grade(*, answer: Answer, points: Decimal, by: User) -> Attempt:
    points = check_for_field(points, Answer._meta.get_field("points"))
    if not Decimal(0) <= points <= answer.version.points:
        raise ValidationError(_("Points are from 0 to %(max)s.") % {"max": answer.version.points})
    answer.points = points
    answer.save(update_fields=["points"])
    attempt = Attempt.objects.select_for_update().get(pk=answer.attempt_id)
    _grade_answers(attempt)
    attempt.save(update_fields=["score", "max_score", "needs_grading"])
    if not attempt.needs_grading:
        result_post(test=attempt.test, student=attempt.student, by=by)
    return attempt


@transaction.atomic
def regrade(*, test: Test, question: Question, by: User) -> int:
    """After a key is fixed: every answer to this question in the test is scored by its current version's key,
    the attempts' scores and the results in the gradebook follow; audited."""
    current = question.current
    answers = list(
        Answer.objects.filter(attempt__test=test, version__question=question)
        .exclude(attempt__status=AttemptStatus.OPEN)
        .select_related("attempt")
    )
    for answer in answers:
        fraction = grading.score(question.kind, current.data, answer.response)
        if fraction is not None:
            answer.points = _quantize(answer.version.points * Decimal(str(fraction)))
    Answer.objects.bulk_update(answers, ["points"])
    attempts = {a.attempt_id: a.attempt for a in answers}
    totals = dict(
        Answer.objects.filter(attempt__in=attempts)
        .values("attempt")
        .annotate(total=Sum("points"))
        .values_list("attempt", "total")
    )
    for attempt in attempts.values():
        attempt.score = _quantize(totals.get(attempt.pk) or Decimal(0))
    Attempt.objects.bulk_update(attempts.values(), ["score"])
    students = {attempt.student_id for attempt in attempts.values()}
    for student in User.objects.filter(pk__in=students):
        result_post(test=test, student=student, by=by)
    audit_record(
        action=AuditAction.QUIZ_REGRADED,
        actor=by,
        target=test,
        target_repr=test.title,
        details={"question": question.pk, "version": current.number, "answers": len(answers)},
    )
    return len(answers)
