"""Every write of the contracts: a contract made (at admission, or by the office for a paying student who has
none), signed, withdrawn; a study year added or repriced by an addendum; discounts and refunds; payments by
hand or from a bank statement. Each in a transaction, the contract's row locked where two offices may race,
audited."""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ustaz.academics.models import Funding, Programme, StudentRecord
from ustaz.accounts.models import User
from ustaz.accounts.services import ImportFileError, read_table
from ustaz.core.models import AuditAction
from ustaz.core.numbers import check_decimal, check_for_field
from ustaz.core.services import audit_record

from .models import Contract, ContractYear, Discount, Installment, Payment, PaymentSource, Refund
from .money import CENT, parse_amount, parse_date, schedule

REFERENCE_LENGTH = Payment._meta.get_field("reference").max_length
MAX_YEARS = 8


def _next_number(year: int) -> str:
    prefix = f"{settings.ADMISSION_CONTRACT_PREFIX}-{year}-"
    numbers = Contract.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    last = max((int(n[len(prefix) :]) for n in numbers if n[len(prefix) :].isdigit()), default=0)
    return f"{prefix}{last + 1:04d}"


def _fee(value: Decimal, *, zero: bool = False) -> Decimal:
    fee = check_for_field(value, ContractYear._meta.get_field("fee"), minimum=0)
    if fee == 0 and not zero:
        raise ValidationError(_("The fee must be above zero."))
    return fee


def _not_future(day: datetime.date, message: str) -> None:
    if day > timezone.localdate():
        raise ValidationError(message)


def _schedule_year(year: ContractYear) -> None:
    """The year's installments anew: its fee less its discounts, split by the payment schedule."""
    discounts = year.discounts.aggregate(s=Sum("amount"))["s"] or Decimal(0)
    net = year.fee - discounts
    Installment.objects.filter(year=year).delete()
    Installment.objects.bulk_create(
        Installment(contract_id=year.contract_id, year=year, due_on=due_on, amount=part)
        for due_on, part in schedule(amount_per_year=net, years=1, first_year=year.academic_year)
    )


def contract_create(
    *,
    student: User,
    programme: Programme | None,
    first_year: int,
    years: int,
    fee: Decimal,
    by: User,
    study_year: int = 1,
    printed_materials: bool = False,
    iin: str = "",
    basis: str = "",
    address: str = "",
) -> Contract:
    """A contract of `years` academic years from `first_year` (the student's `study_year` in the first), each
    at `fee`, with its schedule; numbered the next of its first year."""
    fee = _fee(fee)
    if not 1 <= years <= MAX_YEARS:
        raise ValidationError(_("A contract runs from 1 to %(most)s years.") % {"most": MAX_YEARS})
    if not 1 <= study_year <= MAX_YEARS:
        raise ValidationError(_("The year of study must be from 1 to %(most)s.") % {"most": MAX_YEARS})
    if not 2000 <= first_year <= 2100:
        raise ValidationError(_("The first academic year is not a year."))
    for _attempt in range(5):
        try:
            with transaction.atomic():
                contract = Contract.objects.create(
                    student=student,
                    programme=programme,
                    number=_next_number(first_year),
                    amount_per_year=fee,
                    years=years,
                    first_year=first_year,
                    printed_materials=printed_materials,
                    iin=iin,
                    basis=basis,
                    address=address[:120],
                    created_by=by,
                )
                for offset in range(years):
                    year = ContractYear.objects.create(
                        contract=contract, academic_year=first_year + offset, study_year=study_year + offset, fee=fee
                    )
                    _schedule_year(year)
                audit_record(
                    action=AuditAction.CONTRACT_MADE,
                    actor=by,
                    target=contract,
                    details={"student": student.pk, "fee": str(fee), "years": years, "first_year": first_year},
                )
                return contract
        except IntegrityError:
            # Two offices numbered a contract at once: take the next number.
            continue
    raise ValidationError(_("The contract could not be numbered; try again."))


@transaction.atomic
def contract_for_record(*, record: StudentRecord, first_year: int, years: int, fee: Decimal, by: User) -> Contract:
    """The office's contract for a paying student who has none (imported, or enrolled by hand)."""
    record = StudentRecord.objects.select_for_update().select_related("student", "programme").get(pk=record.pk)
    if record.funding != Funding.PAID_CONTRACT:
        raise ValidationError(_("This student does not study on a paid contract."))
    if Contract.objects.filter(student_id=record.student_id).exists():
        raise ValidationError(_("This student already has a contract."))
    contract = contract_create(
        student=record.student,
        programme=record.programme,
        first_year=first_year,
        years=years,
        fee=fee,
        by=by,
        study_year=record.year_of_study,
        iin=record.student.iin or "",
        basis=record.dlt_basis,
        address=record.country_of_residence,
    )
    if not record.contract_number:
        StudentRecord.objects.filter(pk=record.pk).update(contract_number=contract.number)
    return contract


@transaction.atomic
def contract_sign(*, contract: Contract, signed_on: datetime.date, by: User) -> Contract:
    _not_future(signed_on, _("The signing date cannot be in the future."))
    contract.signed_on = signed_on
    contract.save(update_fields=["signed_on"])
    return contract


