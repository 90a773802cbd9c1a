"""The testing centre's pages: banks imported with errors by line, tests set by the teacher, per role."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ustaz.quizzes.models import Bank, Question, Test


def open_test(course, bank, *, count: int, **fields) -> Test:
    """A test open for the next hour, drawing `count` questions from the bank's only category."""
    import datetime

    from django.utils import timezone

    from ustaz.quizzes.models import Category, Section

    now = timezone.now()
    test = Test.objects.create(
        course=course,
        title="T",
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(hours=1),
        review="after_submit",
        **fields,
    )
    Section.objects.create(test=test, category=Category.objects.get(bank=bank), count=count)
    return test


BANK = "<question> Домбыраның неше ішегі бар?\n<variant> Екі\n<variant> Үш\n<variant> Төрт\n"


def test_the_teacher_imports_a_platonus_bank_in_kz1048(as_user, course, teacher, django_capture_on_commit_callbacks):
    client = as_user(teacher)
    response = client.post(reverse("quizzes:banks"), {"discipline": course.discipline_id, "name": "Аспаптану"})
    bank = Bank.objects.get(name="Аспаптану")
    assert response["Location"] == reverse("quizzes:bank", args=[bank.pk])
    upload = SimpleUploadedFile("bank.txt", BANK.encode("kz1048"))
    with django_capture_on_commit_callbacks(execute=True):  # the import is queued for the worker
        response = client.post(
            reverse("quizzes:bank", args=[bank.pk]),
            {"file": upload, "format": "platonus", "encoding": "auto", "category": "Домбыра"},
        )
    assert response.status_code == 302
    question = Question.objects.get(bank=bank)
    assert question.current.text == "Домбыраның неше ішегі бар?" and question.current.data["options"][0] == "Екі"


def test_a_broken_file_imports_nothing_and_names_the_line(as_user, course, teacher, django_capture_on_commit_callbacks):
    bank = Bank.objects.create(discipline=course.discipline, name="B")
    broken = BANK + "<question> Жалғыз нұсқа\n<variant> Иә\n"
    with django_capture_on_commit_callbacks(execute=True):  # the import is queued for the worker
        response = as_user(teacher).post(
            reverse("quizzes:bank", args=[bank.pk]),
            {
                "file": SimpleUploadedFile("bank.txt", broken.encode()),
                "format": "platonus",
                "encoding": "auto",
                "category": "X",
            },
        )
    response = as_user(teacher).get(response["Location"])
    page = response.content.decode()
    assert response.status_code == 200 and "Line 5" in page and "at least two" in page
    assert not Question.objects.exists()


def test_banks_and_test_forms_are_for_teachers(as_user, course, teacher, student, other_student):
    bank = Bank.objects.create(discipline=course.discipline, name="B")
    assert as_user(student).get(reverse("quizzes:bank", args=[bank.pk])).status_code == 404
    assert as_user(student).get(reverse("quizzes:banks")).status_code == 404
    assert as_user(student).get(reverse("quizzes:create", args=[course.pk])).status_code == 403
    assert as_user(other_student).get(reverse("quizzes:course", args=[course.pk])).status_code == 404
    assert as_user(teacher).get(reverse("quizzes:create", args=[course.pk])).status_code == 200


def test_the_teacher_sets_a_test_drawing_from_a_category(as_user, course, teacher, student):
    from ustaz.quizzes import services

    bank = Bank.objects.create(discipline=course.discipline, name="B")
    services.bank_import(bank=bank, category="Домбыра", raw=BANK.encode(), fmt="platonus", by=teacher)
    form = {
        "title": "Тест",
        "opens_at": "2026-01-01T09:00",
        "closes_at": "2099-01-01T09:00",
        "time_limit_minutes": 20,
        "attempts_allowed": 1,
        "grading_method": "highest",
        "pass_percent": 50,
        "review": "after_submit",
        "shuffle_options": "on",
    }
    bad = as_user(teacher).post(reverse("quizzes:create", args=[course.pk]), {**form, "sections": "Жоқ: 3"})
    assert "Line 1" in bad.content.decode()
    good = as_user(teacher).post(reverse("quizzes:create", args=[course.pk]), {**form, "sections": "домбыра: 1"})
    assert good.status_code == 302
    test = Test.objects.get(title="Тест")
    assert [(s.category.name, s.count) for s in test.sections.all()] == [("Домбыра", 1)]
    page = as_user(student).get(reverse("quizzes:test", args=[course.pk, test.pk])).content.decode()
    assert "Start the test" in page


