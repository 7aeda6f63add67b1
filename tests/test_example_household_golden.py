"""The example household's 4-week plan, compared with a reviewed golden file.

The golden file was read as a parent would (drop-offs around early meetings, helpers only where
neither partner can, a fair split) before it was committed. If a change to the solver or the
example is meant to change the plan, regenerate it, then review the diff the same way:

    FAIRSHARE_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_example_household_golden.py
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

from scheduler.households.service import plan_household

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "household.yaml"
GOLDEN = Path(__file__).resolve().parent / "golden" / "example_household_plan.json"


def _plan_json() -> dict[str, Any]:
    plan, warnings = plan_household(EXAMPLE, start=date(2026, 11, 23), weeks=4)
    data: dict[str, Any] = json.loads(plan.to_json())  # as `fairshare plan --json` prints it
    del data["stats"]
    data["warnings"] = warnings
    return data


def _rows(data: dict[str, Any], key: str) -> dict[str, dict[str, Any]]:
    return {f"{row['duty']}@{row['day']}": row for row in data.get(key, [])}


def _differences(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    lines = []
    for key in ("assignments", "unassigned"):
        want, got = _rows(expected, key), _rows(actual, key)
        for occurrence in sorted(want.keys() | got.keys()):
            before, after = want.get(occurrence, {}), got.get(occurrence, {})
            for field in sorted(before.keys() | after.keys()):
                if before.get(field) != after.get(field):
                    lines.append(
                        f"{key} {occurrence} {field}: golden {before.get(field, '-')!r}, "
                        f"now {after.get(field, '-')!r}"
                    )
    for key in sorted(expected.keys() - {"assignments", "unassigned"}):
        if expected[key] != actual.get(key):
            lines.append(f"{key}: golden {expected[key]!r}, now {actual.get(key)!r}")
    return lines


def test_example_household_plan_matches_the_reviewed_golden_file() -> None:
    actual = _plan_json()
    if os.environ.get("FAIRSHARE_UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n", "utf-8")
    expected = json.loads(GOLDEN.read_text("utf-8"))
    differences = _differences(expected, actual)
    assert not differences, (
        "the example household's plan changed:\n  "
        + "\n  ".join(differences[:20])
        + "\nIf this is intended, regenerate and review the golden file: "
        "FAIRSHARE_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_example_household_golden.py"
    )
