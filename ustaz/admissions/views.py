from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ustaz.accounts.models import Role, User
from ustaz.core.files import serve_private_file

from . import access, documents, ranking, services, views_money
from .forms import ApplicationForm, RegisterForm
from .models import Application, ApplicationDocument, CreativeExam, ExamFormat, ExamResult, Offer, Status

VERIFY_SALT = "ustaz.admissions.verify"


def _email_verified(user: User) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, verified=True).exists()


def register(request: HttpRequest) -> HttpResponse:
    """An applicant's own account (no staff needed); the e-mail is verified by a link before applying.

    The answer is the same whether or not an account has the address (the owner of an existing one is told by
    e-mail instead), and attempts are limited per address and per e-mail (USTAZ_REGISTER_RATE)."""
    if request.user.is_authenticated:
        return redirect("admissions:home")
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        from allauth.core import ratelimit

        data = form.cleaned_data
        if not ratelimit.consume(request, action="applicant_register", key=data["email"]):
            form.add_error(
                None, _("Too many attempts to register from this address or with this e-mail: try again later.")
            )
            return render(request, "admissions/register.html", {"form": form}, status=429)
        user, created = services.applicant_register(
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            password=data["password"],
            language=translation.get_language() or "kk",
        )
        if created:
            _send_verification(request, user)
        elif user is not None:
            _send_already_registered(user)
        return redirect("admissions:register_sent")
    return render(request, "admissions/register.html", {"form": form})


def register_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "admissions/register_sent.html")


def _send_verification(request: HttpRequest, user: User) -> None:
    token = signing.dumps(user.pk, salt=VERIFY_SALT)
    link = settings.SITE_URL.rstrip("/") + reverse("admissions:verify", args=[token])
    with translation.override(user.language or None):
        send_mail(
            subject=_("Ustaz: confirm your e-mail"),
            message=_("Open this link to confirm your e-mail and go on with your application:\n\n%(link)s\n")
            % {"link": link},
            from_email=None,
            recipient_list=[user.email],
        )


def _send_already_registered(user: User) -> None:
    """Someone registered with the address of an existing account: its owner is told, in their language."""
    site = settings.SITE_URL.rstrip("/")
    with translation.override(user.language or None):
        body = _(
            "Someone tried to make an applicant's account at Ustaz with your e-mail address, but you already have "
            "an account. If it was you, log in, or choose a new password if you have forgotten it. If it was not "
            "you, ignore this letter: nothing has changed in your account."
        )
        login_line = f"{_('Log in')}: {site}{reverse('account_login')}"
        reset_line = f"{_('Forgot your password?')} {site}{reverse('account_reset_password')}"
        send_mail(
            subject=_("Ustaz: someone tried to register with your e-mail"),
            message=f"{body}\n\n{login_line}\n\n{reset_line}\n",
            from_email=None,
            recipient_list=[user.email],
        )


def verify(request: HttpRequest, token: str) -> HttpResponse:
    from allauth.account.models import EmailAddress

    try:
        pk = signing.loads(token, salt=VERIFY_SALT, max_age=7 * 24 * 3600)
    except signing.BadSignature:
        raise Http404 from None
    EmailAddress.objects.filter(user_id=pk).update(verified=True)
    messages.success(request, _("Your e-mail is confirmed."))
    return redirect("admissions:home" if request.user.is_authenticated else "account_login")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    offers = Offer.objects.filter(campaign__opens_on__lte=today, campaign__closes_on__gte=today).select_related(
        "campaign", "programme"
    )
    return render(
        request,
        "admissions/home.html",
        {
            "offers": list(offers),
            "applications": list(
                Application.objects.filter(applicant=request.user).select_related("offer__programme", "offer__campaign")
            ),
            "verified": _email_verified(request.user),
            "can_review": access.is_reviewer(request.user),
            "campaigns": list(access.campaigns_for(request.user).order_by("-opens_on")[:20]),
        },
    )


def _own(request: HttpRequest, pk: int) -> Application:
    return access.get_own_application(request.user, pk)


@login_required
@require_POST
def apply(request: HttpRequest, offer_pk: int) -> HttpResponse:
    """Start the application to a programme (or go back to the one already started)."""
    offer = get_object_or_404(Offer.objects.select_related("campaign"), pk=offer_pk)
    if not request.user.has_role(Role.APPLICANT):
        raise PermissionDenied
    existing = Application.objects.filter(applicant=request.user, offer=offer).first()
    if existing is not None:
        return redirect("admissions:application", pk=existing.pk)
    try:
        application = services.application_draft(applicant=request.user, offer=offer)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("admissions:home")
    return redirect("admissions:application", pk=application.pk)


