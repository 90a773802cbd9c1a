"""Reads of the testing centre for pages and the calendar."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from ustaz.academics.selectors import in_my_courses
from ustaz.accounts.models import User
from ustaz.core.calendar import Event

from .models import Test


def calendar_events(user: User, start: datetime, end: datetime) -> list[Event]:
    courses = in_my_courses(user)
    tests = (
        Test.objects.filter(courses, opens_at__lt=end, closes_at__gte=start)
        .select_related("course__discipline")
        .distinct()
    )
    return [
        Event(
            uid=f"quiz-test-{t.pk}",
            summary=_("Test: %(title)s (%(course)s)") % {"title": t.title, "course": t.course.title},
            start=t.opens_at,
            end=t.closes_at,
            url=reverse("quizzes:test", args=[t.course_id, t.pk]),
        )
        for t in tests
    ]


def banks_for(disciplines):
    from django.db.models import Count

    from .models import Bank

    return list(
        Bank.objects.filter(discipline__in=disciplines)
        .select_related("discipline")
        .annotate(question_count=Count("questions"))
        .order_by("discipline__code", "name")
    )


def bank_categories(bank):
    from django.db.models import Count

    return list(bank.categories.annotate(question_count=Count("questions")).order_by("name"))


def review_open(test: Test, now: datetime) -> bool:
    from .models import ReviewPolicy

    if test.review == ReviewPolicy.AFTER_SUBMIT:
        return True
    return test.review == ReviewPolicy.AFTER_CLOSE and now >= test.closes_at


def attempt_questions(attempt, *, with_keys: bool) -> list[dict]:
    """The attempt's questions in its order, each with the options in the order this student was shown and
    their saved answer; the key and points only with_keys (never on the attempt page)."""
    from . import grading
    from .models import Answer

    answers = {a.position: a for a in Answer.objects.filter(attempt=attempt).select_related("version__question")}
    questions = []
    for position, item in enumerate(attempt.layout):
        answer = answers[position]
        version = answer.version
        kind = version.question.kind
        shown = grading.public(kind, version.data)
        order = item.get("order") or []
        entry = {
            "position": position,
            "number": position + 1,
            "kind": kind,
            "text": version.text,
            "format": version.text_format,
            "response": answer.response,
            "flagged": answer.flagged,
            "points_max": version.points,
            "media_kind": version.media_kind if version.media else "",
            "media_type": version.media_type,
        }
        if kind in ("single", "multiple"):
            entry["options"] = [(i, shown["options"][i]) for i in order]
            entry["option_media"] = {int(i): m for i, m in shown["option_media"].items()}
        elif kind == "ordering":
            entry["options"] = [(i, shown["items"][i]) for i in order]
        elif kind == "matching":
            entry["left"] = list(enumerate(shown["left"]))
            entry["right"] = [(i, shown["right"][i]) for i in order] if order else list(enumerate(shown["right"]))
        elif kind == "blanks":
            entry["blank_text"] = shown["text"]
            entry["blanks"] = shown["blanks"]
        if with_keys:
            entry["points"] = answer.points
            entry["key"] = version.data
            entry["feedback"] = version.feedback
            entry["answer_feedback"] = grading.feedback_for(kind, version.data, answer.response)
        questions.append(entry)
    return questions


@dataclass
class _QuestionStats:
    """One question's answers in a test's results: how many, the share right, by the top and bottom thirds."""

    text: str = ""
    format: str = ""
    answers: int = 0
    right: float = 0.0
    high: list[float] = field(default_factory=list)
    low: list[float] = field(default_factory=list)


def test_results(test: Test) -> dict:
    """For the teacher: every attempt with its student, the score distribution in tenths, and per question
    its difficulty (share right) and discrimination (the best third's share right less the worst third's)."""
    from .models import Answer, Attempt, AttemptStatus

    attempts = list(
        Attempt.objects.filter(test=test).exclude(status=AttemptStatus.OPEN).select_related("student").order_by("pk")
    )
    open_attempts = Attempt.objects.filter(test=test, status=AttemptStatus.OPEN).count()
    percents = {a.pk: float(a.score * 100 / a.max_score) for a in attempts if a.max_score and a.score is not None}
    distribution = [0] * 10
    for value in percents.values():
        distribution[min(9, int(value // 10))] += 1
    ranked = sorted(percents, key=lambda pk: percents[pk])
    third = max(1, len(ranked) // 3)
    low, high = set(ranked[:third]), set(ranked[-third:])
    per_question: dict[int, _QuestionStats] = defaultdict(_QuestionStats)
    for answer in Answer.objects.filter(attempt__in=attempts).select_related("version__question"):
        if answer.points is None or not answer.version.points:
            continue
        share = float(answer.points / answer.version.points)
        stats = per_question[answer.version.question_id]
        stats.text = answer.version.text
        stats.format = answer.version.text_format
        stats.answers += 1
        stats.right += share
        if answer.attempt_id in high:
            stats.high.append(share)
        if answer.attempt_id in low:
            stats.low.append(share)
    questions: list[dict[str, Any]] = []
    for question_id, stats in per_question.items():
        difficulty = stats.right / stats.answers
        high_share = sum(stats.high) / len(stats.high) if stats.high else 0
        low_share = sum(stats.low) / len(stats.low) if stats.low else 0
        questions.append(
            {
                "id": question_id,
                "text": stats.text,
                "format": stats.format,
                "answers": stats.answers,
                "difficulty": round(difficulty, 2),
                "discrimination": round(high_share - low_share, 2),
            }
        )
    questions.sort(key=lambda q: q["difficulty"])
    peak = max(distribution) or 1
    bars = []
    for n, count in enumerate(distribution):
        height = round(100 * count / peak)
        bars.append(
            {
                "x": n * 50 + 5,
                "mid": n * 50 + 25,
                "y": 120 - height,
                "h": height,
                "label_y": 116 - height,
                "count": count,
                "low": n * 10,
                "high": n * 10 + 10,
            }
        )
    return {
        "bars": bars,
        "attempts": attempts,
        "open_attempts": open_attempts,
        "distribution": [(n * 10, count, round(count * 100 / peak)) for n, count in enumerate(distribution)],
        "question_stats": questions,
        "pending": [a for a in attempts if a.needs_grading],
    }


def essay_queue(user: User) -> list:
    from .models import Attempt, AttemptStatus

    return list(
        Attempt.objects.filter(test__course__teachers=user, needs_grading=True)
        .exclude(status=AttemptStatus.OPEN)
        .select_related("test__course__discipline", "student")
        .order_by("finished_at", "pk")[:500]
    )
