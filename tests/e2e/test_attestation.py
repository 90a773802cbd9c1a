"""Final attestation in a real browser (issue 15, items 1-2): the office sets the order of a commission and
reads the admission list and a student's attestation; the external chair logs in and sees their commission only;
every page passes axe-core."""

from __future__ import annotations

import pytest

from testkit.factories import PASSWORD, ProgrammeFactory, UserFactory
from ustaz.accounts.models import Role
from ustaz.attestation import services
from ustaz.attestation.models import MemberRole
from ustaz.attestation.tests.conftest import YEAR, graduate, result

from .a11y import axe_violations
from .conftest import log_in


@pytest.mark.django_db(transaction=True)
def test_the_office_and_the_external_chair_use_the_commissions_pages(browser, live_server):
    from testkit.factories import DisciplineFactory, StudyGroupFactory
    from ustaz.attestation.tests.conftest import School
    from ustaz.curricula.models import AttestationForm, Curriculum, CurriculumLine, CurriculumStatus, Cycle, LineKind

    office = UserFactory(roles=f",{Role.ACADEMIC_OFFICE},", username="office1")
    teacher = UserFactory(roles=f",{Role.TEACHER},", username="teacher1")
    chair = UserFactory(
        roles=f",{Role.ATTESTATION_COMMISSION},", username="chair1", last_name="Жұбанова", first_name="Ғазиза"
    )
    programme = ProgrammeFactory()
    group = StudyGroupFactory(programme=programme, admission_year=YEAR - 3)
    curriculum = Curriculum.objects.create(
        programme=programme, admission_year=YEAR - 3, terms=8, status=CurriculumStatus.APPROVED
    )
    discipline = DisciplineFactory(credits=5, name_en="Harmony")
    CurriculumLine.objects.create(curriculum=curriculum, term=1, discipline=discipline, credits=5, cycle=Cycle.BASIC)
    CurriculumLine.objects.create(
        curriculum=curriculum,
        term=8,
        kind=LineKind.ATTESTATION,
        credits=12,
        cycle=Cycle.FINAL_ATTESTATION,
        attestation_form=AttestationForm.THESIS,
    )
    commission = services.commission_create(programme=programme, academic_year=YEAR, actor=office)
    services.member_add(commission=commission, person=chair, role=MemberRole.CHAIR, is_external=True, actor=office)
    school = School(programme, group, curriculum, [discipline], [], commission, office, teacher)
    admitted = graduate(school, "Admitted")
    result(admitted, discipline, 90, teacher)
    debtor = graduate(school, "Debtor")
    result(debtor, discipline, 40, teacher)
    other = services.commission_create(programme=ProgrammeFactory(), academic_year=YEAR, actor=office)

    def visit(username):
        context = browser.new_context(base_url=live_server.url, locale="en-US")
        page = context.new_page()
        page.set_default_timeout(15000)
        log_in(page, username, PASSWORD)
        return context, page

    context, page = visit("office1")
    page.goto("/attestation/commissions/")
    assert axe_violations(page) == []
    page.goto(f"/attestation/commissions/{commission.pk}/")
    assert page.locator("#order-warning").is_visible()
    assert axe_violations(page) == []
    page.locator("#id_first_sitting_on").fill(f"{YEAR + 1}-06-01")
    page.locator("#id_order_number").fill("214-Ж")
    page.locator("#id_order_date").fill(f"{YEAR + 1}-04-01")
    page.locator(f"form[action$='/attestation/commissions/{commission.pk}/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#order-warning").count() == 0
    page.goto(f"/attestation/commissions/{commission.pk}/admission/")
    rows = page.locator("#admission tbody tr")
    assert rows.count() == 2
    assert "Harmony" in page.locator("#admission").inner_text()
    assert axe_violations(page) == []
    page.goto(f"/attestation/commissions/{commission.pk}/students/{admitted.pk}/")
    page.locator("#id_topic").fill("Құрманғазы күйлері")
    page.locator("#id_reviewer_name").fill("Әлиев Б.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "Құрманғазы күйлері" in page.locator("#attestations").inner_text()
    assert axe_violations(page) == []
    context.close()

    context, page = visit("chair1")
    page.goto("/attestation/mine/")
    assert page.locator("#commissions tbody tr").count() == 1
    assert axe_violations(page) == []
    page.goto(f"/attestation/commissions/{commission.pk}/")
    assert "Жұбанова" in page.locator("#members").inner_text()
    assert axe_violations(page) == []
    response = page.goto(f"/attestation/commissions/{other.pk}/")
    assert response.status == 404
    context.close()
