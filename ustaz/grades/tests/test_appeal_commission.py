"""The appeal commission (issue 15, item 8; decision 0019): its scope, conflict of interest, notices, the fixed
appeal window, the decision's deadline, the protocol and the office's pages."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from pypdf import PdfReader

from testkit.factories import CourseFactory, StudyGroupFactory, UserFactory, enrol
from ustaz.core.models import AuditEvent
from ustaz.grades import services
from ustaz.grades.models import Appeal, AppealCommission, AppealStatus, Grade, GradeChange, GradeSource
from ustaz.notifications.models import Notification


@pytest.fixture
def exam(course):
    return services.default_items_create(course=course)[-1]


def board_for(student, term, *members, chair=None):
    board = AppealCommission.objects.create(programme=student.student_record.programme, term=term, chair=chair)
    board.members.add(*members)
    return board


@pytest.fixture
def member(student, exam):
    user = UserFactory(roles=",appeal_commission,", language="en", first_name="Member")
    board_for(student, exam.course.term, user, chair=user)
    return user


@pytest.fixture
def appeal(teacher, student, exam, member):
    services.grade_post(item=exam, student=student, points=Decimal(48), posted_by=teacher, source=GradeSource.JOURNAL)
    return services.appeal_file(item=exam, student=student, grounds="Question 3 was marked wrong.")


DECISION = {"granted": "1", "new_points": "90", "decision": "Question 3 is right."}


def assert_refused(client, appeal, status):
    assert client.get(f"/appeals/{appeal.pk}/").status_code == status
    assert client.post(f"/appeals/{appeal.pk}/", DECISION).status_code == status
    assert Grade.objects.get(item=appeal.item, student=appeal.student).points == Decimal(48)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.PENDING


def test_a_member_of_another_programmes_commission_neither_sees_nor_decides(appeal, exam, as_user):
    other = UserFactory(roles=",appeal_commission,", language="en")
    elsewhere = UserFactory(roles=",student,")
    enrol(elsewhere, CourseFactory(), group=StudyGroupFactory())
    board_for(elsewhere, exam.course.term, other)  # another programme, same term
    client = as_user(other)
    assert appeal not in client.get("/appeals/").context["appeals"]
    assert_refused(client, appeal, 404)
    with pytest.raises(PermissionDenied):
        services.appeal_decide(appeal=appeal, decided_by=other, granted=True, decision="x", new_points=Decimal(90))


def test_a_member_of_the_programmes_commission_of_another_term_does_not_decide(appeal, student, as_user):
    from ustaz.academics.models import AcademicYear, Term

    year = AcademicYear.objects.create(name="2019-2020", starts_on="2019-09-01", ends_on="2020-06-30")
    old_term = Term.objects.create(academic_year=year, kind="autumn", starts_on="2019-09-01", ends_on="2019-12-31")
    other = UserFactory(roles=",appeal_commission,", language="en")
    board_for(student, old_term, other)
    assert_refused(as_user(other), appeal, 404)


@pytest.mark.parametrize("persona", ["admission", "student", "other_student"])
def test_people_without_the_appeal_role_are_refused(request, persona, appeal, as_user):
    user = (
        UserFactory(roles=",admission_commission,", language="en")
        if persona == "admission"
        else request.getfixturevalue(persona)
    )
    client = as_user(user)
    assert client.get("/appeals/").status_code == 403
    assert_refused(client, appeal, 403)


def test_the_teacher_who_gave_the_grade_does_not_decide_even_as_a_member(appeal, teacher, as_user):
    teacher.roles = f"{teacher.roles}appeal_commission,"
    teacher.save()
    AppealCommission.objects.get().members.add(teacher)
    assert_refused(as_user(teacher), appeal, 403)
    with pytest.raises(PermissionDenied):
        services.appeal_decide(appeal=appeal, decided_by=teacher, granted=True, decision="x", new_points=Decimal(90))


def test_whoever_last_changed_the_grade_does_not_decide_even_as_a_member(teacher, student, exam, member, as_user):
    services.grade_post(item=exam, student=student, points=Decimal(40), posted_by=teacher, source=GradeSource.JOURNAL)
    # The member (not a teacher of the course) changed the grade, e.g. by an import: a conflict of interest.
    services.grade_post(item=exam, student=student, points=Decimal(48), posted_by=member, source=GradeSource.IMPORT)
    appeal = services.appeal_file(item=exam, student=student, grounds="Question 3.")
    assert_refused(as_user(member), appeal, 403)


def test_the_office_sees_every_appeal_but_does_not_decide(appeal, office, as_user):
    client = as_user(office)
    assert appeal in client.get("/appeals/").context["appeals"]
    response = client.get(f"/appeals/{appeal.pk}/")
    assert response.status_code == 200 and not response.context["can_decide"]
    assert client.post(f"/appeals/{appeal.pk}/", DECISION).status_code == 403
    assert Grade.objects.get().points == Decimal(48)


def test_the_member_decides_through_the_audit(appeal, member, as_user):
    client = as_user(member)
    assert appeal in client.get("/appeals/").context["appeals"]
    assert client.post(f"/appeals/{appeal.pk}/", DECISION).status_code == 302
    assert Grade.objects.get().points == Decimal(90)
    change = GradeChange.objects.get(source=GradeSource.APPEAL)
    assert (change.changed_by, change.old_points, change.new_points) == (member, Decimal(48), Decimal(90))
    assert AuditEvent.objects.filter(action="grades.appeal_decided", actor=member).exists()


def test_a_filed_appeal_is_told_to_that_commissions_members_only(teacher, student, exam, member, office):
    other = UserFactory(roles=",appeal_commission,", language="en")
    services.grade_post(item=exam, student=student, points=Decimal(48), posted_by=teacher, source=GradeSource.JOURNAL)
    appeal = services.appeal_file(item=exam, student=student, grounds="Question 3.")
    told = set(Notification.objects.filter(url__endswith=f"/appeals/{appeal.pk}/").values_list("user_id", flat=True))
    assert told == {member.pk}
    assert other.pk not in told and office.pk not in told


def test_a_later_edit_of_the_grade_does_not_reopen_the_appeal_window(teacher, student, exam):
    services.grade_post(item=exam, student=student, points=Decimal(40), posted_by=teacher, source=GradeSource.JOURNAL)
    first = timezone.now() - datetime.timedelta(days=5)
    GradeChange.objects.update(changed_at=first)
    Grade.objects.update(posted_at=first)
    assert services.appeal_open_for(item=exam, student=student) is None
    # The teacher corrects the grade today: Grade.posted_at is now, the window stays closed.
    services.grade_post(
        item=exam, student=student, points=Decimal(45), posted_by=teacher, source=GradeSource.JOURNAL, reason="typo"
    )
    assert Grade.objects.get().posted_at > timezone.now() - datetime.timedelta(minutes=1)
    assert services.appeal_open_for(item=exam, student=student) is None
    with pytest.raises(Exception, match="no longer"):
        services.appeal_file(item=exam, student=student, grounds="Question 3.")


def test_the_commissions_list_shows_the_decisions_deadline_and_marks_overdue_ones(appeal, member, as_user, settings):
    client = as_user(member)
    page = client.get("/appeals/").content.decode()
    assert "overdue" not in page
    Appeal.objects.update(filed_at=timezone.now() - datetime.timedelta(days=5))
    listed = client.get("/appeals/")
    assert listed.context["appeals"][0].overdue
    assert "overdue" in listed.content.decode()
    settings.GRADES_APPEAL_DECISION_WORKING_DAYS = 30
    assert not client.get("/appeals/").context["appeals"][0].overdue


# Words of the protocol already translated in the catalogues (its new msgids wait in i18n/pending/appeals.json).
@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("kk", ["жаңа баға", "Қазақ ұлттық өнер университеті", "Question 3 is right.", "90"]),
        ("ru", ["новая оценка", "Казахский национальный университет искусств", "Question 3 is right.", "90"]),
    ],
)
def test_the_protocol_pdf_in_kazakh_and_russian(appeal, member, office, as_user, lang, words):
    assert as_user(member).get(f"/appeals/{appeal.pk}/protocol-{lang}.pdf").status_code == 404  # pending
    as_user(member).post(f"/appeals/{appeal.pk}/", DECISION)
    response = as_user(office).get(f"/appeals/{appeal.pk}/protocol-{lang}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    for word in [*words, "Member", str(AppealCommission.objects.get().programme.code)]:
        assert word in text


def test_the_office_sets_a_commission(office, student, exam, as_user):
    a = UserFactory(roles=",appeal_commission,", first_name="Aigerim")
    b = UserFactory(roles=",appeal_commission,", first_name="Bolat")
    outsider = UserFactory(roles=",admission_commission,")
    client = as_user(office)
    assert client.get("/appeals/commissions/").status_code == 200
    form = {"programme": student.student_record.programme_id, "term": exam.course.term_id}
    # Somebody without the role is not a choice; the chair must be a member.
    assert client.post("/appeals/commissions/new/", {**form, "members": [outsider.pk]}).status_code == 400
    assert client.post("/appeals/commissions/new/", {**form, "members": [a.pk], "chair": b.pk}).status_code == 400
    assert not AppealCommission.objects.exists()
    assert client.post("/appeals/commissions/new/", {**form, "members": [a.pk, b.pk], "chair": a.pk}).status_code == 302
    board = AppealCommission.objects.get()
    assert set(board.members.all()) == {a, b} and board.chair == a
    # A second one for the same programme and term is refused.
    assert client.post("/appeals/commissions/new/", {**form, "members": [b.pk]}).status_code == 400
    response = client.post(f"/appeals/commissions/{board.pk}/", {**form, "members": [b.pk], "chair": b.pk})
    assert response.status_code == 302
    assert list(board.members.all()) == [b]
    assert AuditEvent.objects.filter(action="grades.appeal_commission", actor=office).count() == 2


@pytest.mark.parametrize("persona", ["teacher", "student"])
def test_only_the_office_sets_commissions(request, persona, as_user):
    client = as_user(request.getfixturevalue(persona))
    assert client.get("/appeals/commissions/").status_code == 403
    assert client.get("/appeals/commissions/new/").status_code == 403


def test_the_members_list_does_not_grow_with_appeals(teacher, exam, member, as_user, django_assert_max_num_queries):
    def add(n):
        for _ in range(n):
            user = UserFactory(roles=",student,")
            enrol(user, exam.course, group=StudyGroupFactory(programme=AppealCommission.objects.get().programme))
            services.grade_post(item=exam, student=user, points=Decimal(40), posted_by=teacher, source="journal")
            services.appeal_file(item=exam, student=user, grounds="Question 1.")

    client = as_user(member)
    add(2)
    with django_assert_max_num_queries(12) as small:
        assert len(client.get("/appeals/").context["appeals"]) == 2
    add(8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get("/appeals/").context["appeals"]) == 10


def test_the_offices_commissions_list_does_not_grow_with_commissions_or_members(
    office, as_user, django_assert_max_num_queries
):
    from testkit.factories import ProgrammeFactory

    term = CourseFactory().term

    def add(n, members):
        for _ in range(n):
            board = AppealCommission.objects.create(programme=ProgrammeFactory(), term=term)
            board.members.add(*(UserFactory(roles=",appeal_commission,") for _ in range(members)))

    client = as_user(office)
    add(2, 2)
    with django_assert_max_num_queries(12) as small:
        assert client.get("/appeals/commissions/").status_code == 200
    add(6, 5)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get("/appeals/commissions/").context["commissions"]) == 8
