import re

import pytest

from testkit.factories import MaterialFactory, SectionFactory
from ustaz.materials.models import MaterialKind


def test_students_of_the_course_see_published_materials_only(student, course, as_user):
    section = SectionFactory(course=course)
    published = MaterialFactory(section=section, title="Published notes")
    MaterialFactory(section=section, title="Secret draft", is_published=False)
    response = as_user(student).get(f"/courses/{course.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert published.title in body
    assert "Secret draft" not in body
    assert "§2.5" in body  # the notice against redistribution


def test_the_teacher_sees_drafts_too(teacher, course, as_user):
    MaterialFactory(section=SectionFactory(course=course), title="Secret draft", is_published=False)
    assert "Secret draft" in as_user(teacher).get(f"/courses/{course.pk}/").content.decode()


def test_a_student_of_another_course_gets_404(other_student, course, as_user):
    MaterialFactory(section=SectionFactory(course=course))
    assert as_user(other_student).get(f"/courses/{course.pk}/").status_code == 404


def test_the_office_sees_any_course(office, course, as_user):
    assert as_user(office).get(f"/courses/{course.pk}/").status_code == 200


def test_the_anonymous_are_sent_to_login(client, course):
    response = client.get(f"/courses/{course.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_draft_material_does_not_exist_for_students(student, course, as_user):
    draft = MaterialFactory(section=SectionFactory(course=course), is_published=False)
    assert as_user(student).get(f"/courses/{course.pk}/materials/{draft.pk}/").status_code == 404


def test_a_material_of_another_course_is_not_reachable_through_this_one(student, course, as_user):
    foreign = MaterialFactory()
    assert as_user(student).get(f"/courses/{course.pk}/materials/{foreign.pk}/").status_code == 404


def test_a_text_page_is_shown_sanitized(student, course, as_user):
    from ustaz.materials.markup import render_markdown

    body = "# Title\n\n<script>alert(1)</script> [x](javascript:alert(1)) **bold**"
    page = MaterialFactory(section=SectionFactory(course=course), body=body, body_html=render_markdown(body))
    html = as_user(student).get(f"/courses/{course.pk}/materials/{page.pk}/").content.decode()
    assert "<strong>bold</strong>" in html
    assert "<script>alert" not in html
    assert "javascript:" not in html


def test_a_youtube_link_is_embedded_privacy_enhanced(student, course, as_user):
    video = MaterialFactory(
        section=SectionFactory(course=course),
        kind=MaterialKind.VIDEO,
        url="https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10",
    )
    html = as_user(student).get(f"/courses/{course.pk}/materials/{video.pk}/").content.decode()
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html


@pytest.mark.parametrize("count", [5, 50])
def test_the_course_page_makes_the_same_queries_however_many_materials(
    count, student, teacher, course, as_user, django_assert_max_num_queries
):
    sections = [SectionFactory(course=course) for _ in range(5)]
    for n in range(count):
        MaterialFactory(
            section=sections[n % 5],
            kind=[MaterialKind.PAGE, MaterialKind.LINK][n % 2],
            url="https://example.org/",
            is_published=n % 7 != 0,
        )
    teacher_client = as_user(teacher)
    # The teacher: session, user, course, teaching relation, course with discipline and term, sections, their
    # materials, teachers.
    with django_assert_max_num_queries(8):
        assert teacher_client.get(f"/courses/{course.pk}/").status_code == 200
    client = as_user(student)
    # A student, first visit: session, user, course, enrolment, cache read, course with discipline and term,
    # teachers, sections, materials, cache write (the database cache reads the time, counts, reads and writes).
    with django_assert_max_num_queries(14):
        first = client.get(f"/courses/{course.pk}/")
    # Then from the cache: session, user, course, enrolment, cache read.
    with django_assert_max_num_queries(5):
        again = client.get(f"/courses/{course.pk}/")

    def without_csrf(response):
        text = re.sub(r'"X-CSRFToken": "[^"]+"', "", response.content.decode())
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)

    assert without_csrf(first) == without_csrf(again)
    assert "Material" in without_csrf(again)


def test_students_see_a_change_at_once_despite_the_cache(teacher, student, course, as_user):
    section = SectionFactory(course=course)
    client = as_user(student)
    assert "Fresh notes" not in client.get(f"/courses/{course.pk}/").content.decode()
    as_user(teacher).post(
        f"/courses/{course.pk}/materials/new/?kind=link&section={section.pk}",
        {"section": section.pk, "title": "Fresh notes", "url": "https://example.org/", "is_published": "on"},
    )
    assert "Fresh notes" in client.get(f"/courses/{course.pk}/").content.decode()
    material = course.materials.get(title="Fresh notes")
    as_user(teacher).post(f"/courses/{course.pk}/materials/{material.pk}/publish/", {"published": "0"})
    assert "Fresh notes" not in client.get(f"/courses/{course.pk}/").content.decode()


def test_the_new_material_form_ignores_a_section_that_is_no_number(as_user, course, teacher):
    # "²" is a digit to str.isdigit(), not to int().
    response = as_user(teacher).get(f"/courses/{course.pk}/materials/new/?kind=page&section=²")
    assert response.status_code == 200
