"""Names people give their files: cleaned, byte-bounded, never empty; refused at creation when they are no name;
given back on download as RFC 6266 asks (an ASCII filename and the exact one as RFC 5987 filename*)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import testkit.fuzz  # noqa: F401  (the hypothesis profile)
from ustaz.core.files import (
    NAME_MAX_BYTES,
    BadFileName,
    check_filename,
    clean_filename,
    content_disposition,
    generated_name,
    safe_extension,
)


def test_it_keeps_a_plain_name():
    assert clean_filename("Күй — Адай.mov") == "Күй — Адай.mov"


def test_it_bounds_a_long_name_in_bytes_and_keeps_its_extension():
    cyrillic = clean_filename("Б" * 150 + ".pdf")
    emoji = clean_filename("🎵" * 70 + ".pdf")
    for name in (cyrillic, emoji):
        assert name.endswith(".pdf") and len(name.encode()) <= NAME_MAX_BYTES
    assert cyrillic == "Б" * 88 + ".pdf" and emoji == "🎵" * 44 + ".pdf"  # no character cut in half


def test_it_removes_bidi_overrides_controls_and_path_separators():
    assert clean_filename("essay\u202efdp.exe") == "essayfdp.exe"
    assert clean_filename("a\x00b\tc\n.pdf") == "abc.pdf"
    assert clean_filename("../../etc/passwd") == "_.._etc_passwd"
    assert clean_filename("C:\\Users\\me\\work.pdf") == "C:_Users_me_work.pdf"


def test_it_composes_to_nfc():
    assert clean_filename("Ә\u0306.pdf".replace("Ә\u0306", "и\u0306")) == "й.pdf"


@pytest.mark.parametrize("name", ["", ".", "..", " . ", "\u202e", "\u200b"])
def test_it_is_never_empty(name):
    assert clean_filename(name) == "file"


@pytest.mark.parametrize("name", ["a\x00.pdf", ".", "..", "...", "\u202e\u2066", "  "])
def test_a_name_that_is_no_name_is_refused(name):
    with pytest.raises(BadFileName):
        check_filename(name)


def test_generated_names_are_random_with_a_safe_extension():
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", generated_name("Дипломдық жұмыс.PDF"))
    assert re.fullmatch(r"[0-9a-f]{32}", generated_name("x.p\u202edf"))
    assert re.fullmatch(r"[0-9a-f]{32}", generated_name("noextension"))
    assert safe_extension("a.tar.GZ") == "gz" and safe_extension("a.ex e") == "" and safe_extension("a.pdf\n") == ""


def test_content_disposition_gives_ascii_and_the_exact_name():
    assert content_disposition("Күй.pdf", inline=False) == (
        "attachment; filename=\"file.pdf\"; filename*=UTF-8''%D0%9A%D2%AF%D0%B9.pdf"
    )
    assert content_disposition('a"b;c/d.pdf', inline=True) == (
        "inline; filename=\"abc_d.pdf\"; filename*=UTF-8''a%22b%3Bc_d.pdf"
    )


def test_content_disposition_of_a_name_stored_before_names_were_cleaned():
    header = content_disposition("evil\r\nSet-Cookie: x=1\u202e.pdf", inline=False)
    assert "\r" not in header and "\n" not in header and "\u202e" not in header


@given(st.text(max_size=400))
def test_any_name_cleans_to_a_bounded_visible_name_and_a_header_value(name):
    cleaned = clean_filename(name)
    assert cleaned and len(cleaned.encode()) <= NAME_MAX_BYTES and "/" not in cleaned and "\x00" not in cleaned
    assert cleaned.strip(".")
    header = content_disposition(name, inline=False)
    assert header.isascii() and "\n" not in header and "\r" not in header
