"""SQLite, the embedded default, made to search names as PostgreSQL does.

SQLite's LIKE ignores case for ASCII letters only: a search for "нұрланова" never finds "Нұрланова", nor
"АЙГЕРІМ" "Айгерім". Every connection replaces LIKE with a function that folds the case of any letter
(Django's contains, icontains, startswith... all become LIKE on SQLite, which already ignored ASCII case), so
the office's searches work the same on both databases."""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=256)
def _pattern(pattern: str, escape: str | None) -> re.Pattern[str]:
    parts, chars, n = [], pattern, 0
    while n < len(chars):
        char = chars[n]
        if escape and char == escape and n + 1 < len(chars):
            parts.append(re.escape(chars[n + 1]))
            n += 2
            continue
        parts.append(".*" if char == "%" else "." if char == "_" else re.escape(char))
        n += 1
    return re.compile("".join(parts), re.DOTALL | re.IGNORECASE)


def like(pattern: str | None, value: str | None, escape: str | None = None) -> bool | None:
    """SQL's `value LIKE pattern [ESCAPE escape]`, ignoring the case of every letter (NULL with a NULL)."""
    if pattern is None or value is None:
        return None
    return _pattern(pattern.casefold(), escape).fullmatch(str(value).casefold()) is not None


def install(sender, connection, **kwargs) -> None:
    """connection_created: on SQLite, LIKE folds the case of every letter."""
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    raw.create_function("like", 2, lambda pattern, value: like(pattern, value), deterministic=True)
    raw.create_function("like", 3, like, deterministic=True)
