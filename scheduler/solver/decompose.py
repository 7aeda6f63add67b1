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
from hashlib import blake2b
from typing import TYPE_CHECKING

from scheduler.solver.candidates import Candidate
from scheduler.solver.horizon import week_of
from scheduler.solver.instance import Instance, Occurrence

if TYPE_CHECKING:  # rules.locks builds on the variables, which build on this module
    from scheduler.solver.rules.locks import Keep

# Part of every fingerprint: bump it when a hard rule, the coverage goal or the links goal changes
# meaning, so that no proof of an older version is taken.
PROOF_VERSION = 2  # 2: ramp-up counts per week, not cumulatively


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


def fingerprint(
    instance: Instance,
    occurrences: Sequence[Occurrence],
    options: Sequence[Candidate],
    keeps: Sequence[Keep],
    links: Sequence[tuple[int, int, bool]],
) -> str:
    """Everything a group's optimum of coverage and links kept depends on: its candidates, the
    rules of the members who could do them (weekly cap and ramp-up, counted in weeks from the
    horizon's start), its keeps, its links and the coverage goal's weights. Equal fingerprints,
    equal optima; by keys, not by index, so that another part of the horizon may change."""

    def key(i: int) -> str:
        return occurrences[i].key

    lines = [f"v{PROOF_VERSION} n{len(occurrences)} {instance.start.isoformat()}"]
    lines += sorted(
        f"c {key(c.occurrence)} {c.member} {c.first_minute} {c.last_minute}" for c in options
    )
    for member_id in sorted({c.member for c in options}):
        member = instance.member(member_id)
        owns = sorted(member.owns) if member.ramp_up is not None else []
        lines.append(f"m {member_id} {member.weekly_cap} {member.ramp_up} {owns}")
    lines += sorted(
        f"k {key(k.occurrence)} {k.member} {k.start and k.start.isoformat()}" for k in keeps
    )
    lines += sorted(f"l {key(a)} {key(b)} {same}" for a, b, same in links)
    return blake2b("\n".join(lines).encode(), digest_size=16).hexdigest()
