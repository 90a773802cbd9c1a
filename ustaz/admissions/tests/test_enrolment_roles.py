"""Enrolment issues the applicant's account a new login and one-time password: the office may do it only to an
account it could manage (accounts.access), never to one that also holds a staff role."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from testkit.factories import PASSWORD, StudyGroupFactory
from ustaz.accounts.models import User
from ustaz.admissions import contracts, enrolment
from ustaz.admissions.tests.test_contracts import admitted  # noqa: F401 - the fixture of an admitted applicant
from ustaz.contracts import services as contract_services


def test_the_office_does_not_enrol_an_account_that_holds_a_staff_role(admitted, office):  # noqa: F811
    group = StudyGroupFactory(programme=admitted.offer.programme, admission_year=2026)
    contract = contracts.contract_create(application=admitted, printed_materials=False, by=office)
    contract_services.contract_sign(contract=contract, signed_on=timezone.localdate(), by=office)
    User.objects.filter(pk=admitted.applicant_id).update(roles=",ict_support,applicant,")
    with pytest.raises(ValidationError, match="administrator"):
        enrolment.enrol(application=admitted, group=group, delivery="network", by=office)
    person = User.objects.get(pk=admitted.applicant_id)
    assert person.check_password(PASSWORD) and person.role_set == {"ict_support", "applicant"}
    administrator = User.objects.create(username="root-admin", roles=",admin,")
    credential = enrolment.enrol(application=admitted, group=group, delivery="network", by=administrator)
    assert User.objects.get(pk=admitted.applicant_id).role_set == {"ict_support", "student"}
    assert credential.user.must_change_password
