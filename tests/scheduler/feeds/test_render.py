"""Feeds as a subscriber's calendar app reads them: parsed back with icalendar and
recurring-ical-events, never compared as text."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import recurring_ical_events
from icalendar import Calendar

from scheduler.feeds.render import (
    feed_etag,
    render_household_feed,
    render_member_feed,
    write_feeds,
)
from scheduler.solver.plan import Assignment, MemberLoad, Plan, PlanMember, Unassigned

BERLIN = ZoneInfo("Europe/Berlin")
GENERATED = datetime(2026, 11, 22, 18, 0, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=BERLIN)


def assignment(
    duty: str, name: str, start: datetime, minutes: int, member: str, **kw: object
) -> Assignment:
    return Assignment(
        duty=duty,
        name=name,
        day=start.date(),
        start=start,
        end=start + timedelta(minutes=minutes),
        member=member,
        reason=kw.pop("reason", "Alex owns it"),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def make_plan(assignments: list[Assignment], unassigned: list[Unassigned] = []) -> Plan:  # noqa: B006
    return Plan(
        household="The Rivera-Kim family",
        timezone="Europe/Berlin",
        start=at(23, 0),
        end=at(7, 0, month=12),
        members=[
            PlanMember(id="alex", name="Alex", role="partner"),
            PlanMember(id="sam", name="Sam", role="partner"),
        ],
        assignments=assignments,
        unassigned=unassigned,
        load={
            "alex": MemberLoad(minutes=30, weighted=30, share=50.0),
            "sam": MemberLoad(minutes=30, weighted=30, share=50.0),
        },
    )


DROP_OFF = assignment("drop-off", "School drop-off", at(24, 7, 30), 30, "alex")
PICK_UP = assignment("pick-up", "School pick-up", at(24, 17, 0), 30, "sam", reason="Sam owns it")


def events(body: bytes) -> list[dict[str, object]]:
    calendar = Calendar.from_ical(body)
    found = recurring_ical_events.of(calendar).between(date(2026, 11, 1), date(2027, 1, 1))
    return [
        {
            "uid": str(e["UID"]),
            "summary": str(e["SUMMARY"]),
            "start": e["DTSTART"].dt,
            "end": e["DTEND"].dt,
            "description": str(e["DESCRIPTION"]),
            "sequence": int(e["SEQUENCE"]),
            "transp": str(e["TRANSP"]),
        }
        for e in found
    ]


def test_member_feed_holds_only_their_duties_at_local_times() -> None:
    body = render_member_feed(make_plan([DROP_OFF, PICK_UP]), "alex", generated_at=GENERATED)
    [event] = events(body)
    assert event["summary"] == "School drop-off"
    assert event["start"] == at(24, 7, 30)
    assert event["start"].tzinfo is not None  # type: ignore[attr-defined]
    assert str(event["start"].tzinfo) == "Europe/Berlin"  # type: ignore[attr-defined]
    assert event["end"] == at(24, 8, 0)
    assert event["transp"] == "OPAQUE"
    assert "Owner: Alex" in str(event["description"])
    assert "Alex owns it" in str(event["description"])


def test_household_feed_names_each_owner_and_what_nobody_can_do() -> None:
    nobody = Unassigned(
        duty="bath",
        name="Bath & bedtime",
        day=date(2026, 11, 25),
        start=at(25, 19),
        end=at(25, 19, 45),
        reason="Wed 25 Nov 19:00 Bath & bedtime: Alex busy (Flight 17:00-23:00), Sam busy (Gala)",
    )
    body = render_household_feed(make_plan([DROP_OFF, PICK_UP], [nobody]), generated_at=GENERATED)
    summaries = {str(e["summary"]) for e in events(body)}
    assert summaries == {
        "School drop-off (Alex)",
        "School pick-up (Sam)",
        "Nobody can do: Bath & bedtime",
    }
    assert all(e["transp"] == "TRANSPARENT" for e in events(body))


def test_feed_carries_calendar_properties_clients_read() -> None:
    calendar = Calendar.from_ical(
        render_member_feed(make_plan([DROP_OFF]), "alex", generated_at=GENERATED)
    )
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"])
    assert str(calendar["X-WR-CALNAME"]) == "Alex's duties - The Rivera-Kim family"
    assert str(calendar["NAME"]) == "Alex's duties - The Rivera-Kim family"
    assert calendar["REFRESH-INTERVAL"].dt == timedelta(hours=1)
    # RFC 7986 5.7 requires the value type on REFRESH-INTERVAL (it has no default).
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT1H"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    [event] = calendar.walk("VEVENT")
    assert event["DTSTAMP"].dt == GENERATED


def test_uid_is_stable_across_replans_and_sequence_follows_the_plan() -> None:
    first = events(render_member_feed(make_plan([DROP_OFF]), "alex", generated_at=GENERATED))
    moved = assignment("drop-off", "School drop-off", at(24, 7, 30), 30, "sam", sequence=1)
    second = events(render_member_feed(make_plan([moved]), "sam", generated_at=GENERATED))
    assert first[0]["uid"] == second[0]["uid"]
    assert (first[0]["sequence"], second[0]["sequence"]) == (0, 1)


def test_occurrences_on_different_days_get_different_uids() -> None:
    tomorrow = assignment("drop-off", "School drop-off", at(25, 7, 30), 30, "alex")
    feed = events(
        render_member_feed(make_plan([DROP_OFF, tomorrow]), "alex", generated_at=GENERATED)
    )
    assert len({e["uid"] for e in feed}) == 2


def test_etag_changes_with_content_only() -> None:
    plan = make_plan([DROP_OFF, PICK_UP])
    one = render_household_feed(plan, generated_at=GENERATED)
    again = render_household_feed(plan, generated_at=GENERATED)
    other = render_household_feed(make_plan([DROP_OFF]), generated_at=GENERATED)
    assert feed_etag(one) == feed_etag(again)
    assert feed_etag(one) != feed_etag(other)


def test_lines_are_folded_to_75_octets() -> None:
    long_reason = "Alex busy (" + "Quarterly planning with the extended leadership team " * 4 + ")"
    item = assignment("drop-off", "School drop-off", at(24, 7, 30), 30, "sam", reason=long_reason)
    body = render_member_feed(make_plan([item]), "sam", generated_at=GENERATED)
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    assert long_reason in str(events(body)[0]["description"])


def test_write_feeds_writes_one_file_per_member_and_the_household(tmp_path: Path) -> None:
    paths = write_feeds(make_plan([DROP_OFF, PICK_UP]), tmp_path / "feeds", generated_at=GENERATED)
    assert sorted(p.name for p in paths) == ["alex.ics", "household.ics", "sam.ics"]
    assert sorted(p.name for p in (tmp_path / "feeds").iterdir()) == sorted(p.name for p in paths)
    assert len(events((tmp_path / "feeds" / "sam.ics").read_bytes())) == 1