def test_a_bank_exports_and_imports_back(as_user, course, teacher, student, django_capture_on_commit_callbacks):
    from ustaz.quizzes import services

    bank = Bank.objects.create(discipline=course.discipline, name="B")
    gift = "Кюй? {=Құрманғазы ~Дина}\n\nЛя? {#440:1}\n\nЭссе. {}\n"
    services.bank_import(bank=bank, category="K", raw=gift.encode(), fmt="gift", by=teacher)
    for fmt in ("gift", "moodle_xml"):
        exported = as_user(teacher).get(reverse("quizzes:bank_export", args=[bank.pk, fmt]))
        assert exported.status_code == 200
        again = Bank.objects.create(discipline=course.discipline, name=f"copy {fmt}")
        assert services.bank_import(bank=again, category="K", raw=exported.content, fmt=fmt, by=teacher) == 3
    platonus = as_user(teacher).get(reverse("quizzes:bank_export", args=[bank.pk, "platonus"])).content.decode()
    assert platonus.startswith("<question> Кюй?\n<variant> Құрманғазы")
    assert as_user(student).get(reverse("quizzes:bank_export", args=[bank.pk, "gift"])).status_code == 404
    template = as_user(teacher).get(reverse("quizzes:xlsx_template"))
    upload = SimpleUploadedFile("q.xlsx", template.content)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(teacher).post(
            reverse("quizzes:bank", args=[bank.pk]),
            {"file": upload, "format": "xlsx", "encoding": "auto", "category": "X"},
        )
    assert response.status_code == 302 and bank.questions.count() == 9


