"""Paid-study contracts (§3.4) with whether printed materials are included (§2.5), their payment schedules,
payments recorded by hand or from a bank statement, and each contract's balance."""

from __future__ import annotations

import datetime
import re
import time
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ustaz.accounts.models import User
from ustaz.accounts.services import ImportFileError, read_table
from ustaz.core.models import AuditAction
from ustaz.core.numbers import MAX_NUMBER_TEXT, check_for_field
from ustaz.core.services import audit_record

from .models import Application, Contract, Installment, Payment, PaymentSource, Status

CENT = Decimal("0.01")
CONTRACT_LANGUAGES = ("kk", "ru")
REFERENCE_LENGTH = Payment._meta.get_field("reference").max_length


def schedule(*, amount_per_year: Decimal, years: int, first_year: int) -> list[tuple[datetime.date, Decimal]]:
    """The installments of every study year by `settings.ADMISSION_PAYMENT_SCHEDULE` ([("MM-DD", percent)...],
    months before September falling in the academic year's second calendar year); the last of a year takes
    what rounding leaves, so a year's installments add up to its amount exactly."""
    plan = settings.ADMISSION_PAYMENT_SCHEDULE
    if sum(Decimal(str(p)) for _d, p in plan) != 100:
        raise ValueError("ADMISSION_PAYMENT_SCHEDULE: the percentages must add up to 100")
    result = []
    for year in range(years):
        left = amount_per_year
        for index, (month_day, percent) in enumerate(plan):
            month, day = (int(x) for x in month_day.split("-"))
            calendar_year = first_year + year + (1 if month < 9 else 0)
            if index == len(plan) - 1:
                amount = left
            else:
                amount = (amount_per_year * Decimal(str(percent)) / 100).quantize(CENT, rounding=ROUND_HALF_UP)
            left -= amount
            result.append((datetime.date(calendar_year, month, day), amount))
    return result


def _next_number(year: int) -> str:
    prefix = f"{settings.ADMISSION_CONTRACT_PREFIX}-{year}-"
    numbers = Contract.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    last = max((int(n[len(prefix) :]) for n in numbers if n[len(prefix) :].isdigit()), default=0)
    return f"{prefix}{last + 1:04d}"


def contract_create(*, application: Application, printed_materials: bool, by: User) -> Contract:
    """The contract of an admitted applicant, its number the next of the campaign's year."""
    if application.status != Status.ADMITTED:
        raise ValidationError(_("A contract is made for an admitted applicant."))
    if Contract.objects.filter(application=application).exists():
        raise ValidationError(_("This applicant already has a contract."))
    offer = application.offer
    amount = offer.fee_per_year + (offer.printed_materials_fee if printed_materials else 0)
    first_year = offer.campaign.closes_on.year
    for _attempt in range(5):
        try:
            with transaction.atomic():
                contract = Contract.objects.create(
                    application=application,
                    number=_next_number(first_year),
                    amount_per_year=amount,
                    years=offer.years,
                    printed_materials=printed_materials,
                    created_by=by,
                )
                Installment.objects.bulk_create(
                    Installment(contract=contract, due_on=due_on, amount=part)
                    for due_on, part in schedule(amount_per_year=amount, years=offer.years, first_year=first_year)
                )
                return contract
        except IntegrityError:
            # Two offices numbered a contract at once: take the next number.
            if Contract.objects.filter(application=application).exists():
                raise ValidationError(_("This applicant already has a contract.")) from None
    raise ValidationError(_("The contract could not be numbered; try again."))


@transaction.atomic
def contract_sign(*, contract: Contract, signed_on: datetime.date, by: User) -> Contract:
    if signed_on > timezone.localdate():
        raise ValidationError(_("The signing date cannot be in the future."))
    contract.signed_on = signed_on
    contract.save(update_fields=["signed_on"])
    return contract


def contract_pdf(contract: Contract, language: str) -> bytes:
    """The contract from its template, in Kazakh or Russian."""
    from weasyprint import HTML

    if language not in CONTRACT_LANGUAGES:
        raise ValueError(language)
    application = contract.application
    with translation.override(language):
        html = render_to_string(
            "admissions/contract_pdf.html",
            {
                "contract": contract,
                "application": application,
                "applicant": application.applicant,
                "programme": application.offer.programme,
                "installments": list(contract.installments.all()),
                "total": contract.amount_per_year * contract.years,
                "UNIVERSITY_NAME": settings.UNIVERSITY_NAME,
                "language": language,
            },
        )
    return HTML(string=html).write_pdf()


# --- Payments and balances ---------------------------------------------------------------------------------


