from decimal import Decimal

import pytest

from testkit.factories import UserFactory, enrol
from ustaz.grades import services
from ustaz.grades.models import Grade, GradeChange, GradeItem, GradeSource


def cell(client, course, item, student, value):
    return client.post(
        f"/courses/{course.pk}/grades/cell/",
        {"item": item.pk, "student": student.pk, "value": value},
        HTTP_HX_REQUEST="true",
    )


def test_the_teacher_saves_a_cell_and_gets_the_rows_results(teacher, student, course, as_user):
    client = as_user(teacher)
    assert client.get(f"/courses/{course.pk}/grades/").status_code == 200  # creates the default columns
    items = {i.title: i for i in course.grade_items.all()}
    for title, value in (("Current control 1", "80"), ("Midterm 1 (RK1)", "90"), ("Current control 2", "70")):
        cell(client, course, items[title], student, value)
    response = cell(client, course, items["Midterm 2 (RK2)"], student, "80")
    html = response.content.decode()
    assert f'id="c{student.pk}-{items["Midterm 2 (RK2)"].pk}"' in html
    assert f'id="ar-{student.pk}" class="text-end fw-semibold" hx-swap-oob="true">80.0<' in html
    assert "admitted" in html


def test_a_malformed_value_is_refused_in_place_and_kept_in_the_cell(teacher, student, course, as_user):
    client = as_user(teacher)
    client.get(f"/courses/{course.pk}/grades/")
    exam = course.grade_items.get(kind="exam")
    html = cell(client, course, exam, student, "9o").content.decode()
    assert 'value="9o"' in html and "is-invalid" in html and "is not a number" in html
    assert not Grade.objects.exists()


def test_a_student_sees_only_their_own_row(student, course, teacher, as_user):
    classmate = UserFactory(roles=",student,", last_name="Classmate")
    enrol(classmate, course)
    exam = services.default_items_create(course=course)[-1]
    services.grade_post(item=exam, student=classmate, points=Decimal(77), posted_by=teacher, source=GradeSource.JOURNAL)
    response = as_user(student).get(f"/courses/{course.pk}/grades/")
    assert response.status_code == 200
    assert "Classmate" not in response.content.decode()
    assert response.context["row"].student == student


def test_students_may_not_write_grades(student, course, as_user):
    exam = services.default_items_create(course=course)[-1]
    assert cell(as_user(student), course, exam, student, "100").status_code == 403
    assert not Grade.objects.exists()


@pytest.mark.parametrize("persona", ["other_student"])
def test_a_student_of_another_course_gets_404(request, persona, course, as_user):
    assert as_user(request.getfixturevalue(persona)).get(f"/courses/{course.pk}/grades/").status_code == 404


def test_a_teacher_of_another_course_gets_404(course, student, as_user):
    from testkit.factories import CourseFactory

    stranger = UserFactory(roles=",teacher,")
    CourseFactory().teachers.add(stranger)
    exam = services.default_items_create(course=course)[-1]
    client = as_user(stranger)
    assert client.get(f"/courses/{course.pk}/grades/").status_code == 404
    assert cell(client, course, exam, student, "50").status_code == 404


def test_a_locked_column_is_shown_but_not_editable_by_the_teacher(teacher, student, course, as_user):
    exam = services.default_items_create(course=course)[-1]
    GradeItem.objects.filter(pk=exam.pk).update(is_locked=True)
    client = as_user(teacher)
    page = client.get(f"/courses/{course.pk}/grades/").content.decode()
    assert f'<td id="c{student.pk}-{exam.pk}" class="jc"> <svg class="lock"' in page
    other = course.grade_items.exclude(pk=exam.pk).first()
    assert f'<td id="c{student.pk}-{other.pk}" class="jc"><input' in page
    html = cell(client, course, exam, student, "50").content.decode()
    assert "locked" in html
    assert not GradeChange.objects.exists()