def test_fixing_a_key_and_regrading_from_the_pages(as_user, course, teacher, student, office):

    from ustaz.core.models import AuditEvent
    from ustaz.quizzes import services
    from ustaz.quizzes.models import Answer

    bank = Bank.objects.create(discipline=course.discipline, name="B")
    services.bank_import(bank=bank, category="K", raw="Ля? {#440:0}\n".encode(), fmt="gift", by=teacher)
    question = Question.objects.get(bank=bank)
    test = open_test(course, bank, count=1)
    attempt = services.attempt_start(test=test, student=student)
    services.answer_save(attempt=attempt, position=0, response="441")
    services.attempt_finish(attempt=attempt)
    assert Answer.objects.get(attempt=attempt).points == 0
    edit = reverse("quizzes:question_edit", args=[bank.pk, question.pk])
    assert as_user(student).get(edit).status_code == 404
    response = as_user(teacher).post(edit, {"text": "Ля?", "points": "1", "answer": "440", "tolerance": "1"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.current.number == 2 and question.current.data["tolerance"] == 1.0
    assert Answer.objects.get(attempt=attempt).version.number == 1  # the attempt keeps its version
    regrade = reverse("quizzes:regrade", args=[course.pk, test.pk, question.pk])
    assert as_user(student).post(regrade).status_code == 403
    assert as_user(teacher).post(regrade).status_code == 302
    assert Answer.objects.get(attempt=attempt).points == 1
    assert AuditEvent.objects.filter(action="quizzes.regraded").count() == 1
    # The office sets a student's accommodations in the administration.
    assert as_user(office).get(reverse("admin:quizzes_test_change", args=[test.pk])).status_code == 200
    assert as_user(teacher).get(reverse("admin:quizzes_test_change", args=[test.pk])).status_code in (302, 403)


def test_a_listening_question_serves_its_recording_to_the_attempt_only(
    as_user, course, teacher, student, other_student, tmp_path
):

    from testkit import media as make
    from ustaz.quizzes import services

    bank = Bank.objects.create(discipline=course.discipline, name="Тыңдау")
    services.bank_import(bank=bank, category="K", raw="Қай аспап? {=Домбыра ~Қобыз}\n".encode(), fmt="gift", by=teacher)
    question = Question.objects.get(bank=bank)
    tone = make.tone(tmp_path / "t.wav", seconds=1).read_bytes()
    edit = reverse("quizzes:question_edit", args=[bank.pk, question.pk])
    refused = as_user(teacher).post(
        edit,
        {"text": "Қай аспап?", "points": "1", "correct": "0", "media": SimpleUploadedFile("x.mp3", b"MZ\x90\x00")},
        follow=True,
    )
    assert "recording, a video or a picture" in refused.content.decode()
    as_user(teacher).post(
        edit, {"text": "Қай аспап?", "points": "1", "correct": "0", "media": SimpleUploadedFile("t.wav", tone)}
    )
    question.refresh_from_db()
    assert question.current.media_kind == "audio"
    test = open_test(course, bank, count=1)
    client = as_user(student)
    client.post(reverse("quizzes:start", args=[course.pk, test.pk]))
    attempt = test.attempts.get()
    page = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    media_url = reverse("quizzes:media", args=[attempt.pk, 0])
    assert media_url in page and "<audio" in page
    response = client.get(media_url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == tone
    assert as_user(other_student).get(media_url).status_code == 404


def test_pictures_as_options_pass_marks_essay_queue_and_tags(as_user, course, teacher, student, other_student):

    from testkit import media as make
    from ustaz.quizzes import services

    bank = Bank.objects.create(discipline=course.discipline, name="Бейнелеу")
    gift = "Қай сурет Кастеевтікі? {=Бірінші ~Екінші}\n\nСуретші туралы жазыңыз. {}\n"
    services.bank_import(bank=bank, category="K", raw=gift.encode(), fmt="gift", by=teacher)
    choice = Question.objects.get(bank=bank, kind="single")
    as_user(teacher).post(
        reverse("quizzes:question_edit", args=[bank.pk, choice.pk]),
        {
            "text": choice.current.text,
            "points": "1",
            "correct": "0",
            "tags": "Кастеев, кескіндеме",
            "option_media_0": SimpleUploadedFile("a.jpg", make.jpeg_with_gps((64, 48))),
            "option_media_1": SimpleUploadedFile("b.jpg", make.jpeg_with_gps((48, 64))),
        },
    )
    choice.refresh_from_db()
    assert choice.tags == ["Кастеев", "кескіндеме"] and set(choice.current.data["option_media"]) == {"0", "1"}
    test = open_test(course, bank, count=2, pass_percent=60)
    client = as_user(student)
    client.post(reverse("quizzes:start", args=[course.pk, test.pk]))
    attempt = test.attempts.get()
    position = next(n for n, item in enumerate(attempt.layout) if item["kind"] == "single")
    page = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    picture = reverse("quizzes:option_media", args=[attempt.pk, position, 1])
    assert picture in page
    assert client.get(picture).status_code == 200
    assert as_user(other_student).get(picture).status_code == 404
    services.answer_save(attempt=attempt, position=position, response=0)
    client.post(reverse("quizzes:submit", args=[attempt.pk]))
    # The essay waits in the teacher's queue; graded 0, the attempt is 1 of 2: 50% < 60%, not passed.
    queue = as_user(teacher).get(reverse("quizzes:essays")).content.decode()
    assert reverse("quizzes:review", args=[attempt.pk]) in queue
    essay_position = 1 - position
    as_user(teacher).post(reverse("quizzes:essay_grade", args=[attempt.pk, essay_position]), {"points": "0"})
    review = client.get(reverse("quizzes:review", args=[attempt.pk])).content.decode()
    assert 'id="passed"' in review and "not passed" in review
    assert (
        reverse("quizzes:review", args=[attempt.pk])
        not in as_user(teacher).get(reverse("quizzes:essays")).content.decode()
    )


def test_the_feedback_of_the_chosen_option_shows_in_review(as_user, course, teacher, student):

    from ustaz.quizzes import services

    bank = Bank.objects.create(discipline=course.discipline, name="F")
    services.bank_import(
        bank=bank, category="K", raw="Квинта? {=до–соль#Дұрыс! ~до–фа#Бұл — кварта}\n".encode(), fmt="gift", by=teacher
    )
    test = open_test(course, bank, count=1)
    attempt = services.attempt_start(test=test, student=student)
    services.answer_save(attempt=attempt, position=0, response=1)
    services.attempt_finish(attempt=attempt)
    page = as_user(student).get(reverse("quizzes:review", args=[attempt.pk])).content.decode()
    assert "Бұл — кварта" in page and "Дұрыс!" not in page
