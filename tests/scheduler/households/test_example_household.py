"""The example household in examples/ stays a valid file that describes a realistic month."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from scheduler.households.file import load_household
from scheduler.households.instance import build_instance

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
    assert instance.member("nana").availability_text == "available Mon, Wed 14:00-19:00"
    assert [(lock.duty, lock.day, lock.member) for lock in instance.locks] == [
        ("swimming", date(2026, 12, 9), "nana")
    ]
