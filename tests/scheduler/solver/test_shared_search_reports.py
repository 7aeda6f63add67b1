"""Two goals found in one search (``model.Stage.then``) are reported as two stages, each with a
bound as if it had been a stage of its own."""

from __future__ import annotations

from scheduler.solver.model import _reports

GOALS = ("preferences", "helper_cost")


def test_a_proven_search_proves_both_goals() -> None:
    preferences, helper_cost = _reports(GOALS, 100, -258, -258, optimal=True, seconds=1.5)
    assert (preferences.value, preferences.bound, preferences.optimal) == (-3, -3, True)
    assert (helper_cost.value, helper_cost.bound, helper_cost.optimal) == (42, 42, True)
    assert (preferences.seconds, helper_cost.seconds) == (1.5, 0.0)


def test_an_unfinished_search_may_still_prove_the_first_goal() -> None:
    preferences, helper_cost = _reports(GOALS, 100, -258, -270, optimal=False, seconds=1.0)
    assert (preferences.value, preferences.bound, preferences.optimal) == (-3, -3, True)
    # Among plans with preferences at -3 at most, helpers cost 30 at least.
    assert (helper_cost.value, helper_cost.bound, helper_cost.optimal) == (42, 30, False)


def test_with_the_first_goal_unproven_the_second_keeps_only_its_floor() -> None:
    preferences, helper_cost = _reports(GOALS, 100, -258, -493, optimal=False, seconds=1.0)
    assert (preferences.value, preferences.bound, preferences.optimal) == (-3, -5, False)
    assert (helper_cost.value, helper_cost.bound, helper_cost.optimal) == (42, 0, False)
    assert helper_cost.gap == 1.0
