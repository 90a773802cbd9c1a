"""The interface in Kazakh and Russian shows no untranslated string on the pages a student and a teacher use."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

from testkit.factories import PASSWORD, CourseFactory, MaterialFactory, SectionFactory, UserFactory, enrol

from .conftest import log_in

# Words that are the same in every language here: the product's name, format and app names in help texts.
# (The footer's language switch names each language in itself, so it is left out of the text checked.)
SAME_IN_EVERY_LANGUAGE = (
    {"Ustaz", "Markdown", "https", "Google", "Microsoft", "Authenticator", "FreeOTP"}
    | {
        "BigBlueButton",
        "Jitsi",
        "Meet",
        "Zoom",
        "Webex",
        "WhatsApp",
        "Outlook",
    }
    | {"FLAC", "WebM", "JPEG", "TIFF", "HEIC", "DOCX", "XLSX"}  # file formats
    | {"Platonus", "question", "variant", "Moodle", "GIFT", "Aiken", "Windows", "Excel", "xlsx"}  # test-bank formats
)


def page_text(page) -> str:
    # The menu and the page's content; the time-zone list (IANA names such as Europe/Berlin), identifiers marked
    # translate="no" and text marked with another lang attribute are left out.
    return page.evaluate(
        """() => [document.querySelector('nav'), document.querySelector('main')].map(node => {
            const copy = node.cloneNode(true);
            copy.querySelectorAll('select[name=time_zone], [translate=no]').forEach(s => s.remove());
            // Text marked as being in another language (a language's own name) is that language's.
            copy.querySelectorAll('[lang]').forEach(e => { if (e.lang !== document.documentElement.lang) e.remove(); });
            document.body.appendChild(copy);
            const text = copy.innerText;
            copy.remove();
            return text;
        }).join('\\n')"""
    )


def english_source_strings() -> set[str]:
    catalogue = polib.pofile(str(Path(settings.BASE_DIR) / "ustaz/locale/kk/LC_MESSAGES/django.po"))
    strings = set()
    for entry in catalogue:
        for text in (entry.msgid, entry.msgid_plural):
            # Compare whole sentences without their placeholders.
            for part in re.split(r"%\(\w+\)[sd]", text or ""):
                if len(part.strip()) >= 6 and re.search("[A-Za-z]{3}", part):
                    strings.add(part.strip())
    return strings


def untranslated_in(text: str, sources: set[str]) -> list[str]:
    found = [s for s in sources - SAME_IN_EVERY_LANGUAGE if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text)]
    latin_words = {w for w in re.findall(r"\b[A-Za-z]{4,}\b", text)} - SAME_IN_EVERY_LANGUAGE
    return sorted(found) + sorted(latin_words)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_student_and_teacher_pages_are_fully_translated(browser, live_server, language):
    course = CourseFactory(
        discipline__name_kk="Гармония",
        discipline__name_ru="Гармония",
        discipline__name_en="Harmony",
        discipline__code="ГАР101",
    )
    section = SectionFactory(course=course, title="1-апта")
    page_material = MaterialFactory(section=section, title="Кіріспе", body="Мәтін", body_html="<p>Мәтін</p>")
    MaterialFactory(section=section, title="Жоба", is_published=False)
    teacher = UserFactory(
        roles=",teacher,", last_name="Жұмабаева", first_name="Ақмарал", email="t@example.kz", username="teacher1"
    )
    course.teachers.add(teacher)
    student = UserFactory(roles=",student,", last_name="Сейітов", first_name="Ерлан", username="student1")
    enrol(student, course)
    sources = english_source_strings()
    # Classes, chat and forums have something to show.
    import datetime

    from django.utils import timezone

    from ustaz.discussions import forums
    from ustaz.discussions.models import ForumKind
    from ustaz.live import services as live_services

    held, coming = live_services.class_schedule(
        course=course,
        by=teacher,
        title="Сольфеджио",
        starts_at=timezone.now() - datetime.timedelta(days=7),
        duration_minutes=80,
        format="online",
        provider="link",
        link="https://meet.example.com/x",
        repeat_until=(timezone.now() + datetime.timedelta(days=1)).date(),
    )
    forum = forums.course_forum(course, ForumKind.DISCUSSION)
    forum.can_start = True
    thread = forums.thread_start(forum=forum, author=student, title="Сұрақ", body="Мәтін")
    from ustaz.assignments import services as assignment_services
    from ustaz.assignments.models import Assignment

    assignment = assignment_services.assignment_save(
        assignment=Assignment(
            course=course,
            title="Этюд",
            kind="mixed",
            accepts=["audio", "video", "pdf"],
            opens_at=timezone.now() - datetime.timedelta(days=1),
            due_at=timezone.now() + datetime.timedelta(days=2),
            late_policy="accept",
        ),
        by=teacher,
    )
    handed_in = assignment_services.submission_submit(assignment=assignment, student=student, text="Жауап")
    from ustaz.quizzes import services as quiz_services
    from ustaz.quizzes.models import Bank, Category, Section, Test

    bank = Bank.objects.create(discipline=course.discipline, name="Банк")
    quiz_services.bank_import(
        bank=bank, category="Күй", raw="Кім? {=Құрманғазы ~Абай}\n\nЖылы? {#1856}\n".encode(), fmt="gift", by=teacher
    )
    quiz = Test.objects.create(
        course=course,
        title="Тест",
        opens_at=timezone.now() - datetime.timedelta(hours=1),
        closes_at=timezone.now() + datetime.timedelta(hours=1),
        review="after_submit",
    )
    Section.objects.create(test=quiz, category=Category.objects.get(bank=bank), count=2)

    for user, paths in (
        (
            student,
            [
                "/",
                f"/courses/{course.pk}/",
                f"/courses/{course.pk}/materials/{page_material.pk}/",
                "/me/",
                "/accounts/2fa/",
                "/accounts/password/change/",
                f"/courses/{course.pk}/classes/",
                f"/courses/{course.pk}/classes/{coming.pk}/",
                "/calendar/",
                "/chat/",
                f"/courses/{course.pk}/forum/",
                f"/forums/threads/{thread.pk}/",
                f"/courses/{course.pk}/announcements/",
                f"/courses/{course.pk}/assignments/",
                f"/courses/{course.pk}/assignments/{assignment.pk}/",
                f"/submissions/{handed_in.pk}/",
                f"/courses/{course.pk}/tests/",
                f"/courses/{course.pk}/tests/{quiz.pk}/",
            ],
        ),
        (
            teacher,
            [
                "/",
                f"/courses/{course.pk}/",
                f"/courses/{course.pk}/materials/new/?kind=file",
                f"/courses/{course.pk}/materials/{page_material.pk}/edit/",
                f"/courses/{course.pk}/classes/",
                f"/courses/{course.pk}/classes/new/",
                f"/courses/{course.pk}/classes/{held.pk}/",
                f"/courses/{course.pk}/classes/{held.pk}/attendance/",
                f"/courses/{course.pk}/classes/attendance/",
                f"/courses/{course.pk}/chat/",
                f"/forums/threads/{thread.pk}/",
                f"/courses/{course.pk}/announcements/",
                f"/courses/{course.pk}/assignments/new/",
                f"/courses/{course.pk}/assignments/{assignment.pk}/",
                f"/submissions/{handed_in.pk}/",
                "/reviews/",
                f"/courses/{course.pk}/tests/{quiz.pk}/",
                f"/courses/{course.pk}/tests/new/",
                "/banks/",
                f"/banks/{bank.pk}/",
            ],
        ),
    ):
        check_pages(browser, live_server, language, user, paths, sources)


def check_pages(browser, live_server, language, user, paths, sources) -> None:
    """Switch the language on the login page, as a visitor would, log in, and read each page."""
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator(f"footer button[value={language}]").click()
    assert untranslated_in(page_text(page), sources) == [], "/accounts/login/"
    page.goto("/accounts/password/reset/")
    assert untranslated_in(page_text(page), sources) == [], "/accounts/password/reset/"
    log_in(page, user.username, PASSWORD)
    page.wait_for_url(re.compile(r"/$"))
    # The account keeps its own language (English here) until the user switches it.
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator(f"footer button[value={language}]").click()
    page.wait_for_load_state()
    for path in paths:
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == language
        missing = untranslated_in(page_text(page), sources)
        assert missing == [], (path, missing)
    context.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_admission_pages_are_fully_translated(browser, live_server, language):
    import datetime

    from django.utils import timezone

    from testkit import admission as kit
    from testkit.factories import ProgrammeFactory
    from ustaz.admissions import contracts, exams, ranking
    from ustaz.admissions.models import Campaign, Offer

    sources = english_source_strings()
    today = timezone.localdate()
    member = UserFactory(roles=",admission_commission,", username="member1")
    office = UserFactory(roles=",academic_office,", username="office1")
    rector = UserFactory(roles=",rector,", username="rector1")
    campaign = Campaign.objects.create(
        title="Қабылдау", opens_on=today - datetime.timedelta(days=5), closes_on=today + datetime.timedelta(days=20)
    )
    campaign.commission.add(member)
    offer = Offer.objects.create(campaign=campaign, programme=ProgrammeFactory(), places=1, fee_per_year=1_000_000)
    exam = kit.exam(offer, criteria=(("Техника", 50), ("Көркемдік", 50)))
    recorded = kit.exam(offer, "Бейнежазба", position=2, format="recording", criteria=(("Әсер", 20),), pass_score=5)
    first = kit.checked_application(offer, by=member)
    second = kit.checked_application(offer, by=member)
    waiting = kit.checked_application(offer, by=member)
    for application, points in ((first, 45), (second, 30)):
        kit.score(exam, application, member, points, points)
        kit.score(recorded, application, member, 10)
    exams.results_publish(exam=exam, by=office)
    exams.results_publish(exam=recorded, by=office)
    pending = kit.exam(offer, "Қосымша", position=3, format="online", criteria=(("Әсер", 10),))
    pending.link = "https://meet.example.com/x"
    pending.provider = "link"
    pending.save()
    ranking.decision_record(offer=offer, order_number="9-Қ", order_date=today, admitted=[first.pk], by=rector)
    first.refresh_from_db()
    contract = contracts.contract_create(application=first, printed_materials=True, by=office)
    first.applicant.username = "applicant1"
    first.applicant.save()
    waiting.applicant.username = "applicant2"
    waiting.applicant.save()
    for user, paths in (
        (
            first.applicant,
            ["/admission/", f"/admission/applications/{first.pk}/", f"/contracts/{contract.pk}/"],
        ),
        (waiting.applicant, [f"/admission/applications/{waiting.pk}/"]),
        (
            member,
            [
                "/admission/",
                "/admission/commission/",
                f"/admission/commission/{second.pk}/",
                f"/admission/campaigns/{campaign.pk}/",
                f"/admission/exams/{pending.pk}/",
                f"/admission/exams/{exam.pk}/",
                f"/admission/programmes/{offer.pk}/ranking/",
                "/admission/reports/",
            ],
        ),
        (
            office,
            [
                f"/admission/commission/{first.pk}/",
                "/contracts/",
                "/contracts/without/",
                f"/contracts/{contract.pk}/",
                "/admission/reports/",
            ],
        ),
    ):
        check_pages(browser, live_server, language, user, paths, sources)
