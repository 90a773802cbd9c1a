from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ustaz.academics.models import StudentStatus
from ustaz.core.models import ImportJob

from . import access, selectors, services
from .forms import OfficeFilterForm, ReturnForm, TermForm, WindowForm
from .models import PlanLineKind, PlanStatus

# Students per page of the office's list of plans.
OFFICE_PER_PAGE = 100


def _int_or_none(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


# --- The student ------------------------------------------------------------------------------------------------
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The student's plans: the year a window is open for (or a plan was returned for), its electives to
    choose, and the plans so far."""
    record = access.own_record(request.user)
    if record is None:
        raise PermissionDenied
    years = selectors.years_to_choose(record) if record.status == StudentStatus.ACTIVE else []
    windows = {w.academic_year_id: w for w in selectors.open_windows_for(record)} if years else {}
    asked = request.POST.get("year") if request.method == "POST" else request.GET.get("year")
    wanted = _int_or_none(asked)
    year = next((y for y in years if y.pk == wanted), None)
    if year is None and request.method == "GET" and years:
        year = years[0]
    errors: list[str] = []
    status = 200
    frame = plan = None
    chosen: set[int] = set()
    if year is not None:
        frame = selectors.plan_frame(record, year)
        plan = selectors.plan_of(request.user, year)
        if plan is not None:
            chosen = set(plan.lines.filter(elective_group__isnull=False).values_list("curriculum_line_id", flat=True))
    if request.method == "POST":
        ids = [_int_or_none(x) for x in request.POST.getlist("line")]
        if record.status != StudentStatus.ACTIVE:
            errors, status = [_("Only a studying student chooses electives.")], 403
        elif year is None:
            errors, status = [_("The elective window for this academic year is not open.")], 409
        elif None in ids:
            errors, status = [_("A discipline chosen is not offered in this plan's elective groups.")], 400
        else:
            chosen = set(ids)
            try:
                plan = services.plan_save(
                    student=request.user,
                    academic_year=year,
                    chosen_ids=chosen,
                    submit="submit" in request.POST,
                    request=request,
                )
            except ValidationError as exc:
                # A wrong choice is the request's fault (400); a closed window or plan is a conflict (409).
                wrong = {e.code for e in exc.error_list} & {"choice", "credits"}
                errors, status = exc.messages, 400 if wrong else 409
            else:
                if plan.status == PlanStatus.SUBMITTED:
                    messages.success(request, _("Your plan is submitted to your adviser."))
                else:
                    messages.success(request, _("Your choice is saved. Submit the plan when it is complete."))
                return redirect(f"{request.path}?year={year.pk}")
    preview, preview_year = [], None
    if frame is not None and frame.curriculum is not None:
        chosen_lines = [line for group in frame.groups for line in group.options if line.pk in chosen]
        preview = selectors.credits_by_term(selectors.lines_for(frame, plan, chosen_lines), frame.term_numbers)
        preview_year = selectors.year_credits(preview)
    return render(
        request,
        "plans/mine.html",
        {
            "record": record,
            "years": years,
            "year": year,
            "window": windows.get(year.pk) if year is not None else None,
            "frame": frame,
            "plan": plan,
            "chosen": chosen,
            "editable": year is not None and (plan is None or plan.is_editable),
            "preview": preview,
            "preview_year": preview_year,
            "errors": errors,
            "plans": selectors.student_plans(request.user),
        },
        status=status,
    )


# --- A plan, and the adviser's decision -------------------------------------------------------------------------
def _plan_page(request, plan, record, *, form=None, errors=None, status=200):
    lines = selectors.plan_lines(plan)
    numbers = sorted({line.term_number for line in lines})
    terms = selectors.credits_by_term(lines, numbers)
    return render(
        request,
        "plans/plan.html",
        {
            "plan": plan,
            "record": record,
            "lines": lines,
            "terms": terms,
            "year": selectors.year_credits(terms),
            "can": access.capabilities(request.user, plan, record),
            "form": form or ReturnForm(),
            "errors": errors or [],
            "RETAKE": PlanLineKind.RETAKE,
        },
        status=status,
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan, record = access.get_plan_for(request.user, pk)
    return _plan_page(request, plan, record)


@login_required
@require_POST
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_to_decide_for(request.user, pk)
    try:
        services.plan_approve(plan=plan, by=request.user, request=request)
    except ValidationError as exc:
        plan, record = access.get_plan_for(request.user, pk)
        return _plan_page(request, plan, record, errors=exc.messages, status=409)
    messages.success(request, _("The plan is approved."))
    return redirect("plans:advising")


@login_required
@require_POST
def plan_return(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_to_decide_for(request.user, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.plan_return(plan=plan, by=request.user, reason=form.cleaned_data["reason"], request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The plan is returned to the student."))
            return redirect("plans:advising")
    plan, record = access.get_plan_for(request.user, pk)
    return _plan_page(request, plan, record, form=form, status=400)


@login_required
@require_POST
def plan_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_to_reopen_for(request.user, pk)
    try:
        services.plan_reopen(plan=plan, by=request.user, request=request)
    except ValidationError as exc:
        plan, record = access.get_plan_for(request.user, pk)
        return _plan_page(request, plan, record, errors=exc.messages, status=409)
    messages.success(request, _("The plan is open to the student's changes again."))
    return redirect("plans:plan", pk=pk)


@login_required
def advising(request: HttpRequest) -> HttpResponse:
    if not access.can_advise(request.user):
        raise PermissionDenied
    return render(request, "plans/advising.html", {"plans": selectors.advised_plans(request.user)})


# --- The office ------------------------------------------------------------------------------------------------
@login_required
def windows(request: HttpRequest) -> HttpResponse:
    if not access.can_manage_plans(request.user):
        raise PermissionDenied
    return _window_form(request, None)


@login_required
def window_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _window_form(request, access.get_window_for(request.user, pk))


def _window_form(request, window):
    initial = None
    if window is not None:
        initial = {
            "academic_year": window.academic_year,
            "opens_on": window.opens_on,
            "closes_on": window.closes_on,
            "programmes": list(window.programmes.all()),
        }
    form = WindowForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.window_save(**form.cleaned_data, window=window, by=request.user, request=request)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The elective window is saved."))
                return redirect("plans:windows")
        status = 400
    return render(
        request,
        "plans/windows.html",
        {"form": form, "window": window, "windows": selectors.windows_list() if window is None else []},
        status=status,
    )


@login_required
@require_POST
def window_close(request: HttpRequest, pk: int) -> HttpResponse:
    window = access.get_window_for(request.user, pk)
    services.window_close(window=window, by=request.user, request=request)
    messages.success(request, _("The elective window is closed."))
    return redirect("plans:windows")


@login_required
def office(request: HttpRequest) -> HttpResponse:
    if not access.can_read_all_plans(request.user):
        raise PermissionDenied
    data = request.GET.copy()
    if not data.get("year"):
        latest = selectors.windows_list().order_by("-academic_year__starts_on").first()
        if latest is not None:
            data["year"] = str(latest.academic_year_id)
    form = OfficeFilterForm(data or None)
    page = counts = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            year = form.cleaned_data["year"]
            records = selectors.office_records(
                programme_id=form.cleaned_data["programme"].pk if form.cleaned_data["programme"] else None,
                group_id=form.cleaned_data["group"].pk if form.cleaned_data["group"] else None,
            )
            page = Paginator(records, OFFICE_PER_PAGE).get_page(request.GET.get("page"))
            page.object_list = selectors.office_rows(page.object_list, year)
            counts = selectors.office_counts(records, year)
        elif request.GET:
            status = 400
    return render(request, "plans/office.html", {"form": form, "page": page, "counts": counts}, status=status)


@login_required
def proposal(request: HttpRequest) -> HttpResponse:
    if not access.can_manage_plans(request.user):
        raise PermissionDenied
    form = TermForm(request.GET or None)
    result = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            result = selectors.proposal(form.cleaned_data["term"])
        else:
            status = 400
    jobs = ImportJob.objects.filter(kind="plans.apply", created_by=request.user).defer("content")[:5]
    return render(request, "plans/proposal.html", {"form": form, "proposal": result, "jobs": jobs}, status=status)


@login_required
@require_POST
def apply(request: HttpRequest) -> HttpResponse:
    if not access.can_manage_plans(request.user):
        raise PermissionDenied
    form = TermForm(request.POST)
    if not form.is_valid():
        return render(request, "plans/proposal.html", {"form": form, "proposal": None, "jobs": []}, status=400)
    job = services.plans_apply_start(
        term=form.cleaned_data["term"], by=request.user, language=translation.get_language() or "kk"
    )
    messages.success(request, _("The courses and enrolments are being made from the approved plans."))
    return redirect("import_job", pk=job.pk)
