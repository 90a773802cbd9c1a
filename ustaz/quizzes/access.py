"""Who may see what in the testing centre.

A course's tests are seen by its people; its teachers and the academic office set them, see every attempt
and grade essays. A student sees only their own attempts, and the keys only when the test's review policy
allows it. Banks belong to a discipline: the teachers of its courses and the office use them.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from ustaz.academics import access as academics_access
from ustaz.academics.models import Course
from ustaz.accounts.models import Role, User

from .models import Attempt, Bank, BankImport, Test


def can_manage_bank(user: User, bank: Bank) -> bool:
    return (
        academics_access.can_manage_structure(user)
        or Course.objects.filter(discipline_id=bank.discipline_id, teachers=user).exists()
    )


def can_open_essay_queue(user: User) -> bool:
    """The essays waiting for a grade in the tests of the courses a person teaches: a teachers' page."""
    return user.is_authenticated and user.has_role(Role.TEACHER)


def get_bank_for(user: User, pk: int) -> Bank:
    try:
        bank = Bank.objects.select_related("discipline").get(pk=pk)
    except Bank.DoesNotExist:
        raise Http404 from None
    if not user.is_authenticated or not can_manage_bank(user, bank):
        raise Http404
    return bank


def get_bank_import_for(user: User, pk: int, import_pk: int) -> BankImport:
    """An import into a bank, for those who manage the bank; 404 for anybody else."""
    bank = get_bank_for(user, pk)
    try:
        job = BankImport.objects.get(pk=import_pk, bank=bank)
    except BankImport.DoesNotExist:
        raise Http404 from None
    job.bank = bank
    return job


def get_test_for(user: User, pk: int, test_pk: int) -> Test:
    course = academics_access.get_course_for(user, pk)
    try:
        test = Test.objects.select_related("grade_item").get(pk=test_pk, course=course)
    except Test.DoesNotExist:
        raise Http404 from None
    test.course = course
    test.can_manage = academics_access.can_edit_course_content(user, course)
    return test


def get_test_to_manage_for(user: User, pk: int, test_pk: int) -> Test:
    test = get_test_for(user, pk, test_pk)
    if not test.can_manage:
        raise PermissionDenied
    return test


def get_attempt_for(user: User, pk: int) -> Attempt:
    """An attempt: its student's, or for the course's teachers and the office; 404 for anybody else."""
    try:
        attempt = Attempt.objects.select_related("test", "student").get(pk=pk)
    except Attempt.DoesNotExist:
        raise Http404 from None
    test = get_test_for(user, attempt.test.course_id, attempt.test_id)
    if attempt.student_id != user.pk and not test.can_manage:
        raise Http404
    attempt.test = test
    return attempt


def get_own_attempt_for(user: User, pk: int) -> Attempt:
    attempt = get_attempt_for(user, pk)
    if attempt.student_id != user.pk:
        raise PermissionDenied
    return attempt
