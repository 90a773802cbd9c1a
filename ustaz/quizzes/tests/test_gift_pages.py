"""GIFT's formats and feedback where people meet them (issue 14, item 1): the question rendered by its format and
sanitised on the attempt and review pages, the feedback of the answer given and the general feedback on review
only, categories placed by $CATEGORY:, the question form keeping what it does not show, the exports read back."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from ustaz.quizzes import importers, services
from ustaz.quizzes.models import Bank, Category, Question, Section, Test

GIFT = (
    "$CATEGORY: $course$/top/Аспаптар\n"
    "::Күй::[html]Кюй <b>«Адай»</b> авторы?<script>alert(1)</script> "
    "{=Құрманғазы#Дұрыс! ~%50%Құрманғазы Сағырбайұлы#Толық емес ~Тәттімбет####Құрманғазы — <i>күйші</i>.}\n\n"
    "[markdown]Домбырада **үш** ішек бар. {F#Жоқ, екеу.#Дұрыс, екеу.}\n\n"
    "Ля жиілігі, Гц? {#=440:0#Дәл =%50%440:5#Жақын ~#Қате}\n"
)


def _test(course, category: Category, count: int) -> Test:
    now = timezone.now()
    test = Test.objects.create(
        course=course,
        title="GIFT",
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(hours=1),
        review="after_submit",
        shuffle_options=False,
    )
    Section.objects.create(test=test, category=category, count=count)
    return test


def test_formats_and_feedback_on_the_attempt_and_review_pages(as_user, course, teacher, student):
    bank = Bank.objects.create(discipline=course.discipline, name="GIFT")
    assert services.bank_import(bank=bank, category="Басқа", raw=GIFT.encode(), fmt="gift", by=teacher) == 3
    category = Category.objects.get(bank=bank)
    assert category.name == "Аспаптар"  # placed by $CATEGORY:, not in the category the form gave
    attempt = services.attempt_start(test=_test(course, category, 3), student=student)
    client = as_user(student)
    page = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    assert "<b>«Адай»</b>" in page and "<strong>үш</strong>" in page
    assert "alert(1)" not in page and "&lt;b&gt;" not in page
    assert "Толық емес" not in page and "күйші" not in page and "Дәл" not in page  # no feedback before review
    kinds = {entry["kind"]: position for position, entry in enumerate(attempt.layout)}
    services.answer_save(attempt=attempt, position=kinds["single"], response=1)
    services.answer_save(attempt=attempt, position=kinds["truefalse"], response=True)
    services.answer_save(attempt=attempt, position=kinds["numeric"], response="443")
    services.attempt_finish(attempt=attempt)
    attempt.refresh_from_db()
    assert attempt.score == Decimal("1.00")  # half of the first, none of the second, half of the third
    review = client.get(reverse("quizzes:review", args=[attempt.pk])).content.decode()
    assert "Толық емес" in review and "Дұрыс!" not in review  # the feedback of the option chosen
    assert "Құрманғазы — <i>күйші</i>." in review  # general feedback, in the question's format
    assert "Жоқ, екеу." in review and "Дұрыс, екеу." not in review  # true/false: the wrong answer's feedback
    assert "Жақын" in review and "Қате" not in review  # numeric: the feedback of the answer matched
    assert "alert(1)" not in review
    listing = as_user(teacher).get(reverse("quizzes:bank", args=[bank.pk])).content.decode()
    assert "Кюй «Адай» авторы?" in listing and "&lt;b&gt;" not in listing  # the bank lists the words, no markup


def test_the_question_form_keeps_the_format_feedback_and_weights(as_user, course, teacher):
    bank = Bank.objects.create(discipline=course.discipline, name="F")
    raw = "[markdown]«Сарыарқа» **авторы**? {=Құрманғазы =%50%Курмангазы#Орысша ####Күй 1882 ж.}\n".encode()
    services.bank_import(bank=bank, category="K", raw=raw, fmt="gift", by=teacher)
    question = Question.objects.get(bank=bank)
    url = reverse("quizzes:question_edit", args=[bank.pk, question.pk])
    client = as_user(teacher)
    form = client.get(url).content.decode()
    assert 'value="markdown" selected' in form and "Күй 1882 ж." in form
    response = client.post(url, {"text": "«Сарыарқа» авторы?", "points": "1", "answers": "Курмангазы\nҚұрманғазы"})
    assert response.status_code == 302
    question.refresh_from_db()
    version = question.current
    assert version.number == 2 and version.text_format == "markdown" and version.feedback == "Күй 1882 ж."
    assert version.data["answers"] == ["Курмангазы", "Құрманғазы"]
    assert version.data["fractions"] == {"0": 50}  # the weight followed its answer
    assert version.data["answer_feedback"] == ["Орысша", ""]
    client.post(url, {"text": "x", "points": "1", "answers": "a", "text_format": "html", "feedback": ""})
    question.refresh_from_db()
    assert question.current.text_format == "html" and question.current.feedback == ""
    assert client.post(url, {"text": "x", "points": "1", "answers": "a", "text_format": "js"}).status_code == 400


def test_every_export_of_the_bank_page_reads_back(as_user, course, teacher):
    bank = Bank.objects.create(discipline=course.discipline, name="E")
    raw = (
        "Кюй? {=Құрманғазы ~Тәттімбет}\n\nШертпелі? {T}\n\nЖиілік? {#440:1}\n\nЭссе {}\n\n"
        "Ішекті? {~%50%Домбыра ~%50%Қобыз ~%-100%Сыбызғы}\n"
    ).encode()
    services.bank_import(bank=bank, category="K", raw=raw, fmt="gift", by=teacher)
    client = as_user(teacher)
    counts = {}
    for fmt in ("gift", "moodle_xml", "platonus", "aiken", "xlsx"):
        response = client.get(reverse("quizzes:bank_export", args=[bank.pk, fmt]))
        assert response.status_code == 200
        counts[fmt] = len(importers.read(response.content, fmt))
    assert counts == {"gift": 5, "moodle_xml": 5, "platonus": 1, "aiken": 1, "xlsx": 5}
    assert client.get(reverse("quizzes:bank_export", args=[bank.pk, "nope"])).status_code == 404


def test_editing_a_key_keeps_the_answers_the_form_does_not_show(course, teacher):
    bank = Bank.objects.create(discipline=course.discipline, name="K")
    raw = (
        "Жыл? {#=1822:0#Дәл =%50%1822:2#Жақын ~#Қате}\n\n"
        "Кюй? {=Құрманғазы ~%50%Құрманғазы С. ~Дина}\n\n"
        "Ішекті? {~%70%Домбыра ~%30%Қобыз ~%-100%Сыбызғы}\n"
    ).encode()
    services.bank_import(bank=bank, category="K", raw=raw, fmt="gift", by=teacher)
    numeric, single, multiple = Question.objects.filter(bank=bank).select_related("current").order_by("pk")

    version = services.question_edit(
        question=numeric,
        text="Жыл?",
        data={**numeric.current.data, "answer": 1823, "tolerance": 0},
        points=1,
        by=teacher,
    )
    assert [(a["answer"], a["tolerance"], a["fraction"]) for a in version.data["answers"]] == [
        (1823.0, 0.0, 100),
        (1822.0, 2.0, 50),
    ]
    assert version.data["other_feedback"] == "Қате"

    version = services.question_edit(
        question=single, text="Кюй?", data={**single.current.data, "correct": 1}, points=1, by=teacher
    )
    assert "fractions" not in version.data  # the option of 50% is now the right one

    kept = services.question_edit(
        question=multiple, text="Ішекті?", data=dict(multiple.current.data), points=1, by=teacher
    )
    assert kept.data["weights"] == {"0": 70, "1": 30, "2": -100}
    changed = services.question_edit(
        question=multiple, text="Ішекті?", data={**kept.data, "correct": [0]}, points=1, by=teacher
    )
    assert "weights" not in changed.data  # the right options changed: they share the question again
