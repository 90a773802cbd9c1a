"""The gradebook tells people through notices: an appeal waits for the commission, its decision for the student."""

from decimal import Decimal

from django.utils import translation

from ustaz.grades import services as grades
from ustaz.grades.apps import APPEAL_DECIDED, APPEAL_FILED, RETAKE_OPENED
from ustaz.grades.models import GradeSource
from ustaz.notifications.models import Notification


def test_an_appeal_tells_its_commission_and_its_decision_tells_the_student(course, teacher, student, office):
    from testkit.appeals import appeal_member_for

    member = appeal_member_for(student, course)
    with translation.override("en"):
        exam = grades.default_items_create(course=course)[-1]
    grades.grade_post(item=exam, student=student, points=Decimal(45), posted_by=teacher, source=GradeSource.JOURNAL)
    appeal = grades.appeal_file(item=exam, student=student, grounds="Question 2.")
    [to_member] = Notification.objects.filter(kind=APPEAL_FILED)  # the commission's member, not the office
    assert (to_member.user, to_member.url) == (member, f"/appeals/{appeal.pk}/")
    grades.appeal_decide(appeal=appeal, decided_by=member, granted=False, decision="The answer is incomplete.")
    [to_student] = Notification.objects.filter(user=student, kind=APPEAL_DECIDED)
    assert to_student.body == "The answer is incomplete."
    assert to_student.url == f"/courses/{course.pk}/grades/"


def test_opening_a_retake_tells_the_students_with_fx_only(course, teacher, student, other_student, office):
    from testkit.factories import enrol

    enrol(other_student, course)
    with translation.override("en"):
        items = grades.default_items_create(course=course)
    for who, exam in ((student, 40), (other_student, 80)):
        for item in items:
            points = Decimal(exam if item.kind == "exam" else 90)
            grades.grade_post(item=item, student=who, points=points, posted_by=teacher, source=GradeSource.JOURNAL)
    import datetime

    from django.utils import timezone

    grades.exam_retake_open(course=course, until=timezone.localdate() + datetime.timedelta(days=5), opened_by=office)
    assert list(Notification.objects.filter(kind=RETAKE_OPENED).values_list("user_id", flat=True)) == [student.pk]
