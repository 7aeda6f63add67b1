"""Re-check a plan without the solver: every hard rule of TEAM.md, in words a parent can read.

The checks reuse the helpers of ``static_blockers`` and ``blockers`` (busy time with buffers,
availability, weekly minutes, ramp-up), so the validator and the explanations agree on what "free"
means. An empty list means the plan is valid. Soft goals (links, fairness, stable owners,
preferences, cost) are not violations; ``broken_links`` lists the links a plan breaks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from scheduler.solver.blockers import blockers, ramp_up_violations
from scheduler.solver.explain import frozen
from scheduler.solver.horizon import (
    candidate_starts,
    first_day,
    occurrence_label,
    on_grid,
    span,
    week_of,
    when,
)
from scheduler.solver.instance import Instance, Occurrence
from scheduler.solver.links import broken_pairs
from scheduler.solver.plan import Assignment, Plan
from scheduler.solver.plan_index import assignment_minutes, indexed
from scheduler.solver.static_blockers import static_blockers


def violations(instance: Instance, plan: Plan) -> list[str]:
    """Every hard rule the plan breaks, one readable line each; [] when the plan is valid."""
    occurrences = {(o.duty, o.day): o for o in instance.occurrences}
    problems = _coverage(instance, plan, occurrences)
    members = {m.id for m in instance.members}
    known = [a for a in plan.assignments if (a.duty, a.day) in occurrences and a.member in members]
    for a in known:
        problems.extend(_assignment(instance, occurrences[(a.duty, a.day)], a))
    problems.extend(_overlaps(instance, known))
    problems.extend(_weekly_caps(instance, known))
    problems.extend(_ramp_up(instance, known))
    problems.extend(_locks_and_freeze(instance, known, occurrences))
    return problems


def _coverage(
    instance: Instance, plan: Plan, occurrences: dict[tuple[str, date], Occurrence]
) -> list[str]:
    """Each known occurrence is assigned at most once, and otherwise reported as unassigned."""
    problems = []
    members = {m.id for m in instance.members}
    seen: dict[tuple[str, date], int] = defaultdict(int)
    for a in plan.assignments:
        key = (a.duty, a.day)
        seen[key] += 1
        if key not in occurrences:
            problems.append(f"{a.duty} on {a.day}: assigned but not an occurrence of the instance")
        if a.member not in members:
            problems.append(f"{a.duty} on {a.day}: assigned to unknown member {a.member!r}")
    for key, count in seen.items():
        if count > 1 and key in occurrences:
            label = occurrence_label(instance, occurrences[key])
            problems.append(f"{label}: assigned {count} times")
    for u in plan.unassigned:
        key = (u.duty, u.day)
        if key not in occurrences:
            problems.append(f"{u.duty} on {u.day}: reported unassigned but not an occurrence")
        elif key in seen:
            label = occurrence_label(instance, occurrences[key])
            problems.append(f"{label}: both assigned and reported unassigned")
    reported = set(seen) | {(u.duty, u.day) for u in plan.unassigned}
    for key, occurrence in occurrences.items():
        if key not in reported:
            label = occurrence_label(instance, occurrence)
            problems.append(f"{label}: neither assigned nor reported unassigned")
    return problems


def _assignment(instance: Instance, occurrence: Occurrence, a: Assignment) -> list[str]:
    """Start on the grid inside the window, the right length, an eligible member who is free."""
    label = f"{occurrence_label(instance, occurrence, a.start)} ({instance.member(a.member).name})"
    problems = []
    if not on_grid(instance, occurrence, a.start):
        window = span(instance, occurrence.earliest_start, occurrence.latest_start)
        problems.append(
            f"{label}: starts off the {instance.grid_minutes}-min grid or outside {window}"
        )
    if a.end - a.start != timedelta(minutes=occurrence.duration):
        problems.append(
            f"{label}: ends at {when(instance, a.end)}, not after {occurrence.duration} min"
        )
    for reason in static_blockers(instance, instance.member(a.member), occurrence, a.start):
        problems.append(f"{label}: {reason}")
    return problems


def _overlaps(instance: Instance, assignments: Sequence[Assignment]) -> list[str]:
    """A member never has two duties at once (buffers do not apply between duties)."""
    problems = []
    by_member: dict[str, list[Assignment]] = defaultdict(list)
    for a in assignments:
        by_member[a.member].append(a)
    for member, duties in by_member.items():
        duties.sort(key=lambda a: (a.start, a.end))
        latest: Assignment | None = None
        for a in duties:
            if latest is not None and a.start < latest.end:
                first, second = when(instance, latest.start), when(instance, a.start)
                problems.append(
                    f"{instance.member(member).name}: {latest.name} ({first}) "
                    f"overlaps {a.name} ({second})"
                )
            if latest is None or a.end > latest.end:
                latest = a
    return problems


def _weekly_caps(instance: Instance, assignments: Sequence[Assignment]) -> list[str]:
    problems = []
    minutes: dict[tuple[str, int], int] = defaultdict(int)
    for a in assignments:
        minutes[(a.member, week_of(instance, a.day))] += assignment_minutes(a)
    for (member_id, week), used in sorted(minutes.items()):
        cap = instance.member(member_id).weekly_cap
        if cap is not None and used > cap:
            first = first_day(instance) + timedelta(days=7 * week)
            problems.append(
                f"{instance.member(member_id).name}: {used} min of duties in the week of "
                f"{first:%a} {first.day} {first:%b}, over the weekly cap of {cap} min"
            )
    return problems


def broken_links(instance: Instance, plan: Plan) -> list[str]:
    """Linked duties of one day whose link the plan breaks, one line each; [] when all are kept.

    Not a violation: a link gives way when keeping it would leave a duty undone.
    """
    members = {m.id: m.name for m in instance.members}
    duties = {d.id for d in instance.duties}
    known = [a for a in plan.assignments if a.duty in duties]
    lines = []
    for a, b, same in broken_pairs(instance, known):
        rule = "the same owner" if same else "different owners"
        lines.append(
            f"{a.day:%a} {a.day.day} {a.day:%b}: {a.name} ({members.get(a.member, a.member)}) "
            f"and {b.name} ({members.get(b.member, b.member)}) should have {rule}"
        )
    return lines


def _ramp_up(instance: Instance, assignments: Sequence[Assignment]) -> list[str]:
    problems = []
    for member in instance.members:
        held = [(a.duty, a.day) for a in assignments if a.member == member.id]
        for week, count, limit in ramp_up_violations(instance, member, held):
            problems.append(
                f"{member.name}: {count} new duty series in week {week + 1}, "
                f"ramp-up allows {limit} per week"
            )
    return problems


def _locks_and_freeze(
    instance: Instance,
    assignments: Sequence[Assignment],
    occurrences: dict[tuple[str, date], Occurrence],
) -> list[str]:
    """Locks and frozen previous assignments hold whenever the plan leaves room for them.

    "Room" means: with every other assignment of the plan unchanged, the locked (or previous)
    member has no blocker at some start (for a frozen one: at its previous start).
    """
    problems = []
    plan = indexed(instance, assignments)
    given = plan.by_key
    for lock in instance.locks:
        occurrence = occurrences.get((lock.duty, lock.day))
        if occurrence is None:
            continue
        got = given.get((lock.duty, lock.day))
        if got is not None and got.member == lock.member:
            continue
        possible = any(
            not blockers(instance, lock.member, occurrence, start, plan)
            for start in candidate_starts(instance, occurrence)
        )
        if possible:
            taker = instance.member(got.member).name if got else "nobody"
            problems.append(
                f"{occurrence_label(instance, occurrence)}: locked to "
                f"{instance.member(lock.member).name} who is free, but went to {taker}"
            )
    for previous in instance.previous or ():
        occurrence = occurrences.get((previous.duty, previous.day))
        kept = frozen(instance, previous)
        if (
            occurrence is None
            or kept is None
            or previous.member not in {m.id for m in instance.members}
        ):
            continue
        got = given.get((previous.duty, previous.day))
        if got is not None and (got.member, got.start) == (previous.member, previous.start):
            continue
        if not on_grid(instance, occurrence, previous.start):
            continue
        if not blockers(instance, previous.member, occurrence, previous.start, plan):
            taker = (
                f"{instance.member(got.member).name} at {when(instance, got.start)}"
                if got
                else "nobody"
            )
            problems.append(
                f"{occurrence_label(instance, occurrence, previous.start)}: {kept}, must stay with "
                f"{instance.member(previous.member).name}, but went to {taker}"
            )
    previous_by_key = {(p.duty, p.day): p for p in instance.previous or ()}
    for a in assignments:
        prior = previous_by_key.get((a.duty, a.day))
        if prior is None:
            continue
        changed = (prior.member, prior.start) != (a.member, a.start)
        expected = prior.sequence + 1 if changed else prior.sequence
        if a.sequence != expected:
            problems.append(
                f"{a.name} on {a.day}: feed sequence {a.sequence}, expected {expected} "
                f"({'changed' if changed else 'unchanged'} since the previous plan)"
            )
    return problems
