"""`fairshare plan` and `fairshare demo` as a parent runs them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner, Result

from scheduler.cli import app
from scheduler.config import get_settings
from tests.scheduler.households.household_data import household_data

runner = CliRunner()
NAMES = (("alex", "Alex"), ("sam", "Sam"))

# Alex's work week: a Tuesday standup over the school run, otherwise office hours.
ALEX_WORK = """BEGIN:VEVENT
UID:standup@test
DTSTART;TZID=Europe/Berlin:20261124T070000
DTEND;TZID=Europe/Berlin:20261124T080000
SUMMARY:Team standup
END:VEVENT
BEGIN:VEVENT
UID:office@test
DTSTART;TZID=Europe/Berlin:20261123T090000
DTEND;TZID=Europe/Berlin:20261123T150000
RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR
SUMMARY:Office
END:VEVENT
"""

BOARD_PREP = """BEGIN:VEVENT
UID:board-prep@test
DTSTART;TZID=Europe/Berlin:{start}
DTEND;TZID=Europe/Berlin:{end}
SUMMARY:Board prep
END:VEVENT
"""


def _calendar(events: str) -> str:
    return f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//fairshare tests//EN\n{events}END:VCALENDAR\n"


def _household(
    folder: Path, data: dict[str, Any] | None = None, extra_busy: dict[str, str] | None = None
) -> Path:
    """The test household in ``folder``, Alex and Sam with work calendars next to it."""
    data = data or household_data()
    extra_busy = extra_busy or {}
    for member, events in (("alex", ALEX_WORK), ("sam", "")):
        data["members"][member]["calendars"] = [f"{member}-work.ics"]
        calendar = _calendar(events + extra_busy.get(member, ""))
        (folder / f"{member}-work.ics").write_text(calendar, encoding="utf-8")
    path = folder / "household.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _plan(*args: str) -> Result:
    return runner.invoke(app, ["plan", *args])


def _json_plan(household: Path, *args: str) -> dict[str, Any]:
    result = _plan(str(household), "--start", "2026-11-23", "--weeks", "1", "--json", *args)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_plan_json_gives_assignments_unassigned_load_and_changes(tmp_path: Path) -> None:
    data = _json_plan(_household(tmp_path))
    assert {"assignments", "unassigned", "load", "changes"} <= data.keys()
    # One week: 5 drop-offs, 5 pick-ups, 1 laundry; each is either assigned or explained.
    assert len(data["assignments"]) + len(data["unassigned"]) == 11
    first = data["assignments"][0]
    assert {"duty", "start", "end", "member", "reason"} <= first.keys()
    assert first["start"].endswith("+01:00")
    assert set(data["load"]) == {"alex", "sam", "nana"}
    assert {"minutes", "weighted", "share"} <= data["load"]["alex"].keys()
    [week] = data["weeks"]
    assert week["start"] == "2026-11-23"
    assert sum(week["weighted"][m] for m in ("alex", "sam")) == sum(
        data["load"][m]["weighted"] for m in ("alex", "sam")
    )
    assert week["share_so_far"] == {m: data["load"][m]["share"] for m in ("alex", "sam")}
    assert data["changes"] == []


def test_nobody_gets_the_school_run_during_their_standup(tmp_path: Path) -> None:
    data = _json_plan(_household(tmp_path))
    tuesday_dropoff = [
        a for a in data["assignments"] if a["duty"] == "dropoff" and a["day"] == "2026-11-24"
    ]
    assert [a["member"] for a in tuesday_dropoff] == ["sam"]


def test_plan_table_shows_each_week_its_split_and_who_carries_what(tmp_path: Path) -> None:
    result = _plan(str(_household(tmp_path)), "--start", "2026-11-23", "--weeks", "2")
    assert result.exit_code == 0, result.output
    assert "Week 1: Mon 23 Nov - Sun 29 Nov" in result.stdout
    assert "School drop-off" in result.stdout
    # Each week says how it was split, from the second one on with the split so far.
    data = json.loads(
        _plan(str(_household(tmp_path)), "--start", "2026-11-23", "--weeks", "2", "--json").stdout
    )
    second = data["weeks"][1]
    so_far = " · ".join(f"{n} {second['share_so_far'][m]:.1f} %" for m, n in NAMES)
    assert result.stdout.count("Split this week: Alex ") == 2
    assert f"so far: {so_far}." in " ".join(result.stdout.split())
    assert "Who carries what" in result.stdout


def test_explain_adds_a_why_column(tmp_path: Path) -> None:
    household = _household(tmp_path)
    args = ("--start", "2026-11-23", "--weeks", "1")
    plain = _plan(str(household), *args)
    explained = _plan(str(household), *args, "--explain")
    assert explained.exit_code == 0, explained.output
    assert "Why" not in plain.stdout
    assert "Why" in explained.stdout


def test_ics_option_writes_a_feed_per_member_and_the_household(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    result = _plan(
        str(_household(tmp_path)), "--start", "2026-11-23", "--weeks", "1", "--ics", str(feeds)
    )
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in feeds.iterdir())
    assert written == ["alex.ics", "household.ics", "nana.ics", "sam.ics"]
    assert (feeds / "household.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert str(feeds) in result.stdout


def test_a_feed_folder_that_is_a_file_is_refused_before_planning(tmp_path: Path) -> None:
    taken = tmp_path / "feeds"
    taken.write_text("not a folder", encoding="utf-8")
    result = _plan(str(_household(tmp_path)), "--weeks", "1", "--json", "--ics", str(taken))
    assert result.exit_code == 2
    assert result.stdout == ""  # no plan printed, then a failure
    assert result.stderr.strip() == (
        f"error: --ics: {taken} is a file, not a folder; give a folder for the feeds (it is "
        "created if it does not exist)"
    )
    assert taken.read_text(encoding="utf-8") == "not a folder"


def test_json_stdout_stays_clean_when_feeds_are_written(tmp_path: Path) -> None:
    data = _json_plan(_household(tmp_path), "--ics", str(tmp_path / "feeds"))
    assert data["assignments"]


def _planned_laundry(folder: Path) -> tuple[dict[str, Any], Path]:
    """The test household's week planned and saved in ``folder``, and its laundry."""
    old = _json_plan(_household(folder))
    old_file = folder / "old.json"
    old_file.write_text(json.dumps(old), encoding="utf-8")
    return next(a for a in old["assignments"] if a["duty"] == "laundry"), old_file


