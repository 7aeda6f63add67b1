"""Small households for the model's tests: Alex and Sam (partners) and Nana (a helper).

Monday 23 Nov 2026 is day 0; times are Europe/Berlin. ``occurrence`` builds a fixed duty occurrence
(or a flexible one with ``until``); ``instance`` fills in the rest with test-friendly defaults.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from scheduler.intervals import BusyInterval
from scheduler.solver.instance import (
    Duty,
    Instance,
    Member,
    Occurrence,
    PreviousAssignment,
    Window,
)
from scheduler.solver.plan import Plan

TZ = ZoneInfo("Europe/Berlin")
MONDAY = date(2026, 11, 23)


def at(day: int, clock: str) -> datetime:
    """``at(1, "07:30")`` is Tuesday 24 Nov 07:30 local time."""
    hours, minutes = map(int, clock.split(":"))
    return datetime(2026, 11, 23, hours, minutes, tzinfo=TZ) + timedelta(days=day)


def busy(day: int, start: str, end: str, summary: str = "Meeting") -> BusyInterval:
    return BusyInterval(at(day, start), at(day, end), summary)


def partner(member_id: str, **fields: Any) -> Member:
    return Member(id=member_id, name=member_id.title(), role="partner", **fields)


def helper(member_id: str = "nana", **fields: Any) -> Member:
    fields.setdefault("hourly_cost", 12.0)
    return Member(id=member_id, name=member_id.title(), role="helper", **fields)


def window(day: int, start: str, end: str) -> Window:
    return Window(start=at(day, start), end=at(day, end))


def duty(duty_id: str, eligible: tuple[str, ...] = ("alex", "sam"), **fields: Any) -> Duty:
    return Duty(
        id=duty_id, name=duty_id.replace("_", " ").capitalize(), eligible=eligible, **fields
    )


def occurrence(
    duty_id: str, day: int, start: str, minutes: int = 30, until: str | None = None
) -> Occurrence:
    """One occurrence; with ``until`` it may start anywhere from ``start`` to ``until``."""
    first = at(day, start)
    return Occurrence(
        duty=duty_id,
        day=first.date(),
        earliest_start=first,
        latest_start=at(day, until) if until else first,
        duration=minutes,
    )


def daily(duty_id: str, days: range, start: str, minutes: int = 30) -> tuple[Occurrence, ...]:
    return tuple(occurrence(duty_id, d, start, minutes) for d in days)


def instance(
    members: tuple[Member, ...],
    duties: tuple[Duty, ...],
    occurrences: tuple[Occurrence, ...],
    weeks: int = 1,
    **fields: Any,
) -> Instance:
    start = datetime(2026, 11, 23, tzinfo=TZ)
    fields.setdefault("time_limit_seconds", 10.0)
    return Instance(
        household="Test household",
        timezone="Europe/Berlin",
        start=start,
        end=start + timedelta(days=7 * weeks),
        members=members,
        duties=duties,
        occurrences=occurrences,
        **fields,
    )


def couple(**fields: Any) -> tuple[Member, Member]:
    """Alex and Sam with the given extra fields for both (``alex_*``/``sam_*`` for one)."""
    alex = {k[5:]: v for k, v in fields.items() if k.startswith("alex_")}
    sam = {k[4:]: v for k, v in fields.items() if k.startswith("sam_")}
    return partner("alex", **alex), partner("sam", **sam)


def previous(plan: Plan, sequence: int = 0) -> tuple[PreviousAssignment, ...]:
    """``plan``'s assignments as the previous plan of a re-plan (feed SEQUENCE ``sequence``)."""
    return tuple(
        PreviousAssignment(
            duty=a.duty, day=a.day, member=a.member, start=a.start, sequence=sequence
        )
        for a in plan.assignments
    )


def school_fortnight() -> Instance:
    """Two weeks of school runs (weekdays), dinner and dishes every day, for Alex and Sam."""
    return instance(
        couple(),
        (duty("dropoff", effort=2), duty("pickup", effort=2), duty("dinner"), duty("dishes")),
        daily("dropoff", range(0, 12), "07:30")
        + daily("pickup", range(0, 12), "15:30")
        + daily("dinner", range(14), "18:00", 60)
        + daily("dishes", range(14), "19:30", 30),
        weeks=2,
    )
