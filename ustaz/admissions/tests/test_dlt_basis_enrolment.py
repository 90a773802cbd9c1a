"""Admission's enrolment asks the DLT basis rule (ustaz.academics.bases): an applicant whose basis does not
fit the programme's level is not enrolled, and nothing is created."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from testkit.factories import StudyGroupFactory
from ustaz.academics.models import DltBasis, StudentRecord
from ustaz.admissions import contracts, enrolment
from ustaz.admissions.models import Application, Status
from ustaz.admissions.tests.test_contracts import admitted  # noqa: F401 - the fixture
from ustaz.contracts import services as contract_services


@pytest.mark.parametrize("basis", [DltBasis.WORKING_ADULT, DltBasis.RESTRICTIONS])
def test_an_applicant_whose_basis_does_not_fit_the_level_is_not_enrolled(admitted, office, basis):  # noqa: F811
    Application.objects.filter(pk=admitted.pk).update(basis=basis)
    group = StudyGroupFactory(programme=admitted.offer.programme)
    contract = contracts.contract_create(application=admitted, printed_materials=False, by=office)
    contract_services.contract_sign(contract=contract, signed_on=timezone.localdate(), by=office)
    with pytest.raises(ValidationError, match="basis"):
        enrolment.enrol(application=admitted, group=group, delivery="network", by=office)
    assert not StudentRecord.objects.exists()
    admitted.refresh_from_db()
    assert admitted.status == Status.ADMITTED
    Application.objects.filter(pk=admitted.pk).update(basis=DltBasis.MILITARY_SERVICE)
    enrolment.enrol(application=admitted, group=group, delivery="network", by=office)
    assert StudentRecord.objects.get().dlt_basis == DltBasis.MILITARY_SERVICE
