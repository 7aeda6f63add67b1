"""When a goal's search runs out of time: nothing is lost (the plan so far stays, with its value),
and the ownership goal still gets one owner per series from its fixed-owner plans."""

from __future__ import annotations

import math
from collections import Counter

import pytest
from ortools.sat.python import cp_model

from benchmarks.households import household
from scheduler.solver import model, owner_copies, search
from scheduler.solver.instance import Instance
from scheduler.solver.plan import Plan
from scheduler.solver.validate import violations
from tests.scheduler.solver.test_model_long_horizon import _two_months


def _exceptions(plan: Plan) -> int:
    """Assignments not done by the member who does most of their series."""
    by_duty: dict[str, Counter[str]] = {}
    for a in plan.assignments:
        by_duty.setdefault(a.duty, Counter())[a.member] += 1
    return sum(sum(c.values()) - c.most_common(1)[0][1] for c in by_duty.values())


def _no_time_for_the_stages(
    monkeypatch: pytest.MonkeyPatch, of: Instance, *, but_fixed_owners: bool
) -> None:
    """Every stage of ``of`` after links kept gets no time; with ``but_fixed_owners`` the copies
    with the owners fixed (``owner_copies._best_with_owners``) still get theirs, and so does the
    plan of the first week they take owners from."""
    inside: list[bool] = []
    best_with_owners = owner_copies._best_with_owners

    def counted(*args: object, **options: bool) -> float:
        inside.append(True)
        try:
            return best_with_owners(*args, **options)  # type: ignore[arg-type]
        finally:
            inside.pop()

    def parameters(
        instance: Instance, seconds: float, clock: search.Clock, goal: str | None = None
    ) -> cp_model.CpSolver:
        solver = search.parameters(instance, seconds, clock, goal)
        if not but_fixed_owners or (instance is of and not inside):
            solver.parameters.max_time_in_seconds = 0.0
        return solver

    monkeypatch.setattr(owner_copies, "_best_with_owners", counted)
    monkeypatch.setattr(model, "parameters", parameters)
    monkeypatch.setattr(owner_copies, "parameters", parameters)


def test_a_goal_out_of_time_keeps_the_plan_so_far_and_says_its_bound_is_unknown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    instance = _two_months()
    _no_time_for_the_stages(monkeypatch, instance, but_fixed_owners=False)
    plan = model.solve(instance)
    assert violations(instance, plan) == []
    assert plan.unassigned == []
    assert plan.stats is not None
    stages = {s.name: s for s in plan.stats.stages}
    ownership = stages["ownership"]
    assert not ownership.optimal and math.isnan(ownership.bound)
    # Not a blank: the value of the plan the family gets.
    assert ownership.value == _exceptions(plan)


def test_with_no_time_for_its_own_search_ownership_still_finds_one_owner_per_series(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The two-month household's optimum is two exceptions (``test_model_long_horizon``):
    the plans with the owners fixed reach it without the stage's own search."""
    instance = _two_months()
    _no_time_for_the_stages(monkeypatch, instance, but_fixed_owners=True)
    plan = model.solve(instance)
    assert violations(instance, plan) == []
    assert _exceptions(plan) == 2
    assert plan.stats is not None
    ownership = next(s for s in plan.stats.stages if s.name == "ownership")
    assert ownership.value == 2 and not ownership.optimal


def test_the_first_weeks_owners_beat_the_fair_covers_when_they_are_better(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The benchmark's month (400 duties; its optimum is 44 exceptions): the fair cover's
    owners, fixed, leave 65; the first weeks' plan knows better owners. (A month is short
    enough to find them without it: here they are planned first as on a longer horizon.)"""
    monkeypatch.setattr(owner_copies, "PRE_PLAN_AFTER_WEEKS", model.PRE_PLAN_WEEKS)
    instance = household(4)
    _no_time_for_the_stages(monkeypatch, instance, but_fixed_owners=True)
    plan = model.solve(instance)
    assert violations(instance, plan) == []
    assert plan.stats is not None
    ownership = next(s for s in plan.stats.stages if s.name == "ownership")
    assert ownership.value <= 50


def test_preferences_and_helper_cost_out_of_time_each_report_the_plans_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """They share one search (``model.Stage``): out of time, each still gets its own value."""
    instance = household(4)
    _no_time_for_the_stages(monkeypatch, instance, but_fixed_owners=False)
    plan = model.solve(instance)
    assert plan.stats is not None
    stages = {s.name: s for s in plan.stats.stages}
    members = {m.id: m for m in instance.members}
    liked = sum(
        (a.duty in members[a.member].avoids) - (a.duty in members[a.member].prefers)
        for a in plan.assignments
    )
    helped = sum(members[a.member].role == "helper" for a in plan.assignments)  # Nana is free
    assert (stages["preferences"].value, stages["helper_cost"].value) == (liked, helped)
    for name in ("preferences", "helper_cost"):
        assert not stages[name].optimal and math.isnan(stages[name].bound)
