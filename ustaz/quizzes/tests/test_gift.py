"""Moodle's GIFT in full (issue 14, item 1): every construct of Moodle's GIFT documentation imported, and graded as
Moodle grades it (the grading functions called with responses), the escapes, the formats rendered safely, the
categories placed, the errors by line with nothing imported."""

from __future__ import annotations

import pytest

from ustaz.quizzes import grading, importers
from ustaz.quizzes.importers import ImportErrors, gift, gift_export
from ustaz.quizzes.templatetags.quizzes import as_text, formatted, formatted_inline


def one(text: str):
    questions = gift(text)
    assert len(questions) == 1
    return questions[0]


def graded(question, response):
    return grading.score(question.kind, question.data, response)


# --- Choice ----------------------------------------------------------------------------------------------------


def test_single_choice_with_a_partial_answer_keeps_its_right_answer_and_scores_the_share():
    q = one("Кюй «Адай» авторы? {=Құрманғазы ~%50%Құрманғазы Сағырбайұлы ~Тәттімбет}")
    assert q.kind == "single" and q.data["correct"] == 0 and q.data["fractions"] == {"1": 50}
    assert graded(q, 0) == 1.0
    assert graded(q, 1) == 0.5
    assert graded(q, 2) == 0.0


def test_single_choice_with_two_right_answers_gives_both_full_credit_as_moodle_does():
    q = one("Домбыраның басқа атауы? {=домбыра =думбыра ~қобыз}")
    assert q.kind == "single"
    assert [graded(q, i) for i in range(3)] == [1.0, 1.0, 0.0]


def test_old_single_choice_data_still_grades():
    assert grading.score("single", {"options": ["a", "b"], "correct": 1}, 1) == 1.0
    assert grading.score("single", {"options": ["a", "b"], "correct": 1}, 0) == 0.0


def test_multiple_answers_keep_unequal_and_negative_weights():
    q = one("Ішекті аспаптар? {~%70%Домбыра ~%30%Қобыз ~%-100%Сыбызғы ~Шаңқобыз}")
    assert q.kind == "multiple"
    assert q.data["weights"] == {"0": 70, "1": 30, "2": -100}
    assert q.data["correct"] == [0, 1]
    assert graded(q, [0]) == pytest.approx(0.7)  # not an equal half
    assert graded(q, [1]) == pytest.approx(0.3)
    assert graded(q, [0, 1]) == 1.0
    assert graded(q, [0, 1, 2]) == 0.0  # a negative weight takes away, never below 0
    assert graded(q, [0, 3]) == pytest.approx(0.7)  # a wrong answer of no weight costs nothing
    assert graded(q, [0, 1, 3]) == 1.0


def test_a_third_each_adds_up_to_the_whole():
    q = one("Үшеуі? {~%33.33333%a ~%33.33333%b ~%33.33333%c ~%-100%d}")
    assert graded(q, [0, 1, 2]) == pytest.approx(1.0, abs=1e-6)


def test_multiple_answers_whose_weights_do_not_make_the_whole_are_refused_by_line():
    with pytest.raises(ImportErrors) as failed:
        gift("Дұрыс {=a ~b}\n\nЖарты {~%50%a ~%20%b ~c}\n")
    assert [line for line, _m in failed.value.errors] == [3]
    assert "70" in failed.value.errors[0][1]


def test_per_answer_feedback_of_a_choice_is_shown_for_the_options_chosen():
    q = one("Интервал? {=Квинта#Дұрыс! ~Кварта#Жоқ, бұл кварта ~Терция}")
    assert q.data["option_feedback"] == ["Дұрыс!", "Жоқ, бұл кварта", ""]
    assert grading.feedback_for(q.kind, q.data, 1) == ["Жоқ, бұл кварта"]
    assert grading.feedback_for(q.kind, q.data, 2) == []


def test_missing_word_keeps_the_text_around_the_blank():
    q = one("Құрманғазы {=«Адай» ~«Балбырауын»} күйін шығарды.")
    assert q.kind == "single"
    assert q.text == f"Құрманғазы {importers.MISSING_WORD} күйін шығарды."
    assert graded(q, 0) == 1.0


