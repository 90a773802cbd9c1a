"""Two commissions, two roles (security review, finding 11): the admission commission reads only the submitted
applications of its own campaigns, never a draft and never a student's grade appeal; the appeal commission
decides grade appeals and reads no application. The data migration that split the old role is tested here
too, where both the campaigns and the appeals it reads may be imported."""

from __future__ import annotations

import datetime
import importlib
import io
from decimal import Decimal

import openpyxl
import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from testkit import admission as kit
from testkit.factories import ProgrammeFactory, UserFactory
from ustaz.accounts.iin import make_iin
from ustaz.accounts.models import User
from ustaz.admissions import access, exams, services
from ustaz.admissions.models import Campaign, Offer
from ustaz.grades import services as grades_services
from ustaz.grades.models import Appeal, AppealStatus, GradeSource
from ustaz.notifications.models import Notification

split = importlib.import_module("ustaz.accounts.migrations.0003_split_commission_role")


@pytest.fixture
def admission_member(db):
    return UserFactory(roles=",admission_commission,", language="en")


@pytest.fixture
def appeal_member(student, course):
    """A member of the appeal commission of the student's programme and the course's term (decision 0019)."""
    from testkit.appeals import appeal_member_for

    return appeal_member_for(student, course)


@pytest.fixture
def offer(db, admission_member):
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        title="Қабылдау", opens_on=today - datetime.timedelta(days=10), closes_on=today + datetime.timedelta(days=10)
    )
    campaign.commission.add(admission_member)
    return Offer.objects.create(campaign=campaign, programme=ProgrammeFactory(), places=5, fee_per_year=1_000_000)


@pytest.fixture
def appeal(course, student, teacher):
    exam = grades_services.default_items_create(course=course)[-1]
    grades_services.grade_post(
        item=exam, student=student, points=Decimal(40), posted_by=teacher, source=GradeSource.JOURNAL
    )
    return grades_services.appeal_file(item=exam, student=student, grounds="Екінші сұрақ дұрыс бағаланбады.")


def _draft(offer, serial: int = 41):
    applicant = UserFactory(roles=",applicant,", iin="")
    application = services.application_draft(
        applicant=applicant,
        offer=offer,
        basis="higher_blended",
        justification="Алыста тұрамын.",
        iin=make_iin(datetime.date(2007, 3, 3), female=True, serial=serial),
    )
    services.document_add(
        application=application, kind="identity", upload=SimpleUploadedFile("id.pdf", kit.PDF), by=applicant
    )
    return application


def test_an_admission_commission_member_has_no_say_in_grade_appeals(as_user, offer, admission_member, appeal):
    client = as_user(admission_member)
    assert client.get(reverse("grades:appeals")).status_code == 403
    assert client.get(reverse("grades:appeal_decide", args=[appeal.pk])).status_code == 403
    decided = client.post(reverse("grades:appeal_decide", args=[appeal.pk]), {"granted": "0", "decision": "Жоқ."})
    assert decided.status_code == 403
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.PENDING and appeal.decided_by is None
    # Nor is the member told of it, nor offered the page in the menu.
    assert not Notification.objects.filter(user=admission_member).exists()
    assert reverse("grades:appeals") not in client.get(reverse("admissions:home")).content.decode()


