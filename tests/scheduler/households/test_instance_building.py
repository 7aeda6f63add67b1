"""From a household file to the solver's instance: recurrence, local times, windows, helpers."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from scheduler.households.file import parse_household
from scheduler.households.instance import build_instance
from scheduler.intervals import BusyInterval
from scheduler.solver.instance import Instance, Member
from scheduler.solver.plan import Assignment, CoverageProof, Plan, PlanMember
from tests.scheduler.households.household_data import household_data

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = date(2026, 11, 23)


def _instance(
    data: dict[str, Any], start: date = MONDAY, weeks: int = 1, **kwargs: Any
) -> tuple[Instance, list[str]]:
    household = parse_household(yaml.safe_dump(data, sort_keys=False), source="household.yaml")
    return build_instance(
        household, busy=kwargs.pop("busy", {}), start=start, weeks=weeks, **kwargs
    )


def _windows(member: Member) -> list[str]:
    """The member's availability windows, in Berlin time: ``Mon 23 Nov 15:00 - 20:00``."""
    assert member.availability is not None
    spans = [(w.start.astimezone(BERLIN), w.end.astimezone(BERLIN)) for w in member.availability]
    return [
        f"{a:%a %d %b %H:%M} - {b:%H:%M}"
        if a.date() == b.date()
        else f"{a:%a %d %b %H:%M} - {b:%a %H:%M}"
        for a, b in spans
    ]


def _starts(instance: Instance, duty: str) -> list[datetime]:
    return [o.earliest_start for o in instance.occurrences if o.duty == duty]


def test_weekday_duty_happens_every_school_day_at_its_local_time() -> None:
    instance, warnings = _instance(household_data(), weeks=2)
    starts = _starts(instance, "dropoff")
    assert [s.date() for s in starts] == [
        MONDAY + timedelta(days=d) for d in (0, 1, 2, 3, 4, 7, 8, 9, 10, 11)
    ]
    assert {s.astimezone(BERLIN).time() for s in starts} == {time(7, 30)}
    assert warnings == []


def test_horizon_runs_from_local_midnight_for_whole_weeks() -> None:
    instance, _ = _instance(household_data(), weeks=4)
    assert instance.start == datetime(2026, 11, 23, tzinfo=BERLIN)
    assert instance.end == datetime(2026, 12, 21, tzinfo=BERLIN)
    assert instance.timezone == "Europe/Berlin"


def test_drop_off_stays_at_0730_local_across_the_autumn_clock_change() -> None:
    # Berlin leaves summer time on Sunday 25 October 2026: 07:30 is 05:30 UTC before, 06:30 after.
    instance, _ = _instance(household_data(), start=date(2026, 10, 19), weeks=2)
    starts = _starts(instance, "dropoff")
    assert len(starts) == 10
    utc_hours = [s.astimezone(UTC).strftime("%H:%M") for s in starts]
    assert utc_hours == ["05:30"] * 5 + ["06:30"] * 5
    assert all(s.astimezone(BERLIN).strftime("%H:%M") == "07:30" for s in starts)


def test_duty_in_the_spring_forward_gap_moves_to_the_first_real_time() -> None:
    data = household_data()
    data["duties"].append({"id": "night-feed", "days": ["SU"], "start": "02:30", "duration": 30})
    instance, _ = _instance(data, start=date(2026, 3, 23))  # Sunday 29 March: 02:00 -> 03:00
    (start,) = _starts(instance, "night-feed")
    assert start.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M %z") == "2026-03-29 03:30 +0200"


def test_flexible_duty_may_start_from_window_start_until_duration_before_window_end() -> None:
    instance, _ = _instance(household_data())
    (laundry,) = [o for o in instance.occurrences if o.duty == "laundry"]
    assert laundry.day == date(2026, 11, 28)
    assert laundry.earliest_start == datetime(2026, 11, 28, 9, 0, tzinfo=BERLIN)
    assert laundry.latest_start == datetime(2026, 11, 28, 16, 30, tzinfo=BERLIN)
    assert laundry.latest_end == datetime(2026, 11, 28, 18, 0, tzinfo=BERLIN)
    assert laundry.duration == 90


