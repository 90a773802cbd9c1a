"""A large file of students is imported by a background job: records, enrolments and accounts at once, or
nothing with the errors by line; odd values of a cell are refused, never an exception."""

from __future__ import annotations

import pytest

from testkit.factories import CourseFactory, StudyGroupFactory
from ustaz.academics import services
from ustaz.academics.models import Enrolment, StudentRecord
from ustaz.accounts.models import User
from ustaz.core.models import ImportJob, ImportJobStatus

from .test_students_import import HEADER, iin, post


def _rows(n: int, year: str = "2") -> str:
    return HEADER + "".join(f"Сейітов{i},Ерлан,{iin(i)},KZ,,exchange,network,{year},\n" for i in range(n))


def test_a_large_file_of_students_is_imported_by_a_job(office, as_user, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_BACKGROUND_ROWS = 2
    group = StudyGroupFactory()
    current = CourseFactory()
    current.groups.add(group)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(as_user(office), group, _rows(4))
    job = ImportJob.objects.get()
    assert response.url == f"/imports/{job.pk}/"
    assert (job.kind, job.status, job.applied) == ("students", ImportJobStatus.DONE, 4)
    assert StudentRecord.objects.filter(group=group).count() == 4
    assert Enrolment.objects.filter(course=current).count() == 4
    assert job.result["enrolled_in"] == 1


def test_a_large_file_with_a_bad_row_creates_nothing(office, as_user, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_BACKGROUND_ROWS = 2
    group = StudyGroupFactory()
    before = User.objects.count()
    content = _rows(4).replace(f"{iin(2)},KZ,,exchange,network,2", f"{iin(2)},KZ,,exchange,network,9")
    with django_capture_on_commit_callbacks(execute=True):
        post(as_user(office), group, content)
    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.FAILED and [line for line, _m in job.errors] == [4]
    assert User.objects.count() == before and not StudentRecord.objects.exists()


@pytest.mark.parametrize("year", ["²", "٣", "1" * 30])
def test_a_year_of_study_in_other_digits_is_refused_not_an_exception(db, office, year):
    # "²".isdigit() is True, and int("²") raised ValueError: a 500 before this was fixed.
    result = services.students_import(
        group=StudyGroupFactory(), filename="s.csv", content=_rows(1, year=year).encode(), issued_by=office
    )
    assert result.errors == [(2, "year_of_study: a whole number from 1 to 7.")]
    assert not StudentRecord.objects.exists()
