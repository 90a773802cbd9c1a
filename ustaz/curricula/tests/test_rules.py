"""The credit rules on plain data (rules.md: 30 credits a term, 60 a year, the level's total, the cycles)."""

from ustaz.curricula import rules
from ustaz.curricula.rules import GroupFacts, LineFacts

BACHELOR = rules.Policy(
    term_credits=30,
    term_tolerance=0,
    year_credits=60,
    level_total=240,
    cycle_minimums={"general": 56, "basic": 112, "profiling": 60, "final_attestation": 12},
)
LABELS = {"general": "General", "basic": "Basic", "profiling": "Profiling", "final_attestation": "Attestation"}


def valid_lines() -> list[LineFacts]:
    from ustaz.curricula.tests.conftest import VALID_PLAN

    return [LineFacts(term, credits, str(cycle)) for term, cycle, credits in VALID_PLAN] + [
        LineFacts(8, 12, "final_attestation")
    ]


def test_a_curriculum_of_30_credits_a_term_in_the_cycles_of_rules_md_has_no_problem():
    assert rules.problems(8, valid_lines(), [], BACHELOR, LABELS) == []
    totals = rules.totals(8, valid_lines(), [])
    assert set(totals.by_term.values()) == {30}
    assert totals.by_year == {1: 60, 2: 60, 3: 60, 4: 60}
    assert totals.by_cycle == {"general": 56, "basic": 112, "profiling": 60, "final_attestation": 12}


def test_a_term_off_its_credits_is_named_and_so_is_its_year_and_cycle():
    lines = valid_lines()
    lines[0] = LineFacts(1, 28, "general")  # term 1: 28
    found = rules.problems(8, lines, [], BACHELOR, LABELS)
    assert "Term 1 has 28 credits; a term has 30." in found
    assert "Year 1 has 58 credits; a year has 60." in found
    assert "The curriculum has 238 credits in all; the level needs at least 240." in found
    assert "General: 54 credits; at least 56." in found


def test_terms_may_differ_within_the_tolerance_while_the_year_still_makes_60():
    lines = valid_lines()
    lines[0] = LineFacts(1, 28, "general")
    lines.append(LineFacts(2, 2, "general"))  # 28 + 32 = 60
    tolerant = rules.Policy(**{**vars(BACHELOR), "term_tolerance": 2})
    assert rules.problems(8, lines, [], tolerant, LABELS) == []
    assert rules.problems(8, lines, [], BACHELOR, LABELS) == [
        "Term 1 has 28 credits; a term has 30.",
        "Term 2 has 32 credits; a term has 30.",
    ]


def test_an_elective_group_counts_its_credits_to_choose_not_everything_it_offers():
    lines = valid_lines()
    lines[3] = LineFacts(3, 25, "basic")  # term 3: 25 compulsory + 5 to choose
    lines += [
        LineFacts(3, 5, "basic", group="E1"),
        LineFacts(3, 5, "basic", group="E1"),
        LineFacts(3, 3, "basic", "E1"),
    ]
    groups = [GroupFacts("E1", 3, "basic", 5)]
    assert rules.totals(8, lines, groups).by_term[3] == 30
    assert rules.problems(8, lines, groups, BACHELOR, LABELS) == []


def test_an_elective_group_needs_two_options_and_a_choice_that_makes_its_credits():
    lines = valid_lines()
    lines[3] = LineFacts(3, 24, "basic")
    lines += [LineFacts(3, 4, "basic", group="E1"), LineFacts(3, 5, "basic", group="E1")]
    lines += [LineFacts(3, 6, "basic", group="E2")]
    groups = [GroupFacts("E1", 3, "basic", 6)]
    found = rules.problems(8, lines, groups, BACHELOR, LABELS)
    assert found == ["In elective group E1 no choice of disciplines makes exactly 6 credits."]
    groups = [GroupFacts("E1", 3, "basic", 3), GroupFacts("E2", 3, "basic", 3)]
    found = rules.problems(8, lines, groups, BACHELOR, LABELS)
    assert "Elective group E2 needs at least two disciplines to choose from." in found
    assert "In elective group E1 no choice of disciplines makes exactly 3 credits." in found


def test_a_choice_is_a_sum_of_distinct_options():
    assert rules.can_make(9, [4, 5])
    assert not rules.can_make(8, [4, 5])  # the same discipline is not taken twice
    assert rules.can_make(0, [])


def test_a_master_curriculum_has_no_bachelor_cycles_and_its_own_total(settings):
    policy = rules.policy_for("master")
    assert policy.cycle_minimums == {} and policy.level_total == 60
    lines = [LineFacts(1, 30, "profiling"), LineFacts(2, 30, "profiling")]
    assert rules.problems(2, lines, [], policy, LABELS) == []
    settings.CURRICULA_LEVEL_CREDITS = {"master": 120}
    assert rules.problems(2, lines, [], rules.policy_for("master"), LABELS) == [
        "The curriculum has 60 credits in all; the level needs at least 120."
    ]


def test_an_empty_curriculum_says_so():
    assert rules.problems(8, [], [], BACHELOR, LABELS) == ["The curriculum has no lines."]
