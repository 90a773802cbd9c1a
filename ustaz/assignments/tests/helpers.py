from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from ustaz.assignments import services
from ustaz.assignments.models import Assignment, Kind, LatePolicy, Submission, SubmissionFile
from ustaz.core.sniff import sniff


def an_assignment(course, teacher, **fields) -> Assignment:
    now = timezone.now()
    criteria = fields.pop("criteria", None)
    assignment = Assignment(
        course=course,
        title=fields.pop("title", "Этюд №1: бейнежазба"),
        instructions=fields.pop("instructions", "Этюдті орындап, **бейнеге** түсіріңіз."),
        kind=fields.pop("kind", Kind.MIXED),
        accepts=fields.pop("accepts", ["audio", "video", "image", "pdf", "document"]),
        opens_at=fields.pop("opens_at", now - datetime.timedelta(days=1)),
        due_at=fields.pop("due_at", now + datetime.timedelta(days=7)),
        late_policy=fields.pop("late_policy", LatePolicy.ACCEPT),
        **fields,
    )
    return services.assignment_save(assignment=assignment, by=teacher, criteria=criteria)


def stored_file(submission: Submission, name: str, data: bytes) -> SubmissionFile:
    kind = sniff(data[:4096])
    stored = default_storage.save(f"assignments/test/{submission.pk}/{name}", ContentFile(data))
    return SubmissionFile.objects.create(
        submission=submission,
        file=stored,
        name=name,
        size=len(data),
        category=kind.category,
        content_type=kind.content_type,
    )


def a_submission(assignment, student, version=1, **fields) -> Submission:
    return Submission.objects.create(assignment=assignment, student=student, version=version, **fields)