# --- True/false --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "right"), [("T", True), ("TRUE", True), ("true", True), ("f", False), ("False", False)]
)
def test_true_false_in_any_case(body, right):
    q = one(f"Домбыра — шертпелі аспап. {{{body}}}")
    assert q.kind == "truefalse" and q.data["correct"] is right
    assert graded(q, right) == 1.0 and graded(q, not right) == 0.0


def test_true_false_feedback_is_kept_for_the_wrong_and_the_right_answer():
    q = one("Домбырада үш ішек бар. {F#Екі ішек қана.#Дұрыс, екеу.}")
    assert q.data == {"correct": False, "feedback_wrong": "Екі ішек қана.", "feedback_right": "Дұрыс, екеу."}
    assert grading.feedback_for(q.kind, q.data, True) == ["Екі ішек қана."]
    assert grading.feedback_for(q.kind, q.data, False) == ["Дұрыс, екеу."]


# --- Short answer ------------------------------------------------------------------------------------------


def test_short_answer_weights_score_by_weight_and_are_not_answer_text():
    q = one("«Сарыарқа» авторы? {=Құрманғазы =%50%Курмангазы#Орысша жазылған =%0%Тәттімбет#Жоқ}")
    assert q.kind == "short"
    assert q.data["answers"] == ["Құрманғазы", "Курмангазы", "Тәттімбет"]
    assert q.data["fractions"] == {"1": 50, "2": 0}
    assert graded(q, "құрманғазы") == 1.0
    assert graded(q, "Курмангазы") == 0.5
    assert graded(q, "Тәттімбет") == 0.0
    assert grading.feedback_for(q.kind, q.data, "курмангазы") == ["Орысша жазылған"]


def test_short_answer_without_a_full_answer_is_refused():
    with pytest.raises(ImportErrors) as failed:
        gift("Сұрақ {=%50%a =%20%b}\n")
    assert failed.value.errors[0][0] == 1


# --- Numeric -----------------------------------------------------------------------------------------------


def test_numeric_tolerance_and_range():
    q = one("Ля жиілігі? {#440:0.5}")
    assert q.data == {"answer": 440.0, "tolerance": 0.5}
    assert graded(q, "440,5") == 1.0 and graded(q, "441") == 0.0
    r = one("Құрманғазы туған жылдар аралығы? {#1818..1828}")
    assert graded(r, 1818) == 1.0 and graded(r, 1828) == 1.0 and graded(r, 1829) == 0.0


def test_numeric_answers_with_partial_credit_and_feedback():
    q = one("Грант туған жыл? {#=%100%1822:0#Дәл! =%50%1822:2#Жақын ~#Қате}")
    assert q.kind == "numeric"
    assert [(a["fraction"], a["tolerance"]) for a in q.data["answers"]] == [(100, 0.0), (50, 2.0)]
    assert graded(q, 1822) == 1.0
    assert graded(q, 1821) == 0.5
    assert graded(q, 1830) == 0.0
    assert grading.feedback_for(q.kind, q.data, 1822) == ["Дәл!"]
    assert grading.feedback_for(q.kind, q.data, "1823") == ["Жақын"]
    assert grading.feedback_for(q.kind, q.data, "2000") == ["Қате"]


def test_numeric_the_first_matching_answer_counts_as_in_moodle():
    q = one("Сан? {#=%50%5:10 =5:0}")
    assert graded(q, 5) == 0.5  # Moodle checks the answers in the order written
    assert q.data["answer"] == 5.0 and q.data["tolerance"] == 0.0  # the full answer, for the question form


def test_numeric_without_a_full_answer_is_refused():
    with pytest.raises(ImportErrors):
        gift("Сан? {#=%50%5:1}\n")


# --- Matching, essay, description --------------------------------------------------------------------------


