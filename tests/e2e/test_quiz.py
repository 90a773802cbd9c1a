"""A timed test in a real browser: the student answers, reloads mid-way and finds every answer, goes on,
submits, and sees the score once review opens."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from testkit.factories import PASSWORD, CourseFactory, UserFactory, enrol
from ustaz.quizzes import services
from ustaz.quizzes.models import Answer, Attempt, Bank, Category, ReviewPolicy, Section, Test

from .conftest import log_in

BANK = (
    "Кюй «Адай» написал? {=Құрманғазы ~Тәттімбет ~Дәулеткерей}\n\n"
    "Ля первой октавы, Гц? {#440:1}\n\n"
    "Кто автор «Сарыарқи»? {=Курмангазы}\n\n"
    "Струнные? {~%50%Домбыра ~%50%Кобыз ~%-100%Сыбызгы}\n"
)


@pytest.mark.django_db(transaction=True)
def test_a_timed_test_survives_a_reload_and_shows_the_score(browser, live_server):
    course = CourseFactory(title_en="Music history")
    teacher = UserFactory(roles=",teacher,", language="en")
    course.teachers.add(teacher)
    student = UserFactory(roles=",student,", first_name="Ерлан", language="en")
    enrol(student, course)
    bank = Bank.objects.create(discipline=course.discipline, name="Күй")
    services.bank_import(bank=bank, category="Күйлер", raw=BANK.encode(), fmt="gift", by=teacher)
    now = timezone.now()
    test = Test.objects.create(
        course=course,
        title="Күй тарихы",
        opens_at=now - datetime.timedelta(minutes=5),
        closes_at=now + datetime.timedelta(hours=1),
        time_limit_minutes=20,
        review=ReviewPolicy.AFTER_SUBMIT,
    )
    Section.objects.create(test=test, category=Category.objects.get(bank=bank), count=4)

    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        log_in(page, student.username, PASSWORD)
        page.goto(f"/courses/{course.pk}/tests/{test.pk}/")
        page.get_by_role("button", name="Start the test").click()
        page.wait_for_url("**/attempts/*/")
        assert ":" in page.locator("#timer").inner_text()  # the server's time left, counting down

        def question(text):
            return page.locator("fieldset.question", has_text=text)

        question("«Адай»").get_by_label("Құрманғазы").check()
        question("Ля первой").get_by_label("Answer").fill("440,5")
        question("Ля первой").get_by_label("Answer").press("Tab")
        attempt = Attempt.objects.get(test=test, student=student)
        unsent = f"() => !Object.keys(JSON.parse(localStorage.getItem('ustaz.attempt.{attempt.pk}') || '{{}}')).length"
        page.wait_for_function(unsent)
        saved = {a.version.text: a.response for a in Answer.objects.filter(attempt=attempt).select_related("version")}
        assert saved["Ля первой октавы, Гц?"] == "440,5"

        # A reload mid-way: the answers are there.
        page.reload()
        assert question("«Адай»").get_by_label("Құрманғазы").is_checked()
        assert question("Ля первой").get_by_label("Answer").input_value() == "440,5"

        question("«Сарыарқи»").get_by_label("Answer").fill("курмангазы")
        question("Струнные").get_by_label("Домбыра").check()
        question("Струнные").get_by_label("Кобыз").check()
        question("Струнные").get_by_label("Кобыз").press("Tab")
        page.wait_for_function(unsent)
        page.on("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Submit the attempt").click()
        page.wait_for_url("**/review/")
        assert page.locator("#attempt-score").inner_text() == "4.00 / 4.00"
    finally:
        context.close()
