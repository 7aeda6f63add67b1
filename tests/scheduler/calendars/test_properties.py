"""Invariants of every busy reading, on calendars generated with icalendar (hypothesis)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Event, vCalAddress, vRecur

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


events = st.builds(
    GeneratedEvent,
    start=st.datetimes(min_value=datetime(2026, 11, 1), max_value=datetime(2026, 12, 31)).map(
        lambda value: value.replace(second=0, microsecond=0)
    ),
    minutes=st.integers(min_value=0, max_value=3 * 24 * 60),
    zone=st.sampled_from(["tz", "utc", "floating", "all-day"]),
    rule=st.sampled_from([None, None, "FREQ=DAILY;COUNT=5", "FREQ=WEEKLY;BYDAY=MO,TH"]),
    free_because=st.sampled_from([None, None, "declined", "cancelled", "transparent", "cdo-free"]),
    me_declined_as_upper_case=st.booleans(),
)


def calendar_text(generated: list[GeneratedEvent], tz: ZoneInfo) -> str:
    calendar = Calendar()
    calendar.add("prodid", "-//fairshare tests//hypothesis//EN")
    calendar.add("version", "2.0")
    for number, item in enumerate(generated):
        event = Event()
        event.add("uid", f"event-{number}")
        event.add("dtstamp", datetime(2026, 11, 1, tzinfo=UTC))
        event.add("summary", f"{item.free_because or 'busy'} {number}")
        if item.zone == "all-day":
            first_day: date = item.start.date()
            event.add("dtstart", first_day)
            event.add("dtend", first_day + timedelta(days=1 + item.minutes // (24 * 60)))
        else:
            start = {
                "tz": item.start.replace(tzinfo=tz),
                "utc": item.start.replace(tzinfo=UTC),
                "floating": item.start,
            }[item.zone]
            event.add("dtstart", start)
            event.add("dtend", start + timedelta(minutes=item.minutes))
        if item.rule:
            event.add("rrule", vRecur.from_ical(item.rule))
        if item.free_because == "cancelled":
            event.add("status", "CANCELLED")
        elif item.free_because == "transparent":
            event.add("transp", "TRANSPARENT")
        elif item.free_because == "cdo-free":
            event.add("x-microsoft-cdo-busystatus", "FREE")
        attendee = vCalAddress("mailto:" + (ME.upper() if item.me_declined_as_upper_case else ME))
        attendee.params["PARTSTAT"] = "DECLINED" if item.free_because == "declined" else "ACCEPTED"
        event.add("attendee", attendee, encode=False)
        calendar.add_component(event)
    return calendar.to_ical().decode()


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
