"""Writes with a rule in the accounts area: issuing accounts (§2.3), roles, one-time passwords."""

from __future__ import annotations

import csv
import io
import secrets
import zoneinfo
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, NoReturn

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import get_connection, send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ustaz.core.models import AuditAction
from ustaz.core.services import audit_record

from . import access
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


def logins_starting_with(bases: set[str], chunk: int = 200) -> set[str]:
    """Existing logins that begin with any of the bases: a query per 200 bases, not one per person."""
    ordered = sorted(bases)
    found: set[str] = set()
    for start in range(0, len(ordered), chunk):
        condition = Q()
        for base in ordered[start : start + chunk]:
            condition |= Q(username__startswith=base)
        found |= set(User.objects.filter(condition).values_list("username", flat=True))
    return found


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


# The person's data as a form or a file gives it (roles aside).
ACCOUNT_DATA_FIELDS = (
    "last_name",
    "first_name",
    "patronymic",
    "iin",
    "citizenship",
    "email",
    "phone",
    "time_zone",
    "language",
    "username",
)


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


# --- The rule of who touches whom (accounts.access), enforced here so that no path skips it -----------
def _refuse(
    *,
    actor: User | None,
    attempt: str,
    request: HttpRequest | None,
    target: User | None = None,
    target_repr: str = "",
    details: dict[str, Any] | None = None,
) -> NoReturn:
    """Record a refused attempt in the audit log (outside the refused write's transaction) and refuse it."""
    audit_record(
        action=AuditAction.ACCOUNT_CHANGE_REFUSED,
        actor=actor,
        target=target,
        target_repr=target_repr,
        request=request,
        details={"attempt": attempt, **(details or {})},
    )
    raise PermissionDenied(_("Only an administrator can grant these roles or change this account."))


def _check_may_grant(*, actor: User | None, roles: set[str]) -> bool:
    # No actor: the system itself (a management command, the demo loader, an enrolment's own rule).
    return actor is None or access.can_grant_roles(actor, roles)


def _check_may_manage(*, actor: User | None, person: User) -> bool:
    return actor is None or access.can_manage_person(actor, person)


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
    if not _check_may_grant(actor=issued_by, roles=data.roles):
        raise PermissionDenied(_("Only an administrator can grant these roles or change this account."))
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


def account_issue(*, data: AccountData, issued_by: User | None, request: HttpRequest | None = None) -> IssuedCredential:
    if not _check_may_grant(actor=issued_by, roles=data.roles):
        _refuse(
            actor=issued_by,
            attempt="issue",
            request=request,
            target_repr=f"{data.last_name} {data.first_name}".strip(),
            details={"roles": sorted(data.roles)},
        )
    with transaction.atomic():
        return _account_issue(data=data, issued_by=issued_by, request=request)


def _account_issue(*, data: AccountData, issued_by: User | None, request: HttpRequest | None) -> IssuedCredential:
    errors = check_account_data(data)
    if data.iin and User.objects.filter(iin=data.iin).exists():
        errors.setdefault("iin", []).append(_("A person with this IIN already has an account."))
    if data.username and User.objects.filter(username__iexact=data.username).exists():
        errors.setdefault("username", []).append(_("This login is taken."))
    if errors:
        raise ValidationError(errors)
    base = login_base(data.last_name, data.first_name)
    username = data.username or unique_login(base, logins_starting_with({base}))
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


