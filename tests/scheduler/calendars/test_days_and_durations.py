"""All-day and multi-day events, DURATION instead of DTEND, events across midnight and across the
window's edges."""

from zoneinfo import ZoneInfo

from tests.scheduler.calendars.corpus import read_corpus, spans


def test_all_day_events_block_whole_local_days() -> None:
    reading = read_corpus("all_day_and_multi_day.ics")

    assert spans(reading) == [
        ("Tue 24 Nov 00:00", "Wed 25 Nov 00:00", "Company holiday"),
        # an all-day event without DTEND lasts that one day
        ("Fri 27 Nov 00:00", "Sat 28 Nov 00:00", "Inventory day"),
        ("Wed 02 Dec 00:00", "Fri 04 Dec 00:00", "Tech conference"),
    ]


def test_all_day_events_follow_the_households_zone() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")

    reading = read_corpus("all_day_and_multi_day.ics", tz=tokyo)

    assert reading.intervals[0].start.isoformat() == "2026-11-24T00:00:00+09:00"
    assert reading.intervals[0].end.isoformat() == "2026-11-25T00:00:00+09:00"


def test_duration_instead_of_dtend() -> None:
    reading = read_corpus("duration_instead_of_dtend.ics")

    assert spans(reading) == [
        ("Mon 23 Nov 16:15", "17:00", "Interview"),
        ("Tue 24 Nov 17:00", "18:30", "Mentoring"),
        ("Thu 26 Nov 00:00", "Sat 28 Nov 00:00", "Training (two days)"),
        ("Tue 01 Dec 17:00", "18:30", "Mentoring"),
    ]


def test_events_across_midnight_and_across_zones() -> None:
    reading = read_corpus("event_across_midnight.ics")

    assert spans(reading) == [
        ("Wed 25 Nov 22:00", "Thu 26 Nov 02:00", "Night deployment"),
        # leaves New York at 18:00 (midnight in Berlin), lands in Berlin at 07:30
        ("Sat 28 Nov 00:00", "07:30", "Red-eye flight home"),
    ]


def test_events_crossing_the_windows_edges_are_clipped_to_it() -> None:
    reading = read_corpus("event_crossing_window_edge.ics", end="2026-11-30")

    assert spans(reading) == [
        ("Mon 23 Nov 00:00", "12:00", "Trip to Lisbon"),
        ("Sun 29 Nov 23:00", "Mon 30 Nov 00:00", "Late call with Sydney"),
    ]
