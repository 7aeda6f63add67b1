"""A calendar with broken events still yields the rest; text that is not iCalendar is an error
that names the calendar."""

import pytest

from scheduler.calendars.busy import busy_intervals_from_ics
from scheduler.errors import CalendarFormatError
from tests.scheduler.calendars.corpus import BERLIN, CORPUS, local_midnight, read_corpus, spans


def test_one_broken_event_is_skipped_with_a_warning_and_the_rest_is_read() -> None:
    reading = read_corpus("one_broken_event.ics")

    assert spans(reading) == [
        ("Mon 23 Nov 10:00", "11:00", "Steering committee"),
        ("Fri 27 Nov 14:00", "15:00", "Quarterly review"),
    ]
    assert len(reading.warnings) == 4
    offsite, time_travel, sometimes, no_start = reading.warnings
    assert offsite.startswith("one_broken_event.ics: skipped event 'Offsite' (UID broken-start)")
    assert "DTSTART" in offsite
    assert "'Time travel' (UID ends-before-start): it ends" in time_travel
    assert "'Sometimes meeting' (UID broken-rule): RRULE" in sometimes
    assert no_start.endswith("'Floating idea' (UID no-start): it has no DTSTART")


def test_html_instead_of_a_calendar_is_an_error_naming_the_source() -> None:
    with pytest.raises(CalendarFormatError) as raised:
        read_corpus("not_icalendar_html_login_page.ics")

    assert str(raised.value) == (
        "not_icalendar_html_login_page.ics: not an iCalendar file (it starts with "
        "'<!DOCTYPE html>'); export the calendar again as an .ics file "
        "(it starts with BEGIN:VCALENDAR)"
    )


def test_a_cut_off_download_is_an_error_not_an_empty_calendar() -> None:
    with pytest.raises(CalendarFormatError, match=r"^truncated_download\.ics: .*incomplete"):
        read_corpus("truncated_download.ics")


def test_a_rule_that_would_repeat_forever_is_skipped_instead_of_hanging() -> None:
    reading = read_corpus("rrule_interval_zero.ics")

    assert spans(reading) == [("Tue 24 Nov 10:00", "11:00", "Planning")]
    assert reading.warnings == [
        "rrule_interval_zero.ics: skipped event 'Endless sync' (UID interval-zero): "
        "RRULE INTERVAL must be at least 1 (got 'FREQ=WEEKLY;INTERVAL=0')"
    ]


def test_a_series_the_recurrence_library_rejects_is_skipped_alone() -> None:
    reading = read_corpus("rrule_rejected_by_recurrence_library.ics")

    assert spans(reading) == [
        ("Mon 23 Nov 08:30", "08:45", "Daily check-in"),
        ("Tue 24 Nov 08:30", "08:45", "Daily check-in"),
    ]
    assert len(reading.warnings) == 1
    assert reading.warnings[0].startswith(
        "rrule_rejected_by_recurrence_library.ics: skipped event 'Impossible hour' (UID hour-25): "
    )


def test_an_override_with_a_broken_recurrence_id_is_skipped_and_the_series_stays() -> None:
    reading = read_corpus("broken_recurrence_id_override.ics")

    assert spans(reading) == [
        ("Mon 23 Nov 16:00", "17:00", "Weekly review"),
        ("Mon 30 Nov 16:00", "17:00", "Weekly review"),
    ]
    assert reading.warnings[0].startswith(
        "broken_recurrence_id_override.ics: skipped event 'Weekly review (moved)' "
        "(UID weekly-review, one instance): RECURRENCE-ID cannot be read"
    )


def test_an_empty_file_is_an_error_naming_the_source() -> None:
    with pytest.raises(CalendarFormatError, match=r"^work\.ics: the calendar is empty; export"):
        busy_intervals_from_ics(
            "  \r\n",
            window_start=local_midnight("2026-11-23"),
            window_end=local_midnight("2026-11-30"),
            default_tz=BERLIN,
            source="work.ics",
        )


def test_bytes_with_a_byte_order_mark_are_read_like_text() -> None:
    text = (CORPUS / "utc_times.ics").read_text(encoding="utf-8")

    reading = busy_intervals_from_ics(
        b"\xef\xbb\xbf" + text.encode(),
        window_start=local_midnight("2026-11-23"),
        window_end=local_midnight("2026-11-30"),
        default_tz=BERLIN,
    )

    assert spans(reading) == [("Tue 24 Nov 07:30", "08:30", "Release call")]
