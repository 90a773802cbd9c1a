import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from testkit.factories import UserFactory
from ustaz.grades import services
from ustaz.grades.models import Appeal, AppealCommission, AppealStatus, Grade, GradeChange, GradeSource

ALMATY = ZoneInfo("Asia/Almaty")


@pytest.fixture
def exam(course):
    return services.default_items_create(course=course)[-1]


@pytest.fixture
def commission(student, exam):
    """A member of the appeal commission of the student's programme and the course's term."""
    member = UserFactory(roles=",appeal_commission,", language="en")
    board = AppealCommission.objects.create(
        programme=student.student_record.programme, term=exam.course.term, chair=member
    )
    board.members.add(member)
    return member


def graded(exam, student, teacher, points=Decimal(48)):
    return services.grade_post(item=exam, student=student, points=points, posted_by=teacher, source=GradeSource.JOURNAL)


@pytest.mark.parametrize(
    ("published", "deadline"),
    [
        (
            datetime.datetime(2026, 11, 23, 15, 0, tzinfo=ALMATY),
            datetime.datetime(2026, 11, 24, 15, 0, tzinfo=ALMATY),
        ),  # Mon -> Tue
        (
            datetime.datetime(2026, 11, 27, 15, 0, tzinfo=ALMATY),
            datetime.datetime(2026, 11, 30, 15, 0, tzinfo=ALMATY),
        ),  # Fri -> Mon
        (
            datetime.datetime(2026, 11, 28, 10, 0, tzinfo=ALMATY),
            datetime.datetime(2026, 11, 30, 10, 0, tzinfo=ALMATY),
        ),  # Sat -> Mon
    ],
)
def test_the_deadline_is_one_working_day_after_publication(published, deadline):
    assert services.appeal_deadline(published) == deadline


def test_a_student_appeals_in_time_and_the_commission_grants_it_through_the_audit(
    teacher, student, exam, commission, as_user
):
    graded(exam, student, teacher)
    response = as_user(student).get(f"/courses/{exam.course_id}/grades/")
    assert response.context["appealable"]
    as_user(student).post(f"/courses/{exam.course_id}/grades/appeal/", {"grounds": "Question 3 was marked wrong."})
    appeal = Appeal.objects.get()
    assert (appeal.points_appealed, appeal.status) == (Decimal(48), AppealStatus.PENDING)

    client = as_user(commission)
    assert client.get("/appeals/").status_code == 200
    response = client.post(
        f"/appeals/{appeal.pk}/",
        {"granted": "1", "new_points": "55", "decision": "Protocol No. 4: question 3 is correct (+7)."},
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert (appeal.status, appeal.new_points, appeal.decided_by) == (AppealStatus.GRANTED, Decimal(55), commission)
    assert Grade.objects.get(item=exam, student=student).points == Decimal(55)
    change = GradeChange.objects.get(source=GradeSource.APPEAL)
    assert (change.old_points, change.new_points, change.changed_by) == (Decimal(48), Decimal(55), commission)
    assert change.reason.startswith("Protocol No. 4")
    # Once decided, it stays decided; and the student cannot appeal the same exam twice.
    with pytest.raises(ValidationError):
        services.appeal_decide(appeal=appeal, decided_by=commission, granted=False, decision="again")
    with pytest.raises(ValidationError):
        services.appeal_file(item=exam, student=student, grounds="once more")


def test_a_rejected_appeal_leaves_the_grade(teacher, student, exam, commission):
    graded(exam, student, teacher)
    appeal = services.appeal_file(item=exam, student=student, grounds="Too strict.")
    services.appeal_decide(appeal=appeal, decided_by=commission, granted=False, decision="The grade stands.")
    assert Grade.objects.get().points == Decimal(48)
    assert not GradeChange.objects.filter(source=GradeSource.APPEAL).exists()


def test_a_late_appeal_is_refused(teacher, student, exam):
    grade = graded(exam, student, teacher)
    late = services.appeal_deadline(grade.posted_at) + datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError):
        services.appeal_file(item=exam, student=student, grounds="Late.", now=late)


@pytest.mark.parametrize("persona", ["student", "teacher"])
def test_neither_the_student_nor_the_teacher_decides(request, persona, teacher, student, exam, as_user):
    graded(exam, student, teacher)
    appeal = services.appeal_file(item=exam, student=student, grounds="Please.")
    client = as_user(request.getfixturevalue(persona))
    assert client.get("/appeals/").status_code == 403
    assert (
        client.post(f"/appeals/{appeal.pk}/", {"granted": "1", "new_points": "100", "decision": "x"}).status_code == 403
    )
    assert Grade.objects.get().points == Decimal(48)
