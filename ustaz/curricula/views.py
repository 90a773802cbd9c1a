from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import access, selectors, services, workbook
from .forms import CurriculumCreateForm, GroupForm, ImportForm, LineForm
from .models import Curriculum


def _page(request: HttpRequest, curriculum: Curriculum, *, refused: list[str] | None = None, status: int = 200):
    if request.htmx:
        # htmx swaps only successful responses: a refusal asked for by htmx is shown as the page it replaces.
        status = 200
    return render(
        request,
        "curricula/curriculum.html",
        {
            "page": selectors.curriculum_page(curriculum),
            "curriculum": curriculum,
            "can": access.capabilities(request.user, curriculum),
            "refused": refused or [],
        },
        status=status,
    )


@login_required
def curricula_list(request: HttpRequest) -> HttpResponse:
    if not access.can_list_curricula(request.user):
        raise PermissionDenied
    can = access.capabilities(request.user)
    form = CurriculumCreateForm(request.POST or None) if can["create"] else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            programme = form.cleaned_data["programme"]
            try:
                curriculum = services.curriculum_create(
                    programme=programme,
                    admission_year=form.cleaned_data["admission_year"],
                    terms=form.cleaned_data["terms"] or services.default_terms(programme),
                    actor=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The curriculum is drafted."))
                return redirect("curricula:curriculum", pk=curriculum.pk)
        status = 400
    return render(
        request,
        "curricula/list.html",
        {"curricula": selectors.curricula_list(request.user), "form": form, "can": can},
        status=status,
    )


@login_required
def curriculum_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, access.get_curriculum_for(request.user, pk))


def _line_form_page(request, curriculum, form, line=None, status=200):
    return render(
        request,
        "curricula/line_form.html",
        {"curriculum": curriculum, "form": form, "line": line},
        status=status,
    )


@login_required
def line_add(request: HttpRequest, pk: int) -> HttpResponse:
    curriculum = access.get_curriculum_to_edit_for(request.user, pk)
    return _line_save(request, curriculum, None)


@login_required
def line_edit(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    curriculum, line = access.get_line_to_edit_for(request.user, pk, line_pk)
    return _line_save(request, curriculum, line)


def _line_save(request, curriculum, line):
    if not curriculum.is_draft:
        return _page(request, curriculum, refused=[services.read_only_error().messages[0]], status=409)
    initial = None
    if line is not None:
        initial = {name: getattr(line, name) for name in LineForm.base_fields}
    elif re.fullmatch(r"[0-9]{1,2}", request.GET.get("term", "")):
        initial = {"term": int(request.GET["term"])}
    form = LineForm(request.POST or None, initial=initial, curriculum=curriculum)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.line_save(curriculum=curriculum, data=form.line_data(), line=line)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The line is saved."))
                return redirect("curricula:curriculum", pk=curriculum.pk)
        return _line_form_page(request, curriculum, form, line, status=400)
    return _line_form_page(request, curriculum, form, line)


@login_required
@require_POST
def line_remove(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    curriculum, line = access.get_line_to_edit_for(request.user, pk, line_pk)
    try:
        services.line_remove(curriculum=curriculum, line=line)
    except ValidationError as exc:
        return _page(request, curriculum, refused=exc.messages, status=409)
    messages.success(request, _("The line is removed."))
    return redirect("curricula:curriculum", pk=curriculum.pk)


@login_required
def group_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _group_save(request, access.get_curriculum_to_edit_for(request.user, pk), None)


@login_required
def group_edit(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    curriculum, group = access.get_group_to_edit_for(request.user, pk, group_pk)
    return _group_save(request, curriculum, group)


def _group_save(request, curriculum, group):
    if not curriculum.is_draft:
        return _page(request, curriculum, refused=[services.read_only_error().messages[0]], status=409)
    initial = {name: getattr(group, name) for name in GroupForm.base_fields} if group is not None else None
    form = GroupForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.group_save(curriculum=curriculum, data=form.group_data(), group=group)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The elective group is saved."))
                return redirect("curricula:curriculum", pk=curriculum.pk)
        status = 400
    return render(
        request, "curricula/group_form.html", {"curriculum": curriculum, "form": form, "group": group}, status=status
    )


@login_required
@require_POST
def group_remove(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    curriculum, group = access.get_group_to_edit_for(request.user, pk, group_pk)
    try:
        services.group_remove(curriculum=curriculum, group=group)
    except ValidationError as exc:
        return _page(request, curriculum, refused=exc.messages, status=409)
    messages.success(request, _("The elective group and its disciplines are removed."))
    return redirect("curricula:curriculum", pk=curriculum.pk)


@login_required
@require_POST
def curriculum_approve(request: HttpRequest, pk: int) -> HttpResponse:
    curriculum = access.get_curriculum_to_edit_for(request.user, pk)
    try:
        services.curriculum_approve(curriculum=curriculum, actor=request.user)
    except ValidationError as exc:
        return _page(request, curriculum, refused=exc.messages, status=409)
    messages.success(request, _("The curriculum is approved: students admitted that year follow it."))
    return redirect("curricula:curriculum", pk=curriculum.pk)


@login_required
@require_POST
def curriculum_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    curriculum = access.get_curriculum_to_edit_for(request.user, pk)
    try:
        draft = services.curriculum_new_version(curriculum=curriculum, actor=request.user)
    except ValidationError as exc:
        return _page(request, curriculum, refused=exc.messages, status=409)
    messages.success(request, _("A new version is drafted from the curriculum in force."))
    return redirect("curricula:curriculum", pk=draft.pk)


@login_required
def curriculum_export(request: HttpRequest, pk: int) -> HttpResponse:
    curriculum = access.get_curriculum_for(request.user, pk)
    response = HttpResponse(
        workbook.curriculum_xlsx(curriculum),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"curriculum-{curriculum.programme.code}-{curriculum.admission_year}-v{curriculum.version}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def curriculum_import(request: HttpRequest, pk: int) -> HttpResponse:
    curriculum = access.get_curriculum_to_edit_for(request.user, pk)
    if not curriculum.is_draft:
        return _page(request, curriculum, refused=[services.read_only_error().messages[0]], status=409)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[tuple[int, str]] = []
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            limit = settings.CURRICULA_IMPORT_MAX_KB
            if upload.size > limit * 1024:
                form.add_error("file", _("The file is larger than %(kb)s KB.") % {"kb": limit})
            else:
                # Read and checked before any transaction: a slow or bad file holds no lock.
                parsed = workbook.parse_curriculum(curriculum, upload.read())
                errors = parsed.errors
                if not errors:
                    try:
                        count = services.curriculum_replace(
                            curriculum=curriculum,
                            groups=parsed.groups,
                            lines=parsed.lines,
                            actor=request.user,
                            filename=upload.name,
                        )
                    except ValidationError as exc:
                        form.add_error(None, exc)
                    else:
                        messages.success(
                            request,
                            ngettext(
                                "The curriculum is imported: %(n)s line.",
                                "The curriculum is imported: %(n)s lines.",
                                count,
                            )
                            % {"n": count},
                        )
                        return redirect("curricula:curriculum", pk=curriculum.pk)
    return render(
        request,
        "curricula/import.html",
        {"curriculum": curriculum, "form": form, "errors": errors, "columns": workbook.COLUMNS},
        status=status,
    )
