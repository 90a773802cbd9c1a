"""Tests taken on the platform: drawing, saving every answer (idempotent), the server's deadline, closing by
the student or the worker, grading into the gradebook, essays, regrading, accommodations, statistics, and
nobody reaching another's attempt or any key."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from testkit.factories import UserFactory, enrol
from ustaz.accounts.models import Role
from ustaz.core.models import AuditAction, AuditEvent
from ustaz.grades.models import Grade, GradeChange, GradeItem, ItemKind, Period
from ustaz.quizzes import selectors, services
from ustaz.quizzes.models import (
    Accommodation,
    Answer,
    AttemptEvent,
    AttemptStatus,
    Bank,
    Category,
    EventKind,
    GradingMethod,
    Question,
    ReviewPolicy,
    Section,
    Test,
)

GIFT = (
    "Кюй «Адай» написал? {=Құрманғазы ~Тәттімбет ~Дәулеткерей}\n\n"
    "Ля первой октавы, Гц? {#440:1}\n\n"
    "Домбыра — шертпелі аспап. {T}\n\n"
    "Кто автор «Сарыарқи»? {=Курмангазы =Құрманғазы}\n\n"
    "Струнные? {~%50%Домбыра ~%50%Кобыз ~%-100%Сыбызгы}\n\n"
    "Напишите о кюе. {}\n"
)


@pytest.fixture
def column(course):
    return GradeItem.objects.create(
        course=course, kind=ItemKind.MIDTERM, period=Period.FIRST, title="АБ1 тест", max_points=100, position=1
    )


@pytest.fixture
def quiz(course, teacher, column):
    bank = Bank.objects.create(discipline=course.discipline, name="Музыка тарихы")
    assert services.bank_import(bank=bank, category="Күйлер", raw=GIFT.encode(), fmt="gift", by=teacher) == 6
    now = timezone.now()
    test = Test.objects.create(
        course=course,
        title="Аралық тест",
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(hours=2),
        time_limit_minutes=30,
        attempts_allowed=2,
        review=ReviewPolicy.AFTER_SUBMIT,
        grade_item=column,
    )
    Section.objects.create(test=test, category=Category.objects.get(bank=bank), count=6)
    return test


def answers_by_text(attempt):
    return {a.version.text: a for a in Answer.objects.filter(attempt=attempt).select_related("version__question")}


def right_responses(attempt) -> dict[int, object]:
    responses = {}
    for answer in answers_by_text(attempt).values():
        data, kind = answer.version.data, answer.version.question.kind
        responses[answer.position] = {
            "single": data.get("correct"),
            "numeric": "440,5",
            "truefalse": True,
            "short": "  курмангазы ",
            "multiple": data.get("correct"),
            "essay": "Күй — аспаптық шығарма.",
        }[kind]
    return responses


def test_an_attempt_saves_every_answer_once_and_grades_into_the_gradebook(quiz, student, column):
    attempt = services.attempt_start(test=quiz, student=student, session_key="s1", ip="10.0.0.1")
    assert len(attempt.layout) == 6 and attempt.deadline <= quiz.closes_at
    # Starting again gives the same open attempt.
    assert services.attempt_start(test=quiz, student=student, session_key="s1").pk == attempt.pk
    for position, response in right_responses(attempt).items():
        services.answer_save(attempt=attempt, position=position, response=response, session_key="s1", ip="10.0.0.1")
        services.answer_save(attempt=attempt, position=position, response=response, session_key="s1", ip="10.0.0.1")
    saves = AttemptEvent.objects.filter(attempt=attempt, kind="saved").count()
    assert saves == 6  # the repeated saves changed nothing
    finished = services.attempt_finish(attempt=attempt)
    assert finished.status == AttemptStatus.SUBMITTED and finished.needs_grading  # the essay waits
    assert finished.score == Decimal("5.00") and finished.max_score == Decimal("6.00")
    assert not Grade.objects.filter(item=column, student=student).exists()
    essay = next(a for a in Answer.objects.filter(attempt=attempt) if a.version.question.kind == "essay")
    services.essay_grade(answer=essay, points=Decimal("0.5"), by=quiz.course.teachers.first())
    # 5.5 of 6 = 91.67% of the column's 100
    assert Grade.objects.get(item=column, student=student).points == Decimal("91.7")
    assert GradeChange.objects.filter(item=column, student=student, source="quiz").exists()


def test_the_deadline_is_the_servers(quiz, student):
    attempt = services.attempt_start(test=quiz, student=student, session_key="s1")
    late = attempt.deadline + datetime.timedelta(seconds=30)
    with pytest.raises(Exception, match="time is up"):
        services.answer_save(attempt=attempt, position=0, response=0, session_key="s1", now=late)
    just_before = attempt.deadline - datetime.timedelta(seconds=1)
    services.answer_save(attempt=attempt, position=0, response=1, session_key="s1", now=just_before)
    assert Answer.objects.get(attempt=attempt, position=0).response == 1


def test_the_worker_closes_and_grades_an_attempt_left_open(quiz, student, column):
    attempt = services.attempt_start(test=quiz, student=student, session_key="s1")
    for position, response in right_responses(attempt).items():
        if (
            answers_by_text(attempt)
            and Answer.objects.get(attempt=attempt, position=position).version.question.kind != "essay"
        ):
            services.answer_save(attempt=attempt, position=position, response=response, session_key="s1")
    # The browser is gone; the deadline passes; the worker's sweep runs.
    assert services.close_overdue(now=attempt.deadline + datetime.timedelta(minutes=1)) == 1
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.TIMED_OUT and attempt.score == Decimal("5.00")
    assert services.close_overdue(now=attempt.deadline + datetime.timedelta(minutes=2)) == 0


def test_one_active_session_per_attempt(quiz, student):
    attempt = services.attempt_start(test=quiz, student=student, session_key="phone")
    with pytest.raises(Exception, match="another browser"):
        services.answer_save(attempt=attempt, position=0, response=0, session_key="laptop", ip="10.0.0.9")
    assert AttemptEvent.objects.filter(attempt=attempt, kind="other_device").exists()


def test_an_ip_change_is_logged(quiz, student):
    attempt = services.attempt_start(test=quiz, student=student, session_key="s", ip="10.0.0.1")
    services.answer_save(attempt=attempt, position=0, response=0, session_key="s", ip="192.0.2.7")
    assert AttemptEvent.objects.filter(attempt=attempt, kind="ip_changed", ip_address="192.0.2.7").exists()


def test_attempts_run_out_and_the_method_decides_what_counts(quiz, student, column):
    for right in (True, False):
        attempt = services.attempt_start(test=quiz, student=student)
        if right:
            for position, response in right_responses(attempt).items():
                services.answer_save(attempt=attempt, position=position, response=response)
        services.attempt_finish(attempt=attempt)
        essay = next(a for a in Answer.objects.filter(attempt=attempt) if a.version.question.kind == "essay")
        services.essay_grade(answer=essay, points=Decimal(1 if right else 0), by=quiz.course.teachers.first())
    with pytest.raises(Exception, match="all your attempts"):
        services.attempt_start(test=quiz, student=student)
    assert services.counted_percent(quiz, student) == Decimal("100.00")  # highest
    quiz.grading_method = GradingMethod.LAST
    assert services.counted_percent(quiz, student) == Decimal("0.00")
    quiz.grading_method = GradingMethod.AVERAGE
    assert services.counted_percent(quiz, student) == Decimal("50.00")


def test_accommodations_give_extra_time(quiz, student):
    Accommodation.objects.create(test=quiz, student=student, extra_minutes=15)
    attempt = services.attempt_start(test=quiz, student=student)
    limit = attempt.deadline - attempt.started_at
    assert datetime.timedelta(minutes=44) < limit <= datetime.timedelta(minutes=45)


def test_editing_a_question_never_changes_an_attempt_but_a_regrade_does(quiz, student, teacher, column):
    attempt = services.attempt_start(test=quiz, student=student)
    numeric = next(a for a in Answer.objects.filter(attempt=attempt) if a.version.question.kind == "numeric")
    services.answer_save(attempt=attempt, position=numeric.position, response="442")
    services.attempt_finish(attempt=attempt)
    before = Answer.objects.get(pk=numeric.pk).points
    assert before == 0
    question = numeric.version.question
    services.question_edit(
        question=question,
        text=numeric.version.text,
        data={"answer": 440, "tolerance": 3},
        points=numeric.version.points,
        by=teacher,
    )
    assert Answer.objects.get(pk=numeric.pk).version_id == numeric.version_id  # the attempt keeps its version
    assert services.regrade(test=quiz, question=Question.objects.get(pk=question.pk), by=teacher) == 1
    assert Answer.objects.get(pk=numeric.pk).points == 1
    assert AuditEvent.objects.filter(action=AuditAction.QUIZ_REGRADED, actor=teacher).exists()


def test_nobody_reaches_another_attempt_or_a_key(as_user, quiz, student, other_student, teacher, ict):
    classmate = UserFactory(roles=f",{Role.STUDENT},")
    enrol(classmate, quiz.course)
    client = as_user(student)
    client.post(reverse("quizzes:start", args=[quiz.course_id, quiz.pk]))
    attempt = quiz.attempts.get(student=student)
    page = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    assert "Кюй «Адай» написал?" in page
    # No key on the attempt page: not the short answer's accepted forms, not the numeric answer, not "correct".
    for secret in ("Курмангазы", "440", "correct", "tolerance"):
        assert secret not in page, secret
    urls = [
        reverse("quizzes:attempt", args=[attempt.pk]),
        reverse("quizzes:review", args=[attempt.pk]),
    ]
    for user in (classmate, other_student, ict):
        for url in urls:
            assert as_user(user).get(url).status_code in (403, 404), (user, url)
        save = as_user(user).post(
            reverse("quizzes:save", args=[attempt.pk]),
            json.dumps({"position": 0, "response": 0}),
            content_type="application/json",
        )
        assert save.status_code in (403, 404)
    # The teacher sees the attempt (and its key) but cannot answer for the student.
    assert as_user(teacher).get(reverse("quizzes:review", args=[attempt.pk])).status_code == 200
    assert (
        as_user(teacher)
        .post(reverse("quizzes:save", args=[attempt.pk]), "{}", content_type="application/json")
        .status_code
        == 403
    )
    assert as_user(student).get(reverse("quizzes:edit", args=[quiz.course_id, quiz.pk])).status_code == 403


def test_the_key_is_shown_only_when_review_opens(as_user, quiz, student):
    quiz.review = ReviewPolicy.AFTER_CLOSE
    quiz.save()
    attempt = services.attempt_start(test=quiz, student=student)
    services.attempt_finish(attempt=attempt)
    page = as_user(student).get(reverse("quizzes:review", args=[attempt.pk])).content.decode()
    assert "Курмангазы" not in page and "shown when the teacher's review opens" in page
    quiz.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    quiz.save()
    page = as_user(student).get(reverse("quizzes:review", args=[attempt.pk])).content.decode()
    assert 'id="attempt-score"' in page


def test_saving_through_the_page_is_idempotent(as_user, quiz, student):
    client = as_user(student)
    client.post(reverse("quizzes:start", args=[quiz.course_id, quiz.pk]))
    attempt = quiz.attempts.get(student=student)
    url = reverse("quizzes:save", args=[attempt.pk])
    short = next(a.position for a in Answer.objects.filter(attempt=attempt) if a.version.question.kind == "short")
    for _ in range(3):
        response = client.post(
            url, json.dumps({"position": short, "response": "x", "flagged": True}), content_type="application/json"
        )
        assert response.status_code == 200
    answer = Answer.objects.get(attempt=attempt, position=short)
    assert answer.response == "x" and answer.flagged
    assert AttemptEvent.objects.filter(attempt=attempt, kind="saved").count() == 1
    page = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    assert f'name="q{short}" value="x"' in page  # the saved answer is back after a reload


def test_statistics_difficulty_and_discrimination(as_user, quiz, teacher, django_assert_max_num_queries):
    pupils = []
    for n in range(6):
        pupil = UserFactory(roles=f",{Role.STUDENT},")
        enrol(pupil, quiz.course)
        pupils.append(pupil)
        attempt = services.attempt_start(test=quiz, student=pupil)
        responses = right_responses(attempt)
        for position, response in list(responses.items())[: n + 1]:
            services.answer_save(attempt=attempt, position=position, response=response)
        services.attempt_finish(attempt=attempt)
    stats = selectors.test_results(quiz)
    assert len(stats["attempts"]) == 6 and sum(b["count"] for b in stats["bars"]) == 6
    assert all(0 <= q["difficulty"] <= 1 and -1 <= q["discrimination"] <= 1 for q in stats["question_stats"])
    client = as_user(teacher)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("quizzes:test", args=[quiz.course_id, quiz.pk])).content.decode()
    assert 'id="score-chart"' in page and 'id="question-stats"' in page


def test_an_open_attempt_offers_to_go_on_even_with_no_attempt_left(as_user, quiz, student):
    """Found in a browser: the page read `.last` of a list, so with the only attempt open it said "No attempt
    left, or the test is closed" and showed no way back into the attempt."""
    quiz.attempts_allowed = 1
    quiz.save(update_fields=["attempts_allowed"])
    client = as_user(student)
    client.post(reverse("quizzes:start", args=[quiz.course_id, quiz.pk]))
    page = client.get(reverse("quizzes:test", args=[quiz.course_id, quiz.pk])).content.decode()
    assert "Go on with the attempt" in page and "No attempt left" not in page


