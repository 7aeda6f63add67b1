"""Which (occurrence, member, start) triples are statically possible, decided before any variable.

Everything that depends on one member and one candidate start only (eligibility, the pinned owner,
an occurrence the member said they can't do, busy time with travel buffers, a helper's availability
windows, a weekly cap shorter than the duty) is settled here in plain Python, so the CP-SAT model
never sees a variable that can't be true. What is left for the model is what couples several
occurrences: overlaps, caps, links, ramp-up.

Nor one that can't matter: of one member's starts for one occurrence, a start that overlaps
everything another start overlaps, and more, is dropped (``_undominated``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from itertools import accumulate
from typing import NamedTuple

from scheduler.solver.horizon import candidate_starts
from scheduler.solver.instance import Instance, Member, Occurrence, PreviousAssignment
from scheduler.solver.static_blockers import eligibility_blocker


class Candidate(NamedTuple):
    """Member ``member`` doing occurrence number ``occurrence`` (see ``ordered_occurrences``)
    from ``start`` to ``end``; ``first_minute``/``last_minute`` are absolute (UTC epoch) minutes.

    A tuple, not a dataclass: the model creates, sorts and compares thousands of them, and a
    tuple does that in C (creating one: 1.8 -> 0.5 us)."""

    occurrence: int
    member: str
    start: datetime
    end: datetime
    first_minute: int
    last_minute: int

    def __hash__(self) -> int:
        # ``start`` is ``first_minute``: hashing an aware datetime asks its zone for the offset,
        # and the model looks candidates up tens of thousands of times.
        return hash((self.occurrence, self.member, self.first_minute))


def ordered_occurrences(instance: Instance) -> list[Occurrence]:
    """The occurrences in the order the model numbers them: by time, then duty (deterministic)."""
    return sorted(instance.occurrences, key=lambda o: (o.earliest_start, o.duty, o.day))


def starts_with(
    instance: Instance, occurrence: Occurrence, extra: Iterable[datetime]
) -> list[datetime]:
    """The grid starts (``horizon.candidate_starts``) plus any ``extra`` start inside the window
    (a previous plan's start that is off the grid, which re-planning may keep)."""
    starts = candidate_starts(instance, occurrence)
    for e in extra:
        if occurrence.earliest_start <= e <= occurrence.latest_start and e not in starts:
            starts.append(e)
    return sorted(starts)


def _minute(moment: datetime) -> int:
    return int(moment.timestamp()) // 60


class _Spans:
    """Sorted spans with a prefix maximum of ends: 'does any span overlap / contain [a, b)?'."""

    def __init__(self, spans: Iterable[tuple[datetime, datetime]]) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        self._max_end = list(accumulate((e for _, e in ordered), max))

    def overlaps(self, start: datetime, end: datetime) -> bool:
        n = bisect_left(self._starts, end)
        return n > 0 and self._max_end[n - 1] > start

    def contains(self, start: datetime, end: datetime) -> bool:
        n = bisect_right(self._starts, start)
        return n > 0 and self._max_end[n - 1] >= end


class MemberCalendar:
    """One member's static limits, indexed for fast look-ups."""

    def __init__(self, member: Member) -> None:
        self.member = member
        self._busy = _Spans((b.start, b.end) for b in member.busy)
        self._windows = (
            None
            if member.availability is None
            else _Spans((w.start, w.end) for w in member.availability)
        )
        self._before = timedelta(minutes=member.buffer_before)
        self._after = timedelta(minutes=member.buffer_after)

    def is_free(self, start: datetime, end: datetime) -> bool:
        """Not busy in ``[start - buffer_before, end + buffer_after)`` and, for a member with
        availability windows, ``[start, end)`` inside one of them."""
        if self._busy.overlaps(start - self._before, end + self._after):
            return False
        return self._windows is None or self._windows.contains(start, end)


def static_candidates(
    instance: Instance,
    occurrences: Sequence[Occurrence],
    previous: Sequence[PreviousAssignment] = (),
) -> list[Candidate]:
    """Every statically possible candidate that another start does not dominate
    (``_undominated``), sorted (occurrence, member id, start).

    A previous plan's start is added as an extra candidate start so that re-planning can always
    keep an occurrence exactly where it was.
    """
    calendars = {m.id: MemberCalendar(m) for m in instance.members}
    duties = {d.id: d for d in instance.duties}
    previous_starts: dict[tuple[str, date], list[datetime]] = {}
    for p in previous:
        previous_starts.setdefault((p.duty, p.day), []).append(p.start)
    result: list[Candidate] = []
    kept: set[tuple[int, int]] = set()  # (occurrence, minute) of a previous start
    for index, occurrence in enumerate(occurrences):
        duty = duties[occurrence.duty]
        people = sorted(
            m
            for m in set(duty.eligible)
            if eligibility_blocker(instance, calendars[m].member, occurrence) is None
        )
        length = timedelta(minutes=occurrence.duration)
        extra = previous_starts.get((occurrence.duty, occurrence.day), ())
        kept.update((index, _minute(start)) for start in extra)
        # Absolute minutes once per start, not per member: each asks the time zone.
        spans = [
            (start, start + length, _minute(start), _minute(start + length))
            for start in starts_with(instance, occurrence, extra)
        ]
        for member_id in people:
            calendar = calendars[member_id]
            cap = calendar.member.weekly_cap
            if cap is not None and cap < occurrence.duration:
                continue
            for start, end, first, last in spans:
                if calendar.is_free(start, end):
                    result.append(Candidate(index, member_id, start, end, first, last))
    return _undominated(result, kept)


def _undominated(candidates: list[Candidate], kept: set[tuple[int, int]]) -> list[Candidate]:
    """``candidates`` without a start of one member for one occurrence whose overlaps with that
    member's other candidates include all of another start's, and more (or the same ones,
    later): ``kept`` starts (a previous plan's, which re-planning rewards) always stay.

    Only overlaps depend on the start (caps, ramp-up and links on who, every goal on who and how
    long), so a plan at a dropped start stays feasible and as good when each occurrence moves to
    a start that dominates its own: two moved occurrences cannot overlap, as each new start
    overlaps only what the old one did. Measured in CP-SAT's deterministic time on 96 generated
    months, with the same plans' values: 44.4 -> 36.4 in all, 16 % fewer candidates.
    """
    by_member: dict[str, list[Candidate]] = defaultdict(list)
    for c in candidates:
        by_member[c.member].append(c)
    dropped: set[Candidate] = set()
    for own in by_member.values():
        own.sort(key=lambda c: (c.first_minute, c.occurrence))
        firsts = [c.first_minute for c in own]
        longest = max(c.last_minute - c.first_minute for c in own)
        starts: dict[int, list[Candidate]] = defaultdict(list)
        for c in own:
            starts[c.occurrence].append(c)
        for alternatives in starts.values():
            if len(alternatives) < 2:
                continue  # a fixed time, or one free start: nothing to compare
            options = [(_overlaps(own, firsts, longest, c), c) for c in alternatives]
            for overlaps, c in options:
                if (c.occurrence, c.first_minute) in kept:
                    continue
                if any(
                    other < overlaps or (other == overlaps and d.first_minute < c.first_minute)
                    for other, d in options
                ):
                    dropped.add(c)
    return [c for c in candidates if c not in dropped]


def _overlaps(
    own: list[Candidate], firsts: list[int], longest: int, c: Candidate
) -> frozenset[int]:
    """Positions in ``own`` (one member's candidates, by first minute) of the candidates of
    other occurrences that overlap ``c``."""
    low = bisect_left(firsts, c.first_minute - longest)
    high = bisect_left(firsts, c.last_minute)
    return frozenset(
        n
        for n in range(low, high)
        if own[n].occurrence != c.occurrence and own[n].last_minute > c.first_minute
    )
