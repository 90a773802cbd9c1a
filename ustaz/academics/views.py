from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from ustaz.accounts import services as accounts_services
from ustaz.core import imports, tables

from . import access, selectors, services
from .forms import CourseCreateForm, EnrolGroupForm, StudentImportForm


@login_required
def home(request: HttpRequest) -> HttpResponse:
    term = selectors.current_term()
    courses = selectors.home_courses(request.user, term)
    return render(
        request,
        "academics/home.html",
        {
            "term": term,
            "has_lists": bool(courses),
            "studying": courses.get("studying"),
            "teaching": courses.get("teaching"),
            "all_courses": courses.get("all"),
        },
    )


@login_required
def course_create(request: HttpRequest) -> HttpResponse:
    if not access.can_manage_structure(request.user):
        raise PermissionDenied
    form = CourseCreateForm(request.POST or None, initial={"term": selectors.current_term()})
    if request.method == "POST" and form.is_valid():
        course = services.course_create(**form.cleaned_data)
        messages.success(request, _("The course is created."))
        return redirect("materials:course", pk=course.pk)
    return render(request, "academics/course_create.html", {"form": form})


@login_required
def course_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    if not access.can_manage_structure(request.user):
        raise PermissionDenied
    course = access.get_course_for(request.user, pk)
    form = EnrolGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        count = services.course_enrol_group(course=course, group=form.cleaned_data["group"])
        messages.success(request, ngettext("%(n)s student enrolled.", "%(n)s students enrolled.", count) % {"n": count})
        return redirect("academics:course_enrol", pk=course.pk)
    groups = course.groups.select_related("programme").order_by("name")
    return render(
        request,
        "academics/course_enrol.html",
        {"course": course, "form": form, "groups": groups, "enrolled_count": course.enrolments.count()},
    )


@login_required
def students_import(request: HttpRequest) -> HttpResponse:
    if not access.can_manage_structure(request.user):
        raise PermissionDenied
    form = StudentImportForm(request.POST or None, request.FILES or None, initial={"group": request.GET.get("group")})
    errors: list[tuple[int, str]] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            tables.check_size(upload.size)
            content = upload.read()
            background, counted = accounts_services.import_in_background(upload.name, content)
        except tables.ImportFileError as exc:
            errors = [(1, str(exc))]
        else:
            if background:
                job = imports.import_job_start(
                    kind="students",
                    runner="ustaz.academics.services.students_import_job_run",
                    filename=upload.name,
                    content=content,
                    created_by=request.user,
                    total=counted,
                    params={
                        "group": form.cleaned_data["group"].pk,
                        "send_email": form.cleaned_data["send_email"],
                        "login_url": accounts_services.login_url(request),
                        "language": get_language(),
                    },
                )
                return redirect("import_job", pk=job.pk)
            result = services.students_import(
                group=form.cleaned_data["group"],
                filename=upload.name,
                content=content,
                issued_by=request.user,
                request=request,
            )
            errors = result.errors
            if not errors:
                accounts_services.credentials_hand_over(
                    request, result.issued, send_email=form.cleaned_data["send_email"]
                )
                messages.success(
                    request,
                    ngettext(
                        "%(n)s student added to the group and enrolled in its %(courses)s current courses.",
                        "%(n)s students added to the group and enrolled in its %(courses)s current courses.",
                        len(result.issued),
                    )
                    % {"n": len(result.issued), "courses": result.enrolled_in},
                )
                return redirect("accounts:issued")
    return render(
        request,
        "academics/students_import.html",
        {
            "form": form,
            "errors": errors,
            "columns": [c for c in accounts_services.IMPORT_COLUMNS if c != "roles"] + services.STUDENT_COLUMNS,
            "required": ["last_name", "first_name", "iin", "dlt_basis"],
            "bases": services.DltBasis.choices,
            "deliveries": services.Delivery.choices,
        },
        status=400 if errors or form.errors else 200,
    )
