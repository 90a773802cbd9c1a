"""The student's file (issue 22): one page with a student's record, plan, status history, contracts,
documents and transcript. Each area that keeps part of it registers a section in its AppConfig.ready();
the page (academics) renders the sections it is given, so no area imports another.

A section's `context(viewer, record)` returns the template's context, or None when the viewer may not see
that section; it must run a constant number of queries whatever the size of the student's history. The
page itself has already checked that the viewer may open the file (`access.can_view_student_file`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Section:
    key: str  # a stable identifier, also the HTML id of the section
    title: Any  # a lazy translated string
    template: str  # rendered with the context returned below, plus "viewer" and "record"
    context: Callable[[Any, Any], dict | None]
    order: int = 100  # lower comes first


_sections: dict[str, Section] = {}


def register(section: Section) -> None:
    _sections[section.key] = section


def sections_for(viewer: Any, record: Any) -> list[tuple[Section, dict]]:
    shown = []
    for section in sorted(_sections.values(), key=lambda s: (s.order, s.key)):
        context = section.context(viewer, record)
        if context is not None:
            shown.append((section, {**context, "viewer": viewer, "record": record}))
    return shown
