"""Writes with a rule in the accounts area: issuing accounts (§2.3), roles, one-time passwords."""

from __future__ import annotations

import functools
import secrets
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, NoReturn

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import get_connection, send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ustaz.core import imports, tables
from ustaz.core.models import AuditAction, ImportJob, ImportJobStatus
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


@functools.cache
def known_time_zones() -> frozenset[str]:
    # Built once: zoneinfo.available_timezones() walks the whole zone database (about 18 ms) on every call.
    return frozenset(zoneinfo.available_timezones())


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
    if data.time_zone not in known_time_zones():
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


def _build(data: AccountData, *, username: str) -> IssuedCredential:
    """The account, not saved yet, with its one-time password hashed: the slow part, done before any
    transaction so that a large import does not hold the database's write lock while it hashes."""
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
    return IssuedCredential(user=user, password=password)


def _save(credential: IssuedCredential, *, issued_by: User | None, request: HttpRequest | None) -> IssuedCredential:
    user = credential.user
    if not _check_may_grant(actor=issued_by, roles=set(user.role_set)):
        raise PermissionDenied(_("Only an administrator can grant these roles or change this account."))
    user.save()
    audit_record(
        action=AuditAction.ACCOUNT_ISSUED,
        actor=issued_by,
        target=user,
        request=request,
        details={"roles": sorted(user.role_set)},
    )
    return credential


def _issue(
    data: AccountData, *, username: str, issued_by: User | None, request: HttpRequest | None
) -> IssuedCredential:
    return _save(_build(data, username=username), issued_by=issued_by, request=request)


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


# The reading and its limits are shared by every import (ustaz/core/tables.py).
ImportFileError = tables.ImportFileError