@transaction.atomic
def contract_withdraw(*, contract: Contract) -> None:
    """An unsigned contract without payments is withdrawn (the place declined); a signed or paid one must be
    settled first."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.signed_on or contract.payments.exists():
        raise ValidationError(_("The contract is signed or paid: it must be ended before the place is declined."))
    Discount.objects.filter(year__contract=contract).delete()
    contract.installments.all().delete()
    contract.study_years.all().delete()
    contract.delete()


def _locked(contract: Contract) -> Contract:
    return Contract.objects.select_for_update().get(pk=contract.pk)


@transaction.atomic
def addendum_record(
    *, contract: Contract, academic_year: int, fee: Decimal, number: str, signed_on: datetime.date, by: User
) -> ContractYear:
    """An addendum: a year's new fee, or the next academic year added with its fee; the year's schedule anew.
    One per study year."""
    contract = _locked(contract)
    fee = _fee(fee)
    number = number.strip()
    if not number:
        raise ValidationError(_("Give the addendum's number."))
    if len(number) > 40:
        raise ValidationError(_("The addendum's number is longer than 40 characters."))
    _not_future(signed_on, _("The addendum's date cannot be in the future."))
    if ContractYear.objects.filter(contract=contract, addendum_number=number).exists():
        raise ValidationError(_("This contract already has an addendum with this number."))
    years = list(contract.study_years.all())
    year = next((y for y in years if y.academic_year == academic_year), None)
    if year is None:
        last = years[-1] if years else None
        if last is None or academic_year != last.academic_year + 1:
            raise ValidationError(_("An addendum changes a year of the contract or adds the year after its last."))
        if len(years) >= MAX_YEARS:
            raise ValidationError(_("A contract runs from 1 to %(most)s years.") % {"most": MAX_YEARS})
        year = ContractYear(contract=contract, academic_year=academic_year, study_year=last.study_year + 1)
        contract.years = len(years) + 1
        contract.save(update_fields=["years"])
    elif year.addendum_number:
        # One addendum per study year: a second would hide the first (its number, date and PDF).
        raise ValidationError(_("This year already has addendum No. %(number)s.") % {"number": year.addendum_number})
    discounts = year.discounts.aggregate(s=Sum("amount"))["s"] if year.pk else None
    if discounts and discounts > fee:
        raise ValidationError(_("The year's discounts are larger than the new fee."))
    year.fee = fee
    year.addendum_number = number
    year.addendum_date = signed_on
    year.save()
    _schedule_year(year)
    audit_record(
        action=AuditAction.CONTRACT_ADDENDUM,
        actor=by,
        target=contract,
        details={"number": number, "academic_year": academic_year, "fee": str(fee)},
    )
    return year


@transaction.atomic
def discount_record(
    *,
    year: ContractYear,
    reason: str,
    order_number: str,
    order_date: datetime.date,
    by: User,
    percent: Decimal | None = None,
    amount: Decimal | None = None,
) -> Discount:
    """A discount on a year's fee, by percent or by amount (one of them), granted by an order; what is due
    that year is lowered (its installments anew). The year's discounts never exceed its fee."""
    _locked(year.contract)
    year = ContractYear.objects.get(pk=year.pk)
    if (percent is None) == (amount is None):
        raise ValidationError(_("Give the discount as a percent or as an amount, not both."))
    if percent is not None:
        percent = check_decimal(percent, max_digits=5, decimal_places=2, minimum=Decimal("0.01"), maximum=100)
        amount = (year.fee * percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    else:
        amount = check_for_field(amount, Discount._meta.get_field("amount"), minimum=Decimal("0.01"))
    reason, order_number = reason.strip(), order_number.strip()
    if not reason:
        raise ValidationError(_("Give the reason for the discount."))
    if not order_number:
        raise ValidationError(_("Give the number of the order that grants the discount."))
    if len(reason) > 300 or len(order_number) > 40:
        raise ValidationError(_("The reason or the order's number is too long."))
    _not_future(order_date, _("The order's date cannot be in the future."))
    given = year.discounts.aggregate(s=Sum("amount"))["s"] or Decimal(0)
    if given + amount > year.fee:
        raise ValidationError(_("The year's discounts would be larger than its fee."))
    discount = Discount.objects.create(
        year=year,
        percent=percent,
        amount=amount,
        reason=reason,
        order_number=order_number,
        order_date=order_date,
        recorded_by=by,
    )
    _schedule_year(year)
    audit_record(
        action=AuditAction.DISCOUNT_GRANTED,
        actor=by,
        target=year.contract,
        details={"academic_year": year.academic_year, "amount": str(amount), "order": order_number},
    )
    return discount


@transaction.atomic
def refund_record(*, contract: Contract, amount: Decimal, refunded_on: datetime.date, reason: str, by: User) -> Refund:
    """Money paid back: never more than is paid (less what was refunded before)."""
    contract = _locked(contract)
    amount = check_for_field(amount, Refund._meta.get_field("amount"), minimum=Decimal("0.01"))
    _not_future(refunded_on, _("The refund date cannot be in the future."))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for the refund."))
    if len(reason) > 300:
        raise ValidationError(_("The reason is longer than 300 characters."))
    paid = contract.payments.aggregate(s=Sum("amount"))["s"] or Decimal(0)
    refunded = contract.refunds.aggregate(s=Sum("amount"))["s"] or Decimal(0)
    if amount > paid - refunded:
        raise ValidationError(
            _("A refund cannot exceed what is paid: %(left)s tenge.") % {"left": f"{paid - refunded:.2f}"}
        )
    refund = Refund.objects.create(
        contract=contract, amount=amount, refunded_on=refunded_on, reason=reason, recorded_by=by
    )
    audit_record(
        action=AuditAction.REFUND_RECORDED,
        actor=by,
        target=contract,
        details={"amount": str(amount), "refunded_on": refunded_on.isoformat(), "reason": reason},
    )
    return refund


@transaction.atomic
def payment_record(*, contract: Contract, amount: Decimal, paid_on: datetime.date, reference: str, by: User) -> Payment:
    if amount <= 0:
        raise ValidationError(_("The amount must be above zero."))
    amount = check_for_field(amount, Payment._meta.get_field("amount"))
    _not_future(paid_on, _("The payment date cannot be in the future."))
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
