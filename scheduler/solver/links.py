"""Links between duties (``same_owner_as``, ``different_owner_from``) in a plan: which pairs it
breaks, why, and why a member would break one. Links are not hard rules: one gives way when
keeping it would leave a duty undone. Pure."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from scheduler.solver.blockers import member_clause, reasons_for_window, unique
from scheduler.solver.horizon import occurrence_by_key
from scheduler.solver.instance import Instance, Occurrence
from scheduler.solver.memo import per_object
from scheduler.solver.plan import Assignment, BrokenLink
from scheduler.solver.plan_index import PlanIndex, indexed


def linked_duties(instance: Instance, duty_id: str) -> list[tuple[str, bool]]:
    """Duties linked to ``duty_id`` in either direction; the flag is True for "same owner"."""
    links = per_object(
        _LINKS, instance.duties, lambda: {d.id: _links_of(instance, d.id) for d in instance.duties}
    )
    return links[duty_id]


_LINKS: dict[int, tuple[Any, Any]] = {}


def _links_of(instance: Instance, duty_id: str) -> list[tuple[str, bool]]:
    duty = instance.duty(duty_id)
    links: dict[str, bool] = {}
    for other in instance.duties:
        if other.id in duty.same_owner_as or duty_id in other.same_owner_as:
            links[other.id] = True
        if other.id in duty.different_owner_from or duty_id in other.different_owner_from:
            links[other.id] = False
    return list(links.items())


def broken_pairs(
    instance: Instance, assignments: Sequence[Assignment]
) -> list[tuple[Assignment, Assignment, bool]]:
    """Linked assignments of one day whose link the plan breaks, as (earlier, later, same_owner):
    each pair once, in time order. A link binds only when both duties are assigned."""
    plan = indexed(instance, assignments)
    found = []
    for a in sorted(plan, key=lambda a: (a.start, a.duty)):
        for other, same in linked_duties(instance, a.duty):
            b = plan.by_key.get((other, a.day))
            if b is None or (b.start, b.duty) <= (a.start, a.duty):  # each pair once
                continue
            if (a.member == b.member) != same:
                found.append((a, b, same))
    return found


def why_link_broken(
    instance: Instance, first: Assignment, second: Assignment, same: bool, plan: PlanIndex
) -> str:
    """``Sam does both School drop-off and School pick-up today: Alex busy (...)``: what kept
    everyone else from keeping the link, given the rest of the plan."""
    occurrences = occurrence_by_key(instance)
    pair = [(a, occurrences[(a.duty, a.day)]) for a in (first, second)]
    name = {m.id: m.name for m in instance.members}
    stopped: dict[str, list[str]] = defaultdict(list)
    sole: list[str] = []  # duties nobody else may do
    if same:
        lead = (
            f"{name[first.member]} does {first.name} but "
            f"{name[second.member]} does {second.name} today"
        )
        # Keeping it: one of the two takes the other duty too, or someone else takes both.
        both = set(instance.duty(first.duty).eligible) & set(instance.duty(second.duty).eligible)
        for member in (m.id for m in instance.members):
            if member not in both | {first.member, second.member}:
                continue
            for a, o in pair:
                if a.member != member:
                    free_at, reasons = reasons_for_window(instance, member, o, plan)
                    if free_at is None:
                        stopped[member].extend(reasons)
    else:
        lead = f"{name[first.member]} does both {first.name} and {second.name} today"
        # Keeping it: somebody else takes one of the two.
        for a, o in pair:
            others = [m for m in instance.duty(a.duty).eligible if m != a.member]
            sole.extend([] if others else [a.name])
            found = {m: reasons_for_window(instance, m, o, plan) for m in others}
            if all(free_at is None for free_at, _ in found.values()):
                for m, (_, reasons) in found.items():
                    stopped[m].extend(reasons)
    clauses = [member_clause(instance, m, unique(r)) for m, r in stopped.items()]
    clauses += [f"nobody else may do {' or '.join(sole)}"] if sole else []
    if not clauses:
        return f"{lead} (needed to cover every duty)"
    return f"{lead}: {', '.join(clauses)}"


def link_broken_by(
    instance: Instance,
    occurrence: Occurrence,
    member: str,
    start: datetime,
    assignments: Sequence[Assignment],
) -> str | None:
    """Why ``member`` taking this occurrence breaks a link, if it does (the first such link)."""
    plan = indexed(instance, assignments)
    for other, same in linked_duties(instance, occurrence.duty):
        theirs = plan.by_key.get((other, occurrence.day))
        if theirs is not None and (member == theirs.member) != same:
            mine = Assignment(
                duty=occurrence.duty,
                name=instance.duty(occurrence.duty).name,
                day=occurrence.day,
                start=start,
                end=start + timedelta(minutes=occurrence.duration),
                member=member,
                reason="",
            )
            first, second = sorted((mine, theirs), key=lambda a: (a.start, a.duty))
            return why_link_broken(instance, first, second, same, plan)
    return None


def links_kept(
    instance: Instance, member: str, occurrence: Occurrence, assignments: Sequence[Assignment]
) -> list[str]:
    """Why giving ``occurrence`` to ``member`` would break a link the plan keeps, e.g. ``does
    School drop-off that day`` or ``isn't doing Swimming lesson that day (Nana is)``; not a
    blocker (a link gives way to cover a duty), a preference."""
    plan = indexed(instance, assignments)
    reasons = []
    for other, same in linked_duties(instance, occurrence.duty):
        theirs = plan.by_key.get((other, occurrence.day))
        if theirs is not None and other != occurrence.duty and (theirs.member == member) != same:
            if same:  # the pair goes together, to whoever does the other one
                doer = instance.member(theirs.member).name
                reasons.append(f"isn't doing {theirs.name} that day ({doer} is)")
            else:
                reasons.append(f"does {theirs.name} that day")
    return reasons


def broken_links(instance: Instance, assignments: Sequence[Assignment]) -> list[BrokenLink]:
    """The plan's broken links, each with the reason, for the family to see."""
    plan = indexed(instance, assignments)
    return [
        BrokenLink(
            day=a.day,
            duties=[a.duty, b.duty],
            members=[a.member, b.member],
            rule="same_owner" if same else "different_owner",
            reason=why_link_broken(instance, a, b, same, plan),
        )
        for a, b, same in broken_pairs(instance, plan)
    ]