def test_flexible_window_on_the_short_spring_night_still_ends_at_the_window_end() -> None:
    data = household_data()
    data["duties"][2].update(
        {"recurrence": "FREQ=WEEKLY;BYDAY=SU", "window": {"from": "01:00", "to": "05:00"}}
    )
    data["duties"][2]["duration"] = 60
    instance, _ = _instance(data, start=date(2026, 3, 23))
    (laundry,) = [o for o in instance.occurrences if o.duty == "laundry"]
    assert laundry.latest_end == datetime(2026, 3, 29, 5, 0, tzinfo=BERLIN)
    # 02:00-03:00 does not exist that night: the window is three real hours long.
    elapsed = laundry.latest_end.astimezone(UTC) - laundry.earliest_start.astimezone(UTC)
    assert elapsed == timedelta(hours=3)


def test_single_date_duty_happens_only_on_that_date() -> None:
    data = household_data()
    data["duties"].append(
        {"id": "doctor", "dates": [date(2026, 12, 2)], "start": "10:00", "duration": 60}
    )
    instance, _ = _instance(data, weeks=2)
    assert _starts(instance, "doctor") == [datetime(2026, 12, 2, 10, 0, tzinfo=BERLIN)]
    later, _ = _instance(data, start=date(2026, 12, 7))
    assert _starts(later, "doctor") == []


def test_every_other_week_rule_keeps_its_weeks_whatever_the_planning_start() -> None:
    data = household_data()
    data["duties"].append(
        {
            "id": "bins",
            "recurrence": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
            "starts_on": date(2026, 11, 3),
            "start": "20:00",
            "duration": 15,
        }
    )
    for start in (MONDAY, MONDAY + timedelta(days=7)):
        instance, _ = _instance(data, start=start, weeks=3)
        days = [s.date() for s in _starts(instance, "bins")]
        every_other_tuesday = (date(2026, 12, 1), date(2026, 12, 15), date(2026, 12, 29))
        assert days == [d for d in every_other_tuesday if start <= d < start + timedelta(weeks=3)]


def test_rrule_with_utc_until_and_count() -> None:
    data = household_data()
    data["duties"][0].pop("days")
    data["duties"][0]["recurrence"] = "RRULE:FREQ=DAILY;UNTIL=20261125T235959Z"
    data["duties"][1]["recurrence"] = "FREQ=DAILY;COUNT=2"
    instance, _ = _instance(data)
    assert [s.day for s in _starts(instance, "dropoff")] == [23, 24, 25]
    assert [s.day for s in _starts(instance, "pickup")] == [23, 24]


def test_helper_availability_becomes_windows_and_a_sentence() -> None:
    data = household_data()
    data["members"]["nana"]["availability"].append(
        {"dates": [date(2026, 11, 27)], "from": "09:00", "to": "12:00"}
    )
    instance, _ = _instance(data)
    nana = instance.member("nana")
    assert _windows(nana) == [
        "Mon 23 Nov 15:00 - 20:00",
        "Wed 25 Nov 15:00 - 20:00",
        "Fri 27 Nov 09:00 - 12:00",
    ]
    assert nana.availability_text == (
        "only available Mon, Wed 15:00-20:00; 09:00-12:00 on Fri 27 Nov"
    )
    assert instance.member("alex").availability is None  # partners: whenever not busy


def test_a_night_nannys_window_ends_the_next_morning_and_reaches_into_the_first_one() -> None:
    data = household_data()
    data["members"]["nana"]["availability"] = [
        {"days": ["SU", "TU"], "from": "22:00", "to": "06:00"}
    ]
    instance, _ = _instance(data)
    nana = instance.member("nana")
    assert _windows(nana) == [
        "Sun 22 Nov 22:00 - Mon 06:00",  # before the first planned day: its small hours
        "Tue 24 Nov 22:00 - Wed 06:00",
        "Sun 29 Nov 22:00 - Mon 06:00",
    ]
    assert nana.availability_text == "only available Tue, Sun 22:00-06:00"


