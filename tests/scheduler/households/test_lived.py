"""Rolling a plan forward says what went well in the weeks lived ("share the wins")."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from rich.console import Console

from scheduler.households.lived import lived_part, lived_weeks
from scheduler.households.report import plan_report
from scheduler.solver.plan import Assignment, MemberLoad, Plan, PlanMember, Unassigned

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = datetime(2026, 11, 23, tzinfo=BERLIN)
NAMES = {"dropoff": "School drop-off", "dinner": "Dinner", "pickup": "School pick-up"}
NAMES |= {"swimming": "Swimming", "club": "Club pick-up"}
MEMBERS = [
    PlanMember(id="alex", name="Alex", role="partner"),
    PlanMember(id="sam", name="Sam", role="partner"),
    PlanMember(id="bea", name="Bea", role="helper"),
]


def _at(day: int, hour: int) -> datetime:
    return MONDAY + timedelta(days=day, hours=hour)


def _done(duty: str, day: int, member: str, hour: int = 18) -> Assignment:
    start = _at(day, hour)
    return Assignment(
        duty=duty,
        name=NAMES[duty],
        day=start.date(),
        start=start,
        end=start + timedelta(minutes=30),
        member=member,
        reason="owner",
    )


def _missed(duty: str, day: int) -> Unassigned:
    start = _at(day, 15)
    end = start + timedelta(minutes=30)
    return Unassigned(
        duty=duty, name=NAMES[duty], day=start.date(), start=start, end=end, reason="..."
    )


def _plan(start: datetime, weeks: int, **fields: object) -> Plan:
    return Plan(
        household="The Test family",
        timezone="Europe/Berlin",
        start=start,
        end=start + timedelta(weeks=weeks),
        members=MEMBERS,
        **{"assignments": [], "unassigned": [], "load": {}, **fields},  # type: ignore[arg-type]
    )


def _previous() -> Plan:
    """Two weeks; the first is lived by the time the plan rolls forward to the second."""
    first_week = (
        [_done("dropoff", d, "sam", 7) for d in range(5)]  # every one: Sam's
        + [_done("dinner", d, "alex") for d in range(6)]  # Sam cooked on Sunday
        + [_done("dinner", 6, "sam"), _done("swimming", 2, "alex", 16)]  # once is not a habit
        + [_done("pickup", 0, "alex", 15), _done("pickup", 2, "alex", 15)]  # Friday's missed
        + [_done("club", 1, "bea", 17), _done("club", 3, "bea", 17)]
    )
    second_week = [_done("dropoff", d, "alex", 7) for d in range(7, 12)]
    return _plan(MONDAY, 2, assignments=first_week + second_week, unassigned=[_missed("pickup", 4)])


def _rolled(carried: dict[str, int]) -> Plan:
    """The plan rolled forward to the second week, carrying the first."""
    load = {
        p: MemberLoad(minutes=0, weighted=0, carried=c, share=50.0, target_share=50.0)
        for p, c in carried.items()
    }
    return _plan(MONDAY + timedelta(weeks=1), 4, load=load)


def test_the_week_lived_is_counted_from_the_previous_plan() -> None:
    previous = _previous()
    rolled = _rolled({"alex": 600, "sam": 580})
    done, missed = lived_part(previous, rolled.start, set(NAMES))

    lived = lived_weeks(previous, done, missed, rolled)

    assert lived is not None
    assert (lived.first_day.isoformat(), lived.last_day.isoformat()) == ("2026-11-23", "2026-11-29")
    assert {m: (d.duties, d.minutes) for m, d in lived.members.items()} == {
        "alex": (9, 270),
        "sam": (6, 180),
        "bea": (2, 60),
    }
    # Every drop-off of the week was Sam's; dinner and pick-up were not one person's every
    # time (Sam's Sunday, Friday's missed pick-up), and one swimming lesson is not yet a habit.
    every_time = {m: [(s.duty, s.times) for s in d.every_time] for m, d in lived.members.items()}
    assert every_time == {"alex": [], "sam": [("dropoff", 5)], "bea": [("club", 2)]}
    assert lived.unassigned == 1
    assert lived.share_so_far == {"alex": 50.85, "sam": 49.15}


def test_duties_no_longer_in_the_household_are_not_counted() -> None:
    previous = _previous()
    done, missed = lived_part(previous, MONDAY + timedelta(weeks=1), {"dinner", "club"})
    assert {a.duty for a in done} == {"dinner", "club"}
    assert missed == []


def test_nothing_was_lived_when_the_plan_is_replanned_over_the_same_weeks() -> None:
    previous = _previous()
    again = _plan(MONDAY, 2)
    done, missed = lived_part(previous, again.start, set(NAMES))
    assert lived_weeks(previous, done, missed, again) is None
    assert "What went well" not in _text(again)


def _report_rolled(carried: dict[str, int]) -> str:
    """The report of the plan rolled forward a week, carrying ``carried``."""
    previous = _previous()
    rolled = _rolled(carried)
    done, missed = lived_part(previous, rolled.start, set(NAMES))
    lived = lived_weeks(previous, done, missed, rolled)
    return _text(rolled.model_copy(update={"lived": lived}))


def test_the_report_says_what_went_well_before_the_new_weeks() -> None:
    text = _report_rolled({"alex": 600, "sam": 580})

    assert (
        "What went well (Mon 23 Nov - Sun 29 Nov, as planned): 17 of 18 duties had someone. "
        "Alex did 9 duties; Sam did 6 duties, every School drop-off. "
        "Thanks to Bea for 2 duties. "
        "Split so far (carried load included): Alex 50.9 % · Sam 49.1 %, on target."
    ) in text
    assert text.index("What went well") < text.index("Week 1")


def test_a_split_off_target_is_not_called_on_target() -> None:
    text = _report_rolled({"alex": 400, "sam": 600})
    assert "Split so far (carried load included): Alex 40.0 % · Sam 60.0 %." in text


def _text(plan: Plan) -> str:
    console = Console(file=io.StringIO(), width=400, color_system=None)
    console.print(plan_report(plan))
    return console.file.getvalue()  # type: ignore[attr-defined]
