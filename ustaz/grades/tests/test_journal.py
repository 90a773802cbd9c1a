from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ustaz.grades import selectors, services
from ustaz.grades.models import Grade, GradeChange, GradeItem, GradeSource

D = Decimal


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in English; the other languages are the catalogues' business.
    with translation.override("en"):
        yield


@pytest.fixture
def items(course):
    # The default columns are named in the language of whoever opens the journal first: English here.
    with translation.override("en"):
        return {i.title: i for i in services.default_items_create(course=course)}


def post(item, student, points, by, **kwargs):
    return services.grade_post(
        item=item,
        student=student,
        points=points,
        posted_by=by,
        source=kwargs.pop("source", GradeSource.JOURNAL),
        **kwargs,
    )


def test_the_worked_example_of_rules_md_through_the_journal(teacher, student, course, items):
    for title, points in (
        ("Current control 1", 80),
        ("Midterm 1 (RK1)", 90),
        ("Current control 2", 70),
        ("Midterm 2 (RK2)", 80),
        ("Exam", 90),
    ):
        post(items[title], student, D(points), teacher)
    _items, [row] = selectors.journal(course)
    assert (row.standing.r1, row.standing.r2) == (D(85), D(75))
    result = row.standing.result
    assert (result.admission_rating, result.admitted, result.final_score, result.letter.letter) == (
        D(80),
        True,
        D(84),
        "B",
    )


def test_marks_are_read_as_percentages_of_the_column_maximum(teacher, student, course):
    with translation.override("en"):
        services.default_items_create(course=course)
    essay = services.item_create(course=course, kind="current", period=1, title="Essay", max_points=D(20), weight=D(2))
    items = {i.title: i for i in course.grade_items.all()}
    post(items["Current control 1"], student, D(60), teacher)
    post(essay, student, D(18), teacher)  # 90 %, counted twice
    post(items["Midterm 1 (RK1)"], student, D(80), teacher)
    _items, [row] = selectors.journal(course)
    assert row.standing.r1 == D(80)  # current (60 + 2 * 90) / 3 = 80, (80 + 80) / 2


def test_every_change_is_kept_with_who_and_why(teacher, student, items):
    exam = items["Exam"]
    post(exam, student, D(40), teacher)
    post(exam, student, D(45), teacher, reason="Typo")
    post(exam, student, None, teacher)
    changes = list(GradeChange.objects.order_by("id").values_list("old_points", "new_points", "changed_by", "reason"))
    assert changes == [(None, D(40), teacher.pk, ""), (D(40), D(45), teacher.pk, "Typo"), (D(45), None, teacher.pk, "")]
    assert not Grade.objects.exists()
    # Posting the same value again changes nothing and records nothing.
    post(exam, student, D(50), teacher)
    post(exam, student, D(50), teacher)
    assert GradeChange.objects.count() == 4


@pytest.mark.parametrize(
    ("typed", "message"),
    [("101", "from 0 to 100"), ("-1", "from 0 to 100"), ("8a", "is not a number"), ("85.55", "one decimal")],
)
def test_bad_values_are_refused_with_a_reason(teacher, student, items, typed, message):
    with pytest.raises(ValidationError, match=message):
        post(items["Exam"], student, services.parse_points(typed), teacher)
    assert not Grade.objects.exists()


def test_a_comma_is_a_decimal_point(teacher, student, items):
    post(items["Exam"], student, services.parse_points("85,5"), teacher)
    assert Grade.objects.get().points == D("85.5")


def test_a_locked_column_needs_the_offices_approval_and_a_reason(teacher, office, student, items):
    exam = items["Exam"]
    post(exam, student, D(60), teacher)
    GradeItem.objects.filter(pk=exam.pk).update(is_locked=True)
    exam.refresh_from_db()
    with pytest.raises(ValidationError, match="locked"):
        post(exam, student, D(70), teacher)
    with pytest.raises(ValidationError, match="reason"):
        post(exam, student, D(70), office, approved=True)
    post(exam, student, D(70), office, approved=True, reason="Appeal No. 12 granted")
    assert GradeChange.objects.filter(reason="Appeal No. 12 granted", changed_by=office).exists()


def test_only_enrolled_students_get_grades(teacher, other_student, items):
    with pytest.raises(ValidationError, match="not enrolled"):
        post(items["Exam"], other_student, D(50), teacher)


def test_a_student_not_admitted_has_an_f_once_the_term_is_over(teacher, student, course, items):
    import datetime

    from django.utils import timezone

    for title, points in (
        ("Current control 1", 40),
        ("Midterm 1 (RK1)", 40),
        ("Current control 2", 40),
        ("Midterm 2 (RK2)", 40),
    ):
        post(items[title], student, D(points), teacher)
    _items, [row] = selectors.journal(course)
    assert not row.standing.result.admitted and row.standing.result.letter is None
    course.term.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    course.term.save()
    _items, [row] = selectors.journal(course)
    assert row.standing.result.letter.letter == "F"


def test_a_column_closes_to_the_teacher_after_its_entry_date(teacher, office, student, course):
    import datetime

    from django.utils import timezone

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    week = services.item_create(course=course, kind="current", period=1, title="Week 3", entry_until=yesterday)
    assert week.is_closed
    with pytest.raises(ValidationError, match="locked"):
        post(week, student, D(70), teacher)
    post(week, student, D(70), office, approved=True, reason="Permission of the office, 7 days")
    today = services.item_create(
        course=course, kind="current", period=1, title="Week 4", entry_until=timezone.localdate()
    )
    assert not today.is_closed
    post(today, student, D(80), teacher)
