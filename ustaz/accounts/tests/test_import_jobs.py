"""Large account files: checked and applied by a background task (ImportJob), all or nothing, with a progress
page only their starter sees; the issued passwords reach the starter's session once. Checking is linear."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ustaz.accounts import services
from ustaz.accounts.models import User
from ustaz.core.models import ImportJob, ImportJobStatus

from .test_import import HEADER, valid_iin


def _rows(n: int, *, bad_line: int | None = None) -> bytes:
    lines = []
    for i in range(n):
        iin = "900101300016" if i + 2 == bad_line else valid_iin(i)
        lines.append(f"Сейітов{i},Ерлан,,{iin},KZ,,student,,kk\n")
    return (HEADER + "".join(lines)).encode()


def _upload(client, content: bytes):
    file = io.BytesIO(content)
    file.name = "people.csv"
    return client.post("/people/import/", {"file": file})


@pytest.fixture
def small_threshold(settings):
    settings.IMPORT_BACKGROUND_ROWS = 3


def test_a_large_file_is_imported_by_a_job_whose_page_shows_the_result(
    office, ict, as_user, small_threshold, django_capture_on_commit_callbacks
):
    client = as_user(office)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, _rows(5))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == f"/imports/{job.pk}/"
    assert (job.status, job.total, job.checked, job.applied, job.content) == (ImportJobStatus.DONE, 5, 5, 5, b"")
    assert User.objects.filter(last_name__startswith="Сейітов").count() == 5
    page = client.get(f"/imports/{job.pk}/")
    assert page.status_code == 200 and "5 rows imported" in page.content.decode()
    assert 'hx-trigger="every 2s"' not in page.content.decode()  # finished: no more polling
    # Only its starter sees it.
    assert as_user(ict).get(f"/imports/{job.pk}/").status_code == 404
    assert as_user(ict).post(f"/people/import/{job.pk}/passwords/").status_code == 404
    # The passwords go once into the starter's session, and are then wiped from the job; by a POST only, so
    # that a prefetch or a second tab does not spend them.
    assert job.sealed and "password" not in job.sealed
    assert client.get(f"/people/import/{job.pk}/passwords/").status_code == 405
    job.refresh_from_db()
    assert job.sealed
    assert 'method="post" action="/people/import/' in page.content.decode()
    assert client.post(f"/people/import/{job.pk}/passwords/").url == "/people/issued/"
    issued = client.get("/people/issued/").context["issued"]
    assert len(issued) == 5 and all(c.user.check_password(c.password) for c in issued)
    job.refresh_from_db()
    assert job.sealed == ""
    # Collected once: the job keeps nothing, and a second visit hands over nothing new.
    client.post(f"/people/import/{job.pk}/passwords/")
    again = client.get("/people/issued/").context["issued"]
    assert [(c.user.pk, c.password) for c in again] == [(c.user.pk, c.password) for c in issued]


def test_a_large_file_with_a_bad_row_creates_nothing_and_the_page_lists_it(
    office, as_user, small_threshold, django_capture_on_commit_callbacks
):
    client = as_user(office)
    before = User.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, _rows(6, bad_line=5))
    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.FAILED
    assert [line for line, _message in job.errors] == [5]
    assert User.objects.count() == before
    html = client.get(f"/imports/{job.pk}/").content.decode()
    assert "The file has 1 error" in html and "<td>5</td>" in html


def test_the_page_polls_while_the_job_runs_and_works_without_javascript(office, as_user, small_threshold):
    client = as_user(office)
    response = _upload(client, _rows(5))  # its task is queued after the commit, which a test does not reach
    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.QUEUED and job.total == 4  # counted no further than the threshold + 1
    page = client.get(response.url).content.decode()
    assert 'hx-trigger="every 2s"' in page and 'http-equiv="refresh"' in page
    partial = client.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div\n  id="import-job"') and "<html" not in partial


def test_a_small_file_is_still_imported_at_once(office, as_user, small_threshold):
    response = _upload(as_user(office), _rows(3))
    assert response.status_code == 302 and response.url == "/people/issued/"
    assert not ImportJob.objects.exists()


def test_checking_costs_the_same_queries_for_n_and_2n_rows(db):
    counts = []
    for n in (20, 40):
        with CaptureQueriesContext(connection) as queries:
            prepared = services.accounts_import_prepare(filename="p.csv", content=_rows(n))
        assert not prepared.errors, prepared.errors[:3]
        counts.append(len(queries))
    # one query for the IINs already taken, one for the logins
    assert counts[0] == counts[1] <= 2


def test_a_file_over_the_row_limit_is_refused_naming_it(office, as_user, settings):
    settings.IMPORT_MAX_ROWS = 4
    response = _upload(as_user(office), _rows(5))
    assert response.status_code == 400
    assert "more than 4 rows (USTAZ_IMPORT_MAX_ROWS)" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_passwords_that_cannot_be_unsealed_are_said_to_need_reissuing(
    office, as_user, small_threshold, django_capture_on_commit_callbacks
):
    from cryptography.fernet import Fernet

    client = as_user(office)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, _rows(4))
    job = ImportJob.objects.get()
    # Sealed under another key (the server's secret key changed since): they cannot be read any more.
    ImportJob.objects.filter(pk=job.pk).update(sealed=Fernet(Fernet.generate_key()).encrypt(b"[]").decode())
    response = client.post(f"/people/import/{job.pk}/passwords/", follow=True)
    assert response.context["issued"] == []
    assert "reissue them" in response.content.decode()