def test_a_flexible_night_duty_may_start_after_midnight_and_belongs_to_its_evening() -> None:
    data = household_data()
    data["duties"].append(
        {
            "id": "night-feed",
            "days": ["TU"],
            "window": {"from": "23:00", "to": "01:00"},
            "duration": 30,
        }
    )
    instance, _ = _instance(data)
    (feed,) = [o for o in instance.occurrences if o.duty == "night-feed"]
    assert feed.day == date(2026, 11, 24)
    assert feed.earliest_start == datetime(2026, 11, 24, 23, 0, tzinfo=BERLIN)
    assert feed.latest_start == datetime(2026, 11, 25, 0, 30, tzinfo=BERLIN)


def test_members_and_duties_carry_the_files_settings() -> None:
    data = household_data()
    data["members"]["sam"].update(
        {"ramp_up": 2, "owns": ["laundry"], "buffer_before": 15, "weekly_cap": 600}
    )
    data["members"]["nana"]["hourly_cost"] = 0
    data["fairness"] = {
        "target": "free_time",
        "bound_percent": 5,
        "so_far_bound_percent": 3,
        "carried_load": {"alex": 120},
    }
    busy = {
        "sam": [
            BusyInterval(
                datetime(2026, 11, 23, 7, tzinfo=BERLIN),
                datetime(2026, 11, 23, 8, tzinfo=BERLIN),
                "Standup",
            )
        ]
    }
    instance, _ = _instance(data, busy=busy)
    sam = instance.member("sam")
    assert (sam.ramp_up, sam.owns, sam.buffer_before, sam.weekly_cap) == (
        2,
        frozenset({"laundry"}),
        15,
        600,
    )
    assert sam.busy == tuple(busy["sam"])
    assert instance.duty("dropoff").eligible == ("alex", "sam")
    assert instance.duty("dropoff").different_owner_from == ("pickup",)
    assert instance.duty("pickup").eligible == ("alex", "sam", "nana")
    assert instance.fairness.target == "free_time"
    assert (instance.fairness.bound_percent, instance.fairness.so_far_bound_percent) == (5, 3)
    assert instance.fairness.carried_load == {"alex": 120}


def test_locks_outside_the_horizon_are_kept_for_later_and_a_wrong_day_is_a_warning() -> None:
    data = household_data()
    data["locks"] = [
        {"duty": "pickup", "date": date(2026, 11, 25), "member": "nana"},
        {"duty": "pickup", "date": date(2027, 1, 6), "member": "sam"},
        {"duty": "laundry", "date": date(2026, 11, 24), "member": "sam"},
    ]
    instance, warnings = _instance(data)
    assert [(lock.duty, lock.day, lock.member) for lock in instance.locks] == [
        ("pickup", date(2026, 11, 25), "nana")
    ]
    assert len(warnings) == 1
    assert "locks[2]" in warnings[0]
    assert "'laundry' does not happen on Tue 24 Nov 2026" in warnings[0]


def test_declines_in_the_horizon_reach_the_solver_and_a_wrong_day_is_a_warning() -> None:
    data = household_data()
    data["declines"] = [
        {"member": "sam", "duty": "pickup", "date": date(2026, 11, 25), "note": "physio"},
        {"member": "sam", "duty": "pickup", "date": date(2027, 1, 6)},
        {"member": "alex", "duty": "laundry", "date": date(2026, 11, 24)},
    ]
    instance, warnings = _instance(data)
    assert [(d.member, d.duty, d.day, d.note) for d in instance.declines] == [
        ("sam", "pickup", date(2026, 11, 25), "physio")
    ]
    assert instance.declined("sam", "pickup", date(2026, 11, 25)) is not None
    assert instance.declined("alex", "pickup", date(2026, 11, 25)) is None
    assert len(warnings) == 1
    assert "declines[2]" in warnings[0]
    assert "'laundry' does not happen on Tue 24 Nov 2026" in warnings[0]


