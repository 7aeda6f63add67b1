"""Why a duty went to whom, why nobody could take it, and why a re-plan moved it.

This module is also the one place that says what "free" means. ``blockers`` lists everything that
stops a member from taking an occurrence at a given start (the hard rules of TEAM.md, in words);
``validate.py`` and the benchmark baselines use the same helpers, so an explanation, the validator
and the solver's hard constraints never disagree. Links between duties are not hard rules (a link
gives way when keeping it would leave a duty undone): ``broken_pairs`` finds where a plan breaks
one and ``why_link_broken`` says why. Everything here is pure: instances and plans in,
strings out. Times are shown in the household's time zone ("Tue 24 Nov 07:30").
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from itertools import accumulate
from typing import Any, ClassVar, TypeVar, overload
from zoneinfo import ZoneInfo

from scheduler.intervals import BusyInterval
from scheduler.solver.instance import Duty, Instance, Member, Occurrence, PreviousAssignment
from scheduler.solver.memo import per_object
from scheduler.solver.plan import Assignment, BrokenLink
from scheduler.timezones import zone

# ---------------------------------------------------------------------------------------------
# Time, grid and weeks


@cache
def _zone(name: str) -> ZoneInfo:
    return zone(name, where="instance.timezone")


def local(instance: Instance, moment: datetime) -> datetime:
    """``moment`` in the household's time zone."""
    return moment.astimezone(_zone(instance.timezone))


def clock(instance: Instance, moment: datetime) -> str:
    """``07:30`` in the household's time zone."""
    return f"{local(instance, moment):%H:%M}"


def when(instance: Instance, moment: datetime) -> str:
    """``Tue 24 Nov 07:30`` in the household's time zone."""
    return _day_and_time(local(instance, moment))


def _day_and_time(at: datetime) -> str:
    return f"{at:%a} {at.day} {at:%b %H:%M}"


def span(instance: Instance, start: datetime, end: datetime) -> str:
    """``07:00-08:00``, or with dates when the span does not start and end on one day."""
    return _span(instance.timezone, start, end)


@lru_cache(maxsize=4096)  # the same meeting blocks many starts of many duties
def _span(timezone: str, start: datetime, end: datetime) -> str:
    first, last = start.astimezone(_zone(timezone)), end.astimezone(_zone(timezone))
    if first.date() == last.date():
        return f"{first:%H:%M}-{last:%H:%M}"
    return f"{_day_and_time(first)}-{_day_and_time(last)}"


_T = TypeVar("_T")
_LAST_BY_KEY: dict[str, tuple[Instance, Any]] = {}


def _remembered(what: str, instance: Instance, build: Callable[[], _T]) -> _T:
    """``build()``, remembered for the last instance (by identity) under the name ``what``."""
    last = _LAST_BY_KEY.get(what)
    if last is not None and last[0] is instance:
        found: _T = last[1]
        return found
    value = build()
    _LAST_BY_KEY[what] = (instance, value)
    return value


def previous_by_key(instance: Instance) -> dict[tuple[str, date], PreviousAssignment]:
    """The previous plan's assignments by (duty, day); remembered for the last instance."""
    return _remembered(
        "previous", instance, lambda: {(p.duty, p.day): p for p in instance.previous or ()}
    )


def occurrence_by_key(instance: Instance) -> dict[tuple[str, date], Occurrence]:
    """The instance's occurrences by (duty, day); remembered for the last instance."""
    return _remembered(
        "occurrences", instance, lambda: {(o.duty, o.day): o for o in instance.occurrences}
    )


def candidate_starts(instance: Instance, occurrence: Occurrence) -> list[datetime]:
    """Starts the solver may pick: ``earliest_start + k * grid_minutes`` up to ``latest_start``,
    plus the previous plan's start when it lies in the window (re-planning can keep it)."""
    step = timedelta(minutes=instance.grid_minutes)
    starts, start = [], occurrence.earliest_start
    while start <= occurrence.latest_start:
        starts.append(start)
        start += step
    previous = previous_by_key(instance).get((occurrence.duty, occurrence.day))
    if (
        previous is not None
        and previous.start not in starts
        and on_grid(instance, occurrence, previous.start)
    ):
        starts = sorted([*starts, previous.start])
    return starts


