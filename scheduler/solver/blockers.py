"""Everything that stops a member from taking an occurrence at a start: the rules of
``static_blockers`` plus those that depend on the rest of the plan (own duties at that time, the
weekly cap, ramp-up), in words. ``validate.py``, the explanations and the benchmark baselines use
the same helpers, so an explanation, the validator and the solver's hard constraints never
disagree. Pure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import TypeVar

from scheduler.intervals import BusyInterval
from scheduler.solver.horizon import candidate_starts, span, week_of
from scheduler.solver.instance import Instance, Member, Occurrence
from scheduler.solver.plan import Assignment
from scheduler.solver.plan_index import assignment_minutes, indexed
from scheduler.solver.static_blockers import busy_clause, busy_collisions, static_blockers

Series = TypeVar("Series")


def taken_on_weeks(done: Iterable[tuple[Series, int]]) -> dict[Series, int]:
    """The week each series is taken on, for ramp-up: the first week it is done in. ``done``:
    (series, week) for each occurrence done, a series keyed as the caller needs."""
    first: dict[Series, int] = {}
    for series, week in done:
        first[series] = min(week, first.get(series, week))
    return first


def ramp_up_violations(
    instance: Instance, member: Member, series_days: Iterable[tuple[str, date]]
) -> list[tuple[int, int, int]]:
    """Weeks in which ``member`` takes on more new series than ramp-up allows: (week, count,
    limit).

    ``series_days`` are the (duty, day) pairs assigned to the member. A series is new when it is
    not in ``member.owns``, and taken on in the week of its first day; at most ``ramp_up`` a week
    (``rules.ramp_up``).
    """
    if member.ramp_up is None:
        return []
    new = ((duty, week_of(instance, day)) for duty, day in series_days if duty not in member.owns)
    taken_on = Counter(taken_on_weeks(new).values())
    return [
        (week, count, member.ramp_up)
        for week, count in sorted(taken_on.items())
        if count > member.ramp_up
    ]


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
            used -= assignment_minutes(mine)  # the occurrence itself, already in the plan
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


def unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def reasons_for_window(
    instance: Instance, member: str, occurrence: Occurrence, assignments: Sequence[Assignment]
) -> tuple[datetime | None, list[str]]:
    """The first start at which ``member`` is free, else None and every reason over the window,
    each once: a meeting that blocks some starts and only the travel buffer of others is named
    as the meeting."""
    who = instance.member(member)
    plan = indexed(instance, assignments)
    # In order of first appearance; a meeting maps to "only its buffer so far".
    seen: dict[BusyInterval | str, bool] = {}
    for start in candidate_starts(instance, occurrence):
        found = blockers(instance, member, occurrence, start, plan)
        if not found:
            return start, []
        collisions = busy_collisions(who, start, occurrence.duration)
        meetings = {busy_clause(instance, who, b, only): (b, only) for b, only in collisions}
        for reason in found:
            if reason in meetings:
                meeting, only = meetings[reason]
                seen[meeting] = seen.get(meeting, True) and only
            else:
                seen.setdefault(reason, False)
    return None, [
        busy_clause(instance, who, key, only) if isinstance(key, BusyInterval) else key
        for key, only in seen.items()
    ]


def member_clause(instance: Instance, member: str, reasons: Sequence[str]) -> str:
    return f"{instance.member(member).name} {' and '.join(reasons)}"
