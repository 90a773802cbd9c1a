"""Numbers too large for their column (1e30, 1e309), NaN and Infinity: refused with a message, never saved."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ustaz.grades import services
from ustaz.grades.models import Appeal, AppealStatus, Grade, GradeChange, GradeSource


def cell(client, course, item, student, value):
    return client.post(
        f"/courses/{course.pk}/grades/cell/",
        {"item": item.pk, "student": student.pk, "value": value},
        HTTP_HX_REQUEST="true",
    )


@pytest.fixture
def exam(course):
    return services.default_items_create(course=course)[-1]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1e30", "The number is too large"),
        ("NaN", "This is not a number"),
        ("Infinity", "An infinite value is not accepted"),
        ("-inf", "An infinite value is not accepted"),
        ("9" * 60, "is not a number"),
    ],
)
def test_a_cell_too_large_or_not_finite_answers_400_with_the_reason(
    teacher, student, course, exam, as_user, typed, message
):
    response = cell(as_user(teacher), course, exam, student, typed)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Grade.objects.exists() and not GradeChange.objects.exists()


def test_a_pasted_column_saves_its_good_values_and_refuses_1e30(teacher, student, course, as_user):
    # The journal's paste sends each pasted line as a cell of its own, one below the other.
    items = services.default_items_create(course=course)
    client = as_user(teacher)
    statuses = [
        cell(client, course, item, student, value).status_code
        for item, value in zip(items[:3], ["80", "1e30", "70"], strict=True)
    ]
    assert statuses == [200, 400, 200]
    assert sorted(Grade.objects.values_list("points", flat=True)) == [Decimal(70), Decimal(80)]


def _xlsx(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_an_import_with_1e309_refuses_that_line_and_writes_nothing(teacher, student, course, exam, as_user, kind):
    rows = [["login", "points"], [student.username, "1e309"]]
    if kind == "xlsx":
        content = _xlsx(rows)
    else:
        content = "\n".join(",".join(r) for r in rows).encode()
    upload = SimpleUploadedFile(f"grades.{kind}", content)
    response = as_user(teacher).post(f"/courses/{course.pk}/grades/import/", {"item": exam.pk, "file": upload})
    assert response.status_code == 400
    assert response.context["errors"] == [(2, "The number is too large: at most 9999.9.")]
    assert not Grade.objects.exists() and not GradeChange.objects.exists()


def test_an_appeals_new_points_of_1e30_answer_400(teacher, student, exam, as_user, db):
    from testkit.appeals import appeal_member_for

    commission = appeal_member_for(student, exam.course)
    services.grade_post(item=exam, student=student, points=Decimal(48), posted_by=teacher, source=GradeSource.JOURNAL)
    appeal = services.appeal_file(item=exam, student=student, grounds="Question 3.")
    response = as_user(commission).post(
        f"/appeals/{appeal.pk}/", {"granted": "1", "new_points": "1e30", "decision": "Granted."}
    )
    assert response.status_code == 400
    assert "The number is too large" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.PENDING
    assert list(Grade.objects.values_list("points", flat=True)) == [Decimal(48)]
    assert Appeal.objects.count() == 1