def read_table(filename: str, content: bytes, required: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of a .csv (UTF-8) or .xlsx file as dicts by the (lower-cased) header; raises ImportFileError."""
    return _read_rows(filename, content, required)


def _read_rows(filename: str, content: bytes, required: tuple[str, ...]) -> list[dict[str, str]]:
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
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportFileError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    rows = []
    for cells in table[1:]:
        rows.append({h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h})
    return rows


@dataclass
class PreparedRow:
    line: int
    data: AccountData
    cells: dict[str, str]


@dataclass
class PreparedImport:
    """A file read and checked row by row, nothing created yet."""

    filename: str
    rows: list[PreparedRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def accounts_import_prepare(
    *,
    filename: str,
    content: bytes,
    default_roles: frozenset[str] = frozenset(),
    required: tuple[str, ...] = tuple(REQUIRED_COLUMNS),
    issued_by: User | None = None,
    request: HttpRequest | None = None,
) -> PreparedImport:
    """Read the file and check every row: the person's data, the roles the importer may grant, duplicates
    within the file, and people and logins that already exist. Other areas add their own columns' checks
    before issuing."""
    prepared = PreparedImport(filename=filename)
    try:
        rows = _read_rows(filename, content, required)
    except ImportFileError as exc:
        prepared.errors.append((1, str(exc)))
        return prepared
    seen: dict[str, dict[str, int]] = {"iin": {}, "login": {}, "email": {}}
    refused_roles: set[str] = set()
    labels = {"iin": _("IIN"), "login": _("login"), "email": _("e-mail")}
    for offset, cells in enumerate(rows):
        line = offset + 2
        if not any(cells.values()):
            continue
        roles = {r.strip() for r in cells.get("roles", "").replace(";", ",").split(",") if r.strip()}
        data = AccountData(
            last_name=cells.get("last_name", ""),
            first_name=cells.get("first_name", ""),
            patronymic=cells.get("patronymic", ""),
            iin=cells.get("iin", "").replace(" ", ""),
            citizenship=cells.get("citizenship", "") or "KZ",
            email=cells.get("email", ""),
            phone=cells.get("phone", ""),
            time_zone=cells.get("time_zone", "") or "Asia/Almaty",
            language=(cells.get("language", "") or "kk").lower(),
            roles=roles or set(default_roles),
            username=cells.get("login", ""),
        )
        for name, field_errors in check_account_data(data).items():
            for message in field_errors:
                prepared.errors.append((line, f"{name}: {message}"))
        refused = sorted(r for r in data.roles & set(Role.values) if not _check_may_grant(actor=issued_by, roles={r}))
        if refused:
            refused_roles.update(refused)
            prepared.errors.append(
                (line, _("roles: only an administrator grants %(roles)s.") % {"roles": ", ".join(refused)})
            )
        for kind, key in (("iin", data.iin), ("login", data.username.lower()), ("email", data.email.lower())):
            if key and key in seen[kind]:
                prepared.errors.append(
                    (
                        line,
                        _("The same %(what)s as on line %(line)s.") % {"what": labels[kind], "line": seen[kind][key]},
                    )
                )
            elif key:
                seen[kind][key] = line
        prepared.rows.append(PreparedRow(line=line, data=data, cells=cells))
    if not prepared.rows and not prepared.errors:
        prepared.errors.append((1, _("The file has no rows to import.")))
    existing_iins = set(User.objects.filter(iin__in=list(seen["iin"])).values_list("iin", flat=True))
    existing_logins = {
        u.lower() for u in User.objects.filter(username__in=list(seen["login"])).values_list("username", flat=True)
    }
    for row in prepared.rows:
        if row.data.iin in existing_iins:
            prepared.errors.append((row.line, _("A person with this IIN already has an account.")))
        if row.data.username and row.data.username.lower() in existing_logins:
            prepared.errors.append((row.line, _("The login %(login)s is taken.") % {"login": row.data.username}))
    prepared.errors.sort()
    if refused_roles:
        audit_record(
            action=AuditAction.ACCOUNT_CHANGE_REFUSED,
            actor=issued_by,
            request=request,
            target_repr=filename,
            details={"attempt": "import", "roles": sorted(refused_roles), "file": filename},
        )
    return prepared


def accounts_import_issue(
    *, prepared: PreparedImport, issued_by: User | None, request: HttpRequest | None = None
) -> list[IssuedCredential]:
    """Issue the accounts of a prepared file that has no errors. Call it inside the caller's transaction."""
    assert not prepared.errors, "an import with errors creates nothing"  # noqa: S101 - a programming error
    if not _check_may_grant(actor=issued_by, roles={r for row in prepared.rows for r in row.data.roles}):
        # Prepared without the importer (or by another): refuse it whole, nothing is created.
        raise PermissionDenied(_("Only an administrator can grant these roles or change this account."))
    wanted = {row.data.username for row in prepared.rows if row.data.username}
    bases = {login_base(row.data.last_name, row.data.first_name) for row in prepared.rows}
    taken = set(wanted) | logins_starting_with(bases)
    issued = []
    for row in prepared.rows:
        username = row.data.username or unique_login(login_base(row.data.last_name, row.data.first_name), taken)
        taken.add(username)
        issued.append(_issue(row.data, username=username, issued_by=issued_by, request=request))
    audit_record(
        action=AuditAction.ACCOUNTS_IMPORTED,
        actor=issued_by,
        request=request,
        target_repr=prepared.filename,
        details={"count": len(issued), "file": prepared.filename},
    )
    return issued


def accounts_import(
    *, filename: str, content: bytes, issued_by: User | None, request: HttpRequest | None = None
) -> ImportResult:
    """Validate every row; if any row is wrong, report them all (by line) and create nothing."""
    prepared = accounts_import_prepare(filename=filename, content=content, issued_by=issued_by, request=request)
    if prepared.errors:
        return ImportResult(errors=prepared.errors)
    with transaction.atomic():
        return ImportResult(issued=accounts_import_issue(prepared=prepared, issued_by=issued_by, request=request))


# --- Roles and passwords --------------------------------------------------------------------------
def role_grant(*, user: User, role: str, granted_by: User | None, request: HttpRequest | None = None) -> None:
    if role not in Role.values:
        raise ValidationError(_("Unknown role: %(roles)s.") % {"roles": role})
    _check_role_change(actor=granted_by, person=user, role=role, attempt="grant", request=request)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if role in user.role_set:
            return
        access.require(_check_may_manage(actor=granted_by, person=user))  # the roles may have changed meanwhile
        User.objects.filter(pk=user.pk).update(roles=User.encode_roles(set(user.role_set) | {role}))
        audit_record(
            action=AuditAction.ROLE_GRANTED, actor=granted_by, target=user, request=request, details={"role": role}
        )


def role_revoke(*, user: User, role: str, revoked_by: User | None, request: HttpRequest | None = None) -> None:
    _check_role_change(actor=revoked_by, person=user, role=role, attempt="revoke", request=request)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if role not in user.role_set:
            return
        access.require(_check_may_manage(actor=revoked_by, person=user))
        User.objects.filter(pk=user.pk).update(roles=User.encode_roles(set(user.role_set) - {role}))
        audit_record(
            action=AuditAction.ROLE_REVOKED, actor=revoked_by, target=user, request=request, details={"role": role}
        )


def _check_role_change(*, actor: User | None, person: User, role: str, attempt: str, request: HttpRequest | None):
    current = User.objects.get(pk=person.pk)  # the roles as they are now, not as the caller last saw them
    if not (_check_may_grant(actor=actor, roles={role}) and _check_may_manage(actor=actor, person=current)):
        _refuse(actor=actor, attempt=attempt, target=current, request=request, details={"role": role})


def password_reissue(*, user: User, issued_by: User, request: HttpRequest | None = None) -> IssuedCredential:
    """A new one-time password, e.g. when a student lost the slip."""
    current = User.objects.get(pk=user.pk)
    if not _check_may_manage(actor=issued_by, person=current):
        _refuse(actor=issued_by, attempt="password", target=current, request=request)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        access.require(_check_may_manage(actor=issued_by, person=user))
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
def credentials_email(*, credential: IssuedCredential, login_url: str, connection: Any = None) -> bool:
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
    send_mail(subject, body, None, [user.email], connection=connection)
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


# --- Handing credentials over (the office's session, e-mail) -----------------------------------------
ISSUED_SESSION_KEY = "ustaz_issued_credentials"


def login_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("account_login"))


