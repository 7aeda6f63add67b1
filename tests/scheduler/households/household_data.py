"""A small household as data, for tests to copy and break one field at a time."""

from __future__ import annotations

import copy
from typing import Any

_BASE: dict[str, Any] = {
    "household": "The Test family",
    "timezone": "Europe/Berlin",
    "members": {
        "alex": {"name": "Alex", "email": "alex@example.com"},
        "sam": {"name": "Sam"},
        "nana": {
            "name": "Nana",
            "role": "helper",
            "availability": [{"days": ["MO", "WE"], "from": "15:00", "to": "20:00"}],
        },
    },
    "duties": [
        {
            "id": "dropoff",
            "name": "School drop-off",
            "days": ["MO", "TU", "WE", "TH", "FR"],
            "start": "07:30",
            "duration": 30,
            "different_owner_from": ["pickup"],
        },
        {
            "id": "pickup",
            "name": "School pick-up",
            "recurrence": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
            "start": "15:30",
            "duration": 30,
            "eligible": ["alex", "sam", "nana"],
        },
        {
            "id": "laundry",
            "name": "Laundry",
            "recurrence": "FREQ=WEEKLY;BYDAY=SA",
            "window": {"from": "09:00", "to": "18:00"},
            "duration": 90,
        },
    ],
}


def household_data() -> dict[str, Any]:
    """A fresh, valid household (safe to modify)."""
    return copy.deepcopy(_BASE)
