from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ustaz.academics.models import StudyGroup

from . import access, documents, selectors, services
from .forms import IssueForm, OrderForm
from .models import OrderKind, OrderStatus

LANGUAGES = ("kk", "ru")


@login_required
def orders(request: HttpRequest) -> HttpResponse:
    if not access.can_read_orders(request.user):
        raise PermissionDenied
    kind, status = request.GET.get("kind", ""), request.GET.get("status", "")
    return render(
        request,
        "records/orders.html",
        {
            "orders": selectors.orders_list(kind=kind, status=status),
            "kinds": OrderKind.choices,
            "statuses": OrderStatus.choices,
            "kind": kind,
            "status": status,
            "can_manage": access.can_manage_orders(request.user),
        },
    )


def _group(request: HttpRequest) -> StudyGroup | None:
    raw = request.GET.get("group", "")
    if not raw.isdigit() or len(raw) > 12:
        return None
    return StudyGroup.objects.filter(pk=int(raw)).first()


@login_required
def order_create(request: HttpRequest) -> HttpResponse:
    if not access.can_manage_orders(request.user):
        raise PermissionDenied
    kind = request.GET.get("kind", "")
    if kind not in OrderKind.values:
        return render(request, "records/order_kind.html", {"kinds": OrderKind.choices})
    group = _group(request)
    form = OrderForm(request.POST or None, kind=kind, group=group)
    status = 200
    if request.method == "POST":
        if group is None:
            form.add_error(None, _("Choose the group of the students first."))
        elif form.is_valid():
            try:
                order = services.order_draft(data=form.order_data(), by=request.user, request=request)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The order is drafted. Check it and issue it with its number."))
                return redirect("records:order", pk=order.pk)
        status = 400
    return render(
        request,
        "records/order_create.html",
        {
            "form": form,
            "kind": kind,
            "kind_label": OrderKind(kind).label,
            "group": group,
            "groups": StudyGroup.objects.order_by("name").only("pk", "name"),
        },
        status=status,
    )


def _order_page(request, order, *, issue_form=None, refused=None, status=200):
    if issue_form is None and order.status == OrderStatus.DRAFT and access.can_manage_orders(request.user):
        issue_form = IssueForm(initial={"number": services.next_number(order.order_date.year)})
    return render(
        request,
        "records/order.html",
        {
            "order": order,
            "items": selectors.order_items(order),
            "issue_form": issue_form,
            "can_manage": access.can_manage_orders(request.user),
            "languages": LANGUAGES,
            "today": timezone.localdate(),
            "refused": refused or [],
        },
        status=status,
    )


@login_required
def order(request: HttpRequest, pk: int) -> HttpResponse:
    return _order_page(request, access.get_order_for(request.user, pk))


@login_required
@require_POST
def order_issue(request: HttpRequest, pk: int) -> HttpResponse:
    order = access.get_order_to_manage_for(request.user, pk)
    form = IssueForm(request.POST)
    if form.is_valid():
        try:
            services.order_issue(order=order, number=form.cleaned_data["number"], by=request.user, request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            order.refresh_from_db()
            if order.status == OrderStatus.APPLIED:
                messages.success(request, _("The order is issued and has taken effect."))
            else:
                messages.success(request, _("The order is issued; it takes effect on its date."))
            return redirect("records:order", pk=order.pk)
    order.refresh_from_db()
    return _order_page(request, order, issue_form=form, status=400)


@login_required
@require_POST
def order_delete(request: HttpRequest, pk: int) -> HttpResponse:
    order = access.get_order_to_manage_for(request.user, pk)
    try:
        services.order_delete(order=order, by=request.user, request=request)
    except ValidationError as exc:
        return _order_page(request, order, refused=exc.messages, status=409)
    messages.success(request, _("The draft is deleted."))
    return redirect("records:orders")


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
def order_pdf(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    order = access.get_order_for(request.user, pk)
    if language not in LANGUAGES:
        raise Http404
    content = documents.order_pdf(order, language)
    return _pdf_response(content, f"order-{order.number or order.pk}-{language}.pdf")


@login_required
def extract_pdf(request: HttpRequest, pk: int, record_pk: int, language: str) -> HttpResponse:
    order, record = access.get_extract_for(request.user, pk, record_pk)
    if language not in LANGUAGES:
        raise Http404
    content = documents.order_pdf(order, language, record=record)
    return _pdf_response(content, f"order-{order.number or order.pk}-{record.pk}-{language}.pdf")


@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    record = access.get_record_for_history(request.user, pk)
    context = selectors.file_section_context(request.user, record) or {}
    return render(request, "records/history.html", {"record": record, "languages": LANGUAGES, **context})
