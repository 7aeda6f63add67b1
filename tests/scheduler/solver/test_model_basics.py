"""The model end to end: who gets what, what nobody can do and why, stats, determinism."""

from __future__ import annotations

from scheduler.solver.model import solve
from scheduler.solver.validate import violations
from tests.scheduler.solver.family import (
    TZ,
    busy,
    couple,
    daily,
    duty,
    helper,
    instance,
    occurrence,
    window,
)


def test_every_free_occurrence_is_assigned_and_the_plan_is_valid() -> None:
    household = instance(
        couple(),
        (duty("dropoff"), duty("pickup")),
        daily("dropoff", range(5), "07:30") + daily("pickup", range(5), "15:30"),
    )
    plan = solve(household)
    assert len(plan.assignments) == 10
    assert plan.unassigned == []
    assert violations(household, plan) == []
    assert [(a.start, a.duty) for a in plan.assignments] == sorted(
        (a.start, a.duty) for a in plan.assignments
    )
    assert [m.id for m in plan.members] == ["alex", "sam"]


def test_nobody_free_leaves_the_occurrence_unassigned_with_each_members_reason() -> None:
    alex, sam = couple(
        alex_busy=(busy(1, "07:00", "08:00", "Team standup"),),
        sam_busy=(busy(1, "06:00", "09:30", "Flight"),),
    )
    nana = helper(
        availability=(window(0, "14:00", "18:00"),), availability_text="not available on Tuesdays"
    )
    household = instance(
        (alex, sam, nana),
        (duty("dropoff", ("alex", "sam", "nana")),),
        (occurrence("dropoff", 1, "07:30"),),
    )
    plan = solve(household)
    assert plan.assignments == []
    [missing] = plan.unassigned
    assert "Team standup" in missing.reason and "Flight" in missing.reason
    assert "not available on Tuesdays" in missing.reason
    assert violations(household, plan) == []


def test_a_busy_partner_is_never_given_the_duty() -> None:
    alex, sam = couple(alex_busy=tuple(busy(d, "07:00", "09:00", "Standup") for d in range(5)))
    household = instance((alex, sam), (duty("dropoff"),), daily("dropoff", range(5), "07:30"))
    plan = solve(household)
    assert {a.member for a in plan.assignments} == {"sam"}


def test_a_flexible_duty_gets_a_start_on_the_grid_inside_its_window() -> None:
    alex, sam = couple(
        alex_busy=(busy(5, "08:00", "12:00"),), sam_busy=(busy(5, "09:00", "13:00"),)
    )
    household = instance(
        (alex, sam), (duty("laundry"),), (occurrence("laundry", 5, "09:00", 90, until="16:30"),)
    )
    [laundry] = solve(household).assignments
    start = laundry.start.astimezone(TZ)
    assert start.minute in (0, 30)
    assert start.hour >= 12  # Alex is free from 12:00, Sam from 13:00
    assert violations(household, solve(household)) == []


def test_stats_report_build_time_and_every_stage() -> None:
    household = instance(couple(), (duty("dinner"),), daily("dinner", range(7), "18:00", 60))
    stats = solve(household).stats
    assert stats is not None
    assert stats.build_seconds >= 0 and stats.solve_seconds >= 0
    names = [s.name for s in stats.stages]
    assert names[0] == "coverage" and "ownership" in names
    assert all(s.optimal and s.gap == 0 for s in stats.stages)


def test_the_same_household_always_gives_the_same_plan() -> None:
    alex, sam = couple(alex_busy=(busy(2, "17:30", "19:00"),))
    household = instance(
        (alex, sam, helper(availability=(window(1, "14:00", "21:00"),))),
        (duty("dinner", ("alex", "sam", "nana")), duty("laundry"), duty("dishes")),
        daily("dinner", range(7), "18:00", 60)
        + daily("dishes", range(7), "19:30", 30)
        + (occurrence("laundry", 5, "09:00", 90, until="17:00"),),
    )
    first, second = solve(household), solve(household)
    assert first.model_dump(exclude={"stats"}) == second.model_dump(exclude={"stats"})
    # And the work the time limit is counted in (``stats.work``), whatever the wall clock says.
    assert first.stats is not None and second.stats is not None
    assert first.stats.work == second.stats.work > 0


def test_progress_hears_each_goal_in_priority_order_then_the_explanations() -> None:
    alex, sam = couple(alex_prefers=frozenset({"dinner"}))
    household = instance(
        (alex, sam, helper(availability=(window(1, "14:00", "21:00"),))),
        (duty("dinner", ("alex", "sam", "nana")), duty("dishes")),
        daily("dinner", range(7), "18:00", 60) + daily("dishes", range(7), "19:30", 30),
    )
    heard: list[str] = []
    solve(household, heard.append)
    assert heard == [
        "covering every duty",
        "sharing the load fairly",
        "sharing the load fairly week by week",
        "giving each duty one owner",
        "following preferences and keeping helpers' cost down",
        "explaining who does what and why",
    ]
