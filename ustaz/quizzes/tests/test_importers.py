"""Reading banks: the Platonus test-bank text (round trip), GIFT and Aiken with their tricky cases, the three
encodings, and errors reported by line with nothing imported."""

from __future__ import annotations

import pytest

from ustaz.quizzes.importers import ImportErrors, aiken, decode, gift, platonus, platonus_export

PLATONUS = """<question> Құрманғазының «Адай» күйі қай аспапқа арналған?
<variant> Домбыра
<variant> Қобыз
<variant> Сыбызғы
<question> Какой интервал
образуют ноты до и ми?
<variant> Большая терция
<variant> Малая терция
<variant> Чистая кварта
"""


def test_platonus_first_variant_is_right_and_text_can_span_lines():
    questions = platonus(PLATONUS)
    assert [q.kind for q in questions] == ["single", "single"]
    assert questions[0].data == {"options": ["Домбыра", "Қобыз", "Сыбызғы"], "correct": 0}
    assert questions[1].text == "Какой интервал\nобразуют ноты до и ми?" and questions[1].line == 5


def test_platonus_round_trip():
    questions = platonus(PLATONUS)
    again = platonus(platonus_export([(q.text.replace("\n", " "), q.data) for q in questions]))
    assert [(q.data["options"][q.data["correct"]], len(q.data["options"])) for q in again] == [
        ("Домбыра", 3),
        ("Большая терция", 3),
    ]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("<variant> жалғыз\n<question> Сұрақ\n<variant> a\n<variant> b\n", 1, "before any"),
        ("<question> Сұрақ\n<variant> жалғыз\n", 1, "at least two"),
        ("<question> Бірінші\n<variant> a\n<variant> b\n<question>\n<variant> a\n<variant> b\n", 4, "without its text"),
        ("<question> Сұрақ\n<variant> a\n<variant>\n", 3, "empty"),
    ],
)
def test_platonus_errors_name_their_line(text, line, message):
    with pytest.raises(ImportErrors) as failed:
        platonus(text)
    assert (line, message) in [(n, m) for n, m in failed.value.errors if message in m] or any(
        n == line and message in m for n, m in failed.value.errors
    )


@pytest.mark.parametrize("encoding", ["utf-8", "cp1251", "kz1048"])
def test_encodings_are_detected(encoding):
    text = (
        PLATONUS
        if encoding != "cp1251"
        else PLATONUS.split("<question> Какой")[0]
        .replace("Құрманғазының «Адай» күйі қай аспапқа арналған?", "Для какого инструмента написан кюй «Адай»?")
        .replace("Қобыз", "Кобыз")
        .replace("Сыбызғы", "Сыбызгы")
    )
    if encoding == "cp1251":
        text = text.replace("«", '"').replace("»", '"')
    raw = text.replace("«", '"').replace("»", '"').encode(encoding)
    assert decode(raw) == text.replace("«", '"').replace("»", '"')


def test_an_encoding_can_be_chosen():
    raw = "Сәлем".encode("kz1048")
    assert decode(raw, "kz1048") == "Сәлем"


def test_aiken():
    questions = aiken(
        "Қазақтың ұлттық аспабы?\nA. Скрипка\nB. Домбыра\nC. Орган\nANSWER: B\n\n"
        "Сколько струн у домбры?\nA) Две\nB) Четыре\nANSWER: A\n"
    )
    assert questions[0].data == {"options": ["Скрипка", "Домбыра", "Орган"], "correct": 1}
    assert questions[1].data["correct"] == 0
    with pytest.raises(ImportErrors) as failed:
        aiken("Сұрақ\nA. бір\nB. екі\nANSWER: D\n\nЕкінші\nA. x\nмағынасыз жол\nANSWER: A\n")
    assert failed.value.errors == [
        (1, "The answer names no option of the question."),
        (6, "A question needs at least two options."),
        (8, "Expected an option “A. ...” or “ANSWER: A”."),
    ]