def test_replanning_after_a_new_meeting_moves_that_duty_to_the_other_partner(
    tmp_path: Path,
) -> None:
    laundry, old_file = _planned_laundry(tmp_path)
    # The laundry's owner now has a meeting all Saturday; the other partner is free.
    meeting = BOARD_PREP.format(start="20261128T080000", end="20261128T190000")
    household = _household(tmp_path, extra_busy={laundry["member"]: meeting})

    new = _json_plan(household, "--previous", str(old_file), "--now", "2026-11-22T12:00")

    other = "sam" if laundry["member"] == "alex" else "alex"
    change = next(c for c in new["changes"] if c["duty"] == "laundry")
    assert (change["from"], change["to"]) == (laundry["member"], other)
    assert "Board prep" in change["cause"]
    now = next(a for a in new["assignments"] if a["duty"] == "laundry")
    assert now["member"] == other
    assert now["sequence"] == laundry["sequence"] + 1


def test_a_re_plan_needs_only_the_household_and_the_previous_plan(tmp_path: Path) -> None:
    laundry, old_file = _planned_laundry(tmp_path)
    meeting = BOARD_PREP.format(start="20261128T080000", end="20261128T190000")
    household = _household(tmp_path, extra_busy={laundry["member"]: meeting})
    result = _plan(
        str(household), "--previous", str(old_file), "--now", "2026-11-22T12:00", "--json"
    )
    assert result.exit_code == 0, result.output
    new = json.loads(result.stdout)
    old = json.loads(old_file.read_text(encoding="utf-8"))
    assert (new["start"], new["end"]) == (old["start"], old["end"])
    moved = [c for c in new["changes"] if c["from"] is not None]
    assert ["Board prep" in c["cause"] for c in moved if c["duty"] == "laundry"] == [True]
    assert {c["cause"] for c in moved if c["duty"] != "laundry"} <= {"fairness"}  # evening out


