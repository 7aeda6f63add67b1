"""Recurring meetings as real exports write them: RRULE with COUNT/UNTIL, RDATE, EXDATE and
RECURRENCE-ID overrides that move or cancel one instance."""

from tests.scheduler.calendars.corpus import read_corpus, spans


def test_moved_instance_is_busy_at_its_new_time_and_cancelled_or_excluded_ones_are_free() -> None:
    # Mondays 08:00 1:1: 23 Nov moved to Tue 14:00, 30 Nov cancelled, 7 Dec removed by EXDATE.
    reading = read_corpus("recurrence_id_moved_and_cancelled.ics", end="2026-12-15")

    assert spans(reading) == [
        ("Tue 24 Nov 14:00", "14:30", "1:1 with Jordan (moved to Tuesday)"),
        ("Mon 14 Dec 08:00", "08:30", "1:1 with Jordan"),
    ]


def test_count_and_until_end_a_series_and_until_is_inclusive() -> None:
    reading = read_corpus("rrule_count_and_until.ics", end="2026-12-14")

    assert spans(reading) == [
        ("Mon 23 Nov 15:00", "16:00", "Onboarding session"),
        ("Tue 24 Nov 15:00", "16:00", "Onboarding session"),
        ("Tue 24 Nov 18:00", "19:30", "Evening course"),
        ("Wed 25 Nov 15:00", "16:00", "Onboarding session"),
        # UNTIL 1 Dec 17:00 UTC is exactly 18:00 in Berlin: the last course is on 1 Dec.
        ("Tue 01 Dec 18:00", "19:30", "Evening course"),
    ]


def test_rdate_adds_instances_with_the_events_duration() -> None:
    reading = read_corpus("rdate_extra_instances.ics", end="2026-12-21")

    assert spans(reading) == [
        ("Mon 23 Nov 09:00", "11:00", "Board meeting"),
        ("Thu 03 Dec 14:00", "16:00", "Board meeting"),
        ("Thu 17 Dec 09:00", "11:00", "Board meeting"),
    ]
