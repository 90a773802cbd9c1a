from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ustaz.core import access as core_access
from ustaz.core import imports, person_file, tables

from . import access, services
from .forms import ImportAccountsForm, IssueAccountForm, ProfileForm, RoleForm
from .models import Role, User


@login_required
def people(request: HttpRequest) -> HttpResponse:
    access.require(access.can_manage_accounts(request.user))
    query = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    users = User.objects.order_by("last_name", "first_name", "pk")
    if query:
        users = users.filter(
            Q(last_name__icontains=query)
            | Q(first_name__icontains=query)
            | Q(username__icontains=query)
            | Q(iin__startswith=query)
            | Q(email__icontains=query)
        )
    if role in Role.values:
        users = users.filter(User.role_filter(role))
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/people.html", {"page": page, "query": query, "role": role, "roles": Role.choices})


@login_required
def issue_account(request: HttpRequest) -> HttpResponse:
    access.require(access.can_manage_accounts(request.user))
    form = IssueAccountForm(request.POST or None, grantable=access.grantable_roles(request.user))
    if request.method == "POST" and form.is_valid():
        data = services.AccountData(
            **{k: form.cleaned_data[k] for k in services.ACCOUNT_DATA_FIELDS},
            roles=set(form.cleaned_data["roles"]),
        )
        try:
            credential = services.account_issue(data=data, issued_by=request.user, request=request)
        except PermissionDenied as exc:
            form.add_error("roles", str(exc))
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            services.credentials_hand_over(request, [credential], send_email=form.cleaned_data["send_email"])
            return redirect("accounts:issued")
    return render(request, "accounts/issue.html", {"form": form})


@login_required
def import_accounts(request: HttpRequest) -> HttpResponse:
    access.require(access.can_manage_accounts(request.user))
    form = ImportAccountsForm(request.POST or None, request.FILES or None)
    errors: list[tuple[int, str]] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            tables.check_size(upload.size)
            content = upload.read()
            background, counted = services.import_in_background(upload.name, content)
        except services.ImportFileError as exc:
            errors = [(1, str(exc))]
        else:
            if background:
                job = imports.import_job_start(
                    kind="accounts",
                    runner="ustaz.accounts.services.accounts_import_job_run",
                    filename=upload.name,
                    content=content,
                    created_by=request.user,
                    total=counted,
                    params={
                        "send_email": form.cleaned_data["send_email"],
                        "login_url": services.login_url(request),
                        "language": get_language(),
                    },
                )
                return redirect("import_job", pk=job.pk)
            result = services.accounts_import(
                filename=upload.name, content=content, issued_by=request.user, request=request
            )
            if result.errors:
                errors = result.errors
            else:
                services.credentials_hand_over(request, result.issued, send_email=form.cleaned_data["send_email"])
                return redirect("accounts:issued")
    return render(
        request,
        "accounts/import.html",
        {"form": form, "errors": errors, "columns": services.IMPORT_COLUMNS, "required": services.REQUIRED_COLUMNS},
        status=400 if errors or form.errors else 200,
    )


@never_cache
@login_required
@require_POST
def import_collect(request: HttpRequest, pk: int) -> HttpResponse:
    """The passwords a large import issued, moved once from its (encrypted) job into the starter's session: a
    POST, since it hands them over only once (a prefetch or a second tab must not spend it)."""
    job = core_access.get_import_job_for(request.user, pk)
    if not services.credentials_collect(request, job) and not services.credentials_from_session(request):
        messages.warning(
            request,
            _(
                "The passwords of this import can no longer be shown (they were shown once already, or the "
                "server's secret key has changed): reissue them from each person's page."
            ),
        )
    return redirect("accounts:issued")


@never_cache  # one-time passwords must not stay in a browser's cache
@login_required
def issued(request: HttpRequest) -> HttpResponse:
    access.require(access.can_manage_accounts(request.user))
    return render(request, "accounts/issued.html", {"issued": services.credentials_from_session(request)})


@login_required
def issued_slips(request: HttpRequest) -> HttpResponse:
    access.require(access.can_manage_accounts(request.user))
    credentials = services.credentials_from_session(request)
    if not credentials:
        messages.info(request, _("There are no newly issued accounts to print."))
        return redirect("accounts:people")
    pdf = services.credential_slips_pdf(credentials=credentials, login_url=services.login_url(request))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="ustaz-credentials.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def person(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person_for(request.user, pk)
    return render(
        request,
        "accounts/person.html",
        {
            "person": person,
            "may_manage": access.can_manage_person(request.user, person),
            "role_form": RoleForm(grantable=access.grantable_roles(request.user)),
            "roles": Role.choices,
            "file_entries": person_file.entries_for(request.user, person),
        },
    )


@login_required
@require_POST
def person_role(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person_for(request.user, pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        role = form.cleaned_data["role"]
        # The services refuse (403, audited) what this user may not do to this person.
        if request.POST.get("action") == "revoke":
            services.role_revoke(user=person, role=role, revoked_by=request.user, request=request)
            messages.success(request, _("Role removed."))
        else:
            services.role_grant(user=person, role=role, granted_by=request.user, request=request)
            messages.success(request, _("Role granted."))
    return redirect("accounts:person", pk=person.pk)


@login_required
@require_POST
def person_reissue(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person_for(request.user, pk)
    credential = services.password_reissue(user=person, issued_by=request.user, request=request)
    services.credentials_hand_over(request, [credential], send_email=bool(request.POST.get("send_email")))
    return redirect("accounts:issued")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your settings are saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language: remembered on the account, and in a cookie before login."""
    from django.conf import settings
    from django.utils.http import url_has_allowed_host_and_scheme

    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = redirect(next_url)
    if language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            User.objects.filter(pk=request.user.pk).update(language=language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response
