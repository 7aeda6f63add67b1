"""Planning a household from its file: calendar problems name the member and the calendar."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from scheduler.errors import CalendarFormatError, CalendarSourceError, InputError
from scheduler.households.service import plan_household
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