@login_required
def application(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant's own application: the form (saved as a draft), the documents its basis needs, submit."""
    application = _own(request, pk)
    editable = application.status in services.EDITABLE
    form = ApplicationForm(request.POST or None, instance=application)
    if request.method == "POST" and editable:
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                services.application_draft(applicant=request.user, offer=application.offer, **fields)
            except ValidationError as error:
                form.add_error("iin", error)
            else:
                messages.success(request, _("Saved. You can finish it later."))
                return redirect("admissions:application", pk=pk)
    labels = dict(documents.DocumentKind.choices)
    uploaded = list(application.documents.all())
    required = [
        {"kind": kind, "label": labels[kind], "files": [d for d in uploaded if d.kind == kind]}
        for kind in documents.required(application.basis)
    ]
    return render(
        request,
        "admissions/application.html",
        {
            "application": application,
            "form": form,
            "editable": editable,
            "required": required,
            "missing": [labels[k] for k in services.missing_documents(application)],
            "history": list(application.history.select_related("by")),
            "verified": _email_verified(request.user),
            "exams": _exams_for_applicant(application),
            "contract": _contract(application),
        },
    )


def _contract(application: Application):
    """The contract of an applicant admitted or enrolled (one withdrawn with a declined place is gone)."""
    return getattr(application, "contract", None) if application.status in ranking.HOLDING_PLACES else None


def _exams_for_applicant(application: Application) -> list[CreativeExam]:
    """The programme's exams with the applicant's recording and, once published, result."""
    exams = list(CreativeExam.objects.filter(offer_id=application.offer_id).prefetch_related("criteria"))
    recordings = {r.exam_id: r for r in application.exam_recordings.all()}
    results = {r.exam_id: r for r in ExamResult.objects.filter(application=application)}
    for exam in exams:
        exam.my_recording = recordings.get(exam.pk)
        exam.my_result = results.get(exam.pk) if exam.published_at else None
        exam.can_join = application.status == Status.CHECKED and exam.format == ExamFormat.ONLINE
        exam.can_send = application.status == Status.CHECKED and exam.format == ExamFormat.RECORDING
    return exams


@login_required
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file."))
    else:
        try:
            services.document_add(
                application=application, kind=request.POST.get("kind", ""), upload=upload, by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Document added."))
    return redirect("admissions:application", pk=pk)


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own(request, pk)
    if not _email_verified(request.user):
        messages.error(request, _("Confirm your e-mail first: open the link we sent you."))
        return redirect("admissions:application", pk=pk)
    try:
        services.application_submit(application=application, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your application is submitted to the admission commission."))
    return redirect("admissions:application", pk=pk)


@login_required
def document_file(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.get_document_for(request.user, pk)
    return serve_private_file(
        document.file,
        filename=document.name,
        content_type=document.content_type,
        inline=request.GET.get("inline") == "1",
        request=request,
    )


# --- The admission commission -------------------------------------------------------------------------------


def _reviewer(request: HttpRequest) -> None:
    if not access.is_reviewer(request.user):
        raise Http404


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """Submitted applications, oldest first, of the campaigns this person works on."""
    _reviewer(request)
    waiting = (
        Application.objects.filter(access.reviewable(request.user), status=Status.SUBMITTED)
        .select_related("applicant", "offer__programme")
        .distinct()
        .order_by("submitted_at", "pk")
    )
    applications = list(waiting[:500])
    for a in applications:
        a.masked_iin = access.mask_iin(a.iin)
    return render(request, "admissions/queue.html", {"applications": applications})


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    _reviewer(request)
    application = access.get_application_for_review(request.user, pk)
    can_check = access.can_check(request.user, application)
    if request.method == "POST":
        if not can_check:
            raise PermissionDenied
        action = request.POST.get("action", "")
        try:
            if action in ("accept", "return_document"):
                document = get_object_or_404(
                    ApplicationDocument, pk=request.POST.get("document"), application=application
                )
                services.document_check(
                    document=document,
                    by=request.user,
                    accepted=action == "accept",
                    comment=request.POST.get("comment", ""),
                )
            elif action == Status.DECLINED:
                if not access.is_office(request.user):
                    raise PermissionDenied
                ranking.place_decline(application=application, by=request.user, reason=request.POST.get("reason", ""))
            elif action in (Status.RETURNED, Status.CHECKED, Status.REJECTED):
                services.status_change(
                    application=application, new=action, by=request.user, reason=request.POST.get("reason", "")
                )
            else:
                raise Http404
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("admissions:review", pk=pk)
    labels = dict(documents.DocumentKind.choices)
    return render(
        request,
        "admissions/review.html",
        {
            "application": application,
            "documents": list(application.documents.all()),
            "required": [labels[k] for k in documents.required(application.basis)],
            "missing": [labels[k] for k in services.missing_documents(application)],
            "history": list(application.history.select_related("by")),
            "results": list(ExamResult.objects.filter(application=application).select_related("exam")),
            "contract": _contract(application),
            "can_check": can_check,
            **views_money.enrolment_context(request.user, application),
        },
    )


@login_required
def campaign(request: HttpRequest, pk: int) -> HttpResponse:
    """A campaign at a glance for its commission and the office: each programme's applications by status,
    its exams and its competitive list."""
    _reviewer(request)
    campaign = get_object_or_404(access.campaigns_for(request.user), pk=pk)
    offers = list(campaign.offers.select_related("programme").prefetch_related("exams").order_by("programme__code"))
    counts: dict[int, dict[str, int]] = {}
    for offer_id, status, n in (
        Application.objects.filter(access.reviewable(request.user), offer__campaign=campaign)
        .values_list("offer", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts.setdefault(offer_id, {})[status] = n
    for offer in offers:
        mine = counts.get(offer.pk, {})
        offer.status_counts = [(label, mine[value]) for value, label in Status.choices if mine.get(value)]
        offer.total = sum(mine.values())
    return render(request, "admissions/campaign.html", {"campaign": campaign, "offers": offers})