@dataclass
class Balance:
    total: Decimal
    due: Decimal
    paid: Decimal
    debt: Decimal
    overdue: list[tuple[Installment, Decimal]]
    next_due: Installment | None


def balance(contract: Contract, today: datetime.date | None = None) -> Balance:
    """Payments cover the installments oldest first; an installment past its date and not covered is overdue."""
    today = today or timezone.localdate()
    installments = list(contract.installments.all())
    paid = sum((p.amount for p in contract.payments.all()), Decimal(0))
    left = paid
    overdue = []
    next_due = None
    for installment in installments:
        covered = min(left, installment.amount)
        left -= covered
        unpaid = installment.amount - covered
        if unpaid and installment.due_on < today:
            overdue.append((installment, unpaid))
        elif unpaid and next_due is None:
            next_due = installment
    due = sum((i.amount for i in installments if i.due_on < today), Decimal(0))
    return Balance(
        total=sum((i.amount for i in installments), Decimal(0)),
        due=due,
        paid=paid,
        debt=max(due - paid, Decimal(0)),
        overdue=overdue,
        next_due=next_due,
    )


def with_balances(contracts: QuerySet[Contract], today: datetime.date | None = None) -> QuerySet[Contract]:
    """Contracts with `paid` and `due` (to date) summed in the same query, for the office's list."""
    today = today or timezone.localdate()
    money = DecimalField(max_digits=14, decimal_places=2)
    paid = Payment.objects.filter(contract=OuterRef("pk")).values("contract").annotate(s=Sum("amount")).values("s")
    due = (
        Installment.objects.filter(contract=OuterRef("pk"), due_on__lt=today)
        .values("contract")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    return contracts.annotate(
        paid=Coalesce(Subquery(paid, output_field=money), Value(Decimal(0)), output_field=money),
        due=Coalesce(Subquery(due, output_field=money), Value(Decimal(0)), output_field=money),
    )


class AmountError(ValueError):
    """Not a sum of money a payment can keep; ``str()`` is the translated reason, to be shown as it is."""


def parse_amount(text: str) -> Decimal:
    """ "150 000,50", "150000.50", "150,000.50" → Decimal; AmountError (a ValueError) otherwise: not a sum,
    not positive, or more than a payment's column keeps (40 digits would break every money page)."""
    text = text or ""
    not_money = AmountError(_("the amount “%(amount)s” is not a sum of money") % {"amount": text[:MAX_NUMBER_TEXT]})
    if len(text) > MAX_NUMBER_TEXT * 2:
        raise not_money
    cleaned = re.sub(r"[\s\u00a0₸]|KZT|тг\.?", "", text.strip(), flags=re.IGNORECASE)
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d{1,2})?", cleaned):
        cleaned = cleaned.replace(",", "")
    cleaned = cleaned.replace(",", ".")
    # ASCII digits only: \d would take other scripts' digits too.
    if not re.fullmatch(r"[0-9]+(\.[0-9]{1,2})?", cleaned):
        raise not_money
    amount = Decimal(cleaned)
    if amount <= 0:
        raise not_money
    try:
        return check_for_field(amount, Payment._meta.get_field("amount"))
    except ValidationError as error:
        raise AmountError(_("the amount %(amount)s is too large") % {"amount": cleaned[:MAX_NUMBER_TEXT]}) from error


def parse_date(text: str) -> datetime.date:
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise ValueError(text)


@transaction.atomic
def payment_record(*, contract: Contract, amount: Decimal, paid_on: datetime.date, reference: str, by: User) -> Payment:
    if amount <= 0:
        raise ValidationError(_("The amount must be above zero."))
    amount = check_for_field(amount, Payment._meta.get_field("amount"))
    if paid_on > timezone.localdate():
        raise ValidationError(_("The payment date cannot be in the future."))
    reference = reference.strip()
    if len(reference) > REFERENCE_LENGTH:
        raise ValidationError(
            _("The bank document number is longer than %(limit)s characters.") % {"limit": REFERENCE_LENGTH}
        )
    if reference and Payment.objects.filter(reference=reference).exists():
        raise ValidationError(_("A payment with this bank document number is already recorded."))
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                contract=contract, amount=amount, paid_on=paid_on, reference=reference, recorded_by=by
            )
    except IntegrityError:
        # The same bank document recorded at the same moment by another request.
        raise ValidationError(_("A payment with this bank document number is already recorded.")) from None
    audit_record(
        action=AuditAction.PAYMENT_RECORDED,
        actor=by,
        target=contract,
        details={"amount": str(amount), "paid_on": paid_on.isoformat(), "reference": reference},
    )
    return payment


