"""The partners' work calendars in examples/, which the README's demo plans around, read as the
story they tell: Alex's early meetings and conference, Sam's late meetings and business trip."""

from pathlib import Path

import pytest

from scheduler.calendars.busy import BusyReading, busy_intervals_from_ics
from tests.scheduler.calendars.corpus import BERLIN, local_midnight, spans

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def read_example(name: str, email: str | None) -> BusyReading:
    return busy_intervals_from_ics(
        (EXAMPLES / name).read_text(encoding="utf-8"),
        window_start=local_midnight("2026-11-23"),
        window_end=local_midnight("2027-01-04"),
        default_tz=BERLIN,
        email=email,
        source=name,
    )


@pytest.fixture(scope="module")
def alex() -> list[tuple[str, str, str]]:
    reading = read_example("alex-work.ics", "alex@example.com")
    assert reading.warnings == []
    return spans(reading)


@pytest.fixture(scope="module")
def sam() -> list[tuple[str, str, str]]:
    reading = read_example("sam-work.ics", "sam@example.com")
    assert reading.warnings == []
    return spans(reading)


def test_alex_has_early_meetings_during_the_school_drop_off(
    alex: list[tuple[str, str, str]],
) -> None:
    early = [row for row in alex if row[0].endswith(("07:00", "07:30", "08:00"))]

    assert early == [
        ("Tue 24 Nov 07:00", "08:00", "Singapore team sync"),
        ("Tue 01 Dec 07:00", "08:30", "Board prep"),
        ("Fri 04 Dec 08:00", "08:30", "1:1 Jordan / Alex (moved, early)"),
        ("Tue 08 Dec 07:00", "08:00", "Singapore team sync"),
        ("Wed 09 Dec 07:30", "08:15", "Incident review (early)"),
        ("Tue 22 Dec 07:00", "08:00", "Singapore team sync"),
    ]


def test_alex_is_away_all_day_at_the_conference_and_the_1_1_moved(
    alex: list[tuple[str, str, str]],
) -> None:
    assert ("Thu 03 Dec 00:00", "Fri 04 Dec 00:00", "DevConf Munich (all day)") in alex
    assert not any(
        row[2] == "1:1 Jordan / Alex" and row[0].startswith("Thu 03 Dec") for row in alex
    )
    assert not any(row[0].startswith(("Thu 24 Dec", "Fri 25 Dec")) for row in alex)  # EXDATEs


def test_alex_declined_the_late_sales_sync_and_focus_time_is_free(
    alex: list[tuple[str, str, str]],
) -> None:
    summaries = {row[2] for row in alex}
    assert "Late sales sync (declined)" not in summaries
    assert "Focus time (shown as free)" not in summaries
    without_email = read_example("alex-work.ics", None)
    assert "Late sales sync (declined)" in {i.summary for i in without_email.intervals}


def test_sam_has_late_meetings_during_the_afternoon_pick_up(
    sam: list[tuple[str, str, str]],
) -> None:
    late = [row for row in sam if row[0].endswith(("16:00", "16:30"))]

    assert late == [
        ("Tue 24 Nov 16:30", "17:30", "Weekly project sync"),
        ("Tue 01 Dec 16:30", "17:30", "Weekly project sync"),
        ("Thu 03 Dec 16:00", "17:30", "Client call (Boston)"),
        ("Tue 08 Dec 16:30", "17:30", "Weekly project sync"),
        ("Thu 17 Dec 16:00", "17:30", "Client call (Boston)"),
        ("Tue 22 Dec 16:30", "17:30", "Weekly project sync"),
    ]


def test_sams_business_trip_blocks_two_days_and_free_statuses_do_not(
    sam: list[tuple[str, str, str]],
) -> None:
    summaries = {row[2] for row in sam}
    assert (
        "Thu 10 Dec 06:00",
        "Fri 11 Dec 21:00",
        "Business trip: client workshop Hamburg",
    ) in sam
    assert ("Mon 30 Nov 15:30", "17:00", "Supplier review") in sam  # CDO BUSY over TRANSP
    assert summaries.isdisjoint(
        {"Focus block", "Working from home", "Canceled: Quarterly planning"}
    )
