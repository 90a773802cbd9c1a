"""A transcript is a student's with a record: an applicant, a teacher or a student without a record get none,
and the office gets 404 for a person who has no record."""

from __future__ import annotations

from testkit.factories import UserFactory
from ustaz.accounts.models import Role


def test_only_a_student_with_a_record_downloads_their_transcript(as_user, student, teacher, office):
    applicant = UserFactory(roles=f",{Role.APPLICANT},")
    no_record = UserFactory(roles=f",{Role.STUDENT},")
    assert as_user(student).get("/transcript.pdf").status_code == 200
    assert as_user(applicant).get("/transcript.pdf").status_code == 403
    assert as_user(teacher).get("/transcript.pdf").status_code == 403
    assert as_user(no_record).get("/transcript.pdf").status_code == 403
    assert as_user(office).get(f"/people/{student.pk}/transcript.pdf").status_code == 200
    assert as_user(office).get(f"/people/{applicant.pk}/transcript.pdf").status_code == 404
    assert as_user(teacher).get(f"/people/{student.pk}/transcript.pdf").status_code == 403