def _remember_issued(request: HttpRequest, issued: list[IssuedCredential]) -> None:
    # One-time passwords are never stored in the database; the office's own server-side session keeps
    # them only until the slips are printed or the next batch is issued.
    request.session[ISSUED_SESSION_KEY] = [{"user_id": c.user.pk, "password": c.password} for c in issued]


def credentials_from_session(request: HttpRequest) -> list[IssuedCredential]:
    """The passwords this session issued, of the people the viewer may still manage (an account that has
    since become an administrator's is not shown to the office)."""
    stored = request.session.get(ISSUED_SESSION_KEY, [])
    users = User.objects.in_bulk([item["user_id"] for item in stored])
    return [
        IssuedCredential(user=users[i["user_id"]], password=i["password"])
        for i in stored
        if i["user_id"] in users and access.can_manage_person(request.user, users[i["user_id"]])
    ]


def _deliver_by_email(request: HttpRequest, issued: list[IssuedCredential]) -> None:
    # One SMTP connection for the whole batch (an imported group is hundreds of letters).
    with get_connection() as connection:
        sent = sum(credentials_email(credential=c, login_url=login_url(request), connection=connection) for c in issued)
    missing = len(issued) - sent
    if sent:
        messages.success(request, ngettext("%(n)s e-mail sent.", "%(n)s e-mails sent.", sent) % {"n": sent})
    if missing:
        messages.warning(
            request,
            ngettext(
                "%(n)s person has no e-mail address: give them the printed slip.",
                "%(n)s people have no e-mail address: give them the printed slips.",
                missing,
            )
            % {"n": missing},
        )


def credentials_hand_over(request: HttpRequest, issued: list[IssuedCredential], *, send_email: bool) -> None:
    """Keep the new one-time passwords for the office's slips and, if asked, e-mail each person theirs."""
    _remember_issued(request, issued)
    if send_email:
        _deliver_by_email(request, issued)
