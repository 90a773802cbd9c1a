"""The contract of an admitted applicant (§3.4), made by ustaz.contracts with the offer's fee (and printed
materials, §2.5) for the programme's years from the campaign's year, and linked to the application."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ustaz.accounts.models import User
from ustaz.contracts import services as contract_services
from ustaz.contracts.models import Contract

from .models import Application, Status


@transaction.atomic
def contract_create(*, application: Application, printed_materials: bool, by: User) -> Contract:
    """The contract of an admitted applicant, its number the next of the campaign's year."""
    application = (
        Application.objects.select_for_update()
        .select_related("applicant", "offer__campaign", "offer__programme")
        .get(pk=application.pk)
    )
    if application.status != Status.ADMITTED:
        raise ValidationError(_("A contract is made for an admitted applicant."))
    if application.contract_id is not None:
        raise ValidationError(_("This applicant already has a contract."))
    offer = application.offer
    contract = contract_services.contract_create(
        student=application.applicant,
        programme=offer.programme,
        first_year=offer.campaign.closes_on.year,
        years=offer.years,
        fee=offer.fee_per_year + (offer.printed_materials_fee if printed_materials else 0),
        by=by,
        printed_materials=printed_materials,
        iin=application.iin,
        basis=application.basis,
        address=", ".join(part for part in (application.country, application.city) if part),
    )
    application.contract = contract
    application.save(update_fields=["contract"])
    return contract
