"""Generated households for the solver benchmark: realistic weeks, deterministic for a seed.

A family has household chores (meals, dishes, pets, laundry, groceries, cleaning) and, per child,
school runs, homework, bath and bedtime, activities and lunch boxes: 100 occurrences a week with
one child, so 1, 4 and 12 weeks give about 100, 400 and 1,200 occurrences. Partners have work
calendars with office hours, early stand-ups, late meetings, evening commitments and the odd
two-day trip; helpers (a grandparent, a babysitter) work inside availability windows. The stress
household has three partners, two helpers and six children: 3,000+ occurrences in 12 weeks.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from scheduler.intervals import BusyInterval
from scheduler.solver.instance import Duty, Fairness, Instance, Member, Occurrence, Window

TIMEZONE = "Europe/Berlin"
FIRST_MONDAY = date(2026, 11, 23)
WEEKDAYS = (0, 1, 2, 3, 4)
EVERY_DAY = (0, 1, 2, 3, 4, 5, 6)


@dataclass(frozen=True)
class Template:
    """A duty series: on ``days`` (0 = Monday), at ``start`` or anywhere in ``start``-``until``."""

    id: str
    name: str
    days: tuple[int, ...]
    start: time
    duration: int
    effort: int = 1
    until: time | None = None  # a flexible window ends here
    helpers: bool = False  # may helpers take it?
    same_owner_as: tuple[str, ...] = ()
    different_owner_from: tuple[str, ...] = ()


CHORES = (
    Template("walk_am", "Morning dog walk", EVERY_DAY, time(6, 30), 30),
    Template("feed_am", "Feed the cat (morning)", EVERY_DAY, time(7, 0), 10),
    Template("breakfast", "Breakfast", EVERY_DAY, time(7, 0), 30, helpers=True),
    Template("unload", "Empty the dishwasher", WEEKDAYS, time(17, 0), 15, until=time(22, 0)),
    Template("feed_pm", "Feed the cat (evening)", EVERY_DAY, time(17, 30), 10, helpers=True),
    Template("cooking", "Cook dinner", EVERY_DAY, time(18, 0), 60, effort=2, helpers=True),
    Template("dishes", "Dishes", EVERY_DAY, time(19, 15), 30, different_owner_from=("cooking",)),
    Template("tidy", "Tidy up", EVERY_DAY, time(20, 30), 20),
    Template("walk_pm", "Evening dog walk", EVERY_DAY, time(21, 0), 30),
    Template("laundry", "Laundry", (2, 5), time(9, 0), 90, until=time(21, 0)),
    Template("groceries", "Groceries", (2, 5), time(9, 0), 60, until=time(20, 0)),
    Template("bins", "Take out the bins", (0,), time(20, 0), 15),
    Template("cleaning", "Clean the flat", (6,), time(10, 0), 120, effort=2, until=time(17, 0)),
    Template("plants", "Water the plants", (6,), time(9, 0), 15, until=time(12, 0)),
)


def _kid_duties(kid: int) -> tuple[Template, ...]:
    """One child's week; children are staggered by 10 minutes (different schools)."""
    n, shift = f"_{kid}" if kid else "", 10 * kid
    child = f" ({('Mia', 'Leo', 'Ava', 'Ben', 'Zoe', 'Tim')[kid % 6]})"

    def at(hour: int, minute: int) -> time:
        moment = datetime(2000, 1, 1, hour, minute) + timedelta(minutes=shift)
        return moment.time()

    return (
        Template(f"dropoff{n}", f"School drop-off{child}", WEEKDAYS, at(7, 20), 30, effort=2),
        Template(
            f"pickup{n}",
            f"School pick-up{child}",
            WEEKDAYS,
            at(15, 30),
            30,
            effort=2,
            helpers=True,
        ),
        Template(f"homework{n}", f"Homework{child}", WEEKDAYS, at(16, 30), 45, 2, helpers=True),
        Template(f"bath{n}", f"Bath{child}", (0, 2, 4), at(19, 0), 30, helpers=True),
        Template(
            f"bedtime{n}",
            f"Bedtime{child}",
            EVERY_DAY,
            at(19, 45),
            30,
            helpers=True,
            same_owner_as=(f"bath{n}",),
        ),
        Template(f"swim{n}", f"Swimming{child}", (1,), at(15, 30), 90, helpers=True),
        Template(f"football{n}", f"Football{child}", (5,), at(10, 0), 120),
        Template(f"lunchbox{n}", f"Lunch box{child}", WEEKDAYS, at(20, 0), 15, until=at(22, 0)),
    )


def _local(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=zone)


def _busy(day: date, start: time, end: time, summary: str, zone: ZoneInfo) -> BusyInterval:
    return BusyInterval(_local(day, start, zone), _local(day, end, zone), summary)


def _office_worker(
    rng: random.Random,
    days: list[date],
    zone: ZoneInfo,
    hours: dict[int, tuple[time, time]],
    evening: int,
) -> list[BusyInterval]:
    """Office hours (by weekday), early stand-ups, late meetings, a weekly evening, rare trips."""
    busy: list[BusyInterval] = []
    trips = {d for d in days if d.weekday() == 2 and rng.random() < 0.2}
    for day in days:
        if day.weekday() in hours:
            start, end = hours[day.weekday()]
            busy.append(_busy(day, start, end, "Work", zone))
            if rng.random() < 0.2:
                busy.append(_busy(day, time(7, 0), time(8, 0), "Team standup", zone))
            if rng.random() < 0.15:
                busy.append(_busy(day, end, time(18, 30), "Board prep", zone))
        if day.weekday() == evening:
            busy.append(_busy(day, time(19, 0), time(21, 0), "Choir", zone))
        if day in trips:
            busy.append(
                BusyInterval(
                    _local(day, time(6, 0), zone),
                    _local(day + timedelta(days=1), time(21, 0), zone),
                    "Trip to Hamburg",
                )
            )
        if day.weekday() == 5 and rng.random() < 0.25:
            busy.append(_busy(day, time(13, 0), time(17, 0), "Birthday party", zone))
    return busy