def test_the_appeal_commission_decides_appeals_and_reads_no_application(as_user, offer, appeal_member, appeal, office):
    application = kit.checked_application(offer, by=office)
    client = as_user(appeal_member)
    assert Notification.objects.filter(user=appeal_member).count() == 1  # told of the appeal
    assert client.get(reverse("grades:appeals")).status_code == 200
    assert client.get(reverse("grades:appeal_decide", args=[appeal.pk])).status_code == 200
    response = client.post(
        reverse("grades:appeal_decide", args=[appeal.pk]), {"granted": "0", "decision": "Баға өзгеріссіз."}
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.REJECTED and appeal.decided_by == appeal_member
    # No admission queue, application, document, campaign or report for them.
    for url in (
        reverse("admissions:queue"),
        reverse("admissions:review", args=[application.pk]),
        reverse("admissions:document", args=[application.documents.first().pk]),
        reverse("admissions:campaign", args=[offer.campaign_id]),
        reverse("admissions:report"),
    ):
        assert client.get(url).status_code == 404, url
    assert reverse("admissions:queue") not in client.get(reverse("grades:appeals")).content.decode()


def test_a_draft_is_hidden_from_the_admission_commission_on_every_page(as_user, offer, admission_member, office):
    draft = _draft(offer)
    document = draft.documents.get()
    submitted = kit.checked_application(offer, by=office)
    client = as_user(admission_member)
    # The draft, its documents and its place in the person's file: 404 and nothing.
    assert client.get(reverse("admissions:review", args=[draft.pk])).status_code == 404
    assert client.get(reverse("admissions:document", args=[document.pk])).status_code == 404
    returned = client.post(reverse("admissions:review", args=[draft.pk]), {"action": "returned", "reason": "x"})
    assert returned.status_code == 404
    # The submitted one of the same campaign is theirs to read.
    assert client.get(reverse("admissions:review", args=[submitted.pk])).status_code == 200
    # The campaign page and the report count submitted applications only; the office counts the draft too.
    campaign_url = reverse("admissions:campaign", args=[offer.campaign_id])
    assert [o.total for o in client.get(campaign_url).context["offers"]] == [1]
    assert [o.total for o in as_user(office).get(campaign_url).context["offers"]] == [2]
    report = reverse("admissions:report")
    by_status = dict((line.label, line.count) for line in dict(client.get(report).context["tables"])["By status"])
    assert by_status == {"documents checked": 1}
    book = openpyxl.load_workbook(io.BytesIO(client.get(report, {"format": "xlsx"}).content))
    applied = {row[0]: row[1] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)}["applied"]
    assert applied == 1
    office_tables = dict(as_user(office).get(report, {"campaign": offer.campaign_id}).context["tables"])
    assert {line.label: line.count for line in office_tables["By status"]} == {"draft": 1, "documents checked": 1}


def test_a_seat_on_the_commission_without_the_role_reads_nothing(as_user, offer, office):
    seated = UserFactory(roles=",teacher,")
    offer.campaign.commission.add(seated)
    application = kit.checked_application(offer, by=office)
    exam = kit.exam(offer, format="online")
    client = as_user(seated)
    assert client.get(reverse("admissions:review", args=[application.pk])).status_code == 404
    assert client.get(reverse("admissions:exam", args=[exam.pk])).status_code == 404
    assert client.post(reverse("admissions:exam_join", args=[exam.pk])).status_code == 404  # not as a moderator
    assert not exams.can_score(seated, exam) and not access.can_check(seated, application)


def test_the_migration_splits_the_commission_role_by_what_each_holder_did(offer, appeal, office):
    seated = UserFactory(roles=",commission_member,")
    decided = UserFactory(roles=",teacher,commission_member,")
    both = UserFactory(roles=",commission_member,")
    neither = UserFactory(roles=",commission_member,rector,")
    seated_without_role = UserFactory(roles=",teacher,")
    offer.campaign.commission.add(seated, both, seated_without_role)
    Appeal.objects.filter(pk=appeal.pk).update(decided_by=decided, status=AppealStatus.REJECTED)
    exam = appeal.item
    other_student = UserFactory(roles=",student,")
    Appeal.objects.create(
        item=exam, student=other_student, points_appealed=Decimal(30), grounds="x", decided_by=both, status="granted"
    )

    split.split_commission_role(apps, None)

    def roles(user):
        return User.objects.get(pk=user.pk).roles

    assert roles(seated) == ",admission_commission,"
    assert roles(decided) == ",teacher,appeal_commission,"
    assert roles(both) == ",admission_commission,appeal_commission,"
    assert roles(neither) == ",appeal_commission,rector,"
    assert roles(seated_without_role) == ",teacher,"
    assert roles(office) == ",academic_office,"

    split.join_commission_roles(apps, None)

    assert roles(seated) == ",commission_member,"
    assert roles(decided) == ",teacher,commission_member,"
    assert roles(both) == ",commission_member,"
    assert roles(neither) == ",commission_member,rector,"
    assert roles(seated_without_role) == ",teacher,"
