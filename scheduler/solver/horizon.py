"""The planned weeks as the family reads them: local time and how it is written ("Tue 24 Nov
07:30"), the grid of candidate starts, week numbers, and look-ups by (duty, day). Pure."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from scheduler.solver.instance import Instance, Occurrence, PreviousAssignment
from scheduler.timezones import zone


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


def remembered(what: str, instance: Instance, build: Callable[[], _T]) -> _T:
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
    return remembered(
        "previous", instance, lambda: {(p.duty, p.day): p for p in instance.previous or ()}
    )


def occurrence_by_key(instance: Instance) -> dict[tuple[str, date], Occurrence]:
    """The instance's occurrences by (duty, day); remembered for the last instance."""
    return remembered(
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


def first_day(instance: Instance) -> date:
    """The horizon's first day, in the household's zone (``instance.start`` is its midnight)."""
    return remembered("first day", instance, lambda: local(instance, instance.start).date())


def week_of(instance: Instance, day: date) -> int:
    """0-based week of the horizon."""
    return (day - first_day(instance)).days // 7


def week_count(instance: Instance) -> int:
    """How many weeks (``week_of``) the horizon has, a short last one included
    (``instance.end`` is the midnight after its last day)."""
    return -(-(local(instance, instance.end).date() - first_day(instance)).days // 7)


def occurrence_label(
    instance: Instance, occurrence: Occurrence, start: datetime | None = None
) -> str:
    """``Tue 24 Nov 07:30 School drop-off``; a flexible duty without a start shows its window."""
    name = instance.duty(occurrence.duty).name
    if start is not None or occurrence.earliest_start == occurrence.latest_start:
        return f"{when(instance, start or occurrence.earliest_start)} {name}"
    window = f"{when(instance, occurrence.earliest_start)}-{clock(instance, occurrence.latest_end)}"
    return f"{window} {name}"
