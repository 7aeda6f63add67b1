"""Times in real exports: Google's X-WR-TIMEZONE, Outlook's Windows zone names, UTC, floating
times and DST. Each case is a file in tests/calendars/ named after what it exercises."""

from zoneinfo import ZoneInfo

from tests.scheduler.calendars.corpus import read_corpus, spans

NEW_YORK = ZoneInfo("America/New_York")


def test_google_utc_and_floating_times_are_read_in_the_calendars_x_wr_timezone() -> None:
    # The household lives in New York, but Alex's Google calendar says X-WR-TIMEZONE:Europe/Berlin:
    # the floating "Design review 10:00" is 10:00 in Berlin, and the weekly sync created in
    # October at 09:00 Berlin summer time (stored as 07:00 UTC) stays at 09:00 Berlin after DST.
    reading = read_corpus("google_x_wr_timezone_floating.ics", tz=NEW_YORK)

    assert spans(reading, ZoneInfo("Europe/Berlin")) == [
        ("Tue 24 Nov 09:00", "09:30", "Weekly sync (stored in UTC, meant in Berlin)"),
        ("Wed 25 Nov 10:00", "11:00", "Design review (floating time)"),
        ("Thu 26 Nov 14:15", "15:00", "Vendor call"),
        ("Tue 01 Dec 09:00", "09:30", "Weekly sync (stored in UTC, meant in Berlin)"),
    ]
    assert reading.warnings == []


def test_busy_times_are_given_in_the_household_zone() -> None:
    reading = read_corpus("google_x_wr_timezone_floating.ics", tz=NEW_YORK)

    assert {interval.start.tzinfo for interval in reading.intervals} == {NEW_YORK}
    assert reading.intervals[0].start.isoformat() == "2026-11-24T03:00:00-05:00"


def test_outlook_windows_zone_names_with_their_vtimezone_blocks() -> None:
    reading = read_corpus("outlook_windows_zone_names.ics")

    assert spans(reading) == [
        ("Tue 24 Nov 16:30", "18:00", "Quarterly numbers"),
        # 10:00 "Eastern Standard Time" is 16:00 in Berlin
        ("Wed 25 Nov 16:00", "17:00", "Call with New York office"),
    ]


def test_outlook_windows_zone_name_without_a_vtimezone_is_still_understood() -> None:
    reading = read_corpus("outlook_windows_zone_without_vtimezone.ics")

    assert spans(reading) == [("Fri 27 Nov 08:00", "09:15", "Budget meeting")]


def test_outlook_customized_time_zone_is_read_from_its_vtimezone() -> None:
    reading = read_corpus("outlook_custom_time_zone.ics")

    assert spans(reading) == [("Mon 30 Nov 15:00", "16:00", "Supplier audit")]


def test_utc_times_are_shown_in_local_time() -> None:
    reading = read_corpus("utc_times.ics")

    assert spans(reading) == [("Tue 24 Nov 07:30", "08:30", "Release call")]


def test_a_weekly_meeting_in_utc_keeps_its_utc_time_across_the_dst_change() -> None:
    # Without X-WR-TIMEZONE, UTC means UTC: 15:00Z is 17:00 in Berlin before 25 Oct, 16:00 after.
    reading = read_corpus("utc_times.ics", start="2026-10-19", end="2026-11-09")

    assert spans(reading) == [
        ("Wed 21 Oct 17:00", "18:00", "Global ops review"),
        ("Wed 28 Oct 16:00", "17:00", "Global ops review"),
        ("Wed 04 Nov 16:00", "17:00", "Global ops review"),
    ]


def test_floating_times_without_x_wr_timezone_are_read_in_the_household_zone() -> None:
    berlin = read_corpus("floating_times_household_zone.ics")
    new_york = read_corpus("floating_times_household_zone.ics", tz=NEW_YORK)

    expected = [
        ("Tue 24 Nov 07:00", "08:00", "Yoga"),
        ("Thu 26 Nov 19:00", "20:30", "Parent-teacher evening"),
        ("Tue 01 Dec 07:00", "08:00", "Yoga"),
    ]
    assert spans(berlin) == expected
    assert spans(new_york, NEW_YORK) == expected


def test_weekly_standup_keeps_its_local_time_across_both_dst_changes() -> None:
    autumn = read_corpus("dst_transition_weekly_standup.ics", start="2026-10-19", end="2026-11-02")
    spring = read_corpus("dst_transition_weekly_standup.ics", start="2027-03-22", end="2027-04-05")

    assert [i.start.isoformat() for i in autumn.intervals] == [
        "2026-10-19T09:15:00+02:00",
        "2026-10-26T09:15:00+01:00",
    ]
    assert [i.start.isoformat() for i in spring.intervals] == [
        "2027-03-22T09:15:00+01:00",
        "2027-03-29T09:15:00+02:00",
    ]
    assert spans(spring) == [
        ("Mon 22 Mar 09:15", "09:30", "Team standup"),
        ("Mon 29 Mar 09:15", "09:30", "Team standup"),
    ]


def test_unknown_x_wr_timezone_is_ignored_with_a_warning() -> None:
    reading = read_corpus("google_unknown_x_wr_timezone.ics")

    assert spans(reading) == [
        ("Tue 24 Nov 09:00", "10:00", "Floating meeting"),  # in the household's zone instead
        ("Wed 25 Nov 10:00", "11:00", "UTC meeting"),
    ]
    assert reading.warnings == [
        "google_unknown_x_wr_timezone.ics: ignored unknown X-WR-TIMEZONE 'Europe/Old_Berlin'; "
        "times without a zone are read in the household's zone"
    ]