def test_matching_with_an_answer_that_matches_nothing():
    q = one("Сәйкестендіріңіз. {=Адай -> Құрманғазы =Қосалқа -> Тәттімбет = -> Дина}")
    assert q.data == {
        "left": ["Адай", "Қосалқа"],
        "right": ["Құрманғазы", "Тәттімбет", "Дина"],
        "pairs": {"0": 0, "1": 1},
    }
    assert graded(q, {"0": 0, "1": 1}) == 1.0
    assert graded(q, {"0": 0, "1": 2}) == 0.5


def test_essay_and_its_general_feedback():
    q = one("Күй туралы жазыңыз. {####Жоспар: тарихы, құрылымы.}")
    assert q.kind == "essay" and q.feedback == "Жоспар: тарихы, құрылымы."
    assert graded(q, "мәтін") is None


def test_general_feedback_is_kept_apart_from_the_options():
    q = one("Интервал? {=Квинта#Дұрыс ~Кварта####Квинта — бес саты.}")
    assert q.feedback == "Квинта — бес саты."
    assert q.data["options"] == ["Квинта", "Кварта"] and q.data["option_feedback"] == ["Дұрыс", ""]


def test_a_description_is_refused_with_its_own_message_and_line():
    with pytest.raises(ImportErrors) as failed:
        gift("Сұрақ {=a ~b}\n\n// түсініктеме\nБұл тек мәтін, сұрақ емес.\n")
    ((line, message),) = failed.value.errors
    assert line == 4 and "description" in message


# --- Text: escapes, titles, comments, categories, formats --------------------------------------------------


def test_escapes():
    q = one("::Жол\\: C\\:\\\\music::Файл C\\:\\\\music \\{a\\} \\~ \\= \\# \\\\n\\nкелесі жол {}")
    assert q.title == "Жол: C:\\music"
    assert q.text == "Файл C:\\music {a} ~ = # \\n\nкелесі жол"


def test_our_export_reads_back_a_backslash_once():
    exported = gift_export([("essay", "C:\\music", {})])
    assert one(exported).text == "C:\\music"


def test_comments_titles_and_categories():
    questions = gift(
        "// басы\n$CATEGORY: $course$/top/Гармония/Интервалы\n\n::Бірінші::Квинта? {T}\n\n"
        "$CATEGORY: Күйлер\n// тағы\n::Екінші::Күй? {T}\n"
    )
    assert [(q.title, q.category) for q in questions] == [("Бірінші", "Гармония/Интервалы"), ("Екінші", "Күйлер")]


@pytest.mark.parametrize(
    ("tag", "text_format"), [("", "moodle"), ("[html]", "html"), ("[markdown]", "markdown"), ("[plain]", "plain")]
)
def test_formats_are_kept(tag, text_format):
    q = one(f"{tag}Кюй <b>Адай</b> **қара** {{T}}")
    assert q.text_format == text_format and q.text == "Кюй <b>Адай</b> **қара**"


def test_formats_are_rendered_safely():
    text = "Кюй <b>Адай</b> <script>alert(1)</script><img src=x onerror=alert(2)> **қара**"
    assert str(formatted(text, "html")) == 'Кюй <b>Адай</b> <img src="x"> **қара**'
    assert "<strong>қара</strong>" in formatted_inline("Кюй **қара**", "markdown")
    assert "<script>" not in formatted("<script>x</script> **a**", "markdown")
    assert formatted("a <b>b</b>\nc", "plain") == "a &lt;b&gt;b&lt;/b&gt;<br>c"
    assert formatted("a <b>b</b>\nc", "moodle") == "a <b>b</b><br>c"
    assert as_text("<p>Кюй <b>Адай</b> &amp; <script>x</script></p>", "html") == "Кюй Адай &"


def test_every_error_of_a_file_is_reported_with_its_line_and_nothing_imported():
    with pytest.raises(ImportErrors) as failed:
        gift(
            "Дұрыс {=a ~b}\n\nЕкі жақшасыз\n\nСан {#abc}\n\nСәйкестік {=a -> b}\n\nСалмақ {~%500%a ~b}\n\n"
            "Жақша {=a ~b\n"
        )
    assert [line for line, _m in failed.value.errors] == [3, 5, 7, 9, 11]