def test_gift_types_escapes_feedback_and_multiline():
    questions = gift(
        "// comment\n"
        "::Интервал::Какой интервал\nмежду до и соль? {=Чистая квинта#Верно! ~Большая секста#Нет ~Тритон}\n\n"
        "Символ \\{ фигурной скобки \\} и равенства \\= в тексте. {=да ~нет}\n\n"
        "Домбыра — шертпелі аспап. {T}\n\n"
        "Частота ноты ля первой октавы, Гц? {#440:0.5}\n\n"
        "Годы: {#1800..1900}\n\n"
        "Кюйши «Адай»? {=Құрманғазы =Курмангазы}\n\n"
        "Сопоставьте. {=Адай -> Құрманғазы =Кеңес -> Тәттімбет}\n\n"
        "Выберите струнные. {~%50%Домбыра ~%50%Кобыз ~%-100%Сыбызгы}\n\n"
        "Эссе о кюе. {}\n"
    )
    kinds = [q.kind for q in questions]
    assert kinds == ["single", "single", "truefalse", "numeric", "numeric", "short", "matching", "multiple", "essay"]
    first = questions[0]
    assert first.title == "Интервал" and first.text == "Какой интервал\nмежду до и соль?"
    assert first.data == {
        "options": ["Чистая квинта", "Большая секста", "Тритон"],
        "correct": 0,
        "option_feedback": ["Верно!", "Нет", ""],  # per-answer feedback, shown when review opens
    }
    assert questions[1].text == "Символ { фигурной скобки } и равенства = в тексте."
    assert questions[3].data == {"answer": 440.0, "tolerance": 0.5}
    assert questions[4].data == {"answer": 1850.0, "tolerance": 50.0}
    assert questions[5].data == {"answers": ["Құрманғазы", "Курмангазы"]}
    assert questions[6].data["left"] == ["Адай", "Кеңес"] and questions[6].data["right"] == ["Құрманғазы", "Тәттімбет"]
    assert questions[7].data == {
        "options": ["Домбыра", "Кобыз", "Сыбызгы"],
        "correct": [0, 1],
        "partial": "each",
        "weights": {"0": 50, "1": 50, "2": -100},  # kept as given (issue 14)
    }


def test_gift_errors_name_their_line_and_import_nothing():
    with pytest.raises(ImportErrors) as failed:
        gift("Хорошо {=да ~нет}\n\nНет скобок вообще\n\nВеса не сходятся {~%50%a ~%20%b ~c}\n")
    lines = [line for line, _message in failed.value.errors]
    assert lines == [3, 5]


ALL_KINDS = [
    ("single", "Кюй «Адай»?", {"options": ["Құрманғазы", "Тәттімбет {x}", "a=b"], "correct": 0}),
    (
        "multiple",
        "Струнные?",
        {
            "options": ["Домбыра", "Кобыз", "Сыбызгы"],
            "correct": [0, 1],
            "partial": "each",
            "weights": {"0": 50, "1": 50, "2": -100},
        },
    ),
    ("truefalse", "Домбыра шертпелі: иә ма?", {"correct": True}),
    ("short", "Автор «Сарыарқи»?", {"answers": ["Құрманғазы", "Курмангазы"], "case_sensitive": False}),
    ("numeric", "Ля, Гц?", {"answer": 440.0, "tolerance": 0.5}),
    (
        "matching",
        "Сопоставьте",
        {"left": ["Адай", "Кеңес"], "right": ["Құрманғазы", "Тәттімбет"], "pairs": {"0": 0, "1": 1}},
    ),
    ("essay", "Эссе: күй туралы\nекі жол", {}),
]


def _comparable(kind, data):
    data = dict(data)
    data.pop("case_sensitive", None)
    return kind, data


def test_gift_round_trip_keeps_every_kind_and_escape():
    from ustaz.quizzes.importers import gift_export

    back = gift(gift_export(ALL_KINDS))
    assert [(q.kind, q.text) for q in back] == [(k, t) for k, t, _d in ALL_KINDS]
    assert [_comparable(q.kind, q.data) for q in back] == [_comparable(k, d) for k, _t, d in ALL_KINDS]


