"""``fairness.so_far_bound_percent``: a household that wants the split fair along the way, not
only over the planned weeks and in each week alone."""

from __future__ import annotations

from benchmarks.households import household
from scheduler.solver.instance import Instance
from scheduler.solver.model import solve
from scheduler.solver.plan import Plan


def _with_bound(instance: Instance, percent: float | None) -> Instance:
    fairness = instance.fairness.model_copy(update={"so_far_bound_percent": percent})
    return instance.model_copy(update={"fairness": fairness})


def _off_so_far(plan: Plan) -> list[float]:
    """How far Alex's share so far is from half at each week's end, in points."""
    return [abs(week.share_so_far["alex"] - 50.0) for week in plan.weeks]


def test_the_split_so_far_stays_within_the_bound_the_household_asks_for() -> None:
    # A generated month in which Sam carried 300 weighted minutes over, and the calendars let
    # the plan have Sam do most of the first week too: fair over the month and within the
    # 10-point band each week, yet 13 points off after the first week.
    month = household(4, seed=14)
    usual = solve(month)
    assert _off_so_far(usual)[0] > 10

    plan = solve(_with_bound(month, 5.0))

    # Within 5 points, plus the half point that whole points round away (of the first plan's
    # load, close to this one's).
    assert max(_off_so_far(plan)) <= 5.6
    assert plan.stats is not None and usual.stats is not None
    reports = {r.name: r for r in plan.stats.stages}
    assert reports["fairness_so_far"].optimal and reports["fairness_so_far"].value == 0
    # Still fair over the month and in each week.
    assert _off_so_far(plan)[-1] <= 0.25
    assert all(abs(week.share["alex"] - 50.0) <= 10.5 for week in plan.weeks)
    assert "fairness_so_far" not in {r.name for r in usual.stats.stages}
