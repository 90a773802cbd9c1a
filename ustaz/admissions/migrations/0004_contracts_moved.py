"""Contracts, installments and payments move to ustaz.contracts (issue 22): each admission contract is copied
with its primary key, its student (the applicant's account, which becomes the student's at enrolment), its
programme, first year (the campaign's year) and one year per study year at its fee; its installments (each
to the year it falls in) and payments with their keys and times; the application keeps the link; audit
events that named an admission contract name the moved one. Then the old tables go."""

import django.db.models.deletion
from django.core.management.color import no_style
from django.db import migrations, models


def _academic_year(day):
    return day.year if day.month >= 9 else day.year - 1


def _keep_times(*models_and_fields):
    # auto_now_add would stamp the copies with the migration's time: the originals' times are kept.
    for model, name in models_and_fields:
        model._meta.get_field(name).auto_now_add = False


def forward(apps, schema_editor):
    Application = apps.get_model("admissions", "Application")
    OldContract = apps.get_model("admissions", "Contract")
    OldInstallment = apps.get_model("admissions", "Installment")
    OldPayment = apps.get_model("admissions", "Payment")
    Contract = apps.get_model("contracts", "Contract")
    ContractYear = apps.get_model("contracts", "ContractYear")
    Installment = apps.get_model("contracts", "Installment")
    Payment = apps.get_model("contracts", "Payment")
    AuditEvent = apps.get_model("core", "AuditEvent")
    _keep_times((Contract, "created_at"), (Payment, "recorded_at"))
    db = schema_editor.connection.alias
    years_of = {}
    contracts = []
    years = []
    for old in OldContract.objects.using(db).select_related("application__offer__campaign").order_by("pk"):
        application = old.application
        first_year = application.offer.campaign.closes_on.year
        contracts.append(
            Contract(
                pk=old.pk,
                student_id=application.applicant_id,
                programme_id=application.offer.programme_id,
                number=old.number,
                amount_per_year=old.amount_per_year,
                years=old.years,
                first_year=first_year,
                printed_materials=old.printed_materials,
                iin=application.iin,
                basis=application.basis,
                address=", ".join(part for part in (application.country, application.city) if part)[:120],
                created_at=old.created_at,
                created_by_id=old.created_by_id,
                signed_on=old.signed_on,
            )
        )
        for offset in range(max(old.years, 1)):
            years.append(
                ContractYear(
                    contract_id=old.pk,
                    academic_year=first_year + offset,
                    study_year=1 + offset,
                    fee=old.amount_per_year,
                )
            )
    Contract.objects.using(db).bulk_create(contracts, batch_size=500)
    ContractYear.objects.using(db).bulk_create(years, batch_size=500)
    for year in ContractYear.objects.using(db).all():
        years_of.setdefault(year.contract_id, {})[year.academic_year] = year.pk
    installments = []
    for old in OldInstallment.objects.using(db).order_by("pk"):
        mine = years_of[old.contract_id]
        wanted = _academic_year(old.due_on)
        year_id = mine.get(wanted) or mine[min(mine, key=lambda y: abs(y - wanted))]
        installments.append(
            Installment(pk=old.pk, contract_id=old.contract_id, year_id=year_id, due_on=old.due_on, amount=old.amount)
        )
    Installment.objects.using(db).bulk_create(installments, batch_size=500)
    Payment.objects.using(db).bulk_create(
        (
            Payment(
                pk=old.pk,
                contract_id=old.contract_id,
                amount=old.amount,
                paid_on=old.paid_on,
                reference=old.reference,
                source=old.source,
                recorded_by_id=old.recorded_by_id,
                recorded_at=old.recorded_at,
            )
            for old in OldPayment.objects.using(db).order_by("pk")
        ),
        batch_size=500,
    )
    for contract_id, application_id in OldContract.objects.using(db).values_list("pk", "application_id"):
        Application.objects.using(db).filter(pk=application_id).update(contract_id=contract_id)
    AuditEvent.objects.using(db).filter(target_type="admissions.contract").update(target_type="contracts.contract")
    _reset_sequences(schema_editor, [Contract, Installment, Payment])


def backward(apps, schema_editor):
    """Back to admission's tables: the contracts made at admission (others have no application to belong to)."""
    Application = apps.get_model("admissions", "Application")
    OldContract = apps.get_model("admissions", "Contract")
    OldInstallment = apps.get_model("admissions", "Installment")
    OldPayment = apps.get_model("admissions", "Payment")
    Contract = apps.get_model("contracts", "Contract")
    Installment = apps.get_model("contracts", "Installment")
    Payment = apps.get_model("contracts", "Payment")
    AuditEvent = apps.get_model("core", "AuditEvent")
    _keep_times((OldContract, "created_at"), (OldPayment, "recorded_at"))
    db = schema_editor.connection.alias
    links = dict(
        Application.objects.using(db).filter(contract__isnull=False).values_list("contract_id", "pk")
    )
    OldContract.objects.using(db).bulk_create(
        OldContract(
            pk=c.pk,
            application_id=links[c.pk],
            number=c.number,
            amount_per_year=c.amount_per_year,
            years=c.years,
            printed_materials=c.printed_materials,
            created_at=c.created_at,
            created_by_id=c.created_by_id,
            signed_on=c.signed_on,
        )
        for c in Contract.objects.using(db).filter(pk__in=list(links))
    )
    OldInstallment.objects.using(db).bulk_create(
        OldInstallment(pk=i.pk, contract_id=i.contract_id, due_on=i.due_on, amount=i.amount)
        for i in Installment.objects.using(db).filter(contract_id__in=list(links))
    )
    OldPayment.objects.using(db).bulk_create(
        OldPayment(
            pk=p.pk,
            contract_id=p.contract_id,
            amount=p.amount,
            paid_on=p.paid_on,
            reference=p.reference,
            source=p.source,
            recorded_by_id=p.recorded_by_id,
            recorded_at=p.recorded_at,
        )
        for p in Payment.objects.using(db).filter(contract_id__in=list(links))
    )
    AuditEvent.objects.using(db).filter(target_type="contracts.contract", target_id__in=[str(k) for k in links]).update(
        target_type="admissions.contract"
    )
    _reset_sequences(schema_editor, [OldContract, OldInstallment, OldPayment])


def _reset_sequences(schema_editor, models_):
    # Rows copied with their keys: PostgreSQL's sequences must start after them (SQLite needs nothing).
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models_):
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("admissions", "0003_declined"),
        ("contracts", "0001_contracts_years_refunds_discounts"),
        ("core", "0012_contracts_audit"),
    ]

    operations = [
        # The old contract's reverse name ("contract") would clash with the new field on the application.
        migrations.AlterField(
            model_name="contract",
            name="application",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="admissions.application"
            ),
        ),
        migrations.AddField(
            model_name="application",
            name="contract",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="application",
                to="contracts.contract",
                verbose_name="contract",
            ),
        ),
        migrations.RunPython(forward, backward),
        migrations.RemoveField(model_name="payment", name="contract"),
        migrations.RemoveField(model_name="installment", name="contract"),
        migrations.RemoveField(model_name="payment", name="recorded_by"),
        migrations.DeleteModel(name="Contract"),
        migrations.DeleteModel(name="Installment"),
        migrations.DeleteModel(name="Payment"),
    ]
