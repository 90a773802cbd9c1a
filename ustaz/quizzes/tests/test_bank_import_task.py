"""A question bank is imported by the task worker, not in the teacher's request (issue 13, finding 2): the
upload is kept and queued, the bank's page shows the import's progress and polls it, then the questions, or
the errors by line with nothing written; the file is removed once read; only the bank's managers see it."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from testkit.factories import CourseFactory, UserFactory
from ustaz.accounts.models import Role
from ustaz.quizzes import services
from ustaz.quizzes.models import Bank, BankImport, ImportStatus, Question

GIFT = "Кюй «Адай»? {=Құрманғазы ~Тәттімбет}\n\nЛя, Гц? {#440:1}\n\nЭссе. {}\n"


@pytest.fixture
def bank(course):
    return Bank.objects.create(discipline=course.discipline, name="Күйлер")


def upload(client, bank, text: str, fmt: str = "gift"):
    return client.post(
        reverse("quizzes:bank", args=[bank.pk]),
        {"file": SimpleUploadedFile("bank.txt", text.encode()), "format": fmt, "encoding": "auto", "category": "K"},
    )


def test_the_import_is_queued_and_the_page_polls_it_until_the_questions_are_in(
    as_user, teacher, bank, django_capture_on_commit_callbacks
):
    client = as_user(teacher)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = upload(client, bank, GIFT)
    job = BankImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/banks/{bank.pk}/?import={job.pk}"
    assert job.status == ImportStatus.QUEUED and default_storage.exists(job.file.name)
    stored = job.file.name
    assert not Question.objects.exists()  # nothing read in the request
    page = client.get(response["Location"]).content.decode()
    status_url = reverse("quizzes:bank_import", args=[bank.pk, job.pk])
    assert f'hx-get="{status_url}"' in page and "waiting for its turn" in page
    for callback in queued:  # the worker takes it
        callback()
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.questions == 3 and job.lines_read == 5
    assert Question.objects.filter(bank=bank).count() == 3
    assert not job.file and not default_storage.exists(stored)  # the upload is not kept once read
    polled = client.get(status_url, headers={"HX-Request": "true"})
    assert polled["HX-Refresh"] == "true" and "3 questions imported" in polled.content.decode()
    page = client.get(response["Location"]).content.decode()
    assert "3 questions imported" in page and "hx-get" not in page


def test_a_failed_import_shows_its_errors_by_line_and_writes_nothing(
    as_user, teacher, bank, django_capture_on_commit_callbacks
):
    client = as_user(teacher)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, bank, GIFT + "\nЖақшасыз сұрақ\n")
    job = BankImport.objects.get()
    assert job.status == ImportStatus.FAILED and job.errors[0][0] == 7
    page = client.get(response["Location"]).content.decode()
    assert "Line 7" in page and "answer part in braces" in page
    assert not Question.objects.exists() and not job.file


def test_an_import_runs_once(as_user, teacher, bank, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(as_user(teacher), bank, GIFT)
    job = BankImport.objects.get()
    assert services.bank_import_run(job_pk=job.pk) == "taken"
    assert Question.objects.count() == 3


def test_an_upload_over_the_limit_is_refused_in_the_request_and_not_stored(as_user, teacher, bank, settings):
    settings.QUIZ_IMPORT_MAX_MB = 1
    response = upload(as_user(teacher), bank, "x" * (1024 * 1024 + 1))
    assert response.status_code == 400 and "larger than 1 MB" in response.content.decode()
    assert not BankImport.objects.exists()


def test_only_the_banks_managers_see_an_import(
    as_user, course, teacher, student, other_student, office, bank, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(as_user(teacher), bank, GIFT)
    job = BankImport.objects.get()
    url = reverse("quizzes:bank_import", args=[bank.pk, job.pk])
    other_teacher = UserFactory(roles=f",{Role.TEACHER},")
    CourseFactory().teachers.add(other_teacher)
    other_bank = Bank.objects.create(discipline=CourseFactory().discipline, name="Басқа")
    assert as_user(None).get(url).status_code == 302  # to the login page
    for person in (student, other_student, other_teacher):
        assert as_user(person).get(url).status_code == 404
        assert as_user(person).get(reverse("quizzes:bank", args=[bank.pk]) + f"?import={job.pk}").status_code == 404
    assert as_user(teacher).get(url).status_code == 200
    assert as_user(office).get(url).status_code == 200
    # An import is reached only through its own bank.
    office_client = as_user(office)
    assert office_client.get(reverse("quizzes:bank_import", args=[other_bank.pk, job.pk])).status_code == 404


def test_an_import_the_worker_lost_is_shown_as_unfinished_and_no_longer_polled(
    as_user, teacher, bank, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    with django_capture_on_commit_callbacks(execute=False):  # the worker never takes it
        response = upload(as_user(teacher), bank, GIFT)
    job = BankImport.objects.get()
    BankImport.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    page = as_user(teacher).get(response["Location"]).content.decode()
    assert "did not finish" in page and "hx-get" not in page


def test_an_import_whose_author_no_longer_manages_the_bank_is_not_run(
    as_user, course, teacher, bank, django_capture_on_commit_callbacks
):
    # Queued by the course's teacher, who is then taken off the course before the worker gets to it.
    with django_capture_on_commit_callbacks(execute=False) as queued:
        upload(as_user(teacher), bank, GIFT)
    course.teachers.remove(teacher)
    for callback in queued:
        callback()
    job = BankImport.objects.get()
    assert job.status == ImportStatus.FAILED and "no longer manages" in job.errors[0][1]
    assert not Question.objects.exists() and not job.file


def test_a_page_asking_for_an_import_by_no_number_is_the_bank(as_user, teacher, bank):
    # "²" is a digit to str.isdigit() but not to int().
    response = as_user(teacher).get(reverse("quizzes:bank", args=[bank.pk]) + "?import=²")
    assert response.status_code == 200
