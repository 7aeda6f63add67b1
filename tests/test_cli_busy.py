"""`fairshare busy`: what a parent sees, and the one-line messages for input it cannot use."""

import json
import socket
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from scheduler.cli import app

CORPUS = Path(__file__).parent / "calendars"
WINDOW = ["--from", "2026-11-23", "--to", "2026-12-07", "--tz", "Europe/Berlin"]

runner = CliRunner()


def busy(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["busy", *args])
    return result.exit_code, result.stdout, result.stderr


def test_json_is_exactly_the_busy_list_with_iso_times_and_offsets() -> None:
    code, out, err = busy(
        str(CORPUS / "declined_invitation.ics"), *WINDOW, "--json", "--email", "alex@example.com"
    )

    assert code == 0, err
    assert json.loads(out) == {
        "busy": [
            {
                "start": "2026-11-24T10:00:00+01:00",
                "end": "2026-11-24T11:00:00+01:00",
                "summary": "Sprint planning",
            },
            {
                "start": "2026-11-25T16:00:00+01:00",
                "end": "2026-11-25T17:00:00+01:00",
                "summary": "Retro (not answered yet)",
            },
        ]
    }


def test_json_times_are_in_the_tz_given() -> None:
    code, out, _ = busy(
        str(CORPUS / "utc_times.ics"),
        "--from",
        "2026-11-23",
        "--to",
        "2026-11-30",
        "--tz",
        "America/New_York",
        "--json",
    )

    assert code == 0
    assert json.loads(out)["busy"][0]["start"] == "2026-11-24T01:30:00-05:00"


def test_table_groups_busy_time_by_local_day() -> None:
    code, out, _ = busy(str(CORPUS / "rrule_count_and_until.ics"), *WINDOW)

    assert code == 0
    rows = [
        [cell.strip() for cell in line.strip("│").split("│")]
        for line in out.splitlines()
        if line.startswith("│")
    ]
    assert rows == [
        ["Mon 23 Nov", "15:00", "16:00", "Onboarding session"],
        ["Tue 24 Nov", "15:00", "16:00", "Onboarding session"],
        ["", "18:00", "19:30", "Evening course"],
        ["Wed 25 Nov", "15:00", "16:00", "Onboarding session"],
        ["Tue 01 Dec", "18:00", "19:30", "Evening course"],
    ]


def test_without_from_and_to_it_shows_the_next_two_weeks(tmp_path: Path) -> None:
    today = datetime.now(ZoneInfo("Europe/Berlin")).date()
    events = {"Tomorrow's meeting": today + timedelta(days=1), "Later": today + timedelta(days=20)}
    calendar = tmp_path / "work.ics"
    calendar.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        + "".join(
            f"BEGIN:VEVENT\r\nUID:{day}@test\r\nDTSTART;TZID=Europe/Berlin:{day:%Y%m%d}T100000"
            f"\r\nDTEND;TZID=Europe/Berlin:{day:%Y%m%d}T110000\r\nSUMMARY:{summary}\r\n"
            "END:VEVENT\r\n"
            for summary, day in events.items()
        )
        + "END:VCALENDAR\r\n",
        encoding="utf-8",
    )

    code, out, err = busy(str(calendar), "--tz", "Europe/Berlin", "--json")

    assert code == 0, err
    assert [b["summary"] for b in json.loads(out)["busy"]] == ["Tomorrow's meeting"]


def test_without_to_it_shows_two_weeks_from_the_first_day() -> None:
    code, out, _ = busy(
        str(CORPUS / "rrule_count_and_until.ics"), "--from", "2026-11-24", "--tz", "Europe/Berlin"
    )

    assert code == 0
    assert "2026-11-24 to 2026-12-08" in out
    assert "Tue 01 Dec" in out


def test_empty_window_says_there_is_no_busy_time() -> None:
    code, out, _ = busy(
        str(CORPUS / "utc_times.ics"),
        "--from",
        "2027-01-04",
        "--to",
        "2027-01-11",
        "--tz",
        "Europe/Berlin",
    )

    assert code == 0
    assert "no busy time" in out


def test_broken_event_is_a_warning_on_stderr_and_the_rest_is_shown() -> None:
    code, out, err = busy(str(CORPUS / "one_broken_event.ics"), *WINDOW, "--json")

    assert code == 0
    assert [item["summary"] for item in json.loads(out)["busy"]] == [
        "Steering committee",
        "Quarterly review",
    ]
    assert "warning: " in err and "skipped event 'Offsite' (UID broken-start)" in err


def _assert_one_line_error(code: int, err: str, expected: str) -> None:
    assert code == 2
    assert err.strip() == f"error: {expected}"
    assert "Traceback" not in err


def test_missing_file(tmp_path: Path) -> None:
    missing = str(tmp_path / "work.ics")

    code, _, err = busy(missing, *WINDOW)

    _assert_one_line_error(
        code, err, f"{missing}: no such calendar file; check the path or export the calendar again"
    )


def test_file_that_is_not_a_calendar() -> None:
    source = str(CORPUS / "not_icalendar_html_login_page.ics")

    code, _, err = busy(source, *WINDOW)

    _assert_one_line_error(
        code,
        err,
        f"{source}: not an iCalendar file (it starts with '<!DOCTYPE html>'); export the "
        "calendar again as an .ics file (it starts with BEGIN:VCALENDAR)",
    )


def test_unknown_time_zone() -> None:
    code, _, err = busy(
        str(CORPUS / "utc_times.ics"),
        "--from",
        "2026-11-23",
        "--to",
        "2026-12-07",
        "--tz",
        "Europe/Berlinn",
    )

    _assert_one_line_error(
        code,
        err,
        "--tz: unknown time zone 'Europe/Berlinn'; use an IANA name such as 'Europe/Berlin' "
        "or 'America/New_York'",
    )


def test_to_before_from() -> None:
    code, _, err = busy(
        str(CORPUS / "utc_times.ics"),
        "--from",
        "2026-12-07",
        "--to",
        "2026-11-23",
        "--tz",
        "Europe/Berlin",
    )

    _assert_one_line_error(
        code,
        err,
        "--to: 2026-11-23 is not after --from 2026-12-07; --to is exclusive, so give a later "
        "day, e.g. --to 2026-12-14",
    )


@pytest.mark.parametrize("option", ["--from", "--to"])
def test_date_that_is_not_yyyy_mm_dd(option: str) -> None:
    args = {"--from": "2026-11-23", "--to": "2026-12-07"} | {option: "23.11.2026"}

    code, _, err = busy(
        str(CORPUS / "utc_times.ics"),
        "--from",
        args["--from"],
        "--to",
        args["--to"],
        "--tz",
        "Europe/Berlin",
    )

    _assert_one_line_error(
        code, err, f"{option}: '23.11.2026' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-23"
    )


def test_unreachable_url() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/work.ics"

    code, _, err = busy(url, *WINDOW)

    assert code == 2
    assert err.startswith(f"error: {url}: cannot fetch the calendar (")
    assert len(err.strip().splitlines()) == 1


def test_tz_is_required() -> None:
    code, _, err = busy(str(CORPUS / "utc_times.ics"), "--from", "2026-11-23", "--to", "2026-12-07")

    assert code == 2
    assert "--tz" in err
