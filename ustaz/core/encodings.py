"""The encoding of a text file a user uploads: UTF-8 (with or without a byte order mark), UTF-16 with its mark
(Excel's "Unicode text"), Windows-1251 (Russian) or KZ-1048 (Kazakh). Every importer reads its text here.

UTF-8 is told by its structure: bytes that decode as UTF-8 and hold a letter beyond ASCII are UTF-8 (a
Windows-1251 or KZ-1048 text of real words almost never forms valid multi-byte sequences). The two one-byte
encodings share the Russian alphabet and differ in sixteen bytes, where KZ-1048 has the Kazakh letters
(Ә Ғ Қ Ң Ө Ұ Ү Һ) and Windows-1251 the Serbian, Macedonian, Ukrainian and Belarusian ones (Ј Ґ Є Ћ Ќ Ў Ї Ѕ).
A Russian text has none of those bytes and reads the same in both; a Kazakh text in KZ-1048 has them. So any
of the sixteen bytes means KZ-1048 — even one `ө` (0xB4, Windows-1251's `ґ`).

When the bytes are none of these — a NUL byte (UTF-16 without its mark), bytes neither one-byte encoding
defines, most of the bytes beyond ASCII not Cyrillic letters, or many words mixing Latin and Cyrillic letters
(a Latin-1 or Mac text read as Cyrillic: "Crиme brыlйe") — `decode` does not guess: it raises
`UnknownEncoding`, and the importer asks the user to choose the encoding or save the file in UTF-8. A chosen
encoding is used as chosen; "utf-8" also takes a file with the mark.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

AUTO = "auto"
UTF8 = "utf-8"
CP1251 = "cp1251"
KZ1048 = "kz1048"
# What a user may choose, in the order offered.
CHOICES = (UTF8, CP1251, KZ1048)
LABELS = {UTF8: "UTF-8", CP1251: "Windows-1251", KZ1048: "KZ-1048", "utf-16": "UTF-16"}

# The bytes where KZ-1048 and Windows-1251 differ: Kazakh letters in one, other Cyrillic letters in the other.
KAZAKH_BYTES = frozenset(
    b for b in range(0x80, 0x100) if bytes([b]).decode(CP1251, "replace") != bytes([b]).decode(KZ1048, "replace")
)

# At least this share of the bytes beyond ASCII must decode to Cyrillic letters for a one-byte reading to be
# taken without asking (punctuation such as «», №, – and non-breaking spaces make up the rest of real texts).
LETTER_SHARE = 0.7
# At most this share of the words with a Cyrillic letter may also hold Latin letters.
MIXED_SHARE = 0.2


class UnknownEncoding(ValueError):
    """The bytes are not UTF-8 and do not read as a Kazakh or Russian text in a one-byte encoding."""


@dataclass(frozen=True)
class Detected:
    encoding: str  # a Python codec name
    bom: int = 0  # bytes of the byte order mark to skip


def _plausible_utf16(raw: bytes) -> bool:
    """Whether bytes starting with a UTF-16 mark are UTF-16 text: a one-byte text may start with those bytes too
    ("юя" in Windows-1251 is FE FF, "яю" FF FE). UTF-16 text of these languages decodes to ASCII, Cyrillic and
    common punctuation; the same bytes read as UTF-16 otherwise give letters of far-away scripts."""
    try:
        text = raw.decode("utf-16")
    except UnicodeDecodeError:
        return False
    if not text:
        return False  # a mark and nothing after it: two letters of a one-byte text rather than an empty file
    usual = sum(1 for char in text if ord(char) < 0x250 or "\u0400" <= char <= "\u04ff" or "\u2000" <= char <= "\u206f")
    return usual >= 0.9 * len(text)


def _is_cyrillic_letter(char: str) -> bool:
    return "\u0400" <= char <= "\u04ff"


def detect(raw: bytes) -> Detected:
    """The encoding of `raw`, or UnknownEncoding."""
    if raw.startswith(codecs.BOM_UTF8):
        return Detected(UTF8, bom=len(codecs.BOM_UTF8))
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and _plausible_utf16(raw):
        return Detected("utf-16")
    try:
        raw.decode(UTF8)
    except UnicodeDecodeError:
        pass
    else:
        return Detected(UTF8)  # ASCII included: every encoding here reads it the same
    if b"\x00" in raw:
        raise UnknownEncoding  # UTF-16 without its mark, or not a text: no one-byte text has a NUL
    high = [b for b in raw if b >= 0x80]
    encoding = KZ1048 if any(b in KAZAKH_BYTES for b in high) else CP1251
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        raise UnknownEncoding from None
    letters = sum(1 for char in text if _is_cyrillic_letter(char))
    if letters < LETTER_SHARE * len(high) or _mixed_words(text) > MIXED_SHARE * _cyrillic_words(text):
        raise UnknownEncoding
    return Detected(encoding)


_WORD = re.compile(r"[^\W\d_]+")


def _cyrillic_words(text: str) -> int:
    return sum(1 for word in _WORD.findall(text) if any(_is_cyrillic_letter(c) for c in word))


def _mixed_words(text: str) -> int:
    """Words of Latin and Cyrillic letters at once: what a Latin-1 or Mac text read as Cyrillic is made of
    ("Crиme brыlйe"), and a Kazakh or Russian text hardly has."""
    return sum(
        1
        for word in _WORD.findall(text)
        if any(_is_cyrillic_letter(c) for c in word) and any("a" <= c.lower() <= "z" for c in word)
    )


def decode(raw: bytes, encoding: str = AUTO) -> str:
    """The text of `raw`: in the encoding given (UTF-8 with or without its mark), or detected.

    Raises UnknownEncoding when detection cannot tell, UnicodeDecodeError when the bytes are not in the
    encoding given, LookupError for an unknown encoding name."""
    if encoding == AUTO:
        found = detect(raw)
        return raw[found.bom :].decode(found.encoding)
    if codecs.lookup(encoding).name == UTF8:
        return raw.decode("utf-8-sig")
    return raw.decode(encoding)
