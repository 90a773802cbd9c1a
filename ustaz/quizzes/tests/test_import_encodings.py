"""Question banks read in the encoding they come in (issue 14, item 2): the shared detector of
ustaz.core.encodings, asked for when it cannot tell."""

from __future__ import annotations

import codecs

import pytest

from ustaz.quizzes.importers import ImportErrors, read


def test_a_question_bank_in_kz1048_with_only_an_o_barred_reads_right():
    raw = "Домбыраның ішегі неше? {=Екі ~Төрт}\n".replace("ң", "н").replace("і", "и").encode("kz1048")
    (question,) = read(raw, "gift")
    assert "Төрт" in question.data["options"] and question.text == "Домбыраның ішегі неше?".replace("ң", "н").replace(
        "і", "и"
    )


def test_a_question_bank_in_utf8_with_its_mark_reads_when_utf8_is_chosen():
    raw = codecs.BOM_UTF8 + "Күй дегеніміз не? {=Аспаптық шығарма ~Ән}\n".encode()
    (question,) = read(raw, "gift", "utf-8")
    assert question.text == "Күй дегеніміз не?"


def test_a_question_bank_of_unknown_encoding_asks_for_it():
    with pytest.raises(ImportErrors) as refused:
        read("Quelle est la capitale? {=Paris ~Lyon ~Genève ~Besançon ~Nîmes}\n".encode("latin-1"), "gift")
    assert "choose it" in str(refused.value)
