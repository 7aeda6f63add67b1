"""A plan's assignments indexed the ways the rules and the explanations look at them. Pure."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import overload

from scheduler.solver.horizon import occurrence_by_key, week_of
from scheduler.solver.instance import Instance, Member
from scheduler.solver.plan import Assignment
from scheduler.solver.static_blockers import statically_free


def assignment_minutes(assignment: Assignment) -> int:
    return int((assignment.end - assignment.start).total_seconds() // 60)


def assignment_weight(instance: Instance, assignment: Assignment) -> int:
    """What ``assignment`` weighs in the load: ``Instance.weighted_minutes`` of an assignment."""
    return assignment_minutes(assignment) * instance.duty(assignment.duty).effort


class PlanIndex(Sequence[Assignment]):
    """Assignments grouped the ways the rules look at them, so an explanation costs a binary
    search, not a pass over the plan. Pass one to ``blockers``/``why_*`` to share it across many
    calls (``indexed(plan.assignments)``); a plain sequence is indexed on each call."""

    def __init__(self, instance: Instance, assignments: Iterable[Assignment]) -> None:
        self._items = tuple(assignments)
        self.by_key: dict[tuple[str, date], Assignment] = {}
        self.by_member: dict[str, list[Assignment]] = defaultdict(list)
        self.owners: dict[str, Counter[str]] = defaultdict(Counter)  # duty -> member -> count
        self.week_minutes: Counter[tuple[str, int]] = Counter()
        # Weighted minutes (minutes x effort), what fairness shares out: per member, and per
        # member and week.
        self.load: Counter[str] = Counter()
        self.week_load: Counter[tuple[str, int]] = Counter()
        self.series_load: Counter[tuple[str, str]] = Counter()  # (duty, member)
        self.by_duty: dict[str, list[Assignment]] = defaultdict(list)
        self._not_free: dict[tuple[str, str], int] = {}
        self._instance = instance
        for a in self._items:
            week = week_of(instance, a.day)
            self.by_key[(a.duty, a.day)] = a
            self.by_member[a.member].append(a)
            self.by_duty[a.duty].append(a)
            self.owners[a.duty][a.member] += 1
            self.week_minutes[(a.member, week)] += assignment_minutes(a)
            weighted = assignment_weight(instance, a)
            self.load[a.member] += weighted
            self.week_load[(a.member, week)] += weighted
            self.series_load[(a.duty, a.member)] += weighted
        self._by_start = {
            m: sorted(duties, key=lambda a: (a.start, a.duty))
            for m, duties in self.by_member.items()
        }
        # POSIX seconds: exact across a change to summer time, unlike wall-clock arithmetic.
        self._starts = {
            m: [a.start.timestamp() for a in duties] for m, duties in self._by_start.items()
        }
        self._longest = {
            m: max(a.end.timestamp() - a.start.timestamp() for a in d)
            for m, d in self._by_start.items()
        }
        # Ties: the first to appear (``most_common`` keeps insertion order).
        self.series_owner = {d: c.most_common(1)[0][0] for d, c in self.owners.items()}

    def not_free_for(self, duty: str, member: Member) -> int:
        """Of ``duty``'s occurrences in the plan, how many ``member``'s own calendar rules out
        where they are (``statically_free``); counted once per plan."""
        found = self._not_free.get((duty, member.id))
        if found is None:
            by_key = occurrence_by_key(self._instance)
            found = sum(
                not statically_free(self._instance, member, by_key[(a.duty, a.day)], a.start)
                for a in self.by_duty.get(duty, ())
            )
            self._not_free[(duty, member.id)] = found
        return found

    def how_often(self, duty: str, member: str) -> int:
        """How many of ``duty``'s occurrences ``member`` does."""
        counts = self.owners.get(duty)
        return counts[member] if counts is not None else 0

    @overload
    def __getitem__(self, i: int) -> Assignment: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Assignment]: ...
    def __getitem__(self, i: int | slice) -> Assignment | Sequence[Assignment]:
        return self._items[i]

    def __len__(self) -> int:
        return len(self._items)

    def overlapping(self, member: str, start: datetime, end: datetime) -> list[Assignment]:
        """The member's duties that overlap ``[start, end)`` (no buffers between duties), in
        time order: a binary search, as no duty starts earlier than its longest before."""
        starts = self._starts.get(member)
        if not starts:
            return []
        duties = self._by_start[member]
        first = bisect_right(starts, start.timestamp() - self._longest[member])
        last = bisect_left(starts, end.timestamp())
        return [a for a in duties[first:last] if start < a.end]


_LAST_INDEX: list[tuple[Instance, PlanIndex]] = []


def indexed(instance: Instance, assignments: Sequence[Assignment]) -> PlanIndex:
    """``assignments`` as a ``PlanIndex`` (itself when it already is one).

    The last index is remembered: explaining every assignment of one plan (the same list, call
    after call) then indexes it once. It is reused only for the same instance and the very same
    assignments, so the result never depends on what was asked before.
    """
    if isinstance(assignments, PlanIndex):
        return assignments
    items = tuple(assignments)
    if _LAST_INDEX:
        last_instance, last = _LAST_INDEX[0]
        if last_instance is instance and last._items == items:
            return last
    index = PlanIndex(instance, items)
    _LAST_INDEX[:] = [(instance, index)]
    return index
