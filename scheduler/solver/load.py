"""Who carries how much: ``Plan.load`` and ``Plan.weeks``, computed from the assignments alone.

The share is the horizon view used by the fairness bound (TEAM.md): each partner's weighted load
plus their carried load, as a percentage of all partners' weighted plus carried load. Helpers get
no share (0.0) and no target; their cost is hourly_cost x hours.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from scheduler.solver.explain import series_owner
from scheduler.solver.fairness_target import percent_shares, target_shares
from scheduler.solver.horizon import first_day, week_count
from scheduler.solver.instance import Instance
from scheduler.solver.plan import Assignment, MemberLoad, WeekLoad
from scheduler.solver.plan_index import assignment_minutes, indexed


def member_loads(instance: Instance, assignments: Sequence[Assignment]) -> dict[str, MemberLoad]:
    plan = indexed(instance, assignments)
    minutes = {m.id: 0 for m in instance.members}
    for a in assignments:
        minutes[a.member] += assignment_minutes(a)
    weighted = {m.id: plan.load[m.id] for m in instance.members}
    partners = [m.id for m in instance.members if m.role == "partner"]
    carried = instance.fairness.carried_load
    horizon = {p: weighted[p] + carried.get(p, 0) for p in partners}
    total = sum(horizon.values())
    targets = target_shares(instance)
    owners = {d.id: series_owner(d.id, plan) for d in instance.duties}
    return {
        m.id: MemberLoad(
            minutes=minutes[m.id],
            weighted=weighted[m.id],
            carried=carried.get(m.id, 0),
            share=round(100 * horizon[m.id] / total, 2) if m.id in horizon and total else 0.0,
            target_share=round(100 * targets[m.id], 2) if m.id in targets else None,
            series_owned=sorted(d for d, owner in owners.items() if owner == m.id),
            cost=round(m.hourly_cost * minutes[m.id] / 60, 2),
        )
        for m in instance.members
    }


def week_loads(instance: Instance, assignments: Sequence[Assignment]) -> list[WeekLoad]:
    """Each week's load and split, the week alone and so far (carried load included): a plan
    can be fair over the horizon and still have one partner carry more for weeks on end, and a
    family should see that."""
    plan = indexed(instance, assignments)
    first = first_day(instance)
    targets = target_shares(instance)
    so_far = {p: instance.fairness.carried_load.get(p, 0) for p in targets}
    result = []
    for week in range(week_count(instance)):
        weighted = {m.id: plan.week_load[(m.id, week)] for m in instance.members}
        for p in so_far:
            so_far[p] += weighted[p]
        result.append(
            WeekLoad(
                start=first + timedelta(weeks=week),
                weighted=weighted,
                share=percent_shares(weighted, targets),
                share_so_far=percent_shares(so_far, targets),
            )
        )
    return result
