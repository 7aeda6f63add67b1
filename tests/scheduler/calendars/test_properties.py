"""Invariants of every busy reading, on calendars generated with icalendar (hypothesis)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import example, given, settings
from hypothesis import strategies as st
from icalendar import Alarm, Calendar, Event, vCalAddress, vRecur

from scheduler.calendars import busy
from scheduler.calendars.busy import BusyReading, busy_intervals_from_ics
from tests.scheduler.calendars.corpus import CORPUS

ME = "alex@example.com"
WINDOW_START = datetime(2026, 11, 23, tzinfo=ZoneInfo("Europe/Berlin"))
WINDOW_END = datetime(2026, 12, 7, tzinfo=ZoneInfo("Europe/Berlin"))
ZONES = [ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York"), ZoneInfo("Asia/Kolkata")]


@dataclass(frozen=True)
class GeneratedEvent:
    start: datetime
    minutes: int
    zone: str  # "tz", "utc", "floating" or "all-day"
    rule: str | None
    free_because: str | None  # None, "declined", "cancelled", "transparent", "cdo-free"
    me_declined_as_upper_case: bool
    first_instance_moved_by: int | None  # minutes; recurring events only
    duration_instead_of_end: bool


def generated_events(
    days: st.SearchStrategy[int],
    minutes: st.SearchStrategy[int],
    moves: st.SearchStrategy[int | None],
) -> st.SearchStrategy[GeneratedEvent]:
    """Events starting ``days`` after the window's first day (23 Nov), lasting ``minutes``."""
    return st.builds(
        GeneratedEvent,
        start=st.builds(
            lambda day, minute: datetime(2026, 11, 23) + timedelta(days=day, minutes=minute),
            days,
            st.integers(min_value=0, max_value=24 * 60 - 1),
        ),
        minutes=minutes,
        zone=st.sampled_from(["tz", "utc", "floating", "all-day"]),
        rule=st.sampled_from([None, None, "FREQ=DAILY;COUNT=5", "FREQ=WEEKLY;BYDAY=MO,TH"]),
        free_because=st.sampled_from(
            [None, None, "declined", "cancelled", "transparent", "cdo-free"]
        ),
        me_declined_as_upper_case=st.booleans(),
        first_instance_moved_by=moves,
        duration_instead_of_end=st.booleans(),
    )


DAY = 24 * 60
events = generated_events(
    st.integers(min_value=-30, max_value=45),
    st.integers(min_value=0, max_value=3 * DAY),
    st.one_of(st.none(), st.integers(min_value=-40 * DAY, max_value=40 * DAY)),
)
# Events on and around the window's edges (day 0 and day 14), and instances moved across them.
edge_events = generated_events(
    st.sampled_from([-3, -2, -1, 0, 1, 13, 14, 15, 16]),
    st.sampled_from([0, 15, 60, 10 * 60, DAY, 2 * DAY + 30]),
    st.sampled_from([None, -16 * DAY, -14 * DAY, -DAY, DAY, 14 * DAY, 16 * DAY]),
)


def calendar_text(generated: list[GeneratedEvent], tz: ZoneInfo) -> str:
    """A calendar as exports write it: alarms, long descriptions, other people's answers."""
    calendar = Calendar()
    calendar.add("prodid", "-//fairshare tests//hypothesis//EN")
    calendar.add("version", "2.0")
    for number, item in enumerate(generated):
        start: date | datetime = {
            "tz": item.start.replace(tzinfo=tz),
            "utc": item.start.replace(tzinfo=UTC),
            "floating": item.start,
            "all-day": item.start.date(),
        }[item.zone]
        event = _event(item, number, start, f"{item.free_because or 'busy'} {number}")
        if item.rule:
            event.add("rrule", vRecur.from_ical(item.rule))
            if item.first_instance_moved_by is not None:
                moved = _event(
                    item,
                    number,
                    start + _shift(item, item.first_instance_moved_by),
                    f"{item.free_because or 'busy'} {number} (moved)",
                )
                moved.add("recurrence-id", start)
                calendar.add_component(moved)
        calendar.add_component(event)
    return calendar.to_ical().decode()


