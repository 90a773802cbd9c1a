from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Prefetch
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from ustaz.academics.models import Course
from ustaz.academics.selectors import course_teachers

from .models import Material, MaterialDownload, Section


def course_sections(course: Course, *, include_drafts: bool) -> list[Section]:
    """The course's sections with their materials in order (two queries, whatever their number)."""
    materials = Material.objects.filter(course=course).defer("body", "body_html")
    if include_drafts:
        # Editors also see how often each file was downloaded.
        materials = materials.annotate(download_count=Count("downloads"))
    else:
        materials = materials.filter(is_published=True)
    sections = list(
        Section.objects.filter(course=course).prefetch_related(
            Prefetch("materials", queryset=materials.order_by("position", "id"))
        )
    )
    return sections


def student_course_content(course: Course) -> dict[str, str]:
    """The course page as students see it (header, teachers, sections and published materials), rendered
    once per version of the course's content and language and then served from the cache, which every web
    process shares. Writes that change what students see bump the version; the time limit bounds how long
    an indirect change (a teacher's name) can take to show."""
    # created_at keeps a recreated database from meeting an old entry of a course with the same id.
    stamp = f"{course.created_at.timestamp():.0f}"
    key = f"ustaz:course-page:{course.pk}:{stamp}:{course.content_version}:{get_language()}"
    cached = cache.get(key)
    if cached is None:
        full = Course.objects.select_related("discipline", "term__academic_year").get(pk=course.pk)
        context = {
            "course": full,
            "can_edit": False,
            "teachers": course_teachers(full),
            "sections": course_sections(full, include_drafts=False),
        }
        cached = {
            "title": full.title,
            "html": render_to_string("materials/_course_header.html", context)
            + render_to_string("materials/_sections.html", context),
        }
        cache.set(key, cached, timeout=settings.COURSE_PAGE_CACHE_SECONDS)
    return {"title": cached["title"], "html": mark_safe(cached["html"])}  # noqa: S308 - our own templates' output


def material_downloads(material: Material, *, limit: int = 500) -> tuple[int, list[MaterialDownload]]:
    """How many times the material was downloaded, and the latest downloads with who downloaded them."""
    downloads = MaterialDownload.objects.filter(material=material)
    latest = list(
        downloads.select_related("user")
        .only("at", "ip_address", "user__username", "user__last_name", "user__first_name", "user__patronymic")
        .order_by("-at")[:limit]
    )
    return downloads.count(), latest
