import pytest

from testkit.factories import CourseFactory, UserFactory, enrol
from ustaz.accounts.models import Role


def test_a_student_sees_this_terms_courses_and_their_teachers(student, teacher, course, as_user):
    CourseFactory()  # a course the student is not in
    response = as_user(student).get("/")
    assert [c.pk for c in response.context["studying"]] == [course.pk]
    assert response.context["teaching"] is None
    body = response.content.decode()
    assert teacher.short_name in body
    # Only the student's own list is shown.
    assert "Courses I study" in body
    assert "Courses I teach" not in body and "All courses of the term" not in body


def test_a_teacher_sees_the_courses_they_teach(teacher, course, as_user):
    CourseFactory()
    response = as_user(teacher).get("/")
    assert [c.pk for c in response.context["teaching"]] == [course.pk]
    assert "Courses I study" not in response.content.decode()


def test_the_academic_office_sees_every_course(office, course, as_user):
    other = CourseFactory()
    response = as_user(office).get("/")
    assert {c.pk for c in response.context["all_courses"]} == {course.pk, other.pk}


def test_the_anonymous_are_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


@pytest.mark.parametrize("count", [5, 50])
def test_the_home_page_makes_the_same_queries_however_many_courses(db, count, as_user, django_assert_max_num_queries):
    student = UserFactory(roles=f",{Role.STUDENT},")
    teachers = [UserFactory(roles=f",{Role.TEACHER},") for _ in range(3)]
    for n in range(count):
        course = CourseFactory()
        course.teachers.set(teachers[: 1 + n % 3])
        enrol(student, course)
    client = as_user(student)
    # session, user, current term, courses, their teachers
    with django_assert_max_num_queries(5):
        response = client.get("/")
    assert len(response.context["studying"]) == count