@pytest.mark.parametrize(("students", "extra_items"), [(5, 5), (40, 35)])
def test_the_journal_makes_the_same_queries_however_many_students_and_columns(
    db, teacher, course, as_user, students, extra_items, django_assert_max_num_queries
):
    items = services.default_items_create(course=course)
    for n in range(extra_items):
        items.append(services.item_create(course=course, kind="current", period=1 + n % 2, title=f"Task {n}"))
    for n in range(students):
        person = UserFactory(roles=",student,")
        enrol(person, course)
        for item in items[: n % len(items)]:
            Grade.objects.create(item=item, student=person, points=Decimal(n % 100), source=GradeSource.JOURNAL)
    client = as_user(teacher)
    # session, user, course, teaching relation, columns exist?, columns, enrolments with students, grades,
    # the course's groups (for their exam statements)
    with django_assert_max_num_queries(9):
        response = client.get(f"/courses/{course.pk}/grades/")
    assert len(response.context["rows"]) == students


def test_the_teacher_adds_a_column_and_locks_it_and_only_the_office_opens_it(teacher, office, student, course, as_user):
    client = as_user(teacher)
    client.get(f"/courses/{course.pk}/grades/")
    response = client.post(
        f"/courses/{course.pk}/grades/columns/",
        {"title": "Etude", "kind": "current", "period": "2", "max_points": "20", "weight": "1"},
    )
    assert response.status_code == 302
    etude = course.grade_items.get(title="Etude")
    assert (etude.period, etude.max_points) == (2, Decimal(20))
    client.post(f"/courses/{course.pk}/grades/columns/{etude.pk}/lock/", {"locked": "1"})
    etude.refresh_from_db()
    assert etude.is_locked
    assert client.post(f"/courses/{course.pk}/grades/columns/{etude.pk}/lock/", {"locked": "0"}).status_code == 403
    # The office changes a locked grade, with the reason kept in the history.
    office_client = as_user(office)
    response = office_client.post(
        f"/courses/{course.pk}/grades/cell/",
        {"item": etude.pk, "student": student.pk, "value": "18", "reason": "Late work accepted by order 45"},
        HTTP_HX_REQUEST="true",
    )
    assert "invalid" not in response.content.decode()
    change = GradeChange.objects.get(item=etude)
    assert (change.new_points, change.changed_by, change.reason) == (
        Decimal(18),
        office,
        "Late work accepted by order 45",
    )
    office_client.post(f"/courses/{course.pk}/grades/columns/{etude.pk}/lock/", {"locked": "0"})
    etude.refresh_from_db()
    assert not etude.is_locked


def test_a_column_without_a_rating_is_refused(teacher, course, as_user):
    client = as_user(teacher)
    client.post(
        f"/courses/{course.pk}/grades/columns/",
        {"title": "Quiz", "kind": "current", "period": "", "max_points": "10", "weight": "1"},
    )
    assert not course.grade_items.filter(title="Quiz").exists()


def test_the_journal_is_exported_to_excel_for_its_teachers_only(teacher, student, other_student, course, as_user):
    import io

    import openpyxl

    exam = services.default_items_create(course=course)[-1]
    services.grade_post(
        item=exam, student=student, points=Decimal("77.5"), posted_by=teacher, source=GradeSource.JOURNAL
    )
    response = as_user(teacher).get(f"/courses/{course.pk}/grades/journal.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    row = [c.value for c in sheet[3]]
    assert row[1] == student.username
    assert 77.5 in row
    assert as_user(student).get(f"/courses/{course.pk}/grades/journal.xlsx").status_code == 403
    assert as_user(other_student).get(f"/courses/{course.pk}/grades/journal.xlsx").status_code == 404


def test_the_history_shows_every_change_to_the_teacher_and_a_students_own_to_the_student(
    teacher, student, course, as_user, django_assert_max_num_queries
):
    classmate = UserFactory(roles=",student,", last_name="Classmate")
    enrol(classmate, course)
    exam = services.default_items_create(course=course)[-1]
    for who, points in ((student, 60), (student, 65), (classmate, 70)):
        services.grade_post(
            item=exam, student=who, points=Decimal(points), posted_by=teacher, source=GradeSource.JOURNAL
        )
    client = as_user(teacher)
    # session, user, course, teaching relation, changes with their columns and people
    with django_assert_max_num_queries(5):
        response = client.get(f"/courses/{course.pk}/grades/history/")
    assert len(response.context["changes"]) == 3
    own = as_user(student).get(f"/courses/{course.pk}/grades/history/")
    assert [c.new_points for c in own.context["changes"]] == [Decimal(65), Decimal(60)]
    assert "Classmate" not in own.content.decode()
