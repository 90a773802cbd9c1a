"""Writes with a rule in the accounts area: issuing accounts (§2.3), roles, one-time passwords."""

from __future__ import annotations

import csv
import io
import secrets
import zoneinfo
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ustaz.core.models import AuditAction
from ustaz.core.services import audit_record

from .iin import validate_iin
from .models import Role, User
from .translit import to_latin

PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105 - an alphabet


def generate_one_time_password(length: int = 10) -> str:
    # No 0/O, 1/l/I: the password is read from paper and typed by hand.
    while True:
        candidate = "".join(secrets.choice(PASSWORD_ALPHABET) for _i in range(length))
        if any(c.isdigit() for c in candidate) and any(c.isupper() for c in candidate):
            return candidate


def login_base(last_name: str, first_name: str) -> str:
    base = to_latin(last_name)[:20] or "user"
    initial = to_latin(first_name)[:1]
    return f"{base}.{initial}" if initial else base


def unique_login(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    n = 2
    while f"{base}{n}" in taken:
        n += 1
    return f"{base}{n}"


@dataclass
class IssuedCredential:
    user: User
    password: str


@dataclass
class AccountData:
    last_name: str
    first_name: str
    patronymic: str = ""
    iin: str = ""
    citizenship: str = "KZ"
    email: str = ""
    phone: str = ""
    time_zone: str = "Asia/Almaty"
    language: str = "kk"
    roles: set[str] = field(default_factory=set)
    username: str = ""


def check_account_data(data: AccountData) -> dict[str, list[str]]:
    """Validate one person's data; returns messages by field name (empty when valid)."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not data.last_name.strip():
        add("last_name", _("The surname is required."))
    if not data.first_name.strip():
        add("first_name", _("The given name is required."))
    citizenship = data.citizenship.strip().upper()
    if len(citizenship) != 2 or not citizenship.isalpha():
        add("citizenship", _("Citizenship is a two-letter country code, such as KZ."))
    if data.iin:
        try:
            validate_iin(data.iin)
        except ValidationError as exc:
            for message in exc.messages:
                add("iin", message)
    elif citizenship == "KZ":
        add("iin", _("The IIN is required for citizens of Kazakhstan."))
    if data.email:
        try:
            validate_email(data.email)
        except ValidationError:
            add("email", _("This e-mail address is not valid."))
    if data.time_zone not in zoneinfo.available_timezones():
        add("time_zone", _("Unknown time zone: %(zone)s.") % {"zone": data.time_zone})
    if data.language not in dict(settings.LANGUAGES):
        add("language", _("The language must be one of kk, ru, en."))
    unknown = data.roles - set(Role.values)
    if unknown:
        add("roles", _("Unknown role: %(roles)s.") % {"roles": ", ".join(sorted(unknown))})
    if not data.roles:
        add("roles", _("At least one role is required."))
    if data.username and (len(data.username) > 150 or not all(c.isalnum() or c in "._-" for c in data.username)):
        add("username", _("A login may contain only letters, digits and . _ -"))
    return errors


def _issue(
    data: AccountData, *, username: str, issued_by: User | None, request: HttpRequest | None
) -> IssuedCredential:
    password = generate_one_time_password()
    user = User(
        username=username,
        last_name=data.last_name.strip(),
        first_name=data.first_name.strip(),
        patronymic=data.patronymic.strip(),
        iin=data.iin,
        citizenship=data.citizenship.strip().upper(),
        email=data.email.strip().lower(),
        phone=data.phone.strip(),
        time_zone=data.time_zone,
        language=data.language,
        roles=User.encode_roles(data.roles),
        must_change_password=True,
        issued_password_expires=timezone.now() + timedelta(days=settings.ISSUED_PASSWORD_DAYS),
    )
    user.set_password(password)
    user.save()
    audit_record(
        action=AuditAction.ACCOUNT_ISSUED,
        actor=issued_by,
        target=user,
        request=request,
        details={"roles": sorted(data.roles)},
    )
    return IssuedCredential(user=user, password=password)


@transaction.atomic
def account_issue(*, data: AccountData, issued_by: User | None, request: HttpRequest | None = None) -> IssuedCredential:
    errors = check_account_data(data)
    if data.iin and User.objects.filter(iin=data.iin).exists():
        errors.setdefault("iin", []).append(_("A person with this IIN already has an account."))
    if data.username and User.objects.filter(username__iexact=data.username).exists():
        errors.setdefault("username", []).append(_("This login is taken."))
    if errors:
        raise ValidationError(errors)
    username = data.username or unique_login(
        login_base(data.last_name, data.first_name),
        set(
            User.objects.filter(username__startswith=login_base(data.last_name, data.first_name)).values_list(
                "username", flat=True
            )
        ),
    )
    return _issue(data, username=username, issued_by=issued_by, request=request)


# --- Import ---------------------------------------------------------------------------------------
IMPORT_COLUMNS = [
    "last_name",
    "first_name",
    "patronymic",
    "iin",
    "citizenship",
    "email",
    "phone",
    "time_zone",
    "language",
    "roles",
    "login",
]
REQUIRED_COLUMNS = ["last_name", "first_name", "iin", "roles"]


@dataclass
class ImportResult:
    issued: list[IssuedCredential] = field(default_factory=list)
    # (line number in the file, message); the header is line 1.
    errors: list[tuple[int, str]] = field(default_factory=list)


class ImportFileError(Exception):
    pass


def _read_rows(filename: str, content: bytes) -> list[dict[str, str]]:
    name = filename.lower()
    if name.endswith(".xlsx"):
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:
            raise ImportFileError(_("This file could not be read as an Excel workbook (.xlsx).")) from exc
        sheet = workbook.worksheets[0]
        table = [["" if v is None else str(v).strip() for v in row] for row in sheet.iter_rows(values_only=True)]
    elif name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportFileError(_("A CSV file must be saved in UTF-8.")) from exc
        dialect = csv.excel
        try:
            dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else "", delimiters=",;\t")
        except csv.Error:
            pass
        table = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
    else:
        raise ImportFileError(_("Upload a .csv or .xlsx file."))
    if not table:
        raise ImportFileError(_("The file is empty."))
    header = [h.strip().lower() for h in table[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ImportFileError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    rows = []
    for cells in table[1:]:
        rows.append({h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h})
    return rows


def accounts_import(
    *, filename: str, content: bytes, issued_by: User | None, request: HttpRequest | None = None
) -> ImportResult:
    """Validate every row; if any row is wrong, report them all (by line) and create nothing."""
    result = ImportResult()
    try:
        rows = _read_rows(filename, content)
    except ImportFileError as exc:
        result.errors.append((1, str(exc)))
        return result
    prepared: list[tuple[int, AccountData]] = []
    seen_iins: dict[str, int] = {}
    seen_logins: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    for offset, row in enumerate(rows):
        line = offset + 2
        if not any(row.values()):
            continue
        data = AccountData(
            last_name=row.get("last_name", ""),
            first_name=row.get("first_name", ""),
            patronymic=row.get("patronymic", ""),
            iin=row.get("iin", "").replace(" ", ""),
            citizenship=row.get("citizenship", "") or "KZ",
            email=row.get("email", ""),
            phone=row.get("phone", ""),
            time_zone=row.get("time_zone", "") or "Asia/Almaty",
            language=(row.get("language", "") or "kk").lower(),
            roles={r.strip() for r in row.get("roles", "").replace(";", ",").split(",") if r.strip()},
            username=row.get("login", ""),
        )
        for name, messages in check_account_data(data).items():
            for message in messages:
                result.errors.append((line, f"{name}: {message}"))
        for key, seen, label in (
            (data.iin, seen_iins, _("IIN")),
            (data.username.lower(), seen_logins, _("login")),
            (data.email.lower(), seen_emails, _("e-mail")),
        ):
            if key and key in seen:
                result.errors.append(
                    (line, _("The same %(what)s as on line %(line)s.") % {"what": label, "line": seen[key]})
                )
            elif key:
                seen[key] = line
        prepared.append((line, data))
    if not prepared and not result.errors:
        result.errors.append((1, _("The file has no rows to import.")))
    existing_iins = set(User.objects.filter(iin__in=list(seen_iins)).values_list("iin", flat=True))
    existing_logins = {
        u.lower() for u in User.objects.filter(username__in=list(seen_logins)).values_list("username", flat=True)
    }
    for line, data in prepared:
        if data.iin in existing_iins:
            result.errors.append((line, _("A person with this IIN already has an account.")))
        if data.username and data.username.lower() in existing_logins:
            result.errors.append((line, _("The login %(login)s is taken.") % {"login": data.username}))
    if result.errors:
        result.errors.sort()
        return result
    with transaction.atomic():
        taken = set(User.objects.values_list("username", flat=True)) | set(seen_logins)
        for _line, data in prepared:
            username = data.username or unique_login(login_base(data.last_name, data.first_name), taken)
            taken.add(username)
            result.issued.append(_issue(data, username=username, issued_by=issued_by, request=request))
        audit_record(
            action=AuditAction.ACCOUNTS_IMPORTED,
            actor=issued_by,
            request=request,
            target_repr=filename,
            details={"count": len(result.issued), "file": filename},
        )
    return result


# --- Roles and passwords --------------------------------------------------------------------------
@transaction.atomic
def role_grant(*, user: User, role: str, granted_by: User | None, request: HttpRequest | None = None) -> None:
    if role not in Role.values:
        raise ValidationError(_("Unknown role: %(roles)s.") % {"roles": role})
    user = User.objects.select_for_update().get(pk=user.pk)
    if role in user.role_set:
        return
    User.objects.filter(pk=user.pk).update(roles=User.encode_roles(set(user.role_set) | {role}))
    audit_record(
        action=AuditAction.ROLE_GRANTED, actor=granted_by, target=user, request=request, details={"role": role}
    )


@transaction.atomic
def role_revoke(*, user: User, role: str, revoked_by: User | None, request: HttpRequest | None = None) -> None:
    user = User.objects.select_for_update().get(pk=user.pk)
    if role not in user.role_set:
        return
    User.objects.filter(pk=user.pk).update(roles=User.encode_roles(set(user.role_set) - {role}))
    audit_record(
        action=AuditAction.ROLE_REVOKED, actor=revoked_by, target=user, request=request, details={"role": role}
    )


@transaction.atomic
def password_reissue(*, user: User, issued_by: User, request: HttpRequest | None = None) -> IssuedCredential:
    """A new one-time password, e.g. when a student lost the slip."""
    password = generate_one_time_password()
    user.set_password(password)
    user.must_change_password = True
    user.issued_password_expires = timezone.now() + timedelta(days=settings.ISSUED_PASSWORD_DAYS)
    user.save(update_fields=["password", "must_change_password", "issued_password_expires"])
    audit_record(action=AuditAction.PASSWORD_REISSUED, actor=issued_by, target=user, request=request)
    return IssuedCredential(user=user, password=password)


def password_changed(*, user: User, request: HttpRequest | None = None, reset: bool = False) -> None:
    User.objects.filter(pk=user.pk).update(must_change_password=False, issued_password_expires=None)
    user.must_change_password = False
    audit_record(
        action=AuditAction.PASSWORD_RESET if reset else AuditAction.PASSWORD_CHANGED,
        actor=user,
        target=user,
        request=request,
    )


# --- Delivery -------------------------------------------------------------------------------------
def credentials_email(*, credential: IssuedCredential, login_url: str) -> bool:
    """Send the login and one-time password to the person, in their language. False if no address."""
    user = credential.user
    if not user.email:
        return False
    context: dict[str, Any] = {
        "user": user,
        "password": credential.password,
        "login_url": login_url,
        "days": settings.ISSUED_PASSWORD_DAYS,
    }
    with translation.override(user.language):
        subject = _("Your Ustaz account")
        body = render_to_string("accounts/email/credentials.txt", context)
    send_mail(subject, body, None, [user.email])
    return True


def credential_slips_pdf(*, credentials: list[IssuedCredential], login_url: str) -> bytes:
    """One printable slip a person, each in that person's language."""
    from weasyprint import HTML

    slips = []
    for credential in credentials:
        with translation.override(credential.user.language):
            slips.append(
                render_to_string(
                    "accounts/slip.html",
                    {
                        "user": credential.user,
                        "password": credential.password,
                        "login_url": login_url,
                        "days": settings.ISSUED_PASSWORD_DAYS,
                        "UNIVERSITY_NAME": settings.UNIVERSITY_NAME,
                    },
                )
            )
    document = render_to_string("accounts/slips.html", {"slips": slips})
    return HTML(string=document).write_pdf()
