"""The credit rules of a curriculum (rules.md: 30 credits a term, 60 a year, the level's total, the cycles of a
bachelor's programme), on plain data so that the page, approval and the tests read the same answer.

Elective disciplines count as the credits to choose of their group, in the group's term and cycle, not as the
sum of everything offered.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Policy:
    term_credits: int
    term_tolerance: int
    year_credits: int
    level_total: int | None
    cycle_minimums: dict[str, int]


def policy_for(level: str) -> Policy:
    return Policy(
        term_credits=settings.CURRICULA_TERM_CREDITS,
        term_tolerance=settings.CURRICULA_TERM_TOLERANCE,
        year_credits=settings.CURRICULA_YEAR_CREDITS,
        level_total=settings.CURRICULA_LEVEL_CREDITS.get(level),
        cycle_minimums=dict(settings.CURRICULA_BACHELOR_CYCLES) if level == "bachelor" else {},
    )


@dataclass(frozen=True)
class LineFacts:
    term: int
    credits: int
    cycle: str
    group: str | None = None  # the elective group's code


@dataclass(frozen=True)
class GroupFacts:
    code: str
    term: int
    cycle: str
    credits_to_choose: int


@dataclass
class Totals:
    by_term: dict[int, int] = field(default_factory=dict)
    by_year: dict[int, int] = field(default_factory=dict)
    by_cycle: dict[str, int] = field(default_factory=dict)
    total: int = 0


def year_of(term: int) -> int:
    return (term + 1) // 2


def totals(terms: int, lines: Iterable[LineFacts], groups: Iterable[GroupFacts]) -> Totals:
    by_term: dict[int, int] = dict.fromkeys(range(1, terms + 1), 0)
    by_cycle: dict[str, int] = defaultdict(int)
    for line in lines:
        if line.group is None:
            by_term[line.term] = by_term.get(line.term, 0) + line.credits
            by_cycle[line.cycle] += line.credits
    for group in groups:
        by_term[group.term] = by_term.get(group.term, 0) + group.credits_to_choose
        by_cycle[group.cycle] += group.credits_to_choose
    by_year: dict[int, int] = defaultdict(int)
    for term, credits in by_term.items():
        by_year[year_of(term)] += credits
    return Totals(by_term=by_term, by_year=dict(by_year), by_cycle=dict(by_cycle), total=sum(by_term.values()))


def can_make(target: int, options: Iterable[int]) -> bool:
    """Whether some of the options add up to exactly the target (each taken at most once)."""
    reachable = {0}
    for credits in options:
        reachable |= {r + credits for r in reachable if r + credits <= target}
    return target in reachable


def problems(
    terms: int, lines: list[LineFacts], groups: list[GroupFacts], policy: Policy, cycle_labels: dict[str, str]
) -> list[str]:
    """What is wrong with the credits, in words for the office; empty when the curriculum may be approved."""
    found: list[str] = []
    if not lines:
        return [_("The curriculum has no lines.")]
    result = totals(terms, lines, groups)
    for term, credits in sorted(result.by_term.items()):
        if abs(credits - policy.term_credits) > policy.term_tolerance:
            found.append(
                _("Term %(term)s has %(credits)s credits; a term has %(expected)s.")
                % {"term": term, "credits": credits, "expected": policy.term_credits}
            )
    full_years = terms // 2
    for year in range(1, full_years + 1):
        credits = result.by_year.get(year, 0)
        if credits != policy.year_credits:
            found.append(
                _("Year %(year)s has %(credits)s credits; a year has %(expected)s.")
                % {"year": year, "credits": credits, "expected": policy.year_credits}
            )
    if policy.level_total is not None and result.total < policy.level_total:
        found.append(
            _("The curriculum has %(credits)s credits in all; the level needs at least %(expected)s.")
            % {"credits": result.total, "expected": policy.level_total}
        )
    for cycle, minimum in policy.cycle_minimums.items():
        credits = result.by_cycle.get(cycle, 0)
        if credits < minimum:
            found.append(
                _("%(cycle)s: %(credits)s credits; at least %(expected)s.")
                % {"cycle": cycle_labels.get(cycle, cycle), "credits": credits, "expected": minimum}
            )
    options: dict[str, list[int]] = defaultdict(list)
    for line in lines:
        if line.group is not None:
            options[line.group].append(line.credits)
    for group in groups:
        offered = options.get(group.code, [])
        if len(offered) < 2:
            found.append(
                _("Elective group %(code)s needs at least two disciplines to choose from.") % {"code": group.code}
            )
        elif not can_make(group.credits_to_choose, offered):
            found.append(
                _("In elective group %(code)s no choice of disciplines makes exactly %(credits)s credits.")
                % {"code": group.code, "credits": group.credits_to_choose}
            )
    return found
