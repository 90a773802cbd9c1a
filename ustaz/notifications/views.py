from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, services
from .forms import PreferencesForm
from .models import Notification, Preference


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The person's notices, newest first, 30 a page."""
    notices = Notification.objects.filter(user=request.user).defer("email_batch")
    page = Paginator(notices, 30).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
@require_POST
def open_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notice read and go where it points."""
    notice = access.get_notification_for(request.user, pk)
    if notice.read_at is None:
        services.mark_read(user=request.user, notification=notice)
    safe = url_has_allowed_host_and_scheme(notice.url, allowed_hosts={request.get_host()})
    return redirect(notice.url if notice.url and safe else "notifications:inbox")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    services.mark_read(user=request.user)
    return redirect("notifications:inbox")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    current = dict(Preference.objects.filter(user=request.user).values_list("kind", "email"))
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        services.preferences_save(user=request.user, choices={k: v for k, v in form.cleaned_data.items() if v})
        messages.success(request, _("Your choices are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form, "has_email": bool(request.user.email)})
