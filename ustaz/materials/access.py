"""Who may see or change teaching materials. Students of a course see its published materials only."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from ustaz.academics import access as academics_access
from ustaz.academics.models import Course
from ustaz.accounts.models import User

from .models import Material, Section


def can_edit_materials(user: User, course: Course) -> bool:
    return academics_access.can_edit_course_content(user, course)


def can_view_material(user: User, material: Material) -> bool:
    course = material.course
    if not academics_access.can_view_course(user, course):
        return False
    return material.is_published or can_edit_materials(user, course)


def get_material_for(user: User, course_pk: int, pk: int) -> Material:
    course = academics_access.get_course_for(user, course_pk)
    try:
        material = Material.objects.get(course=course, pk=pk)
    except Material.DoesNotExist:
        raise Http404 from None
    material.course = course  # keeps the access annotations
    if not can_view_material(user, material):
        raise Http404  # a draft does not exist for students
    return material


def get_material_to_edit_for(user: User, course_pk: int, pk: int) -> Material:
    material = get_material_for(user, course_pk, pk)
    if not can_edit_materials(user, material.course):
        raise PermissionDenied
    return material


def get_section_to_edit_for(user: User, course_pk: int, pk: int) -> Section:
    course = academics_access.get_course_to_edit_for(user, course_pk)
    try:
        section = Section.objects.get(course=course, pk=pk)
    except Section.DoesNotExist:
        raise Http404 from None
    section.course = course
    return section
