"""Every path that changes a grade leaves a row in the grade history: who, when, old, new, why, from where."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from ustaz.grades import services
from ustaz.grades.models import Grade, GradeChange, GradeSource

D = Decimal


@pytest.fixture
def exam(course):
    with translation.override("en"):
        return services.default_items_create(course=course)[-1]


def change_of(student, exam):
    return GradeChange.objects.filter(student=student, item=exam).order_by("-id").first()


def test_the_journal_path(teacher, student, course, exam, as_user):
    as_user(teacher).post(f"/courses/{course.pk}/grades/cell/", {"item": exam.pk, "student": student.pk, "value": "77"})
    change = change_of(student, exam)
    assert (change.new_points, change.changed_by, change.source) == (D(77), teacher, GradeSource.JOURNAL)
    assert change.source_ref == f"/courses/{course.pk}/grades/cell/"


def test_the_import_path(teacher, student, course, exam, as_user):
    upload = SimpleUploadedFile("exam.csv", f"login,points\n{student.username},64\n".encode())
    as_user(teacher).post(f"/courses/{course.pk}/grades/import/", {"item": exam.pk, "file": upload})
    change = change_of(student, exam)
    assert (change.new_points, change.changed_by, change.source, change.source_ref) == (
        D(64),
        teacher,
        GradeSource.IMPORT,
        "exam.csv",
    )


@pytest.mark.parametrize(
    ("source", "ref"),
    [
        (GradeSource.QUIZ, "quiz attempt 12"),
        (GradeSource.ASSIGNMENT, "submission 5 version 2"),
        (GradeSource.ATTESTATION, "protocol 3"),
        (GradeSource.PRACTICE, "practice report 9"),
    ],
)
def test_the_other_areas_post_through_the_service_with_where_from(teacher, student, exam, source, ref):
    services.grade_post(item=exam, student=student, points=D(58), posted_by=teacher, source=source, source_ref=ref)
    change = change_of(student, exam)
    assert (change.source, change.source_ref, change.old_points, change.new_points) == (source, ref, None, D(58))
    assert Grade.objects.get(student=student, item=exam).source == source


def test_a_regrade_after_a_fixed_key_is_a_change_with_its_reason(teacher, student, exam):
    services.grade_post(item=exam, student=student, points=D(58), posted_by=teacher, source=GradeSource.QUIZ)
    services.grade_post(
        item=exam,
        student=student,
        points=D(62),
        posted_by=teacher,
        source=GradeSource.QUIZ,
        source_ref="regrade of question 4",
        reason="key of question 4 corrected",
    )
    change = change_of(student, exam)
    assert (change.old_points, change.new_points, change.reason) == (D(58), D(62), "key of question 4 corrected")


def test_the_appeal_path(teacher, student, office, exam):
    services.grade_post(item=exam, student=student, points=D(45), posted_by=teacher, source=GradeSource.JOURNAL)
    from testkit.appeals import appeal_member_for

    member = appeal_member_for(student, exam.course)
    appeal = services.appeal_file(item=exam, student=student, grounds="Question 2 was marked wrong.")
    services.appeal_decide(
        appeal=appeal, decided_by=member, granted=True, decision="Question 2 correct.", new_points=D(55)
    )
    change = change_of(student, exam)
    assert (change.old_points, change.new_points, change.changed_by, change.source) == (
        D(45),
        D(55),
        member,
        GradeSource.APPEAL,
    )
    assert change.reason == "Question 2 correct." and change.source_ref == f"appeal {appeal.pk}"


def test_the_locked_change_path_keeps_the_offices_reason(teacher, student, office, course, exam, as_user):
    services.grade_post(item=exam, student=student, points=D(45), posted_by=teacher, source=GradeSource.JOURNAL)
    exam.entry_until = timezone.localdate() - datetime.timedelta(days=1)
    exam.save()
    cell = {"item": exam.pk, "student": student.pk, "value": "50"}
    as_user(teacher).post(f"/courses/{course.pk}/grades/cell/", cell)
    assert change_of(student, exam).new_points == D(45)  # refused to the teacher
    as_user(office).post(f"/courses/{course.pk}/grades/cell/", {**cell, "reason": "order 17: arithmetic error"})
    change = change_of(student, exam)
    assert (change.new_points, change.changed_by, change.reason) == (D(50), office, "order 17: arithmetic error")
