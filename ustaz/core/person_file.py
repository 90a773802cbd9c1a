"""What other areas keep in a person's file (an admission application, a contract...), shown on the person's
page in the people directory. An area registers a source in its AppConfig.ready(): a function
(viewer, person) -> iterable of Entry, with a constant number of queries; no area imports another."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Entry:
    label: str
    url: str
    detail: str = ""


Source = Callable[[Any, Any], Iterable[Entry]]
_sources: list[Source] = []


def register(source: Source) -> None:
    if source not in _sources:
        _sources.append(source)


def entries_for(viewer: Any, person: Any) -> list[Entry]:
    entries: list[Entry] = []
    for source in _sources:
        entries.extend(source(viewer, person))
    return entries
