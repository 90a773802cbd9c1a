"""Applying (§3.2): a draft kept as the applicant goes, documents checked by their content, submission
refused with the missing documents listed until every one the basis needs is there; every change of status
kept with who, when and why."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ustaz.accounts.iin import validate_iin
from ustaz.accounts.models import Role, User
from ustaz.core.files import clean_filename
from ustaz.core.sniff import HEAD_BYTES, IMAGE, PDF, sniff
from ustaz.notifications import services as notifications

from . import documents
from .apps import STATUS_CHANGED
from .models import Application, ApplicationDocument, Offer, Status, StatusChange

MAX_DOCUMENT_MB = 20
EDITABLE = (Status.DRAFT, Status.RETURNED)


def _record(application: Application, new: str, by: User | None, reason: str = "") -> None:
    StatusChange.objects.create(application=application, old=application.status, new=new, by=by, reason=reason)
    application.status = new


def applicant_register(
    *, email: str, first_name: str, last_name: str, password: str, language: str
) -> tuple[User | None, bool]:
    """An applicant's own account, unverified; returns (user, created). When an account already has the
    address (made earlier, or by a request at the same moment) nothing is made and that account is returned
    with created=False, so that the caller answers both cases alike and tells the owner by e-mail."""
    email = email.strip().lower()
    with transaction.atomic():
        existing = _account_with_email(email)
        if existing is not None:
            make_password(password)  # as long as a new account takes: the time does not tell either
            return existing, False
        user = User(
            username=email,
            email=email,
            first_name=first_name,
            last_name=last_name,
            roles=User.encode_roles({Role.APPLICANT}),
            language=language,
        )
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
                from allauth.account.models import EmailAddress

                EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
        except IntegrityError:  # registered by another request at the same moment
            existing = None
        else:
            return user, True
    # The other request's account (None only if it was rolled back meanwhile: nothing to tell anyone).
    return _account_with_email(email), False


def _account_with_email(email: str) -> User | None:
    return (
        User.objects.filter(email__iexact=email).order_by("pk").first()
        or User.objects.filter(username__iexact=email).order_by("pk").first()
    )


@transaction.atomic
def application_draft(*, applicant: User, offer: Offer, **fields) -> Application:
    """Create or update the applicant's draft for a programme (kept as they go; finished later)."""
    today = timezone.localdate()
    if not Application.objects.filter(applicant=applicant, offer=offer).exists() and not (
        offer.campaign.opens_on <= today <= offer.campaign.closes_on
    ):
        raise ValidationError(_("This campaign does not take applications now."))
    application, created = Application.objects.get_or_create(
        applicant=applicant, offer=offer, defaults={"basis": fields.get("basis", "higher_blended")}
    )
    if application.status not in EDITABLE:
        raise ValidationError(_("The application is with the commission and cannot be changed now."))
    for name, value in fields.items():
        setattr(application, name, value)
    if application.iin:
        validate_iin(application.iin)
    if created:
        StatusChange.objects.create(application=application, old="", new=Status.DRAFT, by=applicant)
    application.save()
    return application


@transaction.atomic
def document_add(*, application: Application, kind: str, upload: UploadedFile, by: User) -> ApplicationDocument:
    if application.status not in EDITABLE:
        raise ValidationError(_("The application is with the commission and cannot be changed now."))
    if kind not in documents.DocumentKind.values:
        raise ValidationError(_("Unknown document."))
    if upload.size > MAX_DOCUMENT_MB * 1024 * 1024:
        raise ValidationError(_("A document is at most %(limit)d MB.") % {"limit": MAX_DOCUMENT_MB})
    found = sniff(upload.read(HEAD_BYTES))
    upload.seek(0)
    if found is None or found.category not in (PDF, IMAGE):
        raise ValidationError(_("“%(name)s” is not a PDF or a scan (JPEG, PNG, TIFF).") % {"name": upload.name})
    name = clean_filename(upload.name, fallback=f"document.{found.extension}")
    document = ApplicationDocument(
        application=application, kind=kind, name=name, content_type=found.content_type, size=upload.size
    )
    document.file.save(f"document.{found.extension}", upload, save=False)  # stored under a generated name
    document.save()
    return document


def missing_documents(application: Application) -> list[str]:
    """The documents the basis needs that are not there (a returned one counts as missing until replaced)."""
    present = {d.kind for d in application.documents.all() if d.status != "returned"}
    return [kind for kind in documents.required(application.basis) if kind not in present]


@transaction.atomic
def application_submit(*, application: Application, by: User) -> Application:
    if application.status not in EDITABLE:
        raise ValidationError(_("The application is already submitted."))
    closes_on = application.offer.campaign.closes_on
    if application.status == Status.DRAFT and timezone.localdate() > closes_on:
        # A returned application may still be corrected after the closing day; a new one may not come in.
        raise ValidationError(
            _("Applications closed on %(date)s.") % {"date": formats.date_format(closes_on, "DATE_FORMAT")}
        )
    problems = []
    if not application.justification.strip():
        problems.append(_("the written justification of the need for distance study"))
    if not application.iin and application.citizenship == "KZ":
        problems.append(_("the IIN"))
    labels = dict(documents.DocumentKind.choices)
    problems += [str(labels[kind]) for kind in missing_documents(application)]
    if problems:
        raise ValidationError(
            _("The application cannot be submitted yet. Missing: %(items)s.") % {"items": "; ".join(problems)},
            code="incomplete",
            params={"missing": missing_documents(application)},
        )
    _record(application, Status.SUBMITTED, by)
    application.submitted_at = timezone.now()
    application.save(update_fields=["status", "submitted_at"])
    return application


@transaction.atomic
def status_change(*, application: Application, new: str, by: User, reason: str = "") -> Application:
    """The commission's decision on the application (returned with a reason, checked...); the applicant is told."""
    if application.status != Status.SUBMITTED or new not in (Status.RETURNED, Status.CHECKED, Status.REJECTED):
        raise ValidationError(_("The application is not waiting for the commission's check."))
    if new == Status.RETURNED and not reason.strip():
        raise ValidationError(_("Say what the applicant must correct."))
    _record(application, new, by, reason)
    application.save(update_fields=["status"])
    notifications.notify(
        users=[application.applicant],
        kind=STATUS_CHANGED,
        title=gettext_lazy("Your application: %(status)s"),
        body=reason,
        params={"status": Status(new).label},
    )
    return application


@transaction.atomic
def document_check(
    *, document: ApplicationDocument, by: User, accepted: bool, comment: str = ""
) -> ApplicationDocument:
    """The commission accepts a document, or returns it with what is wrong with it."""
    if document.application.status != Status.SUBMITTED:
        raise ValidationError(_("The application is not waiting for the commission's check."))
    if not accepted and not comment.strip():
        raise ValidationError(_("Say what is wrong with the document."))
    document.status = "accepted" if accepted else "returned"
    document.comment = "" if accepted else comment.strip()
    document.save(update_fields=["status", "comment"])
    return document
