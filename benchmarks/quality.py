"""Plan quality as a family sees it: is everything covered, is it fair, who owns what.

- coverage: percent of occurrences assigned;
- fairness deviation: the largest distance, in percentage points, of a partner's share of the
  partners' effort-weighted load from their target share (TEAM.md): over the horizon (carried
  load included); "running": at the end of each week, everything so far plus the carried load,
  averaged over the weeks (how fair it has felt along the way); and each week on its own
  (nothing carried, so a plan that pays back carried load early looks worse here);
- owner switches: assigned occurrences not done by their series' most frequent owner.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from scheduler.solver.explain import series_owner
from scheduler.solver.fairness_target import off_target, shares, target_shares
from scheduler.solver.horizon import week_of
from scheduler.solver.instance import Instance
from scheduler.solver.plan import Assignment, Plan
from scheduler.solver.plan_index import assignment_minutes, assignment_weight


@dataclass(frozen=True)
class Quality:
    coverage_percent: float
    fairness_horizon_pp: float
    fairness_running_pp: float
    fairness_weekly_pp: float
    owner_switches: int
    helper_minutes: int


def _deviation(instance: Instance, load: dict[str, int]) -> float | None:
    """Largest |share - target| in percentage points; None when the partners carry nothing."""
    targets = target_shares(instance)
    split = shares(load, targets)
    return None if split is None else 100 * off_target(split, targets)


def _weighted(instance: Instance, assignments: Sequence[Assignment]) -> dict[str, int]:
    load: dict[str, int] = defaultdict(int)
    for a in assignments:
        load[a.member] += assignment_weight(instance, a)
    return load


def quality(instance: Instance, plan: Plan) -> Quality:
    horizon = _weighted(instance, plan.assignments)
    for partner, carried in instance.fairness.carried_load.items():
        horizon[partner] += carried
    weeks: dict[int, list[Assignment]] = defaultdict(list)
    for a in plan.assignments:
        weeks[week_of(instance, a.day)].append(a)
    weekly = [_deviation(instance, _weighted(instance, week)) for week in weeks.values()]
    weekly_known = [d for d in weekly if d is not None]
    running: list[float] = []
    so_far: dict[str, int] = defaultdict(int, instance.fairness.carried_load)
    for week in sorted(weeks):
        for member, load in _weighted(instance, weeks[week]).items():
            so_far[member] += load
        deviation = _deviation(instance, so_far)
        if deviation is not None:
            running.append(deviation)
    owners = {d.id: series_owner(d.id, plan.assignments) for d in instance.duties}
    helpers = {m.id for m in instance.members if m.role == "helper"}
    total = len(instance.occurrences)
    return Quality(
        coverage_percent=100 * len(plan.assignments) / total if total else 100.0,
        fairness_horizon_pp=_deviation(instance, horizon) or 0.0,
        fairness_running_pp=sum(running) / len(running) if running else 0.0,
        fairness_weekly_pp=sum(weekly_known) / len(weekly_known) if weekly_known else 0.0,
        owner_switches=sum(1 for a in plan.assignments if a.member != owners[a.duty]),
        helper_minutes=sum(assignment_minutes(a) for a in plan.assignments if a.member in helpers),
    )
