"""The assignment strategies popular chore apps use, as baselines for the solver.

Each walks the occurrences in time order and gives each one to a member who is free for it (the
same ``blockers.blockers`` the validator uses: busy time with buffers, availability, own duties,
weekly cap, ramp-up), at the first start that works, so the comparison with the solver is about
the choice of member, not about breaking hard rules. Links between duties are a soft goal and
are ignored here, as chore apps do. When nobody is free, the occurrence
stays unassigned. None of them looks ahead.

- ``round_robin``: each duty series rotates through its eligible members (skipping busy ones);
- ``least_so_far``: whoever has done the least effort-weighted work so far;
- ``random_member``: any free eligible member, uniformly (seeded).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from scheduler.solver.assemble import plan_of
from scheduler.solver.blockers import blockers
from scheduler.solver.explain import why_unassigned
from scheduler.solver.horizon import candidate_starts, week_of
from scheduler.solver.instance import Instance, Occurrence
from scheduler.solver.plan import Assignment, Plan, Unassigned
from scheduler.solver.plan_index import indexed

# Picks one of the free (member, start) options for an occurrence, given the loads so far.
Chooser = Callable[[Occurrence, Sequence[tuple[str, datetime]], dict[str, int]], int]


def _plan(instance: Instance, choose: Chooser, label: str) -> Plan:
    pinned = {d.id: d.pinned_owner for d in instance.duties}
    eligible = {d.id: d.eligible for d in instance.duties}
    ramp_up = any(m.ramp_up is not None for m in instance.members)
    by_week: dict[int, list[Assignment]] = defaultdict(list)
    everything: list[Assignment] = []
    unassigned: list[Unassigned] = []
    weighted: dict[str, int] = {m.id: 0 for m in instance.members}
    for occurrence in sorted(instance.occurrences, key=lambda o: (o.earliest_start, o.duty)):
        week = week_of(instance, occurrence.day)
        # Caps and overlaps only look at the same week; ramp-up looks at all weeks.
        context = indexed(instance, everything if ramp_up else by_week[week])
        options: list[tuple[str, datetime]] = []
        for member in eligible[occurrence.duty]:
            if pinned[occurrence.duty] not in (None, member):
                continue
            for start in candidate_starts(instance, occurrence):
                if not blockers(instance, member, occurrence, start, context):
                    options.append((member, start))
                    break
        name = instance.duty(occurrence.duty).name
        if not options:
            unassigned.append(
                Unassigned(
                    duty=occurrence.duty,
                    name=name,
                    day=occurrence.day,
                    start=occurrence.earliest_start,
                    end=occurrence.latest_end,
                    reason=why_unassigned(instance, occurrence, context),
                )
            )
            continue
        member, start = options[choose(occurrence, options, weighted)]
        assignment = Assignment(
            duty=occurrence.duty,
            name=name,
            day=occurrence.day,
            start=start,
            end=start + timedelta(minutes=occurrence.duration),
            member=member,
            reason=label,
        )
        by_week[week].append(assignment)
        everything.append(assignment)
        weighted[member] += instance.weighted_minutes(occurrence)
    return plan_of(instance, everything, unassigned)


def round_robin(instance: Instance) -> Plan:
    """Each series takes turns: the next eligible member after the last one who did it."""
    last: dict[str, str] = {}
    order = {d.id: list(d.eligible) for d in instance.duties}

    def choose(
        occurrence: Occurrence, options: Sequence[tuple[str, datetime]], _: dict[str, int]
    ) -> int:
        members = order[occurrence.duty]
        after = members.index(last[occurrence.duty]) + 1 if occurrence.duty in last else 0
        rotation = members[after:] + members[:after]
        free = [member for member, _ in options]
        pick = free.index(next(m for m in rotation if m in free))
        last[occurrence.duty] = free[pick]
        return pick

    return _plan(instance, choose, "round-robin")


def least_so_far(instance: Instance) -> Plan:
    """Whoever has the least effort-weighted load so far (ties: the first eligible)."""

    def choose(
        _: Occurrence, options: Sequence[tuple[str, datetime]], weighted: dict[str, int]
    ) -> int:
        return min(range(len(options)), key=lambda i: (weighted[options[i][0]], i))

    return _plan(instance, choose, "whoever did least so far")


def random_member(instance: Instance, seed: int = 0) -> Plan:
    """Any free eligible member, uniformly at random (seeded: the same plan for the same seed)."""
    rng = random.Random(seed)

    def choose(_: Occurrence, options: Sequence[tuple[str, datetime]], __: dict[str, int]) -> int:
        return rng.randrange(len(options))

    return _plan(instance, choose, "random")


BASELINES: dict[str, Callable[[Instance], Plan]] = {
    "round-robin": round_robin,
    "least so far": least_so_far,
    "random": random_member,
}
