"""The example household in examples/ stays a valid file that describes a realistic month."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from pathlib import Path

from scheduler.households.file import load_household
from scheduler.households.instance import build_instance
from scheduler.households.service import plan_household
from scheduler.solver.explain import why_unassigned

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "household.yaml"


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


def test_rolling_the_plan_forward_a_week_keeps_every_owner(tmp_path: Path) -> None:
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
