from __future__ import annotations

from django.db.models import Prefetch

from ustaz.academics.models import Course

from .models import Material, Section


def course_sections(course: Course, *, include_drafts: bool) -> list[Section]:
    """The course's sections with their materials in order (two queries, whatever their number)."""
    materials = Material.objects.filter(course=course).defer("body", "body_html")
    if not include_drafts:
        materials = materials.filter(is_published=True)
    sections = list(
        Section.objects.filter(course=course).prefetch_related(
            Prefetch("materials", queryset=materials.order_by("position", "id"))
        )
    )
    return sections
