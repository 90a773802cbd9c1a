from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ustaz.academics import access as academics_access
from ustaz.academics import selectors as academics_selectors
from ustaz.core.files import serve_private_file

from . import access, selectors, services
from .forms import MaterialForm, SectionForm
from .markup import youtube_embed_url
from .models import Material, MaterialKind


@login_required
def course(request: HttpRequest, pk: int) -> HttpResponse:
    course = academics_access.get_course_for(request.user, pk, with_related=False)
    if not access.can_edit_materials(request.user, course):
        # Students (and overseers who do not edit) get the shared, cached rendering.
        return render(request, "materials/course.html", {"cached": selectors.student_course_content(course)})
    course = academics_access.course_with_related(course)
    return render(
        request,
        "materials/course.html",
        {
            "course": course,
            "can_edit": True,
            "sections": selectors.course_sections(course, include_drafts=True),
            "teachers": academics_selectors.course_teachers(course),
            "section_form": SectionForm(),
            "kinds": MaterialKind.choices,
        },
    )


@login_required
def material(request: HttpRequest, pk: int, material_pk: int) -> HttpResponse:
    material = access.get_material_for(request.user, pk, material_pk)
    return render(
        request,
        "materials/material.html",
        {
            "course": material.course,
            "material": material,
            "can_edit": access.can_edit_materials(request.user, material.course),
            "embed_url": youtube_embed_url(material.url) if material.kind == MaterialKind.VIDEO else None,
        },
    )


@login_required
def material_downloads(request: HttpRequest, pk: int, material_pk: int) -> HttpResponse:
    material = access.get_material_to_edit_for(request.user, pk, material_pk)
    total, downloads = selectors.material_downloads(material)
    return render(
        request,
        "materials/downloads.html",
        {"course": material.course, "material": material, "total": total, "downloads": downloads},
    )


@login_required
def material_file(request: HttpRequest, pk: int, material_pk: int) -> HttpResponse:
    material = access.get_material_for(request.user, pk, material_pk)
    if material.kind != MaterialKind.FILE or not material.file:
        raise Http404
    services.material_download_record(material=material, user=request.user, request=request)
    return serve_private_file(
        material.file,
        filename=material.file_name,
        content_type=material.content_type,
        inline=request.GET.get("inline") == "1",
        request=request,
    )


def _edit_material(request: HttpRequest, course, material: Material, kind: str) -> HttpResponse:
    form = MaterialForm(request.POST or None, request.FILES or None, instance=material, course=course, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.material_save(
                material=form.save(commit=False), author=request.user, upload=form.cleaned_data.get("file")
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("The material is published.") if saved.is_published else _("The material is saved as a draft."),
            )
            return redirect("materials:course", pk=course.pk)
    return render(
        request,
        "materials/material_form.html",
        {"course": course, "form": form, "kind": kind, "material": material, "kind_label": MaterialKind(kind).label},
    )


@login_required
def material_add(request: HttpRequest, pk: int) -> HttpResponse:
    course = academics_access.get_course_to_edit_for(request.user, pk)
    kind = request.GET.get("kind", MaterialKind.FILE)
    if kind not in MaterialKind.values:
        raise Http404
    if not course.sections.exists():
        services.section_create(course=course, title=_("General"))
    section_id = request.GET.get("section")
    material = Material(course=course, kind=kind)
    if section_id and re.fullmatch(r"[0-9]{1,18}", section_id):
        material.section_id = int(section_id)
    return _edit_material(request, course, material, kind)


@login_required
def material_edit(request: HttpRequest, pk: int, material_pk: int) -> HttpResponse:
    material = access.get_material_to_edit_for(request.user, pk, material_pk)
    return _edit_material(request, material.course, material, material.kind)


@login_required
@require_POST
def material_publish(request: HttpRequest, pk: int, material_pk: int) -> HttpResponse:
    material = access.get_material_to_edit_for(request.user, pk, material_pk)
    services.material_set_published(material=material, published=request.POST.get("published") == "1")
    if request.htmx:
        return render(
            request, "materials/_material_row.html", {"course": material.course, "material": material, "can_edit": True}
        )
    return redirect("materials:course", pk=pk)


@login_required
@require_POST
def material_move(request: HttpRequest, pk: int, material_pk: int) -> HttpResponse:
    material = access.get_material_to_edit_for(request.user, pk, material_pk)
    services.material_move(material=material, direction=-1 if request.POST.get("direction") == "up" else 1)
    return redirect(reverse("materials:course", args=[pk]) + f"#section-{material.section_id}")


@login_required
@require_POST
def material_delete(request: HttpRequest, pk: int, material_pk: int) -> HttpResponse:
    material = access.get_material_to_edit_for(request.user, pk, material_pk)
    services.material_delete(material=material, deleted_by=request.user, request=request)
    messages.success(request, _("The material is deleted."))
    if request.htmx:
        return HttpResponse(headers={"HX-Redirect": reverse("materials:course", args=[pk])})
    return redirect("materials:course", pk=pk)


@login_required
@require_POST
def section_add(request: HttpRequest, pk: int) -> HttpResponse:
    course = academics_access.get_course_to_edit_for(request.user, pk)
    form = SectionForm(request.POST)
    if form.is_valid():
        services.section_create(course=course, title=form.cleaned_data["title"])
    else:
        messages.error(request, _("Give the section a title."))
    return redirect("materials:course", pk=pk)
