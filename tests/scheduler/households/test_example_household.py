"""The example household in examples/ stays a valid file that describes a realistic month."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from scheduler.households.file import load_household
from scheduler.households.instance import build_instance
from scheduler.households.service import plan_household
from scheduler.solver.explain import why_unassigned
from scheduler.solver.plan import Plan

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "household.yaml"
BERLIN = ZoneInfo("Europe/Berlin")


def test_example_household_describes_a_month_of_family_duties() -> None:
    household = load_household(EXAMPLE)
    instance, warnings = build_instance(household, busy={}, start=date(2026, 11, 23), weeks=4)
    assert warnings == []
    assert Counter(o.duty for o in instance.occurrences) == {
        "school-dropoff": 20,
        "school-pickup": 12,
        "school-pickup-club": 8,
        "swimming": 4,
        "dinner": 28,
        "bath-bedtime": 28,
        "laundry": 4,
        "groceries": 4,
        "paediatrician": 1,
    }
    assert [m.id for m in instance.members if m.role == "partner"] == ["alex", "sam"]
    assert instance.member("nana").availability_text == "only available Mon, Wed 14:00-19:00"
    assert [(lock.duty, lock.day, lock.member) for lock in instance.locks] == [
        ("swimming", date(2026, 12, 9), "nana")
    ]


def test_a_helper_outside_her_hours_is_explained_by_her_hours() -> None:
    household = load_household(EXAMPLE)
    instance, _ = build_instance(household, busy={}, start=date(2026, 11, 23), weeks=4)
    by_key = {(o.duty, o.day): o for o in instance.occurrences}
    tuesday = why_unassigned(instance, by_key[("school-pickup-club", date(2026, 11, 24))], [])
    assert "Nana only available Mon, Wed 14:00-19:00" in tuesday
    monday = why_unassigned(instance, by_key[("school-pickup", date(2026, 11, 23))], [])
    assert "Bea only available Tue, Thu 15:00-21:00; Fri 15:00-22:00" in monday


def test_bea_on_call_babysits_only_when_neither_partner_can() -> None:
    plan, _ = plan_household(EXAMPLE, start=date(2026, 11, 23), weeks=4)
    bea = [a for a in plan.assignments if a.member == "bea"]
    assert [(a.duty, a.day.isoformat()) for a in bea] == [
        ("school-pickup-club", "2026-12-03"),  # Alex at DevConf, Sam on a call
        ("school-pickup-club", "2026-12-10"),  # Sam in Hamburg, Alex did the drop-off
        ("school-pickup", "2026-12-11"),
    ]
    assert all(a.reason.startswith("neither partner can take it") for a in bea)
    # Alex, free for the other club pick-ups, does them.
    club = {a.member for a in plan.assignments if a.duty == "school-pickup-club"}
    assert club == {"alex", "bea"}


def test_rolling_the_plan_forward_a_week_keeps_every_owner_and_carries_the_week_lived(
    tmp_path: Path,
) -> None:
    # Sunday evening, a week in: plan the next four weeks against the plan everyone follows.
    # Sam took on new series in the first week (ramp-up 2): that week is past, so they are his
    # now, not new again.
    first, _ = plan_household(EXAMPLE, start=date(2026, 11, 23), weeks=4)
    previous = tmp_path / "plan.json"
    previous.write_text(first.to_json(), encoding="utf-8")
    rolled, _ = plan_household(
        EXAMPLE,
        start=date(2026, 11, 30),
        weeks=4,
        previous=previous,
        now=datetime(2026, 11, 29, 20, 0),
    )
    moved = [c for c in rolled.changes if c.from_ is not None]
    assert moved == []
    assert len(rolled.changes) == 27  # the new fourth week's duties, newly planned
    assert rolled.unassigned == []
    # Fair over time: the week lived is carried, on top of the file's 240 for Sam.
    lived = _weighted_before(first, datetime(2026, 11, 30, tzinfo=BERLIN))
    assert rolled.carried_from_plans == lived
    assert {p: rolled.load[p].carried for p in ("alex", "sam")} == {
        "alex": lived["alex"],
        "sam": lived["sam"] + 240,
    }
    # ... and the new weeks even it out: the shares count it and stay on target.
    assert all(abs(rolled.load[p].share - 50.0) <= 0.25 for p in ("alex", "sam"))
    # What went well in the week lived, as the plan had it.
    week_one = [a for a in first.assignments if a.start < datetime(2026, 11, 30, tzinfo=BERLIN)]
    assert rolled.lived is not None and rolled.lived.unassigned == 0
    assert (rolled.lived.first_day, rolled.lived.last_day) == (
        date(2026, 11, 23),
        date(2026, 11, 29),
    )
    assert {m: d.duties for m, d in rolled.lived.members.items()} == Counter(
        a.member for a in week_one
    )
    every_time = {s.duty: m for m, d in rolled.lived.members.items() for s in d.every_time}
    by_duty: dict[str, set[str]] = {}
    for a in week_one:
        by_duty.setdefault(a.duty, set()).add(a.member)
    # Each series one member did every time, twice or more that week, and only those.
    assert every_time == {
        duty: next(iter(members))
        for duty, members in by_duty.items()
        if len(members) == 1 and sum(a.duty == duty for a in week_one) >= 2
    }
    assert every_time["school-dropoff"] == "sam"
    carried = {p: rolled.load[p].carried for p in ("alex", "sam")}
    assert rolled.lived.share_so_far == {
        p: round(100 * c / sum(carried.values()), 2) for p, c in carried.items()
    }
    # Rolled again, the first roll's history stays (its week is no longer in the plan).
    again = tmp_path / "rolled.json"
    again.write_text(rolled.to_json(), encoding="utf-8")
    third, _ = plan_household(
        EXAMPLE, start=date(2026, 12, 7), weeks=1, previous=again, now=datetime(2026, 12, 6, 20)
    )
    second_week = _weighted_before(rolled, datetime(2026, 12, 7, tzinfo=BERLIN))
    assert third.carried_from_plans == {p: lived[p] + second_week[p] for p in lived}
    assert third.lived is not None
    assert (third.lived.first_day, third.lived.last_day) == (date(2026, 11, 30), date(2026, 12, 6))


def _weighted_before(plan: Plan, moment: datetime) -> dict[str, int]:
    """Each partner's minutes x effort in ``plan`` before ``moment`` (efforts of the example)."""
    effort = {d.id: d.effort for d in load_household(EXAMPLE).duties}
    weighted = dict.fromkeys(("alex", "sam"), 0)
    for a in plan.assignments:
        if a.start < moment and a.member in weighted:
            weighted[a.member] += (a.end - a.start) // timedelta(minutes=1) * effort[a.duty]
    return weighted
