"""The appeal commission for tests (decision 0019): a member who may decide a student's appeals on a course."""

from __future__ import annotations

from testkit.factories import UserFactory


def appeal_member_for(student, course, member=None, **extra):
    """`member` (or a new appeal commission member) in the commission of the student's programme and the
    course's term, made if needed."""
    from ustaz.grades.models import AppealCommission

    member = member or UserFactory(roles=",appeal_commission,", **{"language": "en", **extra})
    commission, _created = AppealCommission.objects.get_or_create(
        programme=student.student_record.programme, term=course.term, defaults={"chair": member}
    )
    commission.members.add(member)
    return member
