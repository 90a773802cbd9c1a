from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ustaz.accounts import services as accounts_services
from ustaz.accounts.models import Role
from ustaz.core import imports, tables
from ustaz.core.files import serve_private_file

from . import access, selectors, services
from .forms import (
    BasisDocumentForm,
    CourseCreateForm,
    EnrolGroupForm,
    GroupAdvisorForm,
    RestrictiveMeasureForm,
    StudentBasisForm,
    StudentImportForm,
)
from .models import BasisDocument, DltBasis, Programme, RestrictiveMeasure, StudentStatus, StudyGroup
from .student_file import sections_for as file_sections


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


# --- The DLT basis: students' bases, their documents, restrictive measures ---------------------------------
BASES_PER_PAGE = 100


@login_required
def bases(request: HttpRequest) -> HttpResponse:
    if not access.can_manage_bases(request.user):
        raise PermissionDenied
    group_id = request.GET.get("group", "")
    group_id = int(group_id) if group_id.isascii() and group_id.isdecimal() and len(group_id) < 10 else None
    page = Paginator(selectors.basis_records(group_id), BASES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "academics/bases.html",
        {
            "page": page,
            "groups": StudyGroup.objects.order_by("name").only("pk", "name"),
            "group_id": group_id,
            "today": timezone.localdate(),
        },
    )


