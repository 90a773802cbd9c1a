import pytest

from testkit.factories import CourseFactory, DisciplineFactory, StudyGroupFactory, UserFactory, current_term
from ustaz.academics.models import Course, DltBasis, Enrolment, StudentRecord


def make_group(size: int):
    group = StudyGroupFactory()
    for _ in range(size):
        StudentRecord.objects.create(
            student=UserFactory(roles=",student,"), programme=group.programme, group=group, dlt_basis=DltBasis.EXCHANGE
        )
    return group


def test_the_office_creates_a_course_for_a_term_and_enrols_groups(office, as_user):
    teacher = UserFactory(roles=",teacher,")
    discipline = DisciplineFactory()
    group = make_group(4)
    response = as_user(office).post(
        "/office/courses/new/",
        {"term": current_term().pk, "discipline": discipline.pk, "teachers": [teacher.pk], "groups": [group.pk]},
    )
    course = Course.objects.get(discipline=discipline)
    assert response["Location"] == f"/courses/{course.pk}/"
    assert list(course.teachers.all()) == [teacher]
    assert Enrolment.objects.filter(course=course).count() == 4


def test_enrolling_a_group_twice_enrols_each_student_once(office, as_user):
    course = CourseFactory()
    group = make_group(3)
    client = as_user(office)
    client.post(f"/office/courses/{course.pk}/enrol/", {"group": group.pk})
    client.post(f"/office/courses/{course.pk}/enrol/", {"group": group.pk})
    assert Enrolment.objects.filter(course=course).count() == 3


@pytest.mark.parametrize("persona", ["teacher", "student", "ict"])
def test_other_roles_may_not_create_courses_or_enrol(request, persona, course, as_user):
    client = as_user(request.getfixturevalue(persona))
    assert client.get("/office/courses/new/").status_code == 403
    assert client.post(f"/office/courses/{course.pk}/enrol/", {}).status_code == 403


def test_the_admin_opens_to_the_office_and_not_to_students(office, student, as_user):
    assert as_user(office).get("/admin/academics/programme/").status_code == 200
    assert as_user(student).get("/admin/academics/programme/").status_code == 302
