"""Commissions: the external chair, members and secretary, the order's warning, external accounts limited to
their commission, conflicts of interest and the quorum, the students' forms; who may do what."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from testkit.factories import ProgrammeFactory, UserFactory
from ustaz.accounts import services as account_services
from ustaz.accounts.models import Role, User
from ustaz.attestation import selectors, services
from ustaz.attestation.models import CommissionMember, Conflict, MemberRole, StudentAttestation
from ustaz.core.models import AuditAction, AuditEvent
from ustaz.curricula.models import AttestationForm

from .conftest import YEAR, graduate


def member(school, role=MemberRole.MEMBER, external=False, name="Member"):
    person = UserFactory(roles=f",{Role.TEACHER},", first_name=name)
    return services.member_add(
        commission=school.commission, person=person, role=role, is_external=external, actor=school.office
    )


# --- Composition ---------------------------------------------------------------------------------------
def test_the_chair_comes_from_outside_the_university(school, external):
    with pytest.raises(ValidationError):
        services.member_add(
            commission=school.commission,
            person=school.teacher,
            role=MemberRole.CHAIR,
            is_external=False,
            actor=school.office,
        )
    chair = services.member_add(
        commission=school.commission, person=external, role=MemberRole.CHAIR, is_external=True, actor=school.office
    )
    assert chair.role == MemberRole.CHAIR
    assert AuditEvent.objects.filter(action=AuditAction.ATTESTATION_MEMBER_ADDED, actor=school.office).count() == 1


def test_one_chair_one_secretary_and_nobody_twice(school, external):
    services.member_add(
        commission=school.commission, person=external, role=MemberRole.CHAIR, is_external=True, actor=school.office
    )
    other = UserFactory(roles=f",{Role.ATTESTATION_COMMISSION},")
    with pytest.raises(ValidationError):
        services.member_add(
            commission=school.commission, person=other, role=MemberRole.CHAIR, is_external=True, actor=school.office
        )
    with pytest.raises(ValidationError):
        services.member_add(
            commission=school.commission,
            person=external,
            role=MemberRole.MEMBER,
            is_external=True,
            actor=school.office,
        )
    member(school, MemberRole.SECRETARY, name="Secretary")
    with pytest.raises(ValidationError):
        member(school, MemberRole.SECRETARY, name="Second")


def test_a_student_cannot_sit_on_a_commission(school):
    student = graduate(school)
    with pytest.raises(ValidationError):
        services.member_add(
            commission=school.commission,
            person=student,
            role=MemberRole.MEMBER,
            is_external=False,
            actor=school.office,
        )


def test_one_commission_per_programme_and_year(school, as_user):
    response = as_user(school.office).post(
        reverse("attestation:commissions"), {"programme": school.programme.pk, "academic_year": YEAR}
    )
    assert response.status_code == 400
    response = as_user(school.office).post(
        reverse("attestation:commissions"), {"programme": ProgrammeFactory().pk, "academic_year": YEAR}
    )
    assert response.status_code == 302


# --- The order ---------------------------------------------------------------------------------------
def test_the_office_is_warned_when_the_order_is_missing_or_late(school, as_user):
    client = as_user(school.office)
    page = reverse("attestation:commission", args=[school.commission.pk])
    with translation.override("en"):
        response = client.get(page, HTTP_ACCEPT_LANGUAGE="en")
    assert "is not recorded" in response.context["warning"]
    sitting = datetime.date(2026, 6, 15)
    response = client.post(page, {"first_sitting_on": "2026-06-15", "order_number": "45-Ж", "order_date": "2026-06-01"})
    assert response.status_code == 302
    school.commission.refresh_from_db()
    assert school.commission.order_number == "45-Ж" and school.commission.first_sitting_on == sitting
    with translation.override("en"):
        assert "less than 30 days" in selectors.order_warning(school.commission)
        listing = client.get(reverse("attestation:commissions"))
    assert listing.context["commissions"][0].warning
    assert "45-Ж" in listing.content.decode()
    client.post(page, {"first_sitting_on": "2026-06-15", "order_number": "45-Ж", "order_date": "2026-05-16"})
    school.commission.refresh_from_db()
    assert selectors.order_warning(school.commission) is None
    assert AuditEvent.objects.filter(action=AuditAction.ATTESTATION_COMMISSION_SAVED).count() == 3


@override_settings(ATTESTATION_ORDER_DAYS_BEFORE=60)
def test_the_month_is_a_setting(school):
    school.commission.order_number = "1"
    school.commission.order_date = datetime.date(2026, 4, 1)
    school.commission.first_sitting_on = datetime.date(2026, 5, 15)
    assert selectors.order_warning(school.commission) is not None


def test_a_bad_date_is_refused_with_a_message_and_nothing_saved(school, as_user):
    page = reverse("attestation:commission", args=[school.commission.pk])
    response = as_user(school.office).post(page, {"order_number": "7", "order_date": "not a date"})
    assert response.status_code == 400
    assert response.context["order_form"].errors["order_date"]
    school.commission.refresh_from_db()
    assert school.commission.order_number == ""


# --- External members: an account through the accounts service, limited to their commission ----------
EXTERNAL = {
    "last_name": "Сейітова",
    "first_name": "Гүлнар",
    "iin": "",
    "citizenship": "RU",
    "email": "chair@example.org",
    "language": "ru",
    "role": "chair",
    "position": "Профессор, Ресей музыка академиясы",
}


def test_the_office_issues_an_external_chair_an_account_with_only_the_commissions_role(school, as_user):
    client = as_user(school.office)
    response = client.post(reverse("attestation:member_issue", args=[school.commission.pk]), EXTERNAL)
    assert response.status_code == 302
    assert response.url == reverse("accounts:issued")
    chair = CommissionMember.objects.get(commission=school.commission)
    person = chair.person
    assert (chair.role, chair.is_external) == (MemberRole.CHAIR, True)
    assert person.role_set == {Role.ATTESTATION_COMMISSION}
    assert person.must_change_password
    assert AuditEvent.objects.filter(action=AuditAction.ACCOUNT_ISSUED, target_id=str(person.pk)).exists()
    # The one-time password waits for the office's slip, as for any issued account.
    issued = client.get(reverse("accounts:issued"))
    assert person.username in issued.content.decode()


def test_a_refused_chair_issues_no_account(school, as_user):
    before = User.objects.count()
    data = {**EXTERNAL, "last_name": ""}
    response = as_user(school.office).post(reverse("attestation:member_issue", args=[school.commission.pk]), data)
    assert response.status_code == 400
    assert User.objects.count() == before
    assert not CommissionMember.objects.exists()


def test_only_an_account_manager_grants_the_commissions_role(school):
    teacher = school.teacher
    with pytest.raises(PermissionDenied):
        services.external_member_issue(
            commission=school.commission,
            data=account_services.AccountData(last_name="X", first_name="Y", citizenship="RU"),
            role=MemberRole.MEMBER,
            position="",
            actor=teacher,
        )
    assert not CommissionMember.objects.exists()


def test_an_external_member_sees_their_commission_only(school, external, as_user):
    services.member_add(
        commission=school.commission, person=external, role=MemberRole.CHAIR, is_external=True, actor=school.office
    )
    other = services.commission_create(programme=ProgrammeFactory(), academic_year=YEAR, actor=school.office)
    client = as_user(external)
    assert client.get(reverse("attestation:commission", args=[school.commission.pk])).status_code == 200
    assert client.get(reverse("attestation:commission", args=[other.pk])).status_code == 404
    mine = client.get(reverse("attestation:mine"))
    assert [c.pk for c in mine.context["commissions"]] == [school.commission.pk]
    for name in ("attestation:commissions",):
        assert client.get(reverse(name)).status_code == 403
    for name in ("attestation:admission", "attestation:member_issue"):
        assert client.get(reverse(name, args=[school.commission.pk])).status_code == 403
    assert client.get(reverse("curricula:list")).status_code == 403
    assert client.get(reverse("accounts:people")).status_code == 403


# --- Conflicts of interest and the quorum --------------------------------------------------------------
def test_a_member_steps_aside_and_the_quorum_counts_without_them(school, as_user):
    members = [member(school, name=f"M{n}") for n in range(5)]
    student = graduate(school)
    other_student = graduate(school, "Other")
    present = {m.pk for m in members[:4]}  # 4 of 5: the quorum
    assert selectors.quorum_for(school.commission, present_member_ids=present, student=student)
    response = as_user(members[0].person).post(
        reverse("attestation:conflict", args=[school.commission.pk]),
        {"student": student.pk, "reason": "Мой племянник"},
    )
    assert response.status_code == 302
    conflict = Conflict.objects.get()
    assert (conflict.member, conflict.student, conflict.reason) == (members[0], student, "Мой племянник")
    assert AuditEvent.objects.filter(action=AuditAction.ATTESTATION_CONFLICT_DECLARED, actor=members[0].person).exists()
    # Stepped aside for this student: three left of five, not enough; for another student, still four.
    assert not selectors.quorum_for(school.commission, present_member_ids=present, student=student)
    assert selectors.quorum_for(school.commission, present_member_ids=present, student=other_student)
    present.add(members[4].pk)
    assert selectors.quorum_for(school.commission, present_member_ids=present, student=student)


def test_the_secretary_does_not_count_for_the_quorum(school):
    voters = [member(school, name=f"M{n}") for n in range(3)]
    secretary = member(school, MemberRole.SECRETARY, name="Secretary")
    student = graduate(school)
    assert not selectors.quorum_for(school.commission, present_member_ids={voters[0].pk, secretary.pk}, student=student)
    assert selectors.quorum_for(school.commission, present_member_ids={voters[0].pk, voters[1].pk}, student=student)


def test_a_conflict_needs_a_reason_a_student_of_the_commission_and_is_declared_once(school, as_user):
    voter = member(school)
    student = graduate(school)
    client = as_user(voter.person)
    url = reverse("attestation:conflict", args=[school.commission.pk])
    assert client.post(url, {"student": student.pk, "reason": "  "}).status_code == 400
    stranger = UserFactory(roles=",student,")
    assert client.post(url, {"student": stranger.pk, "reason": "x"}).status_code == 400
    assert client.post(url, {"student": student.pk, "reason": "Сосед"}).status_code == 302
    assert client.post(url, {"student": student.pk, "reason": "Сосед"}).status_code == 400
    assert Conflict.objects.count() == 1


def test_only_voting_members_declare_conflicts(school, as_user):
    secretary = member(school, MemberRole.SECRETARY)
    student = graduate(school)
    url = reverse("attestation:conflict", args=[school.commission.pk])
    assert as_user(secretary.person).post(url, {"student": student.pk, "reason": "x"}).status_code == 403
    assert as_user(school.office).post(url, {"student": student.pk, "reason": "x"}).status_code == 403
    assert as_user(UserFactory(roles=",teacher,")).post(url, {"student": student.pk, "reason": "x"}).status_code == 404
    assert not Conflict.objects.exists()


# --- A student's attestation: form, topic, supervisor, reviewer -----------------------------------------
def test_the_office_records_a_students_thesis(school, as_user):
    student = graduate(school)
    reviewer = UserFactory(roles=",teacher,", first_name="Reviewer")
    url = reverse("attestation:student", args=[school.commission.pk, student.pk])
    client = as_user(school.office)
    page = client.get(url)
    assert [v for v, _l in page.context["form"].fields["form"].choices] == ["thesis", "comprehensive_exam"]
    response = client.post(
        url,
        {
            "form": "thesis",
            "topic": "Құрманғазы күйлерінің орындаушылық ерекшеліктері",
            "supervisor": school.teacher.pk,
            "reviewer": reviewer.pk,
        },
    )
    assert response.status_code == 302
    attestation = StudentAttestation.objects.get()
    assert (attestation.form, attestation.supervisor, attestation.reviewer) == ("thesis", school.teacher, reviewer)
    assert attestation.topic.startswith("Құрманғазы")
    assert AuditEvent.objects.filter(action=AuditAction.ATTESTATION_STUDENT_SAVED).count() == 1
    # The same form again changes it; an outside reviewer by name.
    client.post(url, {"form": "thesis", "topic": "Тақырып", "reviewer_name": "Әлиев Б. Қ., КазНУ"})
    attestation.refresh_from_db()
    assert (attestation.topic, attestation.reviewer, attestation.reviewer_label) == (
        "Тақырып",
        None,
        "Әлиев Б. Қ., КазНУ",
    )
    assert StudentAttestation.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"form": "creative_exam"}, "form"),  # not in this programme's curriculum
        ({"form": "thesis", "topic": ""}, "topic"),
        ({"form": "thesis", "topic": "T", "reviewer_name": "X", "reviewer": "TEACHER"}, "reviewer"),
        ({"form": "thesis", "topic": "T", "supervisor": "TEACHER", "reviewer": "TEACHER"}, "reviewer"),
    ],
)
def test_a_wrong_attestation_is_refused_with_its_reason(school, as_user, data, field):
    student = graduate(school)
    data = {k: (school.teacher.pk if v == "TEACHER" else v) for k, v in data.items()}
    url = reverse("attestation:student", args=[school.commission.pk, student.pk])
    response = as_user(school.office).post(url, data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not StudentAttestation.objects.exists()


def test_a_non_teacher_is_refused_as_supervisor(school):
    student = graduate(school)
    stranger = UserFactory(roles=f",{Role.ATTESTATION_COMMISSION},")
    with pytest.raises(ValidationError) as exc:
        services.attestation_save(
            commission=school.commission,
            student=student,
            data=services.AttestationData(form=AttestationForm.COMPREHENSIVE_EXAM, supervisor=stranger),
            actor=school.office,
        )
    assert "supervisor" in exc.value.message_dict


def test_a_student_outside_the_commission_has_no_attestation_page(school, as_user):
    stranger = UserFactory(roles=",student,")
    url = reverse("attestation:student", args=[school.commission.pk, stranger.pk])
    assert as_user(school.office).get(url).status_code == 404


def test_the_rector_reads_but_does_not_write(school, rector, as_user):
    student = graduate(school)
    client = as_user(rector)
    assert client.get(reverse("attestation:commissions")).status_code == 200
    url = reverse("attestation:student", args=[school.commission.pk, student.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"form": "comprehensive_exam"}).status_code == 403
    assert client.post(reverse("attestation:commissions"), {}).status_code == 403
    assert not StudentAttestation.objects.exists()


def _count(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_commission_page_and_the_list_do_not_grow_with_members_and_students(school, as_user):
    client = as_user(school.office)
    page = reverse("attestation:commission", args=[school.commission.pk])
    listing = reverse("attestation:commissions")

    def grow(n):
        for i in range(n):
            voter = member(school, name=f"M{n}{i}")
            student = graduate(school, f"S{n}{i}")
            services.conflict_declare(member=voter, student=student, reason="Туысы")
            services.attestation_save(
                commission=school.commission,
                student=student,
                data=services.AttestationData(form=AttestationForm.THESIS, topic="Тақырып", supervisor=school.teacher),
                actor=school.office,
            )
            services.commission_create(programme=ProgrammeFactory(), academic_year=YEAR, actor=school.office)

    grow(2)
    small = (_count(client, page), _count(client, listing))
    grow(5)
    assert (_count(client, page), _count(client, listing)) == small


def test_a_wrong_member_is_refused_on_the_page_with_its_reason(school, as_user):
    url = reverse("attestation:member_add", args=[school.commission.pk])
    client = as_user(school.office)
    response = client.post(url, {"login": "nobody-here", "role": "member"})
    assert response.status_code == 400
    assert response.context["member_form"].errors["login"]
    response = client.post(url, {"login": school.teacher.username, "role": "chair"})  # not external
    assert response.status_code == 400
    assert response.context["member_form"].non_field_errors()
    assert not CommissionMember.objects.exists()
    response = client.post(url, {"login": school.teacher.username, "role": "member", "position": "Доцент"})
    assert response.status_code == 302
    assert CommissionMember.objects.get().position == "Доцент"
