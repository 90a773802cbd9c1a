"""Every upload path that keeps a name people gave their file stores the file under a generated name and keeps
the name only cleaned and byte-bounded: admission documents and exam recordings, chat and forum attachments,
course materials, the files of an assignment's instructions. A name of 70 emoji (280 bytes, beyond a file
system's 255) used to fail with a 500."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from testkit import admission
from testkit.factories import ProgrammeFactory, SectionFactory, UserFactory
from ustaz.admissions import exams, services
from ustaz.admissions.models import Campaign, ExamFormat, Offer
from ustaz.assignments import services as assignment_services
from ustaz.assignments.models import Assignment, LatePolicy
from ustaz.core.files import NAME_MAX_BYTES
from ustaz.discussions import access as discussion_access
from ustaz.discussions import forums
from ustaz.discussions import services as discussion_services
from ustaz.materials import services as material_services
from ustaz.materials.models import Material, MaterialKind

EMOJI_NAME = "🎵" * 70 + ".pdf"
RTL_NAME = "отчёт\u202efdp.exe"
PDF = b"%PDF-1.4\n% scan\n"


def assert_generated(stored: str, extension: str) -> None:
    assert re.fullmatch(r"[0-9a-f]{32}\." + extension, stored.rsplit("/", 1)[-1]), stored
    assert default_storage.exists(stored)


def assert_cleaned(name: str) -> None:
    assert len(name.encode()) <= NAME_MAX_BYTES and "\u202e" not in name and name.strip(".")


@pytest.fixture
def offer(db):
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        title="2027", opens_on=today - datetime.timedelta(days=3), closes_on=today + datetime.timedelta(days=30)
    )
    return Offer.objects.create(campaign=campaign, programme=ProgrammeFactory(), places=10, fee_per_year=1_500_000)


def test_an_admission_document_is_stored_under_a_generated_name(offer):
    applicant = UserFactory(roles=",applicant,")
    application = services.application_draft(applicant=applicant, offer=offer, basis="higher_blended")
    for name in (EMOJI_NAME, RTL_NAME, "\u202e\u200b"):
        document = services.document_add(
            application=application, kind="identity", upload=SimpleUploadedFile(name, PDF), by=applicant
        )
        assert_generated(document.file.name, "pdf")  # from its content, whatever the name says
        assert_cleaned(document.name)
    assert document.name == "document.pdf"  # nothing left of the name it came with


def test_an_exam_recording_is_stored_under_a_generated_name(offer, office, tmp_path):
    from testkit import media as make

    application = admission.checked_application(offer, by=office)
    exam = admission.exam(offer, format=ExamFormat.RECORDING)
    sound = make.tone(tmp_path / "t.wav", seconds=1).read_bytes()
    recording = exams.recording_add(exam=exam, application=application, upload=SimpleUploadedFile(EMOJI_NAME, sound))
    assert_generated(recording.file.name, "wav")
    assert_cleaned(recording.name)
    assert recording.name.endswith(".pdf")  # the name it came with, shown as it was (cleaned)


def test_chat_and_forum_attachments_are_stored_under_generated_names(course, teacher, student):
    room = discussion_services.course_room(course)
    attachment = discussion_services.attachment_add(room=room, user=student, upload=SimpleUploadedFile(EMOJI_NAME, PDF))
    assert_generated(attachment.file.name, "pdf")
    assert_cleaned(attachment.name)
    forum = discussion_access.get_forum_for(student, forums.course_forum(course).pk)
    thread = forums.thread_start(
        forum=forum, author=student, title="Сұрақ", body="Файл", files=[SimpleUploadedFile(RTL_NAME, PDF)]
    )
    posted = thread.posts.get().files.get()
    assert_generated(posted.file.name, "exe")
    assert posted.name == "отчётfdp.exe"


def test_a_material_and_an_instructions_file_are_stored_under_generated_names(course, teacher):
    section = SectionFactory(course=course)
    material = Material(course=course, section=section, kind=MaterialKind.FILE, title="Ноталар")
    material_services.material_save(material=material, author=teacher, upload=SimpleUploadedFile(EMOJI_NAME, PDF))
    assert_generated(material.file.name, "pdf")
    assert_cleaned(material.file_name)
    now = timezone.now()
    assignment = Assignment(
        course=course,
        title="Этюд",
        opens_at=now,
        due_at=now + datetime.timedelta(days=7),
        late_policy=LatePolicy.ACCEPT,
        accepts=["pdf"],
    )
    assignment_services.assignment_save(assignment=assignment, by=teacher, files=[SimpleUploadedFile(EMOJI_NAME, PDF)])
    item = assignment.files.get()
    assert_generated(item.file.name, "pdf")
    assert_cleaned(item.name)
