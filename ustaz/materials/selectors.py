from __future__ import annotations

from django.core.cache import cache
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

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


def student_course_content(course: Course) -> SafeString:
    """The course's sections and published materials as students see them, rendered once per version of the
    course's content and language, then served from the cache (shared by every web process)."""
    # created_at keeps a recreated database from meeting an old entry of a course with the same id.
    stamp = f"{course.created_at.timestamp():.0f}"
    key = f"ustaz:course-content:{course.pk}:{stamp}:{course.content_version}:{get_language()}"
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            "materials/_sections.html",
            {"course": course, "can_edit": False, "sections": course_sections(course, include_drafts=False)},
        )
        cache.set(key, html, timeout=7 * 24 * 3600)
    return mark_safe(html)  # noqa: S308 - our own template's output
