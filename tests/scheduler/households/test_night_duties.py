"""Night duties: windows past midnight, a night nanny, and the two nights a year the clocks
change (Europe/Berlin), where a duty lasts its minutes of real time, busy time is compared as
instants, and the JSON and the feeds say the same instants a family's calendar shows."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import yaml
from rich.console import Console

from scheduler.feeds.render import render_household_feed
from scheduler.households.file import parse_household
from scheduler.households.instance import build_instance
from scheduler.households.report import plan_report
from scheduler.intervals import BusyInterval
from scheduler.solver.horizon import candidate_starts
from scheduler.solver.instance import Instance
from scheduler.solver.model import solve
from scheduler.solver.plan import Plan
from scheduler.solver.validate import violations

BERLIN = ZoneInfo("Europe/Berlin")
SPRING_WEEK = date(2026, 3, 23)  # Sunday 29 March 2026: 02:00 CET -> 03:00 CEST
AUTUMN_WEEK = date(2026, 10, 19)  # Sunday 25 October 2026: 03:00 CEST -> 02:00 CET


def _household(duties: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "household": "Night owls",
        "timezone": "Europe/Berlin",
        "members": {
            "ana": {"name": "Ana", "role": "partner"},
            "ben": {"name": "Ben", "role": "partner"},
        },
        "duties": duties,
    }


def _plan(
    data: dict[str, Any], start: date, busy: dict[str, list[BusyInterval]] | None = None
) -> tuple[Instance, Plan]:
    household = parse_household(yaml.safe_dump(data, sort_keys=False), source="household.yaml")
    instance, _ = build_instance(household, busy=busy or {}, start=start, weeks=1)
    plan = solve(instance)
    assert violations(instance, plan) == []
    return instance, plan


def _minutes(start: datetime, end: datetime) -> float:
    """Real minutes between two moments, whatever zone they are written in."""
    return (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() / 60


def _on(plan: Plan, duty: str, day: date) -> tuple[datetime, datetime, str]:
    (a,) = [a for a in plan.assignments if a.duty == duty and a.day == day]
    return a.start, a.end, a.member


def test_a_flexible_night_duty_on_the_spring_night_lasts_its_minutes_at_real_times() -> None:
    walk = {
        "id": "walk",
        "days": ["SU"],
        "window": {"from": "01:00", "to": "04:00"},
        "duration": 60,
        "eligible": ["ana"],
    }
    # Ana can't start before 01:45: the walk must start after the clocks jumped.
    busy = {"ana": [_local(2026, 3, 29, 0, 0, "Ana's late shift", minutes=105)]}
    instance, plan = _plan(_household([walk]), SPRING_WEEK, busy)
    # The window is 01:00 CET to 04:00 CEST, two real hours: on the 30-min grid the walk may
    # start at 01:00, 01:30 or 03:00 (01:00 UTC), the last that fits; 02:00 and 02:30 don't exist.
    (occurrence,) = instance.occurrences
    starts = candidate_starts(instance, occurrence)
    assert [f"{s.astimezone(BERLIN):%H:%M}" for s in starts] == ["01:00", "01:30", "03:00"]
    start, end, member = _on(plan, "walk", date(2026, 3, 29))
    assert member == "ana"
    assert _minutes(start, end) == 60
    assert start == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)  # Ana is free from 01:45
    row = _json_row(plan, "walk")
    assert (row["start"], row["end"]) == ("2026-03-29T03:00:00+02:00", "2026-03-29T04:00:00+02:00")


def test_a_night_duty_across_the_autumn_change_ends_after_its_minutes() -> None:
    feed = {"id": "feed", "days": ["SU"], "start": "01:30", "duration": 90, "eligible": ["ana"]}
    _, plan = _plan(_household([feed]), AUTUMN_WEEK)
    start, end, _ = _on(plan, "feed", date(2026, 10, 25))
    assert _minutes(start, end) == 90
    row = _json_row(plan, "feed")
    # 01:30 summer time, then 90 minutes: 02:00 in the repeated hour, winter time.
    assert (row["start"], row["end"]) == ("2026-10-25T01:30:00+02:00", "2026-10-25T02:00:00+01:00")
    # A calendar reading the feed gets the same instants: a local 02:00 would be the first one.
    (event,) = icalendar.Calendar.from_ical(render_household_feed(plan, generated_at=_NOW)).walk(
        "VEVENT"
    )
    assert event.decoded("DTSTART") == start
    assert event.decoded("DTEND") == end


def test_busy_time_in_the_repeated_hour_blocks_only_its_own_pass() -> None:
    # 02:15 is first in summer time (00:15 UTC); Ana's call is in the second 02:00-03:00.
    check = {"id": "check", "days": ["SU"], "start": "02:15", "duration": 30, "eligible": ["ana"]}
    # In the household's zone, as calendar ingestion gives busy time.
    call = BusyInterval(
        datetime(2026, 10, 25, 1, 10, tzinfo=UTC).astimezone(BERLIN),  # 02:10 winter time
        datetime(2026, 10, 25, 1, 50, tzinfo=UTC).astimezone(BERLIN),
        "Call with Sydney",
    )
    _, free = _plan(_household([check]), AUTUMN_WEEK, {"ana": [call]})
    assert _on(free, "check", date(2026, 10, 25))[2] == "ana"
    # The same call in the first pass does block it.
    first_pass = BusyInterval(
        (call.start.astimezone(UTC) - timedelta(hours=1)).astimezone(BERLIN),
        (call.end.astimezone(UTC) - timedelta(hours=1)).astimezone(BERLIN),
    )
    _, busy = _plan(_household([check]), AUTUMN_WEEK, {"ana": [first_pass]})
    (missed,) = busy.unassigned
    assert missed.reason == "Sun 25 Oct 02:15 check: Ana busy (02:10-02:50)"


def test_a_night_nanny_takes_the_small_hours_and_the_table_shows_the_day_they_fall_on() -> None:
    nora_only = {"eligible": ["nora"]}
    data = _household(
        [
            # The first planned morning: Nora's Sunday night reaches into it.
            {"id": "check", "name": "Check", "dates": ["2026-11-23"], "start": "02:00"}
            | {"duration": 15, **nora_only},
            {"id": "bottles", "name": "Bottles", "days": ["MO"], "start": "23:00"}
            | {"duration": 60, **nora_only},
            {"id": "feed", "name": "Night feed", "days": ["MO"], "duration": 30}
            | {"window": {"from": "23:00", "to": "01:00"}, **nora_only},
        ]
    )
    data["members"]["nora"] = {
        "name": "Nora",
        "role": "helper",
        "availability": [{"days": ["SU", "MO"], "from": "22:00", "to": "06:00"}],
    }
    _, plan = _plan(data, date(2026, 11, 23))
    assert plan.unassigned == []
    assert {a.member for a in plan.assignments} == {"nora"}
    start, end, _ = _on(plan, "feed", date(2026, 11, 23))
    assert _minutes(start, end) == 30
    assert start.astimezone(BERLIN) >= datetime(2026, 11, 24, 0, 0, tzinfo=BERLIN)  # after bottles
    text = _table(plan)
    assert _row(text, "Check").startswith("Mon 23 Nov 02:00-02:15")
    assert _row(text, "Bottles").startswith("23:00-00:00")
    # Monday's night feed, on Tuesday's row: that is when the alarm goes off.
    assert _row(text, "Night feed").startswith(f"Tue 24 Nov {start.astimezone(BERLIN):%H:%M}")


_NOW = datetime(2026, 10, 1, tzinfo=UTC)


def _table(plan: Plan) -> str:
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(plan_report(plan))
    return console.export_text()


def _row(table: str, duty: str) -> str:
    """The table row of ``duty``, its cells joined by single spaces."""
    line = next(line for line in table.splitlines() if duty in line)
    return " ".join(cell.strip() for cell in line.strip("│ ").split("│") if cell.strip())


def _local(
    year: int, month: int, day: int, hour: int, minute: int, summary: str, *, minutes: int
) -> BusyInterval:
    start = datetime(year, month, day, hour, minute, tzinfo=BERLIN)
    utc_start = start.astimezone(UTC)
    return BusyInterval(start, (utc_start + timedelta(minutes=minutes)).astimezone(BERLIN), summary)


def _json_row(plan: Plan, duty: str) -> dict[str, Any]:
    (row,) = [a for a in json.loads(plan.to_json())["assignments"] if a["duty"] == duty]
    return dict(row)


def test_a_window_inside_the_repeated_hour_has_both_passes_of_it() -> None:
    # 02:00-03:00 on the autumn night is two real hours: summer 02:00 to winter 03:00.
    rounds = {"id": "rounds", "days": ["SU"], "window": {"from": "02:00", "to": "03:00"}}
    data = _household([rounds | {"duration": 60, "eligible": ["ana"]}])
    instance, _ = _plan(data, AUTUMN_WEEK)
    (occurrence,) = instance.occurrences
    starts = [f"{s.astimezone(BERLIN):%H:%M%z}" for s in candidate_starts(instance, occurrence)]
    assert starts == ["02:00+0200", "02:30+0200", "02:00+0100"]