# A statement's columns, by the names banks and people give them.
COLUMNS = {
    "date": ("date", "дата", "күні", "paid_on"),
    "contract": ("contract", "договор", "№ договора", "шарт", "contract number"),
    "amount": ("amount", "сумма", "сомасы", "сома"),
    "reference": ("reference", "номер документа", "№ документа", "құжат нөмірі", "document"),
}


def _chunks(values: list[str], size: int = 2000) -> list[list[str]]:
    """Lookups of a whole statement a query per 2,000 values (SQLite's bound on parameters), none per line."""
    return [values[start : start + size] for start in range(0, len(values), size)]


@dataclass
class StatementReport:
    recorded: list[Payment] = field(default_factory=list)
    already: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def statement_import(*, filename: str, content: bytes, by: User) -> StatementReport:
    """A bank statement (CSV or XLSX: date, contract, amount, reference). Every line is checked first; with any
    error nothing is recorded and each error is reported with its line. A bank document already recorded (the
    same statement imported again) is counted, not recorded twice."""
    report = StatementReport()
    try:
        rows = read_table(filename, content, ())
    except ImportFileError as error:
        report.errors.append((1, str(error)))
        return report
    if not rows:
        report.errors.append((1, _("The statement has no payment lines.")))
        return report
    header = set(rows[0])
    names = {}
    for column, aliases in COLUMNS.items():
        found = next((a for a in aliases if a in header), None)
        if found is None:
            report.errors.append((1, _("Missing column: %(column)s.") % {"column": column}))
        names[column] = found
    if report.errors:
        return report
    numbers = sorted({r[names["contract"]].strip() for r in rows})
    contracts = {c.number: c for chunk in _chunks(numbers) for c in Contract.objects.filter(number__in=chunk)}
    references = sorted({r[names["reference"]].strip() for r in rows})
    known = {
        reference
        for chunk in _chunks(references)
        for reference in Payment.objects.filter(reference__in=chunk).values_list("reference", flat=True)
    }
    today = timezone.localdate()
    prepared = []
    seen: set[str] = set()
    for offset, cells in enumerate(rows):
        line = offset + 2
        if not any(cells.values()):
            continue
        number = cells[names["contract"]].strip()
        reference = cells[names["reference"]].strip()
        problems = []
        contract = contracts.get(number)
        if contract is None:
            problems.append(_("unknown contract number “%(number)s”") % {"number": number})
        try:
            amount = parse_amount(cells[names["amount"]])
        except ValueError as error:
            problems.append(str(error))
        try:
            paid_on = parse_date(cells[names["date"]])
        except ValueError:
            problems.append(_("the date “%(date)s” is not a date") % {"date": cells[names["date"]]})
        else:
            if paid_on > today:
                problems.append(_("the date %(date)s is in the future") % {"date": cells[names["date"]]})
        if not reference:
            problems.append(_("no bank document number"))
        elif len(reference) > REFERENCE_LENGTH:
            problems.append(
                _("the bank document number is longer than %(limit)s characters") % {"limit": REFERENCE_LENGTH}
            )
        if problems:
            report.errors.append((line, "; ".join(problems)))
            continue
        if reference in known or reference in seen:
            report.already += 1
            continue
        seen.add(reference)
        prepared.append(
            Payment(
                contract=contract,
                amount=amount,
                paid_on=paid_on,
                reference=reference,
                source=PaymentSource.STATEMENT,
                recorded_by=by,
            )
        )
    if report.errors:
        return report
    for attempt in range(6):
        try:
            with transaction.atomic():
                report.recorded = Payment.objects.bulk_create(prepared)
                audit_record(
                    action=AuditAction.STATEMENT_IMPORTED,
                    actor=by,
                    target_repr=filename[:200],
                    details={"recorded": len(prepared), "already": report.already},
                )
            return report
        except IntegrityError:
            # The same statement imported at the same moment by another request recorded some of these
            # bank documents first: they are "already recorded", as when imported one after the other.
            recorded_meanwhile = set(
                Payment.objects.filter(reference__in=[p.reference for p in prepared]).values_list(
                    "reference", flat=True
                )
            )
            report.already += sum(1 for p in prepared if p.reference in recorded_meanwhile)
            prepared = [p for p in prepared if p.reference not in recorded_meanwhile]
        except OperationalError as error:
            # SQLite: another import holds the write lock longer than its busy timeout (or, in a shared-cache
            # database, at all): wait a moment and try again rather than answer 500.
            if "locked" not in str(error):
                raise
            time.sleep(0.05 * (attempt + 1))
    report.errors.append((1, _("The statement could not be recorded now; import it again.")))
    return report