def test_rolling_the_plan_forward_starts_with_what_went_well_in_the_week_lived(
    tmp_path: Path,
) -> None:
    _, old_file = _planned_laundry(tmp_path)
    old = json.loads(old_file.read_text(encoding="utf-8"))
    household = str(_household(tmp_path))
    args = ("--start", "2026-11-30", "--previous", str(old_file), "--now", "2026-11-29T20:00")

    result = runner.invoke(app, ["plan", household, *args], terminal_width=400)

    assert result.exit_code == 0, result.output
    done, missed = len(old["assignments"]), len(old["unassigned"])
    covered = "Every duty had someone." if not missed else f"{done} of {done + missed} duties had"
    heading = "What went well (Mon 23 Nov - Sun 29 Nov, as planned): "
    assert heading + covered in result.stdout
    assert result.stdout.index("What went well") < result.stdout.index("Week 1: Mon 30 Nov")
    # The same weeks re-planned: nothing lived yet, nothing to celebrate.
    again = _plan(household, "--previous", str(old_file), "--now", "2026-11-22T12:00", "--json")
    assert json.loads(again.stdout)["lived"] is None


def test_a_partner_who_cant_do_one_duty_says_so_in_the_file_and_the_replan_moves_it(
    tmp_path: Path,
) -> None:
    laundry, old_file = _planned_laundry(tmp_path)
    data = household_data()
    data["declines"] = [
        {"member": laundry["member"], "duty": "laundry", "date": laundry["day"], "note": "back"}
    ]

    new = _json_plan(
        _household(tmp_path, data), "--previous", str(old_file), "--now", "2026-11-22T12:00"
    )

    name = {"alex": "Alex", "sam": "Sam"}[laundry["member"]]
    moved = {c["duty"]: c for c in new["changes"] if c["from"] is not None}
    assert moved.pop("laundry")["cause"] == f"{name}: said they can't (back)"
    # A week's laundry is a quarter of the load: the rest of the week evens it out again.
    assert {c["cause"] for c in moved.values()} <= {"fairness"}


def _break(change: str) -> tuple[dict[str, Any], str]:
    """A household with one mistake, and the text the error line must contain."""
    data = household_data()
    if change == "unknown member":
        data["duties"][1]["eligible"] = ["alex", "bob"]
        return data, "duties[1] ('pickup').eligible[1]: unknown member 'bob'"
    if change == "unknown duty":
        data["members"]["sam"]["avoids"] = ["ironing"]
        return data, "members.sam.avoids[0]: unknown duty 'ironing'"
    if change == "invalid rrule":
        data["duties"][1]["recurrence"] = "FREQ=WEEKLY;BYDAY=MONDAY"
        return data, "duties[1] ('pickup').recurrence: invalid RRULE 'FREQ=WEEKLY;BYDAY=MONDAY'"
    if change == "unknown time zone":
        data["timezone"] = "Berlin"
        return data, "timezone: unknown time zone 'Berlin'"
    if change == "duration longer than window":
        data["duties"][2]["duration"] = 600
        return data, "duties[2] ('laundry'): duration 600 min is longer than its window"
    assert change == "duplicate id"
    data["duties"][1]["id"] = "dropoff"
    return data, "duties[1] ('dropoff').id: duplicate duty id 'dropoff'"


@pytest.mark.parametrize(
    "mistake",
    [
        "unknown member",
        "unknown duty",
        "invalid rrule",
        "unknown time zone",
        "duration longer than window",
        "duplicate id",
    ],
)
def test_a_mistake_in_the_household_file_is_one_line_and_exit_code_2(
    tmp_path: Path, mistake: str
) -> None:
    data, expected = _break(mistake)
    household = _household(tmp_path, data)
    result = _plan(str(household), "--start", "2026-11-23")
    _assert_one_line_error(result, str(household), expected)