def test_a_student_whose_browser_crashed_takes_the_attempt_over(as_user, quiz, student):
    crashed = as_user(student)
    crashed.post(reverse("quizzes:start", args=[quiz.course_id, quiz.pk]))
    attempt = quiz.attempts.get(student=student)
    save_url = reverse("quizzes:save", args=[attempt.pk])
    assert (
        crashed.post(save_url, json.dumps({"position": 0, "response": 1}), content_type="application/json").status_code
        == 200
    )

    laptop = as_user(student)  # a new session: the first browser is gone
    page = laptop.get(reverse("quizzes:attempt", args=[attempt.pk]))
    assert page.status_code == 409 and "Go on with the attempt here" in page.content.decode()
    refused = laptop.post(save_url, json.dumps({"position": 0, "response": 0}), content_type="application/json")
    assert refused.status_code == 409  # not until taken over

    taken = laptop.post(reverse("quizzes:take_over", args=[attempt.pk]), REMOTE_ADDR="192.0.2.44")
    assert taken.status_code == 302 and taken["Location"] == reverse("quizzes:attempt", args=[attempt.pk])
    page = laptop.get(reverse("quizzes:attempt", args=[attempt.pk]))
    assert page.status_code == 200 and "Кюй «Адай» написал?" in page.content.decode()
    assert (
        laptop.post(save_url, json.dumps({"position": 1, "response": 0}), content_type="application/json").status_code
        == 200
    )
    # The old browser, if it comes back, saves nothing; the answer it saved before stays.
    assert (
        crashed.post(save_url, json.dumps({"position": 0, "response": 0}), content_type="application/json").status_code
        == 409
    )
    assert Answer.objects.get(attempt=attempt, position=0).response == 1
    # Logged for the proctor and the teacher, with the address it was taken over from.
    event = AttemptEvent.objects.get(attempt=attempt, kind=EventKind.TAKEN_OVER)
    assert event.ip_address == "192.0.2.44"
    deadline = attempt.deadline
    attempt.refresh_from_db()
    assert attempt.deadline == deadline  # taking over gives no time


def test_a_closed_attempt_is_not_taken_over(as_user, quiz, student):
    client = as_user(student)
    client.post(reverse("quizzes:start", args=[quiz.course_id, quiz.pk]))
    attempt = quiz.attempts.get(student=student)
    services.attempt_finish(attempt=attempt)
    other = as_user(student)
    response = other.post(reverse("quizzes:take_over", args=[attempt.pk]))
    assert response.status_code == 302 and not AttemptEvent.objects.filter(kind=EventKind.TAKEN_OVER).exists()
    classmate = UserFactory(roles=f",{Role.STUDENT},")
    enrol(classmate, quiz.course)
    assert as_user(classmate).post(reverse("quizzes:take_over", args=[attempt.pk])).status_code in (403, 404)
