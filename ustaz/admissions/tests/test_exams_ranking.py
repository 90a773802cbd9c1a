"""Creative exams scored by each member per criterion, combined by the programme's rule, published; the
competitive list with its ties and places; the decision refused twice, beyond the places or unexamined."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from testkit import admission as kit
from testkit.factories import ProgrammeFactory, UserFactory
from ustaz.admissions import exams, ranking
from ustaz.admissions.models import Application, Campaign, ExamResult, Offer, ScoreRule, Status, StatusChange
from ustaz.core.models import AuditEvent
from ustaz.notifications.models import Notification


@pytest.fixture
def members(db):
    return [UserFactory(roles=",admission_commission,") for _i in range(4)]


@pytest.fixture
def offer(db, members):
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        title="Қабылдау 2027",
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=20),
    )
    campaign.commission.set(members)
    return Offer.objects.create(campaign=campaign, programme=ProgrammeFactory(), places=2, fee_per_year=1_000_000)


@pytest.mark.parametrize(
    ("rule", "totals", "expected"),
    [
        (ScoreRule.MEAN, ["80", "70", "90"], "80.00"),
        (ScoreRule.MEAN, ["80", "81", "81"], "80.67"),
        (ScoreRule.MEDIAN, ["60", "90", "70", "100"], "80.00"),
        (ScoreRule.TRIMMED, ["10", "80", "82", "100"], "81.00"),  # the highest and the lowest left out
        (ScoreRule.TRIMMED, ["10", "80", "100"], "63.33"),  # fewer than four: the plain mean
    ],
)
def test_the_programme_rule_combines_the_members_scores(rule, totals, expected):
    assert exams.combine([Decimal(t) for t in totals], rule) == Decimal(expected)


def test_each_member_scores_each_criterion_and_publishing_computes_and_tells(offer, members, office):
    exam = kit.exam(offer, criteria=(("Техника", 50), ("Көркемдік", 50)), pass_score=60)
    strong = kit.checked_application(offer, by=office)
    weak = kit.checked_application(offer, by=office)
    absent = kit.checked_application(offer, by=office)
    kit.score(exam, strong, members[0], 45, 40)  # 85
    kit.score(exam, strong, members[1], 40, 35)  # 75
    kit.score(exam, weak, members[0], 20, 30)  # 50
    # Points beyond a criterion's maximum are refused with the criterion named.
    with pytest.raises(ValidationError, match="Техника"):
        kit.score(exam, weak, members[1], 51, 10)
    # A half-filled sheet stops publishing, naming the applicant.
    exams.scores_save(exam=exam, application=weak, member=members[2], points={exam.criteria.first().pk: Decimal(9)})
    with pytest.raises(ValidationError, match=weak.applicant.last_name):
        exams.results_publish(exam=exam, by=office)
    exams.scores_save(exam=exam, application=weak, member=members[2], points={exam.criteria.first().pk: None})

    exams.results_publish(exam=exam, by=office)

    results = {r.application_id: r for r in ExamResult.objects.filter(exam=exam)}
    assert results[strong.pk].score == Decimal("80.00") and results[strong.pk].passed
    assert results[weak.pk].score == Decimal("50.00") and not results[weak.pk].passed
    assert absent.pk not in results
    strong.refresh_from_db()
    weak.refresh_from_db()
    absent.refresh_from_db()
    assert (strong.status, strong.total_score, strong.passed_exams) == (Status.EXAMINED, Decimal("80.00"), True)
    assert (weak.status, weak.passed_exams) == (Status.EXAMINED, False)
    assert absent.status == Status.CHECKED
    assert Notification.objects.filter(user=strong.applicant, kind="admissions.status_changed").count() == 2
    assert AuditEvent.objects.filter(action="admissions.exam_published").exists()
    # Published scores are closed.
    with pytest.raises(ValidationError):
        kit.score(exam, strong, members[3], 50, 50)


def test_an_applicant_is_examined_only_when_every_exam_is_published(offer, members, office):
    first = kit.exam(offer, "Арнайы пән", position=1)
    second = kit.exam(offer, "Шығармашылық емтихан", position=2)
    application = kit.checked_application(offer, by=office)
    kit.score(first, application, members[0], 40, 40)
    kit.score(second, application, members[0], 30, 30)
    exams.results_publish(exam=first, by=office)
    application.refresh_from_db()
    assert application.status == Status.CHECKED
    exams.results_publish(exam=second, by=office)
    application.refresh_from_db()
    assert application.status == Status.EXAMINED and application.total_score == Decimal("140.00")


def _examined(offer, members, office, scores, submitted=None):
    """Applications with the given (first exam, second exam) member totals, examined."""
    first = offer.exams.get(position=1)
    second = offer.exams.get(position=2)
    made = []
    base = timezone.now() - datetime.timedelta(days=5)
    for index, (a, b) in enumerate(scores):
        application = kit.checked_application(
            offer, by=office, submitted_at=base + datetime.timedelta(hours=(submitted or {}).get(index, index))
        )
        kit.score(first, application, members[0], a / 2, a / 2)
        kit.score(second, application, members[0], b / 2, b / 2)
        made.append(application)
    exams.results_publish(exam=first, by=office)
    exams.results_publish(exam=second, by=office)
    for application in made:
        application.refresh_from_db()
    return made


def test_the_list_orders_by_score_then_by_the_written_tie_breaks(offer, members, office):
    kit.exam(offer, "Арнайы пән", position=1)
    kit.exam(offer, "Шығармашылық емтихан", position=2)
    # a: 160; b and c: 150 each, c stronger on the first exam; d and e: 140 with equal exams, e submitted
    # first; f failed the first exam (40 < 50): no place whatever its total.
    a, b, c, d, e, f = _examined(
        offer,
        members,
        office,
        [(80, 80), (70, 80), (80, 70), (70, 70), (70, 70), (40, 100)],
        submitted={3: 10, 4: 2},
    )
    rows = ranking.ranking(offer)
    assert [r.application.pk for r in rows] == [a.pk, c.pk, b.pk, e.pk, d.pk, f.pk]
    assert [r.place for r in rows] == [1, 2, 3, 4, 5, None]
    assert [r.within for r in rows] == [True, True, False, False, False, False]  # two places
    by_pk = {r.application.pk: r for r in rows}
    assert by_pk[c.pk].tie == str(ranking.TIE_BREAK_LABELS["exams"])
    assert by_pk[e.pk].tie == str(ranking.TIE_BREAK_LABELS["submitted"])
    assert by_pk[a.pk].tie == ""


def test_the_tie_breaks_are_a_setting(offer, members, office, settings):
    kit.exam(offer, "Арнайы пән", position=1)
    kit.exam(offer, "Шығармашылық емтихан", position=2)
    b, c = _examined(offer, members, office, [(70, 80), (80, 70)], submitted={0: 1, 1: 9})
    settings.ADMISSION_TIE_BREAKS = ["submitted"]
    assert [r.application.pk for r in ranking.ranking(offer)] == [b.pk, c.pk]
    settings.ADMISSION_TIE_BREAKS = ["exams", "submitted"]
    assert [r.application.pk for r in ranking.ranking(offer)] == [c.pk, b.pk]


def test_a_decision_admits_within_the_places_once_and_only_the_examined(offer, members, office):
    rector = UserFactory(roles=",rector,")
    kit.exam(offer, "Арнайы пән", position=1)
    kit.exam(offer, "Шығармашылық емтихан", position=2)
    a, b, c, failed = _examined(offer, members, office, [(90, 90), (80, 80), (70, 70), (40, 90)])
    not_examined = kit.checked_application(offer, by=office)  # documents checked, absent from the exams
    date = datetime.date(2027, 8, 28)

    with pytest.raises(ValidationError, match="2"):  # three chosen for two places
        ranking.decision_record(
            offer=offer, order_number="45-Қ", order_date=date, admitted=[a.pk, b.pk, c.pk], by=rector
        )
    with pytest.raises(ValidationError, match="not examined"):
        ranking.decision_record(
            offer=offer, order_number="45-Қ", order_date=date, admitted=[not_examined.pk], by=rector
        )
    with pytest.raises(ValidationError, match="did not pass"):
        ranking.decision_record(offer=offer, order_number="45-Қ", order_date=date, admitted=[failed.pk], by=rector)
    assert not Application.objects.filter(status=Status.ADMITTED).exists()  # nothing recorded half-way

    decision = ranking.decision_record(
        offer=offer, order_number="45-Қ", order_date=date, admitted=[a.pk, b.pk], by=rector, close=True
    )
    statuses = dict(Application.objects.filter(offer=offer).values_list("pk", "status"))
    assert statuses[a.pk] == statuses[b.pk] == Status.ADMITTED
    assert statuses[c.pk] == statuses[failed.pk] == statuses[not_examined.pk] == Status.REJECTED
    change = StatusChange.objects.filter(application=a, new=Status.ADMITTED).get()
    assert change.by == rector and "45-Қ" in change.reason and "28.08.2027" in change.reason
    assert decision.applications.count() == 5

    # Not twice: neither the same order number nor the same applicant.
    with pytest.raises(ValidationError, match="already recorded"):
        ranking.decision_record(offer=offer, order_number="45-Қ", order_date=date, admitted=[c.pk], by=rector)
    with pytest.raises(ValidationError, match="already recorded"):
        ranking.decision_record(offer=offer, order_number="46-Қ", order_date=date, admitted=[a.pk], by=rector)


def test_a_declined_place_goes_to_the_next_on_the_list_by_a_second_order(offer, members, office):
    from ustaz.admissions import contracts
    from ustaz.contracts.models import Contract

    rector = UserFactory(roles=",rector,")
    kit.exam(offer, "Арнайы пән", position=1)
    kit.exam(offer, "Шығармашылық емтихан", position=2)
    a, b, c, d = _examined(offer, members, office, [(90, 90), (80, 80), (70, 70), (60, 60)])
    date = datetime.date(2027, 8, 28)
    ranking.decision_record(offer=offer, order_number="50-Қ", order_date=date, admitted=[a.pk, b.pk], by=rector)
    # Without closing, the others wait on the list, outside the places.
    rows = {r.application.pk: r for r in ranking.ranking(offer)}
    assert Application.objects.get(pk=c.pk).status == Status.EXAMINED and not rows[c.pk].within
    with pytest.raises(ValidationError, match="2"):
        ranking.decision_record(offer=offer, order_number="51-Қ", order_date=date, admitted=[c.pk], by=rector)
    # b declines: an unsigned contract without payments is withdrawn, the place is free, c is within it.
    contracts.contract_create(application=Application.objects.get(pk=b.pk), printed_materials=False, by=office)
    with pytest.raises(ValidationError, match="why"):
        ranking.place_decline(application=b, by=office, reason=" ")
    ranking.place_decline(application=b, by=office, reason="Оқуды басқа университетте жалғастырады.")
    b.refresh_from_db()
    assert b.status == Status.DECLINED and b.contract is None and not Contract.objects.exists()
    rows = ranking.ranking(offer)
    assert [r.application.pk for r in rows if r.place] == [a.pk, c.pk, d.pk]
    assert [r.within for r in rows if r.place] == [True, True, False] and rows[-1].application.pk == b.pk
    second = ranking.decision_record(
        offer=offer, order_number="51-Қ", order_date=date, admitted=[c.pk], by=rector, close=True
    )
    statuses = dict(Application.objects.filter(offer=offer).values_list("pk", "status"))
    assert (statuses[c.pk], statuses[d.pk]) == (Status.ADMITTED, Status.REJECTED)
    assert set(second.applications.values_list("pk", flat=True)) == {c.pk, d.pk}


def test_a_signed_or_paid_contract_keeps_the_place(offer, members, office):
    from ustaz.admissions import contracts
    from ustaz.contracts import services as contract_services

    kit.exam(offer, "Арнайы пән", position=1)
    kit.exam(offer, "Шығармашылық емтихан", position=2)
    (a,) = _examined(offer, members, office, [(90, 90)])
    ranking.decision_record(
        offer=offer, order_number="60-Қ", order_date=datetime.date(2027, 8, 28), admitted=[a.pk], by=office
    )
    contract = contracts.contract_create(
        application=Application.objects.get(pk=a.pk), printed_materials=False, by=office
    )
    contract_services.contract_sign(contract=contract, signed_on=timezone.localdate(), by=office)
    with pytest.raises(ValidationError, match="signed or paid"):
        ranking.place_decline(application=a, by=office, reason="Бас тартты.")
    assert Application.objects.get(pk=a.pk).status == Status.ADMITTED
