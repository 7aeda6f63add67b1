"""Locks, and in re-planning the past and the freeze window: keep an owner unless forbidden.

"Unless a hard constraint forbids it" (TEAM.md) covers calendars that changed since the lock or the
previous plan, and locks that contradict each other. Rather than hard constraints that could make
the whole model infeasible, every keep is a literal that the first stage rewards far above
coverage (see ``objectives.coverage``); a keep that is impossible statically has no literal at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from scheduler.solver.candidates import Candidate
from scheduler.solver.instance import Instance, Occurrence, PreviousAssignment
from scheduler.solver.variables import AssignmentVars, LinearExpr


@dataclass(frozen=True)
class Keep:
    """Occurrence ``occurrence`` should stay with ``member`` (at ``start``, when not None)."""

    occurrence: int
    member: str
    start: datetime | None
    why: Literal["locked", "past", "frozen"]


def previous_by_occurrence(instance: Instance) -> dict[tuple[str, date], PreviousAssignment]:
    return {(p.duty, p.day): p for p in instance.previous or ()}


def keeps(instance: Instance, occurrences: Sequence[Occurrence]) -> list[Keep]:
    """What must stay as it is, in occurrence order (whether or not it still can)."""
    locked = {(lock.duty, lock.day): lock.member for lock in instance.locks}
    previous = previous_by_occurrence(instance)
    result: list[Keep] = []
    for index, occurrence in enumerate(occurrences):
        key = (occurrence.duty, occurrence.day)
        before = previous.get(key)
        if key in locked:
            # A lock agrees on who, not when: if the previous start is now blocked, the lock
            # holds at another start (keeping the start is the changes goal's business).
            result.append(Keep(index, locked[key], None, "locked"))
        elif before is not None and instance.now is not None:
            if before.start < instance.now:
                result.append(Keep(index, before.member, before.start, "past"))
            elif before.start < instance.now + timedelta(minutes=instance.freeze_minutes):
                result.append(Keep(index, before.member, before.start, "frozen"))
    return result


def honours(keep: Keep, candidate: Candidate) -> bool:
    return (
        candidate.occurrence == keep.occurrence
        and candidate.member == keep.member
        and keep.start in (None, candidate.start)
    )


def kept(variables: AssignmentVars, keep: Keep) -> LinearExpr:
    """1 when the keep is honoured; 0 (constant) when it no longer can be."""
    return sum(
        variables.var(c)
        for c in variables.of_pair(keep.occurrence, keep.member)
        if honours(keep, c)
    )
