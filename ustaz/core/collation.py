"""Alphabetical order of Kazakh (and so Russian) names, which a database's byte order gets wrong
(Ә, Қ, Ұ... would come after Я)."""

KAZAKH_ALPHABET = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
_RANK = {letter: n for n, letter in enumerate(KAZAKH_ALPHABET)}


def kazakh_sort_key(text: str) -> tuple[tuple[int, int | str], ...]:
    # Cyrillic letters in the Kazakh alphabet's order first, then anything else in its own order.
    return tuple((0, _RANK[c]) if c in _RANK else (1, c) for c in text.lower())
