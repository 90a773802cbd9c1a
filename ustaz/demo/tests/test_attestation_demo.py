from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from ustaz.attestation import selectors
from ustaz.attestation.models import Commission, CommissionMember, StudentAttestation
from ustaz.demo.management.commands.load_demo import DEMO_PASSWORD


def test_the_demo_has_a_graduating_groups_commission_with_an_external_chair(db):
    call_command("load_demo")
    counts = (Commission.objects.count(), CommissionMember.objects.count(), StudentAttestation.objects.count())
    call_command("load_demo")  # a second run adds nothing
    assert (Commission.objects.count(), CommissionMember.objects.count(), StudentAttestation.objects.count()) == counts

    chair = CommissionMember.objects.select_related("commission", "person").get(person__username="demo-chair")
    commission = chair.commission
    assert (chair.role, chair.is_external) == ("chair", True)
    assert chair.person.role_set == {"attestation_commission"}
    assert selectors.order_warning(commission) is None
    assert commission.members.filter(person__username="demo-teacher", role="member").exists()
    assert commission.members.filter(role="secretary").count() == 1
    attestations = list(StudentAttestation.objects.filter(commission=commission))
    assert len(attestations) == 3
    assert sum(1 for a in attestations if a.form == "thesis" and a.topic and a.supervisor_id and a.reviewer_name) == 2
    # The other programme's commission has no order yet: the office is warned.
    assert [c for c in Commission.objects.exclude(pk=commission.pk) if selectors.order_warning(c)]

    client = Client()
    assert client.post("/accounts/login/", {"login": "demo-chair", "password": DEMO_PASSWORD}).status_code == 302
    assert client.get(reverse("attestation:commission", args=[commission.pk])).status_code == 200
    assert client.get(reverse("attestation:mine")).status_code == 200
    other = Commission.objects.exclude(pk=commission.pk).first()
    assert client.get(reverse("attestation:commission", args=[other.pk])).status_code == 404
    office = Client()
    office.post("/accounts/login/", {"login": "demo-office", "password": DEMO_PASSWORD})
    assert office.get(reverse("attestation:admission", args=[commission.pk])).status_code == 200
