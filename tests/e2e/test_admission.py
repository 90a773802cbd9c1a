"""The whole admission in real browsers: an applicant registers (the e-mail confirmed through a real SMTP
server), applies, uploads, is asked to fix a document, fixes it, is examined, ranked and admitted by the
rector's order, gets a contract, is enrolled by the office, and logs in as a student with the issued
credentials."""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from testkit.factories import PASSWORD, ProgrammeFactory, StudyGroupFactory, UserFactory
from testkit.media import small_pdf
from ustaz.accounts.iin import make_iin
from ustaz.accounts.models import User
from ustaz.admissions.models import Application, Campaign, CreativeExam, Criterion, Offer, Status

from .conftest import log_in

NEW_PASSWORD = "Қобыз-сарыны-2027"


@pytest.mark.django_db(transaction=True)
def test_from_registration_to_the_first_login_as_a_student(browser, live_server, smtp_server, tmp_path):
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        title="Admission 2027",
        opens_on=today - datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=30),
    )
    member = UserFactory(roles=",admission_commission,", first_name="Сәуле", last_name="Жұмабаева", language="en")
    campaign.commission.add(member)
    office = UserFactory(roles=",academic_office,", first_name="Гүлнар", last_name="Омарова", language="en")
    rector = UserFactory(roles=",rector,", first_name="Нұрлан", last_name="Сәтбаев", language="en")
    programme = ProgrammeFactory(name_en="Traditional music")
    offer = Offer.objects.create(campaign=campaign, programme=programme, places=1, fee_per_year=1_450_000)
    exam = CreativeExam.objects.create(
        offer=offer, title="Performance", format="in_person", place="Hall 2", starts_at=timezone.now()
    )
    criteria = [
        Criterion.objects.create(exam=exam, name="Technique", max_points=50, position=1),
        Criterion.objects.create(exam=exam, name="Artistry", max_points=50, position=2),
    ]
    group = StudyGroupFactory(programme=programme, name="TM-27-1", admission_year=today.year)
    scan = tmp_path / "diploma.pdf"
    scan.write_bytes(small_pdf(1))
    fixed = tmp_path / "diploma-both-sides.pdf"
    fixed.write_bytes(small_pdf(2))

    contexts = [browser.new_context(base_url=live_server.url, locale="en-US") for _ in range(5)]
    applicant_page, member_page, rector_page, office_page, student_page = (c.new_page() for c in contexts)
    try:
        for page in (applicant_page, member_page, rector_page, office_page, student_page):
            page.set_default_timeout(20000)
        # 1. Registering, in English, and confirming the e-mail by the link the SMTP server received.
        page = applicant_page
        page.goto("/admission/register/")
        page.locator("select[name=language]").select_option("en") if page.locator(
            "select[name=language]"
        ).count() else None
        page.locator("#id_last_name").fill("Нұрланова")
        page.locator("#id_first_name").fill("Әлия")
        page.locator("#id_email").fill("aliya@example.kz")
        page.locator("#id_password").fill("Домбыра-2027-күй")
        page.locator("main form button[type=submit]").click()
        # The same "check your e-mail" page whether or not the address had an account; then the link, then log in.
        page.wait_for_url("**/admission/register/sent/")
        link = re.search(r"https?://\S+/admission/verify/\S+/", smtp_server.messages[-1].get_content()).group(0)
        page.goto(urlparse(link).path)
        page.wait_for_url("**/accounts/login/**")
        page.locator("#id_login").fill("aliya@example.kz")
        page.locator("#id_password").fill("Домбыра-2027-күй")
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        page.goto("/admission/")
        page.locator("#offers button", has_text="Apply").click()
        page.wait_for_url("**/admission/applications/*/")
        # 2. The application, saved as a draft, then the documents, then submitted.
        page.locator("#id_basis").select_option("higher_blended")
        page.locator("#id_justification").fill("I work as a dombra teacher in Turkestan and cannot move.")
        page.locator("#id_iin").fill(make_iin(datetime.date(2008, 2, 2), female=True, serial=11))
        page.locator("#id_city").fill("Turkestan")
        page.locator("main form button[type=submit]").first.click()
        page.locator(".alert", has_text="Saved").wait_for()
        for kind in ("identity", "education", "education_supplement"):
            page.locator(f"#f-{kind}").set_input_files(str(scan))
            page.locator(f"#f-{kind} ~ button").click()
            page.locator(".alert", has_text="Document added").wait_for()
        page.get_by_role("button", name="Submit to the admission commission").click()
        page.locator("#status", has_text="submitted").wait_for()
        application = Application.objects.get(applicant__email="aliya@example.kz")

        # 3. The commission returns the diploma with what is wrong, and the application for corrections.
        log_in(member_page, member.username, PASSWORD)
        member_page.goto("/admission/commission/")
        member_page.locator("#applications a", has_text="Нұрланова").click()
        diploma = member_page.locator("#documents li", has_text="Previous-education document")
        diploma.locator("input[name=comment]").fill("The back side is missing")
        diploma.get_by_role("button", name="Return").click()
        member_page.locator("#reason").fill("Scan both sides of the diploma.")
        member_page.get_by_role("button", name="Return for corrections").click()
        member_page.locator("#status", has_text="returned for corrections").wait_for()

        # 4. The applicant sees exactly what to fix, replaces the document and submits again.
        page.reload()
        page.locator("#documents", has_text="The back side is missing").wait_for()
        page.locator("#history", has_text="Scan both sides of the diploma.").wait_for()
        page.locator("#f-education").set_input_files(str(fixed))
        page.locator("#f-education ~ button").click()
        page.locator(".alert", has_text="Document added").wait_for()
        page.get_by_role("button", name="Submit to the admission commission").click()
        page.locator("#status", has_text="submitted").wait_for()

        # 5. Checked, then examined: the member scores each criterion and publishes.
        member_page.goto(f"/admission/commission/{application.pk}/")
        for item in member_page.locator("#documents li").all():
            if item.locator(".badge", has_text="accepted").count() == 0:
                item.get_by_role("button", name="Accept").click()
                member_page.wait_for_load_state()
        member_page.get_by_role("button", name="Documents checked").click()
        member_page.locator("#status", has_text="documents checked").wait_for()
        member_page.goto(f"/admission/exams/{exam.pk}/")
        member_page.locator(f"#s{application.pk}-{criteria[0].pk}").fill("44")
        member_page.locator(f"#s{application.pk}-{criteria[1].pk}").fill("47.5")
        member_page.locator(f"#f{application.pk} button").click()
        member_page.locator(".alert", has_text="saved").wait_for()
        member_page.get_by_role("button", name="Publish the results").click()
        member_page.locator(".alert", has_text="Results published").first.wait_for()
        page.reload()
        page.locator(f"#result-{exam.pk}", has_text="91.5").wait_for()

        # 6. Ranked and admitted by the rector's order; the list of admitted as a PDF.
        log_in(rector_page, rector.username, PASSWORD)
        rector_page.goto(f"/admission/programmes/{offer.pk}/ranking/")
        assert rector_page.locator(f"#r{application.pk} input[name=admit]").is_checked()
        rector_page.locator("#order_number").fill("112-Қ")
        rector_page.locator("#order_date").fill(today.isoformat())
        rector_page.get_by_role("button", name="Record the decision").click()
        rector_page.locator("#decisions", has_text="112-Қ").wait_for()
        with rector_page.expect_download() as download:
            rector_page.locator("#decisions a", has_text="қазақша").click()
        assert download.value.suggested_filename.endswith("-kk.pdf")
        page.reload()
        page.locator("#status", has_text="admitted").wait_for()

        # 7. The contract, signed; the enrolment issues the student's login and one-time password.
        log_in(office_page, office.username, PASSWORD)
        office_page.goto(f"/admission/commission/{application.pk}/")
        office_page.locator("#printed").check()
        office_page.get_by_role("button", name="Make the contract").click()
        office_page.wait_for_url("**/contracts/*/")
        page.reload()  # the applicant's page leads to the contract
        page.locator("#contract-link").wait_for()
        office_page.locator("#signed_on").fill(today.isoformat())
        office_page.get_by_role("button", name="Record the signing").click()
        office_page.locator("#signed", has_text=str(today.year)).wait_for()
        # The enrolment is on the application's page, once the contract is signed.
        office_page.goto(f"/admission/commission/{application.pk}/")
        office_page.locator("#delivery").select_option("case")
        office_page.get_by_role("button", name="Enrol").click()
        office_page.wait_for_url("**/people/issued/")
        row = office_page.locator("table tbody tr").first
        login = row.locator("td").nth(1).inner_text().strip()
        password = row.locator(".slip-password").inner_text().strip()
        assert smtp_server.messages[-1]["To"] == "aliya@example.kz" and login in smtp_server.messages[-1].get_content()
        # The applicant's old session ended with the new password; the issued login is the way in now.
        page.reload()
        page.wait_for_url("**/accounts/login/**")

        # 8. The first login as a student, with the issued credentials: a new password, then the contract.
        log_in(student_page, login, password)
        student_page.wait_for_url("**/password/change/**")
        student_page.locator("#id_oldpassword").fill(password)
        student_page.locator("#id_password1").fill(NEW_PASSWORD)
        student_page.locator("#id_password2").fill(NEW_PASSWORD)
        student_page.locator("main form button[type=submit]").click()
        student_page.wait_for_load_state()
        student_page.get_by_role("link", name="My contract").click()
        student_page.locator("#schedule").wait_for()
        student_page.locator("h1", has_text="DL-").wait_for()
    finally:
        for context in contexts:
            context.close()

    user = User.objects.get(email="aliya@example.kz")
    application.refresh_from_db()
    assert user.username == login and user.has_role("student") and user.student_record.group == group
    assert user.student_record.delivery == "case" and application.status == Status.ENROLLED
    assert application.contract.printed_materials