def read_table(filename: str, content: bytes, required: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of a .csv (UTF-8) or .xlsx file as dicts by the (lower-cased) header; raises ImportFileError."""
    return tables.read_table(filename, content, required)


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


# Told (rows done, rows in all) every few hundred rows.
Progress = Callable[[int, int], None]


def issued_meanwhile_message() -> str:
    return _("Another account was issued meanwhile with one of these logins or IINs; import the file again.")


def _existing(field_name: str, values: list[str], chunk: int = 2000) -> set[str]:
    """Values of a column that existing users already have: a query per 2,000 values (SQLite's bound on
    parameters), not one per row."""
    found: set[str] = set()
    for start in range(0, len(values), chunk):
        lookup = {f"{field_name}__in": values[start : start + chunk]}
        found |= set(User.objects.filter(**lookup).values_list(field_name, flat=True))
    return found


def accounts_import_prepare(
    *,
    filename: str,
    content: bytes,
    default_roles: frozenset[str] = frozenset(),
    required: tuple[str, ...] = tuple(REQUIRED_COLUMNS),
    issued_by: User | None = None,
    request: HttpRequest | None = None,
    progress: Progress | None = None,
) -> PreparedImport:
    """Read the file and check every row: the person's data, the roles the importer may grant, duplicates
    within the file, and people and logins that already exist. Other areas add their own columns' checks before
    issuing. The cost is linear: no query per row (``progress``, if given, is told how many rows are checked
    every few hundred)."""
    prepared = PreparedImport(filename=filename)
    try:
        rows = tables.read_table(filename, content, required)
    except ImportFileError as exc:
        prepared.errors.append((1, str(exc)))
        return prepared
    seen: dict[str, dict[str, int]] = {"iin": {}, "login": {}, "email": {}}
    refused_roles: set[str] = set()
    labels = {"iin": _("IIN"), "login": _("login"), "email": _("e-mail")}
    for offset, cells in enumerate(rows):
        line = offset + 2
        if progress is not None and offset % 200 == 0:
            progress(offset, len(rows))
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
    if progress is not None:
        progress(len(rows), len(rows))
    if not prepared.rows and not prepared.errors:
        prepared.errors.append((1, _("The file has no rows to import.")))
    existing_iins = _existing("iin", list(seen["iin"]))
    existing_logins = {u.lower() for u in _existing("username", list(seen["login"]))}
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


def accounts_import_build(*, prepared: PreparedImport, progress: Progress | None = None) -> list[IssuedCredential]:
    """The accounts of a prepared file that has no errors, with their logins and hashed one-time passwords,
    not saved: call it before the transaction that saves them (``accounts_import_save``)."""
    assert not prepared.errors, "an import with errors creates nothing"  # noqa: S101 - a programming error
    wanted = {row.data.username for row in prepared.rows if row.data.username}
    bases = {login_base(row.data.last_name, row.data.first_name) for row in prepared.rows}
    taken = set(wanted) | logins_starting_with(bases)
    built = []
    for count, row in enumerate(prepared.rows, start=1):
        username = row.data.username or unique_login(login_base(row.data.last_name, row.data.first_name), taken)
        taken.add(username)
        built.append(_build(row.data, username=username))
        if progress is not None and count % 100 == 0:
            progress(count, len(prepared.rows))
    return built


def accounts_import_save(
    *, built: list[IssuedCredential], filename: str, issued_by: User | None, request: HttpRequest | None = None
) -> list[IssuedCredential]:
    """Save built accounts. Call it inside the caller's (short) transaction."""
    for credential in built:
        _save(credential, issued_by=issued_by, request=request)
    audit_record(
        action=AuditAction.ACCOUNTS_IMPORTED,
        actor=issued_by,
        request=request,
        target_repr=filename,
        details={"count": len(built), "file": filename},
    )
    return built


def accounts_import_issue(
    *, prepared: PreparedImport, issued_by: User | None, request: HttpRequest | None = None
) -> list[IssuedCredential]:
    """Issue the accounts of a prepared file that has no errors, in one transaction."""
    built = accounts_import_build(prepared=prepared)
    with transaction.atomic():
        return accounts_import_save(built=built, filename=prepared.filename, issued_by=issued_by, request=request)


def accounts_import(
    *,
    filename: str,
    content: bytes,
    issued_by: User | None,
    request: HttpRequest | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Validate every row; if any row is wrong, report them all (by line) and create nothing. The file is
    read and checked, and the passwords hashed, before the short transaction that saves the accounts."""
    prepared = accounts_import_prepare(
        filename=filename, content=content, issued_by=issued_by, request=request, progress=progress
    )
    if prepared.errors:
        return ImportResult(errors=prepared.errors)
    try:
        return ImportResult(issued=accounts_import_issue(prepared=prepared, issued_by=issued_by, request=request))
    except IntegrityError:
        # A login or an IIN was taken by someone issued meanwhile: nothing of this file is saved.
        return ImportResult(errors=[(1, issued_meanwhile_message())])


# --- Large imports, in the background (ustaz.core.imports) ---------------------------------------------------
def import_in_background(filename: str, content: bytes) -> tuple[bool, int]:
    """Whether a file has more rows than USTAZ_IMPORT_BACKGROUND_ROWS (counted by reading no further), and
    the rows counted; raises ImportFileError for a file that cannot be read or is over a limit."""
    threshold = settings.IMPORT_BACKGROUND_ROWS
    counted = tables.count_rows(filename, content, up_to=threshold)
    return counted > threshold, counted


def credentials_seal(issued: list[IssuedCredential]) -> str:
    return imports.seal([{"user_id": c.user.pk, "password": c.password} for c in issued])


def credentials_collect(request: HttpRequest, job: ImportJob) -> list[IssuedCredential]:
    """The one-time passwords a finished background import issued, handed to its starter's session once."""
    items = imports.job_collect_sealed(job)
    if not items:
        return []  # collected before: the session keeps what it was given then
    users = User.objects.in_bulk([item["user_id"] for item in items])
    issued = [
        IssuedCredential(user=users[i["user_id"]], password=i["password"]) for i in items if i["user_id"] in users
    ]
    _remember_issued(request, issued)
    return issued


def credentials_email_all(issued: list[IssuedCredential], *, login_url: str) -> int:
    with get_connection() as connection:
        return sum(credentials_email(credential=c, login_url=login_url, connection=connection) for c in issued)


def issued_job_done(job: ImportJob, issued: list[IssuedCredential], *, summary: dict) -> None:
    """End a background import that issued accounts: their passwords sealed for the starter to collect,
    e-mailed first if asked."""
    from django.urls import reverse

    if job.params.get("send_email"):
        summary["emailed"] = credentials_email_all(issued, login_url=job.params.get("login_url", ""))
    job.sealed = credentials_seal(issued)
    imports.job_done(job, {**summary, "next_url": reverse("accounts:import_collect", args=[job.pk])})


def accounts_import_job_run(job: ImportJob) -> None:
    """The task's part of a large accounts import: check every row, then hash, then save in one short
    transaction; or refuse with the errors by line, nothing saved."""
    prepared = accounts_import_prepare(
        filename=job.filename,
        content=bytes(job.content),
        issued_by=job.created_by,
        progress=lambda n, total: imports.job_progress(job, checked=n, total=total),
    )
    if prepared.errors:
        imports.job_refuse(job, prepared.errors)
        return
    imports.job_progress(job, status=ImportJobStatus.APPLYING)
    built = accounts_import_build(prepared=prepared, progress=lambda n, _total: imports.job_progress(job, applied=n))
    try:
        with transaction.atomic():
            issued = accounts_import_save(built=built, filename=job.filename, issued_by=job.created_by)
    except IntegrityError:
        imports.job_refuse(job, [(1, issued_meanwhile_message())])
        return
    job.applied = len(issued)
    issued_job_done(job, issued, summary={"count": len(issued)})


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