def _shift(item: GeneratedEvent, minutes: int) -> timedelta:
    if item.zone == "all-day":
        return timedelta(days=minutes // (24 * 60))
    return timedelta(minutes=minutes)


def _event(item: GeneratedEvent, number: int, start: date | datetime, summary: str) -> Event:
    event = Event()
    event.add("uid", f"event-{number}")
    event.add("dtstamp", datetime(2026, 11, 1, tzinfo=UTC))
    event.add("summary", summary)
    event.add("description", "Join the call: https://meet.example.com/abc-defg-hij " * 4)
    event.add("dtstart", start)
    length = (
        _shift(item, item.minutes + 24 * 60)
        if item.zone == "all-day"
        else _shift(item, item.minutes)
    )
    if item.duration_instead_of_end:
        event.add("duration", length)
    else:
        event.add("dtend", start + length)
    if item.free_because == "cancelled":
        event.add("status", "CANCELLED")
    elif item.free_because == "transparent":
        event.add("transp", "TRANSPARENT")
    elif item.free_because == "cdo-free":
        event.add("x-microsoft-cdo-busystatus", "FREE")
    else:
        event.add("status", "CONFIRMED")
        event.add("transp", "OPAQUE")
    me = vCalAddress("mailto:" + (ME.upper() if item.me_declined_as_upper_case else ME))
    me.params["PARTSTAT"] = "DECLINED" if item.free_because == "declined" else "ACCEPTED"
    event.add("attendee", me, encode=False)
    colleague = vCalAddress("mailto:kim@example.com")
    colleague.params["PARTSTAT"] = "DECLINED"
    event.add("attendee", colleague, encode=False)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("summary", "Reminder")
    alarm.add("trigger", timedelta(minutes=-10))
    event.add_component(alarm)
    return event


def read(generated: list[GeneratedEvent], tz: ZoneInfo) -> BusyReading:
    return busy_intervals_from_ics(
        calendar_text(generated, tz),
        window_start=WINDOW_START,
        window_end=WINDOW_END,
        default_tz=tz,
        email=ME,
    )


@settings(max_examples=60, deadline=None)
@given(generated=st.lists(events, max_size=12), tz=st.sampled_from(ZONES))
def test_busy_time_is_sorted_inside_the_window_and_never_empty(
    generated: list[GeneratedEvent], tz: ZoneInfo
) -> None:
    reading = read(generated, tz)

    assert reading.intervals == sorted(reading.intervals)
    for interval in reading.intervals:
        assert WINDOW_START <= interval.start < interval.end <= WINDOW_END
        assert interval.start.tzinfo == tz
    assert reading.warnings == []


@settings(max_examples=60, deadline=None)
@given(generated=st.lists(events, max_size=12), tz=st.sampled_from(ZONES))
def test_declined_cancelled_and_free_events_never_appear(
    generated: list[GeneratedEvent], tz: ZoneInfo
) -> None:
    reading = read(generated, tz)

    assert all(interval.summary.startswith("busy ") for interval in reading.intervals)


def _edge(
    start: datetime, zone: str, rule: str | None = None, moved: int | None = None
) -> GeneratedEvent:
    return GeneratedEvent(start, 60, zone, rule, None, False, moved, False)


@settings(max_examples=150, deadline=None)
@given(generated=st.lists(edge_events, max_size=12), tz=st.sampled_from(ZONES))
# the cases that matter most, kept even when generation misses them:
@example(  # an instance in the window moved out of it by an override
    [_edge(datetime(2026, 11, 23, 10), "tz", "FREQ=DAILY;COUNT=5", -16 * DAY)], ZONES[0]
)
@example(  # an instance outside the window moved into it
    [_edge(datetime(2026, 11, 9, 10), "tz", "FREQ=DAILY;COUNT=5", 16 * DAY)], ZONES[0]
)
@example(  # ends 22 Nov 23:45 UTC, already 23 Nov (the window) in Berlin
    [_edge(datetime(2026, 11, 22, 22, 45), "utc")], ZONES[0]
)
@example(  # a five-day event given by DURATION, starting before the window
    [GeneratedEvent(datetime(2026, 11, 19), 4 * DAY, "all-day", None, None, False, None, True)],
    ZONES[0],
)
def test_reading_only_what_can_be_busy_gives_the_same_as_reading_everything(
    generated: list[GeneratedEvent], tz: ZoneInfo
) -> None:
    # The pre-parse cut (prefilter.py) must never change a reading; busy._read is the reading of
    # the full text without it.
    text = calendar_text(generated, tz)

    fast = busy_intervals_from_ics(
        text, window_start=WINDOW_START, window_end=WINDOW_END, default_tz=tz, email=ME
    )
    full = busy._read(text, WINDOW_START, WINDOW_END, tz, ME, "calendar")

    assert fast == full


@settings(max_examples=60, deadline=None)
@given(item=events, tz=st.sampled_from(ZONES))
def test_a_single_busy_meeting_inside_the_window_appears_exactly_as_written(
    item: GeneratedEvent, tz: ZoneInfo
) -> None:
    meeting = GeneratedEvent(
        start=datetime(2026, 11, 25, 7, 30) + timedelta(minutes=item.minutes % 600),
        minutes=1 + item.minutes % 240,
        zone="tz",
        rule=None,
        free_because=None,
        me_declined_as_upper_case=False,
        first_instance_moved_by=None,
        duration_instead_of_end=item.duration_instead_of_end,
    )

    reading = read([meeting], tz)

    start = meeting.start.replace(tzinfo=tz)
    assert [(i.start, i.end) for i in reading.intervals] == [
        (start, start + timedelta(minutes=meeting.minutes))
    ]


def test_every_readable_corpus_calendar_gives_sorted_busy_time_inside_the_window() -> None:
    unreadable = {"not_icalendar_html_login_page.ics", "truncated_download.ics"}
    window_start = datetime(2026, 10, 1, tzinfo=ZoneInfo("Europe/Berlin"))
    window_end = datetime(2027, 4, 1, tzinfo=ZoneInfo("Europe/Berlin"))
    for path in sorted(CORPUS.glob("*.ics")):
        if path.name in unreadable:
            continue
        reading = busy_intervals_from_ics(
            path.read_text(encoding="utf-8"),
            window_start=window_start,
            window_end=window_end,
            default_tz=ZoneInfo("Europe/Berlin"),
            email=ME,
            source=path.name,
        )
        assert reading.intervals, path.name
        assert reading.intervals == sorted(reading.intervals), path.name
        assert all(window_start <= i.start < i.end <= window_end for i in reading.intervals)
