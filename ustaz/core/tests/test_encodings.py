"""The encoding of an uploaded text told right for real Kazakh and Russian text (issue 14, item 2)."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ustaz.core import encodings
from ustaz.core.encodings import KZ1048, UnknownEncoding, decode, detect

KAZAKH = [
    # The issue's case: the only Kazakh letter is ө (0xB4 in KZ-1048, Windows-1251's ґ).
    "Төрт",
    "Өнер алды — қызыл тіл.",
    "Абай Құнанбайұлы — ақын, ағартушы, жаңа қазақ жазба әдебиетінің негізін салушы.",
    "Домбыраның неше ішегі бар? Екі. Күй — аспаптық шығарма, оны күйші орындайды.",
    "Ғылым таппай мақтанба, орын таппай баптанба. Һ әрпі сирек кездеседі: Һижра.",
    "Ұстаз — үлкен жауапкершілік; ұлттық өнер университеті, №1 аудитория «Үкілі Ыбырай».",
]
RUSSIAN = [
    "Сколько струн у домбры? Две.",
    "Казахский национальный университет искусств, кафедра «Музыковедение», аудитория №12 — ёмкость 30 мест.",
    "Щедрый подъём; объём экзаменационной ведомости: «Ф.И.О.», «баллы».",
]


@pytest.mark.parametrize("text", KAZAKH + RUSSIAN)
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_unicode_files_read_back_exactly(text, encoding):
    assert decode(text.encode(encoding)) == text


@pytest.mark.parametrize("text", KAZAKH)
def test_kazakh_in_kz1048_is_told_from_windows_1251(text):
    raw = text.encode("kz1048")
    assert detect(raw).encoding == KZ1048
    assert decode(raw) == text


@pytest.mark.parametrize("text", RUSSIAN)
@pytest.mark.parametrize("encoding", ["cp1251", "kz1048"])
def test_russian_in_either_one_byte_encoding_reads_the_same(text, encoding):
    # Russian letters have the same bytes in both: whichever is told, the text is right.
    assert decode(text.encode(encoding)) == text


def test_a_chosen_utf8_takes_the_byte_order_mark():
    raw = codecs.BOM_UTF8 + "Төрт".encode()
    assert decode(raw, "utf-8") == "Төрт"
    assert decode(raw, "UTF-8") == "Төрт"


def test_a_chosen_encoding_is_used_as_chosen():
    raw = "Төрт".encode("kz1048")
    assert decode(raw, "cp1251") == "Тґрт"  # the user asked for it
    with pytest.raises(UnicodeDecodeError):
        decode(raw, "utf-8")


@pytest.mark.parametrize(
    "raw",
    [
        "Crème brûlée, naïve façade, Ærøskøbing".encode("latin-1"),  # Latin-1: not Cyrillic in either
        bytes(range(0x80, 0x100)) * 3,  # not a text
        "Төрт жол".encode("utf-16-le"),  # UTF-16 without its mark: NULs and Latin bytes
    ],
)
def test_what_cannot_be_told_is_not_guessed(raw):
    with pytest.raises(UnknownEncoding):
        decode(raw)


KAZAKH_LETTERS = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"
CYRILLIC = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя"
words = st.text(alphabet=CYRILLIC + KAZAKH_LETTERS, min_size=1, max_size=12)


def _valid_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@given(st.lists(words, min_size=1, max_size=30), st.sampled_from(KAZAKH_LETTERS[:-2]))
def test_any_kazakh_text_with_a_kazakh_letter_round_trips_in_every_encoding(parts, letter):
    text = " ".join([*parts, letter]) + "."
    for encoding in ("utf-8", "utf-8-sig"):
        assert decode(text.encode(encoding)) == text
    raw = text.encode("kz1048")
    # A few letters in one byte may also happen to be valid UTF-8 (see the test below): then UTF-8 wins.
    assume(not _valid_utf8(raw))
    assert decode(raw) == text


@given(st.lists(st.text(alphabet=CYRILLIC, min_size=1, max_size=12), min_size=1, max_size=30))
def test_any_russian_text_round_trips_from_windows_1251(parts):
    text = ", ".join(parts) + "!"
    raw = text.encode("cp1251")
    assume(not _valid_utf8(raw))
    assert decode(raw) == text


@pytest.mark.parametrize("text", ["юяЁ!", "юя", "яю, сказал он.", "Юя"])
def test_a_one_byte_text_starting_with_a_utf16_mark_is_not_utf16(text):
    # Found by hypothesis: "юя" in Windows-1251 is FE FF, the big-endian UTF-16 mark ("яю" the little-endian one).
    assert decode(text.encode("cp1251")) == text


def test_bytes_valid_as_utf8_are_utf8():
    # "Рё" in Windows-1251 is D0 B8, which is UTF-8's "и": a two-letter file cannot be told, and UTF-8 (the
    # encoding of nearly every file today) is taken. A real text of a few words is never valid UTF-8 by chance.
    assert decode("Рё".encode("cp1251")) == "и"
    assert not _valid_utf8(RUSSIAN[0].encode("cp1251"))


def test_the_sixteen_bytes_are_the_kazakh_letters():
    assert len(encodings.KAZAKH_BYTES) == 16
    assert set(bytes(sorted(encodings.KAZAKH_BYTES)).decode("kz1048")) == set("ӘәҒғҚқҢңӨөҰұҮүҺһ")


# --- Every importer shares it ------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251", "kz1048"])
def test_a_csv_import_reads_the_encodings_excel_saves(encoding):
    from ustaz.core.tables import read_table

    text = "login;last_name;first_name\nnurlan;Сәрсенбаев;Нұрлан\nivan;Иванов;Иван\n"
    if encoding == "cp1251":
        text = text.replace("Сәрсенбаев;Нұрлан", "Сергеев;Пётр")
    rows = read_table("people.csv", text.encode(encoding), ("login",))
    assert [row["last_name"] for row in rows] == [text.split("\n")[1].split(";")[1], "Иванов"]


def test_a_csv_of_unknown_encoding_is_refused_with_a_question():
    from ustaz.core.tables import ImportFileError, read_table

    with pytest.raises(ImportFileError) as refused:
        read_table("people.csv", "login,name\nfr,Crème brûlée façade\n".encode("latin-1"), ("login",))
    assert "could not be told" in str(refused.value)