def test_yaml_syntax_error_is_one_line_with_the_line_number(tmp_path: Path) -> None:
    household = tmp_path / "household.yaml"
    household.write_text("household: Test\nmembers:\n  alex: {name: Alex\n", encoding="utf-8")
    result = _plan(str(household), "--start", "2026-11-23")
    _assert_one_line_error(result, f"{household}, line 4", "YAML syntax error")


def test_malformed_calendar_names_the_member_and_the_calendar(tmp_path: Path) -> None:
    household = _household(tmp_path)
    (tmp_path / "alex-work.ics").write_text("this is not a calendar", encoding="utf-8")
    result = _plan(str(household), "--start", "2026-11-23")
    _assert_one_line_error(result, str(household), "members.alex.calendars[0]: alex-work.ics")


def test_missing_calendar_names_the_member_and_the_calendar(tmp_path: Path) -> None:
    household = _household(tmp_path)
    (tmp_path / "alex-work.ics").unlink()
    result = _plan(str(household), "--start", "2026-11-23")
    _assert_one_line_error(result, str(household), "members.alex.calendars[0]: alex-work.ics")
    assert "no such calendar file" in result.stderr


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--start", "23.11.2026", "--start: '23.11.2026' is not a date"),
        ("--weeks", "0", "--weeks: 0 is not a number of weeks"),
        ("--freeze", "-5", "--freeze: -5 is negative"),
        ("--now", "yesterday", "--now: 'yesterday' is not a date and time"),
    ],
)
def test_bad_option_is_one_line_and_exit_code_2(
    tmp_path: Path, option: str, value: str, expected: str
) -> None:
    args = {"--start": "2026-11-23", option: value}
    flat = [item for pair in args.items() for item in pair]
    result = _plan(str(_household(tmp_path)), *flat)
    _assert_one_line_error(result, option, expected)


def test_previous_that_is_not_a_plan_is_one_line_and_exit_code_2(tmp_path: Path) -> None:
    old = tmp_path / "old.json"
    old.write_text('{"busy": []}', encoding="utf-8")
    result = _plan(str(_household(tmp_path)), "--start", "2026-11-23", "--previous", str(old))
    _assert_one_line_error(result, "--previous", "is not a fairshare plan")


def _assert_one_line_error(result: Result, *expected: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    for text in expected:
        assert text in lines[0]


def test_demo_plans_the_example_household_and_writes_its_feeds(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = runner.invoke(app, ["demo", "--out", str(out)], terminal_width=160)
    assert result.exit_code == 0, result.output
    assert "The Rivera-Kim family" in result.stdout
    assert "Week 4: Mon 14 Dec - Sun 20 Dec" in result.stdout
    assert f"Feeds written to {out}" in result.stdout
    assert sorted(p.name for p in out.iterdir()) == [
        "alex.ics",
        "bea.ics",
        "household.ics",
        "nana.ics",
        "sam.ics",
    ]


def test_demo_suggests_a_command_that_runs_as_it_was_called(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [str(tmp_path / ".venv" / "bin" / "fairshare"), "demo"])
    result = runner.invoke(app, ["demo", "--out", str(tmp_path / "out")], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "Try `.venv/bin/fairshare plan " in result.stdout


@pytest.mark.parametrize(
    ("value", "why"),
    [("abc", "a valid number"), ("0", "greater than 0")],
)
def test_a_bad_setting_is_one_line_naming_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str, why: str
) -> None:
    monkeypatch.setenv("FAIRSHARE_SOLVER_TIME_LIMIT", value)
    get_settings.cache_clear()
    try:
        result = _plan(str(_household(tmp_path)), "--start", "2026-11-23", "--weeks", "1")
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert message.startswith(f"error: FAIRSHARE_SOLVER_TIME_LIMIT: '{value}' is not usable")
    assert why in message and "unset it for the default (30.0)" in message
    assert "\n" not in message and "Traceback" not in result.output