def test_moodle_xml_round_trip_keeps_every_kind():
    from ustaz.quizzes.importers import moodle_xml, moodle_xml_export

    back = moodle_xml(moodle_xml_export(ALL_KINDS))
    assert [(q.kind, q.text) for q in back] == [(k, t) for k, t, _d in ALL_KINDS]
    assert [q.data for q in back][:5] == [d for _k, _t, d in ALL_KINDS][:5]
    assert back[5].data == ALL_KINDS[5][2]


def test_aiken_round_trip():
    from ustaz.quizzes.importers import aiken_export

    questions = [("Қазақтың ұлттық аспабы?", {"options": ["Скрипка", "Домбыра"], "correct": 1})]
    assert [(q.text, q.data) for q in aiken(aiken_export(questions))] == questions


def test_moodle_xml_tricky_cases_and_errors():
    from ustaz.quizzes.importers import moodle_xml

    text = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/Күйлер</text></category></question>
  <question type="multichoice">
    <name><text>HTML</text></name>
    <questiontext format="html"><text><![CDATA[<p>Кюй <b>«Адай»</b> &amp; автор?</p>]]></text></questiontext>
    <single>true</single>
    <answer fraction="100"><text>Құрманғазы</text><feedback><text>Дұрыс!</text></feedback></answer>
    <answer fraction="0"><text>Дина</text></answer>
  </question>
  <question type="multichoice">
    <questiontext format="plain_text"><text>Екі дұрыс?</text></questiontext>
    <single>true</single>
    <answer fraction="50"><text>a</text></answer>
    <answer fraction="0"><text>b</text></answer>
  </question>
  <question type="cloze"><questiontext><text>x</text></questiontext></question>
</quiz>
"""
    with pytest.raises(ImportErrors) as failed:
        moodle_xml(text)
    assert [line for line, _m in failed.value.errors] == [11, 17]
    good = moodle_xml(
        text.split('  <question type="multichoice">\n    <questiontext format="plain_text">')[0] + "</quiz>"
    )
    # HTML is kept as HTML (shown sanitised), no longer stripped; the feedback of an answer is kept beside it.
    assert good[0].text == "<p>Кюй <b>«Адай»</b> &amp; автор?</p>" and good[0].text_format == "html"
    assert good[0].data == {"options": ["Құрманғазы", "Дина"], "correct": 0, "option_feedback": ["Дұрыс!", ""]}
    assert good[0].category == "Күйлер"
    with pytest.raises(ImportErrors):
        moodle_xml('<?xml version="1.0"?><!DOCTYPE q [<!ENTITY x "y">]><quiz/>')
    with pytest.raises(ImportErrors) as broken:
        moodle_xml('<quiz>\n<question type="essay">\n</quiz>')
    assert broken.value.errors[0][0] == 3


def test_the_xlsx_template_reads_back_and_errors_name_their_row():
    import io

    from openpyxl import load_workbook

    from ustaz.quizzes.importers import xlsx, xlsx_template

    questions = xlsx(xlsx_template())
    assert [q.kind for q in questions] == ["single", "multiple", "truefalse", "short", "numeric", "essay"]
    assert questions[0].data == {"options": ["Домбыра", "Қобыз", "Сыбызғы"], "correct": 0}
    assert questions[3].data == {"answers": ["Құрманғазы", "Курмангазы"]}
    assert questions[4].data == {"answer": 440.0, "tolerance": 1.0}
    book = load_workbook(io.BytesIO(xlsx_template()))
    sheet = book.active
    sheet["C2"] = "7"  # no option 7
    sheet["A4"] = "cloze"
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ImportErrors) as failed:
        xlsx(buffer.getvalue())
    assert [row for row, _m in failed.value.errors] == [2, 4]
    with pytest.raises(ImportErrors):
        xlsx(b"not a workbook")
