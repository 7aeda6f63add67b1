"""A member's duty minutes per week stay within their weekly cap."""

from scheduler.solver.model import solve
from scheduler.solver.validate import violations
from tests.scheduler.solver.family import couple, daily, duty, helper, instance


def test_a_generous_cap_changes_nothing() -> None:
    alex, sam = couple(alex_weekly_cap=600, sam_weekly_cap=600)
    household = instance((alex, sam), (duty("dinner"),), daily("dinner", range(7), "18:00", 60))
    assert len(solve(household).assignments) == 7


def test_a_cap_too_small_for_the_week_leaves_occurrences_unassigned() -> None:
    nana = helper(weekly_cap=90)
    household = instance((nana,), (duty("walk", ("nana",)),), daily("walk", range(4), "10:00", 30))
    plan = solve(household)
    assert len(plan.assignments) == 3
    [missing] = plan.unassigned
    assert "weekly cap" in missing.reason


def test_a_capped_partner_hands_the_rest_to_the_other() -> None:
    alex, sam = couple(alex_weekly_cap=120)
    household = instance((alex, sam), (duty("dinner"),), daily("dinner", range(7), "18:00", 60))
    plan = solve(household)
    assert plan.unassigned == []
    assert plan.load["alex"].minutes <= 120
    assert plan.load["sam"].minutes >= 300
    assert violations(household, plan) == []
