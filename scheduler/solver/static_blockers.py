"""What stops a member whatever the rest of the plan says: eligibility (and a pin or a decline),
busy time with travel buffers, a helper's availability.

One helper per rule, shared by the candidates the model is built from, the validator and the
explanations, so that they never disagree about what "free" means. Pure."""

from __future__ import annotations

from bisect import bisect_left
from datetime import datetime, timedelta
from itertools import accumulate
from typing import Any, ClassVar

from scheduler.intervals import BusyInterval
from scheduler.solver.horizon import span
from scheduler.solver.instance import Instance, Member, Occurrence
from scheduler.solver.memo import per_object


def eligibility_blocker(instance: Instance, member: Member, occurrence: Occurrence) -> str | None:
    duty = instance.duty(occurrence.duty)
    if member.id not in duty.eligible:
        return "not eligible"
    if duty.pinned_owner is not None and duty.pinned_owner != member.id:
        return f"excluded (pinned to {instance.member(duty.pinned_owner).name})"
    declined = instance.declined(member.id, occurrence.duty, occurrence.day)
    if declined is not None:
        return f"said they can't ({declined.note})" if declined.note else "said they can't"
    return None


def busy_collisions(
    member: Member, start: datetime, minutes: int
) -> list[tuple[BusyInterval, bool]]:
    """Busy intervals that collide with a duty at ``start``; the flag says "only the buffer"."""
    if not member.busy:
        return []
    first = start.timestamp()
    last = first + 60 * minutes
    nearby = BusyIndex.of(member.busy).between(
        first - 60 * member.buffer_before, last + 60 * member.buffer_after
    )
    end = start + timedelta(minutes=minutes)
    return [(busy, not busy.overlaps(start, end)) for busy in nearby]


class BusyIndex:
    """A member's busy time sorted by start with a running maximum of ends: the intervals that
    overlap a span cost a binary search plus the answer (explanations ask thousands of times).
    Built once per ``busy`` tuple (see ``memo.per_object``)."""

    _cache: ClassVar[dict[int, tuple[Any, Any]]] = {}

    def __init__(self, busy: tuple[BusyInterval, ...]) -> None:
        self.busy = busy
        self.order = sorted(range(len(busy)), key=lambda i: (busy[i].start, i))
        # POSIX seconds: comparing aware datetimes asks their zones for the offset every time.
        self.starts = [busy[i].start.timestamp() for i in self.order]
        self.reach = list(accumulate((busy[i].end.timestamp() for i in self.order), max))
        self.ends = [b.end.timestamp() for b in busy]

    @classmethod
    def of(cls, busy: tuple[BusyInterval, ...]) -> BusyIndex:
        return per_object(cls._cache, busy, lambda: cls(busy))

    def overlapping(self, start: datetime, end: datetime) -> list[BusyInterval]:
        """The intervals overlapping ``[start, end)``, in the member's own order."""
        return self.between(start.timestamp(), end.timestamp())

    def between(self, first: float, last: float) -> list[BusyInterval]:
        """``overlapping`` in POSIX seconds."""
        found = []
        j = bisect_left(self.starts, last) - 1
        while j >= 0 and self.reach[j] > first:
            i = self.order[j]
            if self.ends[i] > first:
                found.append(i)
            j -= 1
        return [self.busy[i] for i in sorted(found)]


def busy_clause(instance: Instance, member: Member, busy: BusyInterval, buffer_only: bool) -> str:
    """``busy (Team standup 07:00-08:00)``, naming the travel buffer when only it collides."""
    what = f"{busy.summary} " if busy.summary else ""
    buffer = ""
    if buffer_only:
        minutes = sorted({member.buffer_before, member.buffer_after} - {0})
        buffer = f", within the {'/'.join(str(m) for m in minutes)}-min travel buffer"
    return f"busy ({what}{span(instance, busy.start, busy.end)}{buffer})"


def is_available(member: Member, start: datetime, minutes: int) -> bool:
    """Helpers work only inside one of their availability windows; others whenever not busy."""
    if member.availability is None:
        return True
    end = start + timedelta(minutes=minutes)
    return any(w.start <= start and end <= w.end for w in member.availability)


def availability_clause(member: Member) -> str:
    return member.availability_text or "not available then"


def static_blockers(
    instance: Instance, member: Member, occurrence: Occurrence, start: datetime
) -> list[str]:
    """What stops ``member`` whatever else the plan says: eligibility, busy time, availability."""
    reasons: list[str] = []
    not_allowed = eligibility_blocker(instance, member, occurrence)
    if not_allowed:
        reasons.append(not_allowed)
    for busy, buffer_only in busy_collisions(member, start, occurrence.duration):
        reasons.append(busy_clause(instance, member, busy, buffer_only))
    if not is_available(member, start, occurrence.duration):
        reasons.append(availability_clause(member))
    return reasons


def statically_free(
    instance: Instance, member: Member, occurrence: Occurrence, start: datetime
) -> bool:
    """``not static_blockers(...)``, without putting the reasons into words."""
    return (
        eligibility_blocker(instance, member, occurrence) is None
        and not busy_collisions(member, start, occurrence.duration)
        and is_available(member, start, occurrence.duration)
    )