def on_grid(instance: Instance, occurrence: Occurrence, start: datetime) -> bool:
    """A grid start inside the window, or the previous plan's start (kept when re-planning)."""
    if not occurrence.earliest_start <= start <= occurrence.latest_start:
        return False
    previous = previous_by_key(instance).get((occurrence.duty, occurrence.day))
    if previous is not None and previous.start == start:
        return True
    offset = (start - occurrence.earliest_start).total_seconds()
    return offset % (instance.grid_minutes * 60) == 0


def week_of(instance: Instance, day: date) -> int:
    """0-based week of the horizon; ``instance.start`` is local midnight of the first day."""
    return (day - instance.start.date()).days // 7


def occurrence_label(
    instance: Instance, occurrence: Occurrence, start: datetime | None = None
) -> str:
    """``Tue 24 Nov 07:30 School drop-off``; a flexible duty without a start shows its window."""
    name = instance.duty(occurrence.duty).name
    if start is not None or occurrence.earliest_start == occurrence.latest_start:
        return f"{when(instance, start or occurrence.earliest_start)} {name}"
    window = f"{when(instance, occurrence.earliest_start)}-{clock(instance, occurrence.latest_end)}"
    return f"{window} {name}"


def _minutes(assignment: Assignment) -> int:
    return int((assignment.end - assignment.start).total_seconds() // 60)


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
            self.week_minutes[(a.member, week)] += _minutes(a)
            weighted = _minutes(a) * instance.duty(a.duty).effort
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


# ---------------------------------------------------------------------------------------------
# The hard rules, one helper each (shared with validate.py)


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
        # POSIX seconds: comparing aware datetimes of two zones (a calendar's UTC, the family's
        # local time) asks both zones for their offset every time.
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
    clauses = [_clause(instance, m, _unique(r)) for m, r in stopped.items()]
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


def ramp_up_violations(
    instance: Instance, member: Member, series_days: Iterable[tuple[str, date]]
) -> list[tuple[int, int, int]]:
    """Weeks in which ``member`` holds more new series than ramp-up allows: (week, count, limit).

    ``series_days`` are the (duty, day) pairs assigned to the member. A series is new when it is
    not in ``member.owns``; by week w at most ``ramp_up * (w + 1)`` new series may have started.
    """
    if member.ramp_up is None:
        return []
    first_week: dict[str, int] = {}
    for duty, day in series_days:
        if duty not in member.owns:
            week = week_of(instance, day)
            first_week[duty] = min(week, first_week.get(duty, week))
    if not first_week:
        return []
    violations = []
    for week in range(max(first_week.values()) + 1):
        count = sum(1 for w in first_week.values() if w <= week)
        limit = member.ramp_up * (week + 1)
        if count > limit:
            violations.append((week, count, limit))
    return violations


def plan_blockers(
    instance: Instance,
    member: Member,
    occurrence: Occurrence,
    start: datetime,
    assignments: Sequence[Assignment],
) -> list[str]:
    """What stops ``member`` given the rest of the plan: own duties, weekly cap, ramp-up.

    An assignment of ``occurrence`` itself in ``assignments`` is ignored.
    """
    plan = indexed(instance, assignments)
    itself = (occurrence.duty, occurrence.day)

    def other(a: Assignment) -> bool:
        return (a.duty, a.day) != itself

    reasons: list[str] = []
    end = start + timedelta(minutes=occurrence.duration)
    for duty in plan.overlapping(member.id, start, end):
        if other(duty):
            reasons.append(
                f"already doing {duty.name} at that time ({span(instance, duty.start, duty.end)})"
            )
    if member.weekly_cap is not None:
        week = week_of(instance, occurrence.day)
        used = plan.week_minutes[(member.id, week)]
        mine = plan.by_key.get(itself)
        if mine is not None and mine.member == member.id:
            used -= _minutes(mine)  # the occurrence itself, already in the plan
        if used + occurrence.duration > member.weekly_cap:
            reasons.append(f"at the weekly cap ({used} of {member.weekly_cap} min)")
    if member.ramp_up is not None and occurrence.duty not in member.owns:
        held = [(a.duty, a.day) for a in plan.by_member.get(member.id, ()) if other(a)]
        before = ramp_up_violations(instance, member, held)
        after = ramp_up_violations(instance, member, [*held, itself])
        if len(after) > len(before):
            reasons.append(f"at the ramp-up limit ({member.ramp_up} new series per week)")
    return reasons


def blockers(
    instance: Instance,
    member: str,
    occurrence: Occurrence,
    start: datetime,
    assignments: Sequence[Assignment],
) -> list[str]:
    """Everything that stops ``member`` from taking ``occurrence`` at ``start``; [] means free.

    ``assignments`` is the rest of the plan (a ``PlanIndex`` is fastest); an assignment of this
    very occurrence is ignored.
    """
    who = instance.member(member)
    return static_blockers(instance, who, occurrence, start) + plan_blockers(
        instance, who, occurrence, start, assignments
    )


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def reasons_for_window(
    instance: Instance, member: str, occurrence: Occurrence, assignments: Sequence[Assignment]
) -> tuple[datetime | None, list[str]]:
    """The first start at which ``member`` is free, else None and every reason over the window."""
    reasons: list[str] = []
    plan = indexed(instance, assignments)
    for start in candidate_starts(instance, occurrence):
        found = blockers(instance, member, occurrence, start, plan)
        if not found:
            return start, []
        reasons.extend(found)
    return None, _unique(reasons)


def _clause(instance: Instance, member: str, reasons: Sequence[str]) -> str:
    return f"{instance.member(member).name} {' and '.join(reasons)}"


# ---------------------------------------------------------------------------------------------
# Fairness target (shared by the validator, the property tests and the benchmarks)


def free_minutes(instance: Instance, member: Member) -> int:
    """Horizon minutes minus the member's merged busy minutes inside the horizon."""
    total = int((instance.end - instance.start).total_seconds() // 60)
    clipped = sorted(
        (max(b.start, instance.start), min(b.end, instance.end))
        for b in member.busy
        if b.start < instance.end and instance.start < b.end
    )
    busy, cursor = 0.0, instance.start
    for start, end in clipped:
        start = max(start, cursor)
        if end > start:
            busy += (end - start).total_seconds() / 60
            cursor = end
    return total - int(busy)


def _shares(load: Mapping[str, int], targets: Mapping[str, float]) -> dict[str, float] | None:
    total = sum(load.get(p, 0) for p in targets)
    return {p: load.get(p, 0) / total for p in targets} if total else None


def _off_target(shares: Mapping[str, float], targets: Mapping[str, float]) -> float:
    return max(abs(shares[p] - t) for p, t in targets.items())


def _worse_split(
    load: Mapping[str, int], targets: Mapping[str, float], moves: Mapping[str, int]
) -> tuple[dict[str, float], dict[str, float]] | None:
    """The partners' shares before and after ``moves`` (weighted minutes added per partner) when
    they take the split further from the targets; else None."""
    before = _shares(load, targets)
    after = _shares({p: n + moves.get(p, 0) for p, n in load.items()}, targets)
    if (
        before is None
        or after is None
        or _off_target(after, targets) <= _off_target(before, targets)
    ):
        return None
    return before, after


def _targets(instance: Instance) -> dict[str, float]:
    """``target_shares``, once per plan: with a free-time target it reads every partner's
    calendar."""
    return _remembered("target shares", instance, lambda: target_shares(instance))


def _horizon_load(
    instance: Instance, plan: PlanIndex, targets: Mapping[str, float]
) -> dict[str, int]:
    """Each partner's weighted load over the horizon, carried load included."""
    carried = instance.fairness.carried_load
    return {p: plan.load[p] + carried.get(p, 0) for p in targets}


def _fairness_clause(
    instance: Instance, occurrence: Occurrence, partners: Sequence[str], plan: PlanIndex
) -> str | None:
    """Why a helper and not these free ``partners``: each of them taking it would move the split
    of the partners' weighted load further from the target, over the horizon (carried load
    included) or else in that week. None when it would not for one of them (then fairness is
    not the reason)."""
    if not partners:
        return None
    targets = _targets(instance)
    if len(targets) < 2:
        return None
    weight = occurrence.duration * instance.duty(occurrence.duty).effort
    week = week_of(instance, occurrence.day)
    horizon = _horizon_load(instance, plan, targets)
    this_week = {p: plan.week_load[(p, week)] for p in targets}
    for load, scope in ((horizon, ""), (this_week, " that week")):
        clauses = []
        for p in partners:
            split = _worse_split(load, targets, {p: weight})
            if split is None:
                break
            before, after = split
            name = instance.member(p).name
            clauses.append(
                f"{name} is free but would then carry {100 * after[p]:.1f} % of the load"
                f"{scope} instead of {100 * before[p]:.1f} % (target {100 * targets[p]:.1f} %)"
            )
        else:
            return "; ".join(clauses)
    return None


def _owns(instance: Instance, who: Member, duty: Duty, plan: PlanIndex) -> str:
    """``Alex owns Laundry``, and for a partner who asked otherwise why it is so anyway:

    - the owner avoids it, and every other partner taking the owner's share of the series would
      move the split of the load further from the target;
    - another partner prefers it, but is not free for some of its occurrences, or taking the
      owner's share would move the split further from the target.
    Nothing is added when neither is true: the reason then lies elsewhere (stable owners)."""
    owns = f"{who.name} owns {duty.name}"
    if who.role != "partner":
        return owns
    others = [
        m for m in map(instance.member, duty.eligible) if m.id != who.id and m.role == "partner"
    ]
    moved = plan.series_load[(duty.id, who.id)]
    if duty.id in who.avoids and others:
        uneven = [_uneven_with(instance, who, m, moved, plan) for m in others]
        if all(uneven):
            return f"{owns}, though {who.name} would rather not: {'; '.join(map(str, uneven))}"
    fans = [m for m in others if duty.id in m.prefers]
    clauses = []
    for fan in fans:
        blocked = plan.not_free_for(duty.id, fan)
        if blocked:
            done = len(plan.by_duty[duty.id])
            clauses.append(f"{fan.name} would like it but is not free for {blocked} of the {done}")
        elif split := _uneven_with(instance, who, fan, moved, plan):
            clauses.append(f"{fan.name} would like it, but {split}")
    return f"{owns}; {'; '.join(clauses)}" if clauses else owns


def _uneven_with(
    instance: Instance, owner: Member, other: Member, weight: int, plan: PlanIndex
) -> str | None:
    """``with Sam doing it, Sam would carry 54.3 % of the load (target 50.0 %)`` when moving
    ``weight`` of the owner's load to ``other`` would take the split (over the horizon, carried
    load included) further from the target; else None."""
    targets = _targets(instance)
    if owner.id not in targets or other.id not in targets:
        return None
    load = _horizon_load(instance, plan, targets)
    split = _worse_split(load, targets, {owner.id: -weight, other.id: weight})
    if split is None:
        return None
    _, after = split
    return (
        f"with {other.name} doing it, {other.name} would carry {100 * after[other.id]:.1f} % "
        f"of the load (target {100 * targets[other.id]:.1f} %)"
    )


def target_shares(instance: Instance) -> dict[str, float]:
    """Each partner's target share of the partners' weighted load, as a fraction."""
    partners = [m for m in instance.members if m.role == "partner"]
    if not partners:
        return {}
    if instance.fairness.target == "free_time":
        free = {m.id: free_minutes(instance, m) for m in partners}
        total = sum(free.values())
        if total > 0:
            return {m: f / total for m, f in free.items()}
    return {m.id: 1 / len(partners) for m in partners}


# ---------------------------------------------------------------------------------------------
# The three explanations the model attaches to a plan


def why_unassigned(
    instance: Instance, occurrence: Occurrence, assignments: Sequence[Assignment]
) -> str:
    """``Tue 24 Nov 07:30 School drop-off: Alex busy (...), Nana not available on Tuesdays``."""
    duty = instance.duty(occurrence.duty)
    flexible = occurrence.earliest_start != occurrence.latest_start
    clauses = []
    plan = indexed(instance, assignments)
    for member in duty.eligible:
        free_at, reasons = reasons_for_window(instance, member, occurrence, plan)
        if free_at is None:
            clauses.append(_clause(instance, member, reasons))
        else:
            name = instance.member(member).name
            clauses.append(f"{name} looks free at {clock(instance, free_at)}")
    if not clauses:
        clauses.append("nobody is eligible")
    lead = "no start in the window works: " if flexible else ""
    return f"{occurrence_label(instance, occurrence)}: {lead}{', '.join(clauses)}"


def _lock_for(instance: Instance, occurrence: Occurrence) -> str | None:
    return next(
        (
            lock.member
            for lock in instance.locks
            if lock.duty == occurrence.duty and lock.day == occurrence.day
        ),
        None,
    )


def _previous_for(instance: Instance, occurrence: Occurrence) -> PreviousAssignment | None:
    return previous_by_key(instance).get((occurrence.duty, occurrence.day))


def frozen(instance: Instance, previous: PreviousAssignment) -> str | None:
    """Why a previous assignment must be kept (started, locked, inside the freeze), else None."""
    if instance.now is None:
        return None
    if previous.start < instance.now:
        return "already started"
    if any(lock.duty == previous.duty and lock.day == previous.day for lock in instance.locks):
        return "locked"
    if previous.start < instance.now + timedelta(minutes=instance.freeze_minutes):
        return f"starts within the {instance.freeze_minutes}-min freeze"
    return None


def series_owner(duty: str, assignments: Iterable[Assignment]) -> str | None:
    """The series' most frequent owner (ties: the first to appear), or None when unassigned."""
    if isinstance(assignments, PlanIndex):
        return assignments.series_owner.get(duty)
    counts = Counter(a.member for a in assignments if a.duty == duty)
    return counts.most_common(1)[0][0] if counts else None


def why_assigned(
    instance: Instance,
    occurrence: Occurrence,
    member: str,
    start: datetime,
    assignments: Sequence[Assignment],
) -> str:
    """Why ``member`` takes this occurrence, e.g. ``Alex busy (Board prep 16:30-18:00), so Sam``.

    In order: a lock, a frozen previous assignment, a link it breaks, a pin, helpers covering for
    partners nobody freed or whom fairness spares, series ownership, everybody else blocked, a
    preference, fairness.
    """
    duty = instance.duty(occurrence.duty)
    who = instance.member(member)
    plan = indexed(instance, assignments)

    def blocked(other: str) -> list[str] | None:
        free_at, reasons = reasons_for_window(instance, other, occurrence, plan)
        if free_at is None:
            return reasons
        return links_kept(instance, other, occurrence, plan) or None

    locked = _lock_for(instance, occurrence)
    if locked == member:
        return "locked: agreed date"
    if locked is not None:
        reasons = blockers(instance, locked, occurrence, start, plan)
        because = " and ".join(reasons) if reasons else "not possible"
        return f"lock ignored: {instance.member(locked).name} {because}, so {who.name}"
    previous = _previous_for(instance, occurrence)
    if previous is not None and previous.member == member and previous.start == start:
        kept = frozen(instance, previous)
        if kept:
            return f"kept: {kept}"
    broken = link_broken_by(instance, occurrence, member, start, plan)
    if broken:
        return broken
    if duty.pinned_owner == member:
        return f"{who.name} always does {duty.name} (pinned)"
    # The plan's owner (``owns`` only says what a member did before, for ramp-up).
    owner = member == series_owner(duty.id, plan)
    partners = [m for m in duty.eligible if instance.member(m).role == "partner"]
    if (
        owner
        and plan.how_often(duty.id, member) > 1
        and any(
            # ``member`` first: a plan's own member is free, so this usually looks at nobody else.
            statically_free(instance, instance.member(p), occurrence, start)
            for p in sorted(partners, key=lambda p: p != member)
        )
    ):
        # Unless every partner's own calendar rules them out: a partner may look blocked only by
        # where the plan put their flexible duties, and owning the series is why it went this way.
        return _owns(instance, who, duty, plan)
    if who.role == "helper" and partners:
        why_not = {p: blocked(p) for p in partners}
        if all(why_not.values()):
            # "can't take it" rather than "not free": a family rule (a link) may be the reason.
            lead = "neither partner can take it" if len(partners) == 2 else "no partner can take it"
            if len(partners) == 1:
                lead = f"{instance.member(partners[0]).name} can't take it"
            clauses = ", ".join(_clause(instance, p, r or []) for p, r in why_not.items())
            return f"{lead} ({clauses}); {who.name} covers it"
        free = [p for p, r in why_not.items() if not r]
        fairer = _fairness_clause(instance, occurrence, free, plan)
        if fairer:
            taken = [_clause(instance, p, r) for p, r in why_not.items() if r]
            return f"{'; '.join([*taken, fairer])}, so {who.name}"
    if owner:
        return _owns(instance, who, duty, plan)
    rivals = [m for m in duty.eligible if m != member]
    why_not = {m: blocked(m) for m in rivals}
    if rivals and all(why_not.values()):
        clauses = ", ".join(_clause(instance, m, r or []) for m, r in why_not.items())
        return f"{clauses}, so {who.name}"
    counts = plan.owners.get(duty.id, Counter()) - Counter({member: 1})
    usual = counts.most_common(1)[0][0] if counts else None
    if usual is not None and usual != member and why_not.get(usual):
        return f"{_clause(instance, usual, why_not[usual] or [])}, so {who.name}"
    if duty.id in who.prefers:
        return "prefers it"
    if who.role == "helper":
        return f"{who.name} helps out"
    return "evens out the load"


def change_cause(
    instance: Instance,
    occurrence: Occurrence,
    previous: PreviousAssignment,
    new_member: str | None,
    new_start: datetime,
    assignments: Sequence[Assignment] = (),
) -> str:
    """Why a re-plan moved an occurrence: ``Alex: 'Board prep' 07:00-08:30``, else the rule.

    ``assignments`` (optional) is the new plan; with it, caps, ramp-up and clashes with duties
    of the previous owner can be named too; without it, only calendar changes and locks.
    """
    old = instance.member(previous.member) if previous.member in _member_ids(instance) else None
    if old is None:
        return f"{previous.member}: no longer in the household"
    if not on_grid(instance, occurrence, previous.start):
        return f"{instance.duty(occurrence.duty).name}: time window changed"
    collisions = busy_collisions(old, previous.start, occurrence.duration)
    if collisions:
        events = []
        for busy, buffer_only in collisions:
            title = f"'{busy.summary}' " if busy.summary else ""
            travel = " (travel buffer)" if buffer_only else ""
            events.append(f"{title}{span(instance, busy.start, busy.end)}{travel}")
        return f"{old.name}: {', '.join(events)}"
    not_allowed = eligibility_blocker(instance, old, occurrence)
    if not_allowed:
        return f"{old.name}: {not_allowed}"
    if not is_available(old, previous.start, occurrence.duration):
        return f"{old.name}: {availability_clause(old)}"
    locked = _lock_for(instance, occurrence)
    if locked is not None and locked != previous.member:
        return f"locked to {instance.member(locked).name}"
    clash = plan_blockers(instance, old, occurrence, previous.start, assignments)
    if clash:
        short = [
            r.split(" (")[0] if r.startswith(("at the weekly", "at the ramp")) else r for r in clash
        ]
        return f"{old.name}: {', '.join(short)}"
    if new_member == previous.member:
        return f"moved to {clock(instance, new_start)}"
    return "fairness"


def _member_ids(instance: Instance) -> set[str]:
    return {m.id for m in instance.members}
