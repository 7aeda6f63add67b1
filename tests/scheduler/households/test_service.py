"""Planning a household from its file: calendar problems name the member and the calendar."""

from __future__ import annotations

import json
from datetime import date, datetime
from math import isnan, nan
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from scheduler.errors import CalendarFormatError, CalendarSourceError, InputError
from scheduler.households.service import plan_household, read_plan
from scheduler.solver.plan import Plan, SolveStats, StageReport
from tests.scheduler.households.household_data import household_data


def _household_with_calendar(folder: Path, calendar_text: str | None) -> Path:
    data = household_data()
    data["members"]["sam"]["calendars"] = ["calendars/sam.ics"]
    if calendar_text is not None:
        (folder / "calendars").mkdir()
        (folder / "calendars" / "sam.ics").write_text(calendar_text, encoding="utf-8")
    path = folder / "household.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_malformed_calendar_is_a_format_error_naming_member_and_calendar(tmp_path: Path) -> None:
    household = _household_with_calendar(tmp_path, "BEGIN:VCALENDAR\nthis is not ics\n")
    with pytest.raises(CalendarFormatError) as caught:
        plan_household(household, start=date(2026, 11, 23), weeks=1)
    assert caught.value.message.startswith(
        f"{household}: members.sam.calendars[0]: calendars/sam.ics"
    )


def test_calendar_path_is_read_relative_to_the_household_file(tmp_path: Path) -> None:
    household = _household_with_calendar(tmp_path, None)
    with pytest.raises(CalendarSourceError) as caught:
        plan_household(household, start=date(2026, 11, 23), weeks=1)
    message = caught.value.message
    assert message.startswith(f"{household}: members.sam.calendars[0]: calendars/sam.ics")
    assert str(tmp_path / "calendars" / "sam.ics") in message
    assert "no such calendar file" in message


def test_previous_plan_that_cannot_be_read_names_the_option(tmp_path: Path) -> None:
    household = _household_with_calendar(tmp_path, "BEGIN:VCALENDAR\nEND:VCALENDAR\n")
    with pytest.raises(InputError) as caught:
        plan_household(household, start=date(2026, 11, 23), weeks=1, previous=tmp_path / "old.json")
    assert caught.value.message.startswith("--previous: cannot read")


def test_another_households_plan_or_a_lone_now_is_a_warning(tmp_path: Path) -> None:
    calendar = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nEND:VCALENDAR\r\n"
    household = _household_with_calendar(tmp_path, calendar)
    plan, warnings = plan_household(household, start=date(2026, 11, 23), weeks=1)
    assert warnings == []
    other = tmp_path / "other.json"
    other.write_text(
        plan.model_copy(update={"household": "The Neighbours"}).model_dump_json(by_alias=True),
        encoding="utf-8",
    )
    _, warnings = plan_household(
        household, start=date(2026, 11, 23), weeks=1, previous=other, now=datetime(2026, 11, 22)
    )
    assert warnings == [
        f"--previous: {other} is a plan of 'The Neighbours', not of 'The Test family'; only "
        "duties and members with the same ids carry over, so pass this household's own plan "
        "unless the household was renamed"
    ]
    _, warnings = plan_household(household, start=date(2026, 11, 23), weeks=1, now=datetime.now())
    assert warnings == ["--now: ignored without --previous (it is the moment of re-planning)"]


def test_without_start_or_weeks_it_plans_four_weeks_from_today_in_the_households_zone(
    tmp_path: Path,
) -> None:
    calendar = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nEND:VCALENDAR\r\n"
    household = _household_with_calendar(tmp_path, calendar)
    zone = ZoneInfo(household_data()["timezone"])
    before = datetime.now(zone).date()
    plan, _ = plan_household(household)
    after = datetime.now(zone).date()  # the same day, unless the test runs over midnight
    first = plan.start.astimezone(zone)
    assert first.date() in {before, after}
    assert first.time() == datetime.min.time()
    assert (plan.end.astimezone(zone).date() - first.date()).days == 28


def test_a_re_plan_without_start_or_weeks_plans_the_previous_plans_weeks(tmp_path: Path) -> None:
    calendar = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nEND:VCALENDAR\r\n"
    household = _household_with_calendar(tmp_path, calendar)
    # Two weeks over the end of daylight saving time: a week is still 7 days, not 168 hours.
    plan, _ = plan_household(household, start=date(2026, 10, 19), weeks=2)
    old = tmp_path / "old.json"
    old.write_text(plan.to_json(), encoding="utf-8")
    again, _ = plan_household(household, previous=old, now=datetime(2026, 10, 18, 12))
    assert (again.start, again.end) == (plan.start, plan.end)
    longer, _ = plan_household(household, weeks=3, previous=old, now=datetime(2026, 10, 18, 12))
    assert longer.start == plan.start
    assert longer.end.astimezone(ZoneInfo("Europe/Berlin")).date() == date(2026, 11, 9)
    # Weeks later: those weeks are over, and what the family more likely wants is the next ones.
    _, warnings = plan_household(household, previous=old, now=datetime(2026, 11, 10, 12))
    assert warnings == [
        "--previous: that plan's weeks are all over, and re-planning them keeps what was done; "
        "give --start (e.g. --start 2026-11-10) to plan the next weeks, counting those"
    ]
    _, warnings = plan_household(
        household, start=date(2026, 11, 10), previous=old, now=datetime(2026, 11, 10, 12)
    )
    assert not any("all over" in w for w in warnings)


def test_progress_starts_with_the_calendars_and_ends_with_the_explanations(
    tmp_path: Path,
) -> None:
    calendar = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nEND:VCALENDAR\r\n"
    household = _household_with_calendar(tmp_path, calendar)
    heard: list[str] = []
    plan_household(household, start=date(2026, 11, 23), weeks=1, progress=heard.append)
    assert heard[0] == "reading calendars"
    assert "giving each duty one owner" in heard
    assert heard[-1] == "explaining who does what and why"


def test_a_plan_with_a_goal_out_of_time_is_strict_json_and_reads_back(tmp_path: Path) -> None:
    """JSON has no NaN: the unknown bound is written as null (jq and JSON.parse reject NaN)
    and read back as unknown by ``--previous``."""
    plan = Plan(
        household="The Test family",
        timezone="Europe/Berlin",
        start=datetime(2026, 11, 23, tzinfo=ZoneInfo("Europe/Berlin")),
        end=datetime(2026, 11, 30, tzinfo=ZoneInfo("Europe/Berlin")),
        members=[],
        assignments=[],
        unassigned=[],
        load={},
        stats=SolveStats(
            build_seconds=0.1,
            solve_seconds=30.0,
            stages=[
                StageReport(
                    name="ownership", value=12, bound=nan, gap=nan, optimal=False, seconds=20.0
                )
            ],
        ),
    )
    written = tmp_path / "old.json"
    written.write_text(plan.to_json(), encoding="utf-8")

    def no_constants(constant: str) -> None:
        raise AssertionError(f"not JSON: {constant}")

    stage = json.loads(written.read_text(), parse_constant=no_constants)["stats"]["stages"][0]
    assert (stage["value"], stage["bound"], stage["gap"]) == (12, None, None)
    read = read_plan(written)
    assert read.stats is not None and isnan(read.stats.stages[0].bound)
