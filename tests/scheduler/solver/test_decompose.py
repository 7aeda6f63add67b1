"""Independent groups for the first two goals: what connects two occurrences and what doesn't."""

from __future__ import annotations

from scheduler.solver.candidates import ordered_occurrences, static_candidates
from scheduler.solver.decompose import coverage_groups
from scheduler.solver.instance import Instance
from scheduler.solver.model import solve
from scheduler.solver.validate import violations
from tests.scheduler.solver.family import couple, daily, duty, helper, instance


def _groups(household: Instance) -> list[list[str]]:
    occurrences = ordered_occurrences(household)
    candidates = static_candidates(household, occurrences, ())
    return [
        [occurrences[i].key for i in group]
        for group in coverage_groups(household, occurrences, candidates)
    ]


def _walks(cap: int) -> Instance:
    """Nana walks the dog at 10:00 on four days (30 min each), under a weekly cap."""
    nana = helper(weekly_cap=cap)
    return instance((nana,), (duty("walk", ("nana",)),), daily("walk", range(4), "10:00", 30))


def test_days_nothing_connects_are_groups_of_their_own() -> None:
    household = instance(couple(), (duty("dinner"),), daily("dinner", range(3), "18:00", 60))
    assert _groups(household) == [
        ["dinner@2026-11-23"],
        ["dinner@2026-11-24"],
        ["dinner@2026-11-25"],
    ]


def test_duties_one_member_could_do_at_overlapping_times_are_one_group() -> None:
    household = instance(
        couple(),
        (duty("dinner"), duty("bath")),
        daily("dinner", range(1), "18:00", 60) + daily("bath", range(1), "18:30", 30),
    )
    assert _groups(household) == [["dinner@2026-11-23", "bath@2026-11-23"]]


def test_a_members_weekly_cap_connects_the_week() -> None:
    # Four walks, room for three: which one stays undone is one decision for the week.
    assert len(_groups(_walks(90))) == 1


def test_both_caps_give_valid_plans_that_respect_them() -> None:
    for cap, walks in ((90, 3), (120, 4)):
        household = _walks(cap)
        plan = solve(household)
        assert violations(household, plan) == []
        assert len(plan.assignments) == walks
