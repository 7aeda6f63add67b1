"""Which events are free time: cancelled, transparent, Outlook's FREE/WORKINGELSEWHERE status,
and invitations the member declined. Everything else is busy."""

from tests.scheduler.calendars.corpus import read_corpus, spans


def test_transparent_and_cancelled_events_are_free_and_tentative_ones_busy() -> None:
    reading = read_corpus("transparent_and_cancelled.ics")

    assert spans(reading) == [
        ("Wed 25 Nov 12:30", "13:30", "Lunch with recruiter (tentative)"),
        ("Thu 26 Nov 15:00", "16:00", "Code review"),
    ]


def test_outlook_busy_status_decides_over_transp() -> None:
    # FREE and WORKINGELSEWHERE are free even with TRANSP:OPAQUE; BUSY is busy even with
    # TRANSP:TRANSPARENT; TENTATIVE and OOF (out of office) are busy.
    reading = read_corpus("outlook_cdo_busystatus.ics")

    assert spans(reading) == [
        ("Wed 25 Nov 14:00", "16:00", "Client workshop"),
        ("Thu 26 Nov 08:00", "09:00", "Maybe: hiring panel"),
        ("Fri 27 Nov 07:00", "08:30", "Dentist"),
    ]


def test_declined_meeting_is_not_busy_for_the_member_who_declined_it() -> None:
    # The attendee is written "mailto:Alex@Example.com"; the member gives "ALEX@example.com ".
    reading = read_corpus("declined_invitation.ics", email="ALEX@example.com ")

    assert spans(reading) == [
        ("Tue 24 Nov 10:00", "11:00", "Sprint planning"),
        ("Wed 25 Nov 16:00", "17:00", "Retro (not answered yet)"),
    ]


def test_email_may_be_given_with_mailto() -> None:
    reading = read_corpus("declined_invitation.ics", email="mailto:alex@example.com")

    assert "Breakfast briefing" not in [interval.summary for interval in reading.intervals]


def test_someone_elses_decline_or_no_email_keeps_the_meeting_busy() -> None:
    # Kim declined the sprint planning, not Alex; without --email nobody's declines are known.
    as_kim = read_corpus("declined_invitation.ics", email="kim@example.com")
    anonymous = read_corpus("declined_invitation.ics")

    assert [row[2] for row in spans(as_kim)] == ["Breakfast briefing", "Retro (not answered yet)"]
    assert [row[2] for row in spans(anonymous)] == [
        "Breakfast briefing",
        "Sprint planning",
        "Retro (not answered yet)",
    ]


def test_an_event_without_an_end_blocks_no_time() -> None:
    # RFC 5545: a timed event without DTEND or DURATION ends when it starts (a deadline).
    reading = read_corpus("reminder_without_end.ics")

    assert spans(reading) == [("Wed 25 Nov 13:00", "14:00", "All-hands")]


def test_a_repeated_status_or_transp_counts_if_any_copy_says_free() -> None:
    reading = read_corpus("repeated_status_and_transp.ics")

    assert spans(reading) == [("Thu 26 Nov 09:00", "11:00", "Customer visit")]