def test_a_recurring_duty_that_has_ended_is_a_warning() -> None:
    data = household_data()
    data["duties"][1]["recurrence"] = "FREQ=WEEKLY;BYDAY=MO;UNTIL=20261101"  # a typo for 2027
    data["duties"].append(  # monthly, on the 15th: not this week, but not over either
        {
            "id": "bills",
            "recurrence": "FREQ=MONTHLY;BYMONTHDAY=15",
            "start": "20:00",
            "duration": 30,
        }
    )
    data["duties"].append(  # a one-off later on
        {"id": "dentist", "dates": [date(2027, 2, 3)], "start": "10:00", "duration": 60}
    )
    instance, warnings = _instance(data)
    assert {o.duty for o in instance.occurrences} == {"dropoff", "laundry"}
    assert warnings == [
        "duties[1] ('pickup'): its recurrence has ended before Mon 23 Nov 2026, so it is never "
        "planned; check its UNTIL, COUNT or starts_on, or remove the duty"
    ]


def test_previous_plan_becomes_the_hint_with_its_sequence() -> None:
    start = datetime(2026, 11, 23, 7, 30, tzinfo=BERLIN)
    previous = Plan(
        household="The Test family",
        timezone="Europe/Berlin",
        start=datetime(2026, 11, 23, tzinfo=BERLIN),
        end=datetime(2026, 11, 30, tzinfo=BERLIN),
        members=[PlanMember(id="alex", name="Alex", role="partner")],
        assignments=[
            Assignment(
                duty=duty,
                name=duty,
                day=start.date(),
                start=start,
                end=start + timedelta(minutes=30),
                member="alex",
                reason="free",
                sequence=3,
            )
            for duty in ("dropoff", "removed-since")
        ],
        unassigned=[],
        load={},
        proofs=[CoverageProof(group="0f" * 16, coverage=2, broken_links=1)],
    )
    now = datetime(2026, 11, 22, 20, 0, tzinfo=BERLIN)
    instance, _ = _instance(household_data(), previous=previous, now=now, freeze_minutes=60)
    assert instance.previous is not None
    assert [(p.duty, p.member, p.start, p.sequence) for p in instance.previous] == [
        ("dropoff", "alex", start, 3)
    ]
    assert instance.previous_proofs == tuple(previous.proofs)
    assert (instance.now, instance.freeze_minutes) == (now, 60)
    # Re-planning the same weeks: nothing lived yet, the history it carried stays as it was.
    assert instance.fairness.from_plans == {}
    assert instance.fairness.carried_load == {}


def test_earlier_plans_history_is_carried_only_from_a_plan_that_starts_no_later() -> None:
    monday = datetime(2026, 11, 23, tzinfo=BERLIN)
    previous = Plan(
        household="The Test family",
        timezone="Europe/Berlin",
        start=monday,
        end=monday + timedelta(weeks=2),
        members=[PlanMember(id="sam", name="Sam", role="partner")],
        assignments=[
            Assignment(
                duty="dropoff",
                name="School drop-off",
                day=date(2026, 11, 23),
                start=monday + timedelta(hours=7, minutes=30),
                end=monday + timedelta(hours=8),
                member="sam",
                reason="free",
            )
        ],
        unassigned=[],
        load={},
        carried_from_plans={"sam": 100, "alex": 50},
    )
    data = household_data()
    data["duties"][0]["effort"] = 2
    data["fairness"] = {"carried_load": {"alex": 10}}
    same, _ = _instance(data, previous=previous)
    assert same.fairness.from_plans == {"alex": 50, "sam": 100}
    assert same.fairness.carried_load == {"alex": 60, "sam": 100}
    rolled, warnings = _instance(data, start=date(2026, 11, 30), previous=previous)
    assert rolled.fairness.from_plans == {"alex": 50, "sam": 100 + 30 * 2}
    assert rolled.fairness.carried_load == {"alex": 60, "sam": 160}
    assert warnings == []
    # Weeks skipped between the plans: what is known is carried, and the gap is pointed out.
    later, warnings = _instance(data, start=date(2026, 12, 14), previous=previous)
    assert later.fairness.from_plans == rolled.fairness.from_plans
    assert warnings == [
        "--previous: that plan ends on Sun 06 Dec 2026, before --start; the load of the days "
        "between is not carried (add it to fairness.carried_load if it matters)"
    ]
    # A plan of later weeks carried history that overlaps these: none of it counts.
    earlier, _ = _instance(data, start=date(2026, 11, 16), previous=previous)
    assert earlier.fairness.from_plans == {}
    assert earlier.fairness.carried_load == {"alex": 10}
