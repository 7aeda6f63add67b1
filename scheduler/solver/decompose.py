"""Independent groups of occurrences for the first two goals, coverage and links kept.

Both are sums over groups that no hard rule and no link connects: two occurrences are in one group
when a member could do both at overlapping times, when they are linked (same day), when a member
with a weekly cap could do both in one week, or when a member with a ramp-up limit could do both as
new series. Solving each group on its own proves in milliseconds what one search over the whole
horizon needs seconds for (its LP bound is weak and its branching mixes unrelated days); ``model``
then fixes each group's optimum, which also tightens later stages.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from scheduler.solver.candidates import Candidate
from scheduler.solver.explain import week_of
from scheduler.solver.instance import Instance, Occurrence


def linked_occurrences(
    instance: Instance, occurrences: Sequence[Occurrence]
) -> list[tuple[int, int, bool]]:
    """(a, b, same_owner) for every linked pair of occurrences on one day, a < b, sorted."""
    index = {(o.duty, o.day): i for i, o in enumerate(occurrences)}
    pairs: set[tuple[int, int, bool]] = set()
    for duty in instance.duties:
        links = [(o, True) for o in duty.same_owner_as] + [
            (o, False) for o in duty.different_owner_from
        ]
        if not links:
            continue
        for i, occurrence in enumerate(occurrences):
            if occurrence.duty != duty.id:
                continue
            for other, same in links:
                j = index.get((other, occurrence.day))
                if j is not None and j != i:
                    pairs.add((min(i, j), max(i, j), same))
    return sorted(pairs)


def broken(doer: Mapping[int, str], a: int, b: int, same: bool) -> bool:
    """Whether the plan ``doer`` (occurrence -> member) breaks the link between ``a`` and ``b``:
    both done, by two members although ``same_owner``, by one although ``different_owner``."""
    return a in doer and b in doer and (doer[a] == doer[b]) != same


def coverage_groups(
    instance: Instance, occurrences: Sequence[Occurrence], candidates: Sequence[Candidate]
) -> list[list[int]]:
    """The groups (sorted occurrence indices), ordered by their first occurrence."""
    parent = list(range(len(occurrences)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    members = {m.id: m for m in instance.members}
    by_member: dict[str, list[Candidate]] = {}
    for c in candidates:
        by_member.setdefault(c.member, []).append(c)
    for member_id in sorted(by_member):
        own, member = by_member[member_id], members[member_id]
        reach, last = -1, -1
        for c in sorted(own, key=lambda c: c.first_minute):
            if c.first_minute < reach:
                join(c.occurrence, last)
            if c.last_minute > reach:
                reach, last = c.last_minute, c.occurrence
        anchors: dict[object, int] = {}
        for c in own:
            if member.weekly_cap is not None:
                week = week_of(instance, occurrences[c.occurrence].day)
                join(c.occurrence, anchors.setdefault(("week", week), c.occurrence))
            if member.ramp_up is not None and occurrences[c.occurrence].duty not in member.owns:
                join(c.occurrence, anchors.setdefault("ramp-up", c.occurrence))
    for a, b, _ in linked_occurrences(instance, occurrences):
        join(a, b)
    groups: dict[int, list[int]] = {}
    for i in range(len(occurrences)):
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values())
