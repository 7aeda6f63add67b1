"""The terminal report: what a parent reads after `fairshare plan`."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from rich.console import Console

from scheduler.households.report import plan_report
from scheduler.solver.plan import (
    Assignment,
    BrokenLink,
    Change,
    MemberLoad,
    Plan,
    PlanMember,
    Unassigned,
    WeekLoad,
)

BERLIN = ZoneInfo("Europe/Berlin")


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=BERLIN)


def _plan() -> Plan:
    dropoff = _at(24, 7, 30)
    return Plan(
        household="The Test family",
        timezone="Europe/Berlin",
        start=_at(23, 0),
        end=_at(23, 0) + timedelta(weeks=2),
        members=[
            PlanMember(id="alex", name="Alex", role="partner"),
            PlanMember(id="sam", name="Sam", role="partner"),
            PlanMember(id="bea", name="Bea", role="helper"),
        ],
        assignments=[
            Assignment(
                duty="dropoff",
                name="School drop-off",
                day=dropoff.date(),
                start=dropoff,
                end=dropoff + timedelta(minutes=30),
                member="sam",
                reason="Alex busy (Board prep 07:00-08:30)",
                sequence=1,
            ),
            Assignment(
                duty="dinner",
                name="Dinner",
                day=date(2026, 11, 24),
                start=_at(24, 18),
                end=_at(24, 19),
                member="bea",
                reason="neither partner can take it; Bea covers it",
            ),
        ],
        unassigned=[
            Unassigned(
                duty="pickup",
                name="School pick-up",
                day=date(2026, 11, 30),
                start=_at(30, 15, 30),
                end=_at(30, 16),
                reason="Mon 30 Nov 15:30 School pick-up: Alex busy (Offsite 09:00-18:00), Sam "
                "busy (Flight 12:00-19:00)",
            )
        ],
        load={
            "alex": MemberLoad(minutes=0, weighted=0, share=0.0, target_share=50.0),
            "sam": MemberLoad(
                minutes=30, weighted=60, share=100.0, target_share=50.0, series_owned=["dropoff"]
            ),
            "bea": MemberLoad(minutes=60, weighted=120, share=0.0, cost=15.0),
        },
        changes=[
            Change(
                duty="dropoff",
                start=dropoff,
                from_="alex",
                to="sam",
                cause="Alex: 'Board prep' 07:00-08:30",
            )
        ],
    )


def _text(plan: Plan, *, explain: bool = False, width: int = 200) -> str:
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(plan_report(plan, explain=explain))
    return console.export_text()


def test_report_lists_each_week_and_day_with_duty_time_and_member() -> None:
    text = _text(_plan())
    assert "The Test family: Mon 23 Nov 2026 to Sun 06 Dec 2026 (Europe/Berlin)" in text
    assert "Week 1: Mon 23 Nov - Sun 29 Nov" in text
    assert "Week 2: Mon 30 Nov - Sun 06 Dec" in text
    row = next(line for line in text.splitlines() if "School drop-off" in line and "07:30" in line)
    assert "Tue 24 Nov" in row
    assert "07:30-08:00" in row
    assert "Sam" in row


def test_report_shows_load_share_and_cost_per_member() -> None:
    text = _text(_plan())
    sam = next(line for line in text.splitlines() if line.startswith("│ Sam ") and "%" in line)
    assert "100.0 %" in sam
    bea = next(line for line in text.splitlines() if line.startswith("│ Bea ") and "15.00" in line)
    assert "Bea (helper)" in bea
    assert "1 occurrence unassigned (below)." in text
    assert "Carried" not in text  # nothing carried over, nothing to explain


def test_report_names_the_series_each_member_owns() -> None:
    plan = _plan()
    assert _owned_by(plan, "Sam") == "School drop-off"  # by name, not id; all of them: no count
    assert _owned_by(plan, "Alex") == "-"


def test_a_series_someone_else_stepped_in_for_shows_how_often_its_owner_did_it() -> None:
    plan = _plan()
    wednesday = _at(25, 7, 30)
    alex_once = plan.assignments[0].model_copy(
        update={
            "day": wednesday.date(),
            "start": wednesday,
            "end": wednesday + timedelta(minutes=30),
            "member": "alex",
        }
    )
    helped = plan.model_copy(update={"assignments": [*plan.assignments, alex_once]})
    assert _owned_by(helped, "Sam") == "School drop-off (1 of 2)"


def _owned_by(plan: Plan, name: str) -> str:
    """The "Who owns what" cell of the member called ``name``."""
    text = _text(plan)
    owners = text[text.index("Who owns what") :]
    row = next(line for line in owners.splitlines() if line.startswith(f"│ {name} "))
    return row.split("│")[2].strip()


def test_carried_load_is_shown_beside_the_share_it_counts_in() -> None:
    load = dict(_plan().load)
    load["alex"] = load["alex"].model_copy(update={"carried": 240})
    text = _text(_plan().model_copy(update={"load": load}))
    header = next(line for line in text.splitlines() if "Weighted" in line)
    assert header.index("Weighted") < header.index("Carried") < header.index("Share")
    alex = next(line for line in text.splitlines() if line.startswith("│ Alex ") and "%" in line)
    assert [cell.strip() for cell in alex.split("│")[2:5]] == ["0", "0", "240"]


def test_an_80_column_terminal_shows_every_series_name_whole() -> None:
    series = ["dropoff", "pickup", "dinner", "laundry", "groceries", "bath", "swim"]
    load = dict(_plan().load)
    load["sam"] = load["sam"].model_copy(update={"series_owned": series})
    text = _text(_plan().model_copy(update={"load": load}), width=80)
    owners = text[text.index("Who owns what") :]
    cells = " ".join(line.split("│")[2].strip() for line in owners.splitlines()[3:] if "│" in line)
    assert "School drop-off" in cells
    assert "…" not in text


def test_report_names_what_nobody_could_do_and_why() -> None:
    text = _text(_plan())
    assert "Nobody could do these" in text
    row = next(line for line in text.splitlines() if "Mon 30 Nov 15:30" in line)
    assert [cell.strip() for cell in row.strip("│").split("│")] == [
        "Mon 30 Nov 15:30",
        "School pick-up",
        "Alex busy (Offsite 09:00-18:00), Sam busy (Flight 12:00-19:00)",
    ]  # the reason without the day and duty the row already shows


def test_report_lists_changes_with_their_cause() -> None:
    text = _text(_plan())
    row = next(line for line in text.splitlines() if "'Board prep'" in line)
    assert "Tue 24 Nov 07:30" in row
    assert "Alex" in row
    assert "Sam" in row


def _newly_planned(day: int) -> Change:
    return Change(
        duty="dinner", start=_at(day, 18), from_=None, to="bea", cause="not in the previous plan"
    )


def test_duties_new_to_the_plan_are_counted_not_listed_among_the_moves() -> None:
    plan = _plan()
    rolled = plan.model_copy(update={"changes": [*plan.changes, _newly_planned(25)]})
    text = _text(rolled)
    assert "'Board prep'" in text  # the move is listed
    assert "Wed 25 Nov 18:00" not in text  # the new dinner has no row
    assert "1 duty not in the previous plan now planned." in text


def test_a_plan_rolled_forward_with_nothing_moved_says_so_in_one_line() -> None:
    rolled = _plan().model_copy(update={"changes": [_newly_planned(25), _newly_planned(26)]})
    text = _text(rolled)
    assert (
        "Changes since the previous plan: none moved. 2 duties not in the previous plan now "
        "planned." in text
    )
    assert "Cause" not in text


def test_explain_adds_each_assignments_reason() -> None:
    plain, explained = _text(_plan()), _text(_plan(), explain=True)
    assert "Bea covers it" not in plain
    assert "neither partner can take it; Bea covers it" in explained


def test_a_link_that_gave_way_is_shown_with_its_reason() -> None:
    reason = (
        "Sam does both School drop-off and School pick-up today: Alex busy (Offsite 07:00-17:00)"
    )
    broken = BrokenLink(
        day=date(2026, 11, 24),
        duties=["dropoff", "pickup"],
        members=["sam", "sam"],
        rule="different_owner",
        reason=reason,
    )
    assert "not kept" not in _text(_plan())
    text = _text(_plan().model_copy(update={"broken_links": [broken]}))
    assert "1 link not kept (below)." in text
    assert "Links not kept, so that every duty is done" in text
    row = next(line for line in text.splitlines() if "does both" in line)
    assert "Tue 24 Nov" in row
    assert reason in row


def _caption(text: str) -> str:
    """The first week's split, as printed under its table (wrapped to the table's width)."""
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("Split this week"))
    caption = []
    for line in lines[first:]:
        if line.startswith(("Week ", "Who ")):
            break
        caption.append(line.strip())
    return " ".join(caption)


def test_a_week_split_against_unequal_targets_names_them() -> None:
    load = dict(_plan().load)
    load["alex"] = load["alex"].model_copy(update={"target_share": 60.0})
    load["sam"] = load["sam"].model_copy(update={"target_share": 40.0})
    week = WeekLoad(
        start=date(2026, 11, 23),
        weighted={"alex": 0, "sam": 60, "bea": 120},
        share={"alex": 0.0, "sam": 100.0},
        share_so_far={"alex": 0.0, "sam": 100.0},
    )
    # Equal targets go unsaid.
    equal = _text(_plan().model_copy(update={"weeks": [week]}))
    assert _caption(equal) == "Split this week: Alex 0.0 % · Sam 100.0 %."
    unequal = _text(_plan().model_copy(update={"load": load, "weeks": [week]}))
    assert _caption(unequal) == (
        "Split this week: Alex 0.0 % · Sam 100.0 %. Target: Alex 60.0 % · Sam 40.0 %."
    )