def _shift_worker(rng: random.Random, days: list[date], zone: ZoneInfo) -> list[BusyInterval]:
    """Early and late shifts in alternate weeks, weekdays; the odd weekend shift."""
    busy: list[BusyInterval] = []
    for day in days:
        early = ((day - days[0]).days // 7) % 2 == 0
        span = (time(6, 0), time(14, 30)) if early else (time(13, 30), time(22, 0))
        if day.weekday() < 5 or rng.random() < 0.15:
            busy.append(_busy(day, *span, "Shift", zone))
    return busy


def _partners(count: int, rng: random.Random, days: list[date], zone: ZoneInfo) -> list[Member]:
    office = (time(8, 30), time(17, 0))
    # Sam works part-time: short days on Wednesday and Friday (school pick-up).
    part_time = {d: (time(9, 0), time(15, 0) if d in (2, 4) else time(17, 30)) for d in WEEKDAYS}
    alex = Member(
        id="alex",
        name="Alex",
        role="partner",
        busy=tuple(_office_worker(rng, days, zone, dict.fromkeys(WEEKDAYS, office), evening=1)),
        buffer_before=15,
        buffer_after=15,
        prefers=frozenset({"cooking"}),
        avoids=frozenset({"cleaning"}),
    )
    sam = Member(
        id="sam",
        name="Sam",
        role="partner",
        busy=tuple(_office_worker(rng, days, zone, part_time, evening=3)),
        prefers=frozenset({"laundry"}),
    )
    robin = Member(
        id="robin",
        name="Robin",
        role="partner",
        busy=tuple(_shift_worker(rng, days, zone)),
        prefers=frozenset({"groceries"}),
    )
    return [alex, sam, robin][:count]


def _helpers(count: int, days: list[date], zone: ZoneInfo) -> list[Member]:
    nana = Member(
        id="nana",
        name="Nana",
        role="helper",
        availability=tuple(
            Window(start=_local(d, time(14, 0), zone), end=_local(d, time(19, 0), zone))
            for d in days
            if d.weekday() in (0, 1, 3)
        ),
        availability_text="only Mon, Tue and Thu 14:00-19:00",
        weekly_cap=600,
        hourly_cost=0.0,
    )
    jo = Member(
        id="jo",
        name="Jo (babysitter)",
        role="helper",
        availability=tuple(
            Window(start=_local(d, time(15, 0), zone), end=_local(d, time(21, 0), zone))
            for d in days
            if d.weekday() < 6
        ),
        availability_text="only Mon-Sat 15:00-21:00",
        weekly_cap=900,
        hourly_cost=15.0,
    )
    return [nana, jo][:count]


def household(
    weeks: int,
    *,
    seed: int = 0,
    partners: int = 2,
    helpers: int = 1,
    kids: int = 1,
    time_limit_seconds: float = 30.0,
) -> Instance:
    """A household planned for ``weeks`` weeks from Monday 23 November 2026; same seed, same
    household."""
    rng = random.Random(seed)
    zone = ZoneInfo(TIMEZONE)
    days = [FIRST_MONDAY + timedelta(days=n) for n in range(7 * weeks)]
    adults = _partners(partners, rng, days, zone)
    extra = _helpers(helpers, days, zone)
    templates = CHORES + tuple(t for kid in range(kids) for t in _kid_duties(kid))
    partner_ids = tuple(m.id for m in adults)
    helper_ids = tuple(m.id for m in extra)
    duties = tuple(
        Duty(
            id=t.id,
            name=t.name,
            effort=t.effort,
            eligible=partner_ids + (helper_ids if t.helpers else ()),
            same_owner_as=t.same_owner_as,
            different_owner_from=t.different_owner_from,
        )
        for t in templates
    )
    occurrences = []
    for day in days:
        for t in templates:
            if day.weekday() not in t.days:
                continue
            first = _local(day, t.start, zone)
            last = first
            if t.until is not None:
                last = _local(day, t.until, zone) - timedelta(minutes=t.duration)
            occurrences.append(
                Occurrence(
                    duty=t.id, day=day, earliest_start=first, latest_start=last, duration=t.duration
                )
            )
    return Instance(
        household=f"Generated household (seed {seed})",
        timezone=TIMEZONE,
        start=_local(days[0], time(0), zone),
        end=_local(days[-1] + timedelta(days=1), time(0), zone),
        members=(*adults, *extra),
        duties=duties,
        occurrences=tuple(occurrences),
        fairness=Fairness(target="equal", bound_percent=10.0, carried_load={"sam": 300}),
        seed=seed,
        time_limit_seconds=time_limit_seconds,
    )


def stress(*, seed: int = 0, weeks: int = 12, time_limit_seconds: float = 60.0) -> Instance:
    """Three partners, two helpers, six children: 3,000+ occurrences in 12 weeks."""
    return household(
        weeks,
        seed=seed,
        partners=3,
        helpers=2,
        kids=6,
        time_limit_seconds=time_limit_seconds,
    )


def with_new_meeting(instance: Instance, member: str, start: datetime, end: datetime) -> Instance:
    """The same household after ``member`` accepted one more meeting ("Board prep")."""
    members = tuple(
        m.model_copy(update={"busy": (*m.busy, BusyInterval(start, end, "Board prep"))})
        if m.id == member
        else m
        for m in instance.members
    )
    return instance.model_copy(update={"members": members})
