"""Household file + busy time -> the solver's ``Instance`` (pure: values in, values out).

Recurrence is expanded into local days of the planning horizon (an RRULE with ``dateutil.rrule``);
each day's wall-clock times are then placed in the household's zone, so a 07:30 drop-off is at
07:30 local time on both sides of a daylight-saving change. A time that does not exist on that day
(inside the spring-forward gap) moves forward by the gap: 02:30 becomes 03:30. The solver holds
them as instants (``scheduler.instants``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from scheduler.households.lived import lived_part
from scheduler.households.schemas import (
    WEEKDAYS,
    Availability,
    DeclineFile,
    DutyFile,
    HouseholdFile,
    LockFile,
    MemberFile,
    local,
)
from scheduler.intervals import BusyInterval
from scheduler.solver.instance import (
    Decline,
    Duty,
    Fairness,
    Instance,
    Lock,
    Member,
    Occurrence,
    PreviousAssignment,
    Window,
)
from scheduler.solver.plan import Assignment, Plan
from scheduler.solver.plan_index import assignment_minutes

_DAY_NAMES = dict(zip(WEEKDAYS, ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), strict=True))


def horizon(household: HouseholdFile, start: date, weeks: int) -> tuple[datetime, datetime]:
    """Local midnight of ``start`` and of the day after the last planned day."""
    tz = ZoneInfo(household.timezone)
    return local(start, time(), tz), local(start + timedelta(weeks=weeks), time(), tz)


def build_instance(
    household: HouseholdFile,
    *,
    busy: Mapping[str, Sequence[BusyInterval]],
    start: date,
    weeks: int,
    previous: Plan | None = None,
    now: datetime | None = None,
    freeze_minutes: int = 120,
    time_limit_seconds: float = 30.0,
) -> tuple[Instance, list[str]]:
    """The solver's input for ``weeks`` weeks from local midnight of ``start``, plus warnings.

    ``busy`` maps member ids to their busy intervals (members without calendars may be missing).
    ``previous`` is the plan being re-planned; ``now`` the moment of re-planning (aware).
    """
    tz = ZoneInfo(household.timezone)
    begin, end = horizon(household, start, weeks)
    last = start + timedelta(weeks=weeks)
    occurrences = tuple(
        sorted(
            (o for duty in household.duties for o in _occurrences(duty, start, last, tz)),
            key=lambda o: (o.earliest_start, o.duty),
        )
    )
    lived, _ = lived_part(previous, begin, {d.id for d in household.duties})
    done: dict[str, set[str]] = {}
    for a in lived:
        done.setdefault(a.member, set()).add(a.duty)
    history = _history(household, previous, begin, lived)
    members = tuple(
        _member(
            member_id, member, busy.get(member_id, ()), start, last, tz, done.get(member_id, set())
        )
        for member_id, member in household.members.items()
    )
    locked, warnings = _planned(household.locks, "locks", occurrences, start, last)
    declined, unused = _planned(household.declines, "declines", occurrences, start, last)
    instance = Instance(
        household=household.household,
        timezone=household.timezone,
        start=begin,
        end=end,
        members=members,
        duties=tuple(_duty(household, duty) for duty in household.duties),
        occurrences=occurrences,
        fairness=Fairness(
            target=household.fairness.target,
            bound_percent=household.fairness.bound_percent,
            so_far_bound_percent=household.fairness.so_far_bound_percent,
            carried_load=dict(Counter(household.fairness.carried_load) + Counter(history)),
            from_plans=history,
        ),
        locks=tuple(Lock(duty=x.duty, day=x.day, member=x.member) for x in locked),
        declines=tuple(
            Decline(duty=x.duty, day=x.day, member=x.member, note=x.note) for x in declined
        ),
        previous=None if previous is None else _previous(household, previous),
        previous_proofs=() if previous is None else tuple(previous.proofs),
        now=now,
        freeze_minutes=freeze_minutes,
        time_limit_seconds=time_limit_seconds,
    )
    gap = _gap(previous, begin, tz)
    return (
        instance,
        _without_occurrences(household, occurrences, start, last) + warnings + unused + gap,
    )


def _occurrences(duty: DutyFile, first: date, last: date, tz: ZoneInfo) -> list[Occurrence]:
    result = []
    for day in duty.days_between(first, last):
        if duty.start is not None:
            earliest = latest = local(day, duty.start, tz)
        else:
            assert duty.window is not None  # the schema requires start or window
            earliest, window_end = duty.window.span(day, tz)
            # In UTC: two times of one zone compare on the wall clock, which the autumn
            # night's repeated hour gets wrong.
            latest_utc = window_end.astimezone(UTC) - timedelta(minutes=duty.duration)
            latest = max(earliest.astimezone(UTC), latest_utc)
        result.append(
            Occurrence(
                duty=duty.id,
                day=day,
                earliest_start=earliest,
                latest_start=latest,
                duration=duty.duration,
            )
        )
    return result


def _member(
    member_id: str,
    member: MemberFile,
    busy: Sequence[BusyInterval],
    first: date,
    last: date,
    tz: ZoneInfo,
    done: set[str],
) -> Member:
    """``done``: the series this member did in the previous plan before the horizon, which they
    own as much as those in ``owns`` (ramp-up counts neither as new)."""
    name = member.name or member_id
    availability = None
    text = ""
    if member.availability is not None:
        availability = tuple(
            sorted(
                (
                    Window(start=start, end=end)
                    for slot in member.availability
                    # An overnight window from the day before reaches into the first morning.
                    for day in slot.days_between(
                        first - timedelta(days=1) if slot.overnight else first, last, anchor=first
                    )
                    for start, end in [slot.span(day, tz)]
                ),
                key=lambda w: w.start,
            )
        )
        text = availability_text(member.availability, first, last)
    return Member(
        id=member_id,
        name=name,
        role=member.role,
        busy=tuple(sorted(busy)),
        availability=availability,
        availability_text=text,
        buffer_before=member.buffer_before,
        buffer_after=member.buffer_after,
        weekly_cap=member.weekly_cap,
        prefers=frozenset(member.prefers),
        avoids=frozenset(member.avoids),
        hourly_cost=member.hourly_cost,
        on_call=member.on_call,
        ramp_up=member.ramp_up,
        owns=frozenset(member.owns) | done,
    )


def availability_text(slots: Sequence[Availability], first: date, last: date) -> str:
    """When a helper can help, e.g. "only available Mon, Wed 15:00-20:00".

    Explanations put it after the member's name when a duty falls outside these times ("Nana
    only available Mon, Wed 15:00-20:00"), so it does not contain the name.
    """
    parts = []
    for slot in slots:
        hours = f"{slot.from_:%H:%M}-{slot.to:%H:%M}"
        if slot.days is not None and slot.starts_on is None:
            names = ", ".join(_DAY_NAMES[d] for d in WEEKDAYS if d in slot.days)
            parts.append(f"{names} {hours}")
        else:
            days = slot.days_between(first, last)
            listed = ", ".join(f"{d:%a} {d.day} {d:%b}" for d in days)
            parts.append(f"{hours} on {listed}" if days else "")
    parts = [p for p in parts if p]
    if not parts:
        return "not available in these weeks"
    return f"only available {'; '.join(parts)}"


def _duty(household: HouseholdFile, duty: DutyFile) -> Duty:
    return Duty(
        id=duty.id,
        name=duty.name or duty.id,
        effort=duty.effort,
        eligible=tuple(household.eligible(duty)),
        pinned_owner=duty.pinned_owner,
        same_owner_as=tuple(duty.same_owner_as),
        different_owner_from=tuple(duty.different_owner_from),
    )


def _without_occurrences(
    household: HouseholdFile, occurrences: Sequence[Occurrence], first: date, last: date
) -> list[str]:
    """A warning for each recurring duty that never happens again from the planned weeks on: an
    UNTIL or COUNT with a typo would otherwise drop the duty silently. (A monthly duty that just
    falls outside the weeks, or one-off ``dates``, are no surprise.)"""
    planned = {o.duty for o in occurrences}
    return [
        f"duties[{index}] ({duty.id!r}): its recurrence has ended before "
        f"{first:%a %d %b %Y}, so it is never planned; check its UNTIL, COUNT or starts_on, or "
        "remove the duty"
        for index, duty in enumerate(household.duties)
        if duty.dates is None
        and duty.id not in planned
        and not duty.days_between(last, last + timedelta(days=_LOOK_AHEAD_DAYS))
    ]


_LOOK_AHEAD_DAYS = 2 * 366  # a recurrence with nothing in two years has ended, for a family


_Dated = TypeVar("_Dated", LockFile, DeclineFile)


def _planned(
    entries: Sequence[_Dated],
    field: str,
    occurrences: Sequence[Occurrence],
    first: date,
    last: date,
) -> tuple[list[_Dated], list[str]]:
    """The ``entries`` (``locks`` or ``declines``, each naming a duty and a date) inside the
    horizon; one on a day its duty does not happen is a warning."""
    planned = {(o.duty, o.day) for o in occurrences}
    kept, warnings = [], []
    for index, entry in enumerate(entries):
        if not first <= entry.day < last:
            continue
        if (entry.duty, entry.day) not in planned:
            warnings.append(
                f"{field}[{index}]: {entry.duty!r} does not happen on {entry.day:%a %d %b %Y}, "
                f"so this {field[:-1]} has no effect; fix its date or remove it"
            )
            continue
        kept.append(entry)
    return kept, warnings


def _history(
    household: HouseholdFile, plan: Plan | None, begin: datetime, lived: list[Assignment]
) -> dict[str, int]:
    """Per partner, the weighted load earlier plans add to the carried load: what ``plan``
    carried from its own earlier plans plus its ``lived`` weeks. Nothing when the new weeks
    start before ``plan``'s: its history would overlap them."""
    if plan is None or begin < plan.start:
        return {}
    partners = {m for m, member in household.members.items() if member.role == "partner"}
    effort = {d.id: d.effort for d in household.duties}
    history = Counter({p: w for p, w in plan.carried_from_plans.items() if p in partners})
    for a in lived:
        if a.member in partners:
            history[a.member] += assignment_minutes(a) * effort[a.duty]
    return dict(sorted(history.items()))


def _gap(plan: Plan | None, begin: datetime, tz: ZoneInfo) -> list[str]:
    """A warning when weeks between ``plan`` and the new ones go uncounted."""
    if plan is None or plan.end >= begin:
        return []
    last = (plan.end.astimezone(tz) - timedelta(days=1)).date()
    return [
        f"--previous: that plan ends on {last:%a %d %b %Y}, before --start; the load of the "
        "days between is not carried (add it to fairness.carried_load if it matters)"
    ]


def _previous(household: HouseholdFile, plan: Plan) -> tuple[PreviousAssignment, ...]:
    """The previous plan's assignments of duties and members that still exist."""
    duties = {d.id for d in household.duties}
    return tuple(
        PreviousAssignment(
            duty=a.duty, day=a.day, member=a.member, start=a.start, sequence=a.sequence
        )
        for a in plan.assignments
        if a.duty in duties and a.member in household.members
    )
