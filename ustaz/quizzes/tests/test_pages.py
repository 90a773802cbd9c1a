"""The testing centre's pages: banks imported with errors by line, tests set by the teacher, per role."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ustaz.quizzes.models import Bank, Question, Test

BANK = "<question> Домбыраның неше ішегі бар?\n<variant> Екі\n<variant> Үш\n<variant> Төрт\n"


def test_the_teacher_imports_a_platonus_bank_in_kz1048(as_user, course, teacher):
    client = as_user(teacher)
    response = client.post(reverse("quizzes:banks"), {"discipline": course.discipline_id, "name": "Аспаптану"})
    bank = Bank.objects.get(name="Аспаптану")
    assert response["Location"] == reverse("quizzes:bank", args=[bank.pk])
    upload = SimpleUploadedFile("bank.txt", BANK.encode("kz1048"))
    response = client.post(
        reverse("quizzes:bank", args=[bank.pk]),
        {"file": upload, "format": "platonus", "encoding": "auto", "category": "Домбыра"},
    )
    assert response.status_code == 302
    question = Question.objects.get(bank=bank)
    assert question.current.text == "Домбыраның неше ішегі бар?" and question.current.data["options"][0] == "Екі"


def test_a_broken_file_imports_nothing_and_names_the_line(as_user, course, teacher):
    bank = Bank.objects.create(discipline=course.discipline, name="B")
    broken = BANK + "<question> Жалғыз нұсқа\n<variant> Иә\n"
    response = as_user(teacher).post(
        reverse("quizzes:bank", args=[bank.pk]),
        {
            "file": SimpleUploadedFile("bank.txt", broken.encode()),
            "format": "platonus",
            "encoding": "auto",
            "category": "X",
        },
    )
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
