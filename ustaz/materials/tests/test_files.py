from django.core.files.uploadedfile import SimpleUploadedFile

from testkit.factories import SectionFactory
from ustaz.core.models import AuditAction, AuditEvent
from ustaz.materials.models import Material, MaterialDownload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def add_file(client, course, section, *, name="Гармония.pdf", content=PDF, publish=True):
    data = {"section": section.pk, "title": "Syllabus", "description": "", "file": SimpleUploadedFile(name, content)}
    if publish:
        data["is_published"] = "on"
    return client.post(f"/courses/{course.pk}/materials/new/?kind=file", data)


def test_a_teacher_uploads_a_file_and_a_student_downloads_it(teacher, student, course, as_user):
    section = SectionFactory(course=course)
    response = add_file(as_user(teacher), course, section)
    assert response.status_code == 302
    material = Material.objects.get(course=course)
    assert (material.file_name, material.content_type, material.size) == ("Гармония.pdf", "application/pdf", len(PDF))

    response = as_user(student).get(f"/courses/{course.pk}/materials/{material.pk}/file/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"file.pdf\"; filename*=UTF-8''%D0%93%D0%B0%D1%80%D0%BC%D0%BE%D0%BD%D0%B8%D1%8F.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    download = MaterialDownload.objects.get()
    assert (download.material, download.user) == (material, student)


def test_an_html_file_is_never_shown_inline(teacher, course, as_user):
    add_file(as_user(teacher), course, SectionFactory(course=course), name="page.html", content=b"<script>x</script>")
    material = Material.objects.get()
    response = as_user(teacher).get(f"/courses/{course.pk}/materials/{material.pk}/file/?inline=1")
    assert response["Content-Disposition"].startswith("attachment;")


def test_the_file_is_refused_to_a_student_of_another_course(teacher, other_student, course, as_user):
    add_file(as_user(teacher), course, SectionFactory(course=course))
    material = Material.objects.get()
    assert as_user(other_student).get(f"/courses/{course.pk}/materials/{material.pk}/file/").status_code == 404
    assert not MaterialDownload.objects.exists()


def test_the_file_of_a_draft_is_refused_to_students(teacher, student, course, as_user):
    add_file(as_user(teacher), course, SectionFactory(course=course), publish=False)
    material = Material.objects.get()
    assert as_user(student).get(f"/courses/{course.pk}/materials/{material.pk}/file/").status_code == 404


def test_an_empty_file_gets_a_clear_message_and_the_form_keeps_its_text(teacher, course, as_user):
    response = add_file(as_user(teacher), course, SectionFactory(course=course), name="empty.pdf", content=b"")
    assert response.status_code == 200
    assert "The file empty.pdf is empty." in response.content.decode()
    assert response.context["form"]["title"].value() == "Syllabus"
    assert not Material.objects.exists()


def test_an_oversize_file_gets_a_clear_message(settings, teacher, course, as_user):
    settings.MATERIAL_MAX_UPLOAD_MB = 1
    response = add_file(as_user(teacher), course, SectionFactory(course=course), content=b"x" * (1024 * 1024 + 1))
    assert "the largest allowed is 1 MB" in response.content.decode()
    assert not Material.objects.exists()


def test_students_may_not_add_materials(student, course, as_user):
    assert add_file(as_user(student), course, SectionFactory(course=course)).status_code == 403


def test_a_teacher_of_another_course_may_not_add_materials(course, as_user):
    from testkit.factories import CourseFactory, UserFactory

    stranger = UserFactory(roles=",teacher,")
    CourseFactory().teachers.add(stranger)
    assert add_file(as_user(stranger), course, SectionFactory(course=course)).status_code == 404


def test_publishing_with_htmx_returns_the_row(teacher, student, course, as_user):
    add_file(as_user(teacher), course, SectionFactory(course=course), publish=False)
    material = Material.objects.get()
    response = as_user(teacher).post(
        f"/courses/{course.pk}/materials/{material.pk}/publish/", {"published": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert f'id="material-{material.pk}"' in response.content.decode()
    assert as_user(student).get(f"/courses/{course.pk}/materials/{material.pk}/file/").status_code == 200
    # A student cannot publish or unpublish.
    assert (
        as_user(student).post(f"/courses/{course.pk}/materials/{material.pk}/publish/", {"published": "0"}).status_code
        == 403
    )


def test_deleting_a_material_is_audited_and_removes_the_file(
    teacher, course, as_user, django_capture_on_commit_callbacks
):
    add_file(as_user(teacher), course, SectionFactory(course=course))
    material = Material.objects.get()
    storage, name = material.file.storage, material.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(teacher).post(f"/courses/{course.pk}/materials/{material.pk}/delete/")
    assert response.status_code == 302
    assert not storage.exists(name)
    assert not Material.objects.exists()
    event = AuditEvent.objects.get(action=AuditAction.MATERIAL_DELETED)
    assert event.actor == teacher
    assert event.details["file"] == "Гармония.pdf"


def test_materials_are_reordered(teacher, course, as_user):
    section = SectionFactory(course=course)
    client = as_user(teacher)
    for title in ("A", "B"):
        client.post(
            f"/courses/{course.pk}/materials/new/?kind=link&section={section.pk}",
            {"section": section.pk, "title": title, "url": "https://example.org/", "is_published": "on"},
        )
    b = Material.objects.get(title="B")
    client.post(f"/courses/{course.pk}/materials/{b.pk}/move/", {"direction": "up"})
    assert list(Material.objects.order_by("position").values_list("title", flat=True)) == ["B", "A"]


def test_the_teacher_sees_who_downloaded_a_file_and_when(
    teacher, student, other_student, course, as_user, django_assert_max_num_queries
):
    add_file(as_user(teacher), course, SectionFactory(course=course))
    material = Material.objects.get()
    for _ in range(3):
        as_user(student).get(f"/courses/{course.pk}/materials/{material.pk}/file/")
    client = as_user(teacher)
    assert "↓ 3" in client.get(f"/courses/{course.pk}/").content.decode()
    # session, user, course, teaching relation, material, count, downloads with their students
    with django_assert_max_num_queries(7):
        response = client.get(f"/courses/{course.pk}/materials/{material.pk}/downloads/")
    assert response.context["total"] == 3
    assert {d.user for d in response.context["downloads"]} == {student}
    # Students, of this course or another, may not see the log.
    assert as_user(student).get(f"/courses/{course.pk}/materials/{material.pk}/downloads/").status_code == 403
    assert as_user(other_student).get(f"/courses/{course.pk}/materials/{material.pk}/downloads/").status_code == 404


def test_nginx_sends_the_file_when_x_accel_is_set(settings, teacher, student, course, as_user):
    add_file(as_user(teacher), course, SectionFactory(course=course))
    material = Material.objects.get()
    settings.FILE_SERVING = "x-accel"
    response = as_user(student).get(f"/courses/{course.pk}/materials/{material.pk}/file/")
    assert response["X-Accel-Redirect"] == f"/protected/{material.file.name}"
    assert response.content == b""
    assert response["Content-Type"] == "application/pdf"
    assert MaterialDownload.objects.filter(user=student).count() == 1


def test_s3_storage_answers_with_a_short_lived_signed_url(settings, student, course, as_user):
    from urllib.parse import parse_qs, urlparse

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "ustaz-media",
                "endpoint_url": "https://s3.example.kz",
                "region_name": "kz-1",
                "access_key": "AKIAEXAMPLE",
                "secret_key": "secret",
                "querystring_auth": True,
                "querystring_expire": 300,
                "default_acl": "private",
            },
        },
    }
    from django.core.files.storage import storages

    storages._storages.pop("default", None)
    # The object is taken to be in the bucket already: signing a URL needs no network.
    material = Material.objects.create(
        course=course,
        section=SectionFactory(course=course),
        kind="file",
        title="Score",
        is_published=True,
        file="materials/1/score.pdf",
        file_name="Партитура.pdf",
        content_type="application/pdf",
        size=10,
    )
    response = as_user(student).get(f"/courses/{course.pk}/materials/{material.pk}/file/")
    assert response.status_code == 302
    location = urlparse(response["Location"])
    query = parse_qs(location.query)
    assert location.netloc in {"s3.example.kz", "ustaz-media.s3.example.kz"}
    assert location.path.endswith("materials/1/score.pdf")
    assert query["X-Amz-Expires"] == ["300"]
    assert "X-Amz-Signature" in query
    assert query["response-content-disposition"][0].startswith("attachment;")
    assert query["response-content-type"] == ["application/pdf"]
    storages._storages.pop("default", None)