@login_required
def student_basis(request: HttpRequest, pk: int) -> HttpResponse:
    record = access.get_record_for_bases(request.user, pk)
    document = BasisDocument.objects.filter(record=record).first()
    basis_form = StudentBasisForm(
        request.POST if request.POST.get("action") == "basis" else None,
        level=record.programme.level,
        initial={"dlt_basis": record.dlt_basis, "bolashak_scholar": record.bolashak_scholar},
    )
    document_form = BasisDocumentForm(
        request.POST if request.POST.get("action") == "document" else None,
        request.FILES or None,
        initial={"expires_on": document.expires_on if document else None},
    )
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "basis" and basis_form.is_valid():
                services.student_basis_set(
                    record=record,
                    basis=basis_form.cleaned_data["dlt_basis"],
                    bolashak_scholar=basis_form.cleaned_data["bolashak_scholar"],
                    by=request.user,
                    request=request,
                )
                messages.success(request, _("The DLT basis is saved."))
                return redirect("academics:student_basis", pk=record.pk)
            if request.POST.get("action") == "document" and document_form.is_valid():
                services.basis_document_save(
                    record=record,
                    upload=document_form.cleaned_data["file"],
                    expires_on=document_form.cleaned_data["expires_on"],
                    by=request.user,
                    request=request,
                )
                messages.success(request, _("The document is saved."))
                return redirect("academics:student_basis", pk=record.pk)
        except ValidationError as exc:
            form = basis_form if request.POST.get("action") == "basis" else document_form
            for message in exc.messages:
                form.add_error(None, message)
        status = 400
    return render(
        request,
        "academics/student_basis.html",
        {
            "record": record,
            "document": document,
            "basis_form": basis_form,
            "document_form": document_form,
            "effective_basis": selectors.effective_basis(record),
            "measures": selectors.measures_covering(record).order_by("-starts_on"),
            "history": selectors.basis_history(record)[:50],
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
def basis_document(request: HttpRequest, pk: int) -> HttpResponse:
    record = access.get_record_for_bases(request.user, pk)
    document = BasisDocument.objects.filter(record=record).first()
    if document is None:
        raise Http404
    return serve_private_file(
        document.file,
        filename=document.name,
        content_type=document.content_type,
        inline=request.GET.get("inline") == "1",
        request=request,
    )


@login_required
def measures(request: HttpRequest) -> HttpResponse:
    if not access.can_manage_bases(request.user):
        raise PermissionDenied
    page = Paginator(RestrictiveMeasure.objects.prefetch_related("groups", "programmes", "faculties"), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "academics/measures.html", {"page": page, "today": timezone.localdate()})


@login_required
def measure_create(request: HttpRequest) -> HttpResponse:
    if not access.can_manage_bases(request.user):
        raise PermissionDenied
    form = RestrictiveMeasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            measure = services.restrictive_measure_create(**form.cleaned_data, by=request.user, request=request)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The restrictive measures are recorded."))
            return redirect("academics:measure", pk=measure.pk)
    return render(request, "academics/measure_create.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def measure(request: HttpRequest, pk: int) -> HttpResponse:
    measure = access.get_measure_for(request.user, pk)
    records = selectors.with_effective_basis(
        selectors.measure_students(measure).select_related("student", "group")
    ).order_by("group__name", "student__last_name", "student__first_name", "pk")
    page = Paginator(records, BASES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "academics/measure.html",
        {
            "measure": measure,
            "page": page,
            "groups": measure.groups.all(),
            "programmes": measure.programmes.all(),
            "faculties": measure.faculties.all(),
            "today": timezone.localdate(),
            "can_end": measure.ends_on >= timezone.localdate(),
        },
    )


@login_required
@require_POST
def measure_end(request: HttpRequest, pk: int) -> HttpResponse:
    measure = access.get_measure_for(request.user, pk)
    try:
        services.restrictive_measure_end(measure=measure, by=request.user, request=request)
    except ValidationError as exc:
        return render(request, "core/bad_request.html", {"message": " ".join(exc.messages)}, status=400)
    messages.success(request, _("The restrictive measures are ended: the students' own basis applies from today."))
    return redirect("academics:measure", pk=measure.pk)


# --- The student's file and the lists leading to it (docs/decisions/0016-student-file.md) ---------------------
STUDENTS_PER_PAGE = 50
GROUPS_PER_PAGE = 50


def _int_param(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdecimal() and len(value) < 10 else None


def _render_file(request: HttpRequest, record) -> HttpResponse:
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    sections = [
        (section, mark_safe(render_to_string(section.template, context, request=request)))  # noqa: S308 - our templates
        for section, context in file_sections(request.user, record)
    ]
    return render(
        request,
        "academics/student_file.html",
        {
            "record": record,
            "student": record.student,
            "sections": sections,
            "is_own": record.student_id == request.user.pk,
            "effective_basis_label": DltBasis(record.effective_basis).label,
            "today": timezone.localdate(),
        },
    )


@login_required
def student_file(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_file(request, access.get_file_record_for(request.user, pk))


@login_required
def my_file(request: HttpRequest) -> HttpResponse:
    record = selectors.file_record(student=request.user)
    if record is None:
        return render(request, "academics/my_file_none.html")
    return _render_file(request, record)


def _student_list_page(request: HttpRequest, *, advisor=None, title: str, url_name: str) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    programme_id = _int_param(request.GET.get("programme"))
    group_id = _int_param(request.GET.get("group"))
    status = request.GET.get("status", "")
    if status not in StudentStatus.values:
        status = ""
    records = selectors.student_list(
        query=query, programme_id=programme_id, group_id=group_id, status=status, advisor=advisor
    )
    groups = StudyGroup.objects.order_by("name").only("pk", "name")
    if advisor is not None:
        groups = groups.filter(advisor=advisor)
    return render(
        request,
        "academics/students.html",
        {
            "title": title,
            "url_name": url_name,
            "page": Paginator(records, STUDENTS_PER_PAGE).get_page(request.GET.get("page")),
            "query": query,
            "programme_id": programme_id,
            "group_id": group_id,
            "status": status,
            "programmes": Programme.objects.order_by("code").only("pk", "code", "name_kk", "name_ru", "name_en")
            if advisor is None
            else None,
            "groups": groups,
            "statuses": StudentStatus.choices,
            "is_advisees": advisor is not None,
        },
    )


@login_required
def students(request: HttpRequest) -> HttpResponse:
    if not access.can_list_students(request.user):
        raise PermissionDenied
    return _student_list_page(request, title=_("Students"), url_name="academics:students")


@login_required
def advisees(request: HttpRequest) -> HttpResponse:
    """A teacher's advisees: the students of the groups they advise."""
    if not request.user.has_role(Role.TEACHER):
        raise PermissionDenied
    return _student_list_page(request, advisor=request.user, title=_("My advisees"), url_name="academics:advisees")


@login_required
def groups(request: HttpRequest) -> HttpResponse:
    if not access.can_set_advisors(request.user):
        raise PermissionDenied
    teachers = list(selectors.teachers().only("pk", "last_name", "first_name", "patronymic", "username"))
    page = Paginator(selectors.groups_with_counts(), GROUPS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "academics/groups.html", {"page": page, "teachers": teachers})


@login_required
@require_POST
def group_advisor(request: HttpRequest, pk: int) -> HttpResponse:
    group = access.get_group_for_advisor(request.user, pk)
    form = GroupAdvisorForm(request.POST)
    if form.is_valid():
        try:
            services.group_advisor_set(
                group=group, advisor=form.cleaned_data["advisor"], by=request.user, request=request
            )
        except ValidationError as exc:
            form.add_error("advisor", exc)
        else:
            messages.success(request, _("The adviser of group %(group)s is saved.") % {"group": group.name})
            return redirect(f"{reverse('academics:groups')}?page={_int_param(request.POST.get('page')) or 1}")
    message = " ".join(e for errors in form.errors.values() for e in errors)
    return render(request, "core/bad_request.html", {"message": message}, status=400)
