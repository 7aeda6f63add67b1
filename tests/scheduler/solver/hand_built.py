"""A hand-built household for explanation and validation tests: Alex and Sam (partners), Nana.

The week starts Monday 23 November 2026 in Europe/Berlin. Duties: school drop-off (weekdays 07:30,
30 min), school pick-up (weekdays 15:30, 30 min, different owner from drop-off is added per test),
and laundry (Saturday, 90 min anywhere between 09:00 and 18:00). Nana is available Mon/Wed/Fri
06:00-20:00. Plans are built by hand with ``assign``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from scheduler.intervals import BusyInterval
from scheduler.solver.instance import Duty, Instance, Member, Occurrence, Window
from scheduler.solver.plan import Assignment, Plan, Unassigned

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = date(2026, 11, 23)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """Local time on day ``day`` of the week (0 = Monday 23 Nov)."""
    d = MONDAY + timedelta(days=day)
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=BERLIN)


def busy(day: int, start: tuple[int, int], end: tuple[int, int], summary: str) -> BusyInterval:
    return BusyInterval(at(day, *start), at(day, *end), summary)


def fixed(duty: str, day: int, hour: int, minute: int, duration: int) -> Occurrence:
    start = at(day, hour, minute)
    return Occurrence(
        duty=duty, day=start.date(), earliest_start=start, latest_start=start, duration=duration
    )


def flexible(duty: str, day: int, first: int, last_end: int, duration: int) -> Occurrence:
    return Occurrence(
        duty=duty,
        day=MONDAY + timedelta(days=day),
        earliest_start=at(day, first),
        latest_start=at(day, last_end) - timedelta(minutes=duration),
        duration=duration,
    )


ALEX = Member(id="alex", name="Alex", role="partner")
SAM = Member(id="sam", name="Sam", role="partner")
NANA = Member(
    id="nana",
    name="Nana",
    role="helper",
    availability=tuple(Window(start=at(d, 6), end=at(d, 20)) for d in (0, 2, 4)),
    availability_text="not available on Tuesdays, Thursdays and weekends",
    hourly_cost=12.0,
)
DUTIES = (
    Duty(id="dropoff", name="School drop-off", effort=2, eligible=("alex", "sam", "nana")),
    Duty(id="pickup", name="School pick-up", eligible=("alex", "sam", "nana")),
    Duty(id="laundry", name="Laundry", eligible=("alex", "sam")),
)


def occurrences() -> tuple[Occurrence, ...]:
    weekdays = range(5)
    return (
        *(fixed("dropoff", d, 7, 30, 30) for d in weekdays),
        *(fixed("pickup", d, 15, 30, 30) for d in weekdays),
        flexible("laundry", 5, 9, 18, 90),
    )


def family(
    *, alex: dict[str, Any] | None = None, sam: dict[str, Any] | None = None, **changes: Any
) -> Instance:
    """The household, with member fields of Alex/Sam and instance fields overridden."""
    fields: dict[str, Any] = {
        "household": "The Testers",
        "timezone": "Europe/Berlin",
        "start": at(0, 0),
        "end": at(7, 0),
        "members": (ALEX.model_copy(update=alex or {}), SAM.model_copy(update=sam or {}), NANA),
        "duties": DUTIES,
        "occurrences": occurrences(),
    }
    fields.update(changes)
    return Instance(**fields)


def occurrence(instance: Instance, duty: str, day: int) -> Occurrence:
    wanted = MONDAY + timedelta(days=day)
    return next(o for o in instance.occurrences if o.duty == duty and o.day == wanted)


def assign(
    instance: Instance, duty: str, day: int, member: str, start: datetime | None = None
) -> Assignment:
    o = occurrence(instance, duty, day)
    begin = start or o.earliest_start
    return Assignment(
        duty=duty,
        name=instance.duty(duty).name,
        day=o.day,
        start=begin,
        end=begin + timedelta(minutes=o.duration),
        member=member,
        reason="by hand",
    )


def plan(instance: Instance, assignments: list[Assignment]) -> Plan:
    """A plan with these assignments; every other occurrence is reported unassigned."""
    taken = {(a.duty, a.day) for a in assignments}
    return Plan(
        household=instance.household,
        timezone=instance.timezone,
        start=instance.start,
        end=instance.end,
        members=[],
        assignments=assignments,
        unassigned=[
            Unassigned(
                duty=o.duty,
                name=instance.duty(o.duty).name,
                day=o.day,
                start=o.earliest_start,
                end=o.latest_end,
                reason="by hand",
            )
            for o in instance.occurrences
            if (o.duty, o.day) not in taken
        ],
        load={},
    )


def everyone_on_duty(instance: Instance) -> list[Assignment]:
    """A valid plan: Alex drops off, Sam picks up, Alex does the laundry at 09:00."""
    return [
        *(assign(instance, "dropoff", d, "alex") for d in range(5)),
        *(assign(instance, "pickup", d, "sam") for d in range(5)),
        assign(instance, "laundry", 5, "alex"),
    ]
