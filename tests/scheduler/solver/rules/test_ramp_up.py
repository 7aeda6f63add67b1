"""Ramp-up ("start small"): at most N new duty series per member per week."""

from scheduler.solver.instance import Instance
from scheduler.solver.model import solve
from scheduler.solver.validate import violations
from tests.scheduler.solver.family import couple, daily, duty, instance


def test_a_generous_ramp_up_changes_nothing() -> None:
    alex, sam = couple(alex_ramp_up=5, sam_ramp_up=5)
    household = instance(
        (alex, sam),
        tuple(duty(d) for d in ("trash", "plants", "dog")),
        daily("trash", range(2), "08:00") + daily("plants", range(2), "09:00"),
    )
    assert len(solve(household).assignments) == 4


def test_a_single_parent_starting_small_leaves_new_series_for_later() -> None:
    alex, sam = couple(alex_ramp_up=1)
    household = instance(
        (alex, sam),
        tuple(duty(d, ("alex",)) for d in ("trash", "plants", "dog")),
        daily("trash", range(2), "08:00")
        + daily("plants", range(2), "09:00")
        + daily("dog", range(2), "10:00"),
    )
    plan = solve(household)
    assert len({a.duty for a in plan.assignments}) == 1
    assert len(plan.unassigned) == 4
    assert all("ramp-up" in u.reason for u in plan.unassigned)


def test_ramp_up_counts_only_series_a_member_does_not_own_yet() -> None:
    alex, sam = couple(alex_ramp_up=1, alex_owns=frozenset({"trash"}), sam_ramp_up=1)
    household = instance(
        (alex, sam),
        tuple(duty(d) for d in ("trash", "plants", "dog")),
        daily("trash", range(3), "08:00")
        + daily("plants", range(3), "09:00")
        + daily("dog", range(3), "10:00"),
    )
    plan = solve(household)
    assert plan.unassigned == []
    new_for_alex = {a.duty for a in plan.assignments if a.member == "alex"} - {"trash"}
    new_for_sam = {a.duty for a in plan.assignments if a.member == "sam"}
    assert len(new_for_alex) <= 1 and len(new_for_sam) <= 1
    assert violations(household, plan) == []


def _plants_then_dog(plants_days: range) -> Instance:
    """Alex alone (ramp-up 1) may water the plants on ``plants_days`` and walk the dog on the
    first three days of week two."""
    alex, sam = couple(alex_ramp_up=1)
    return instance(
        (alex, sam),
        tuple(duty(d, ("alex",)) for d in ("plants", "dog")),
        daily("plants", plants_days, "09:00") + daily("dog", range(7, 10), "10:00"),
        weeks=2,
    )


def test_a_week_without_a_new_series_does_not_save_its_slot_for_the_next() -> None:
    # Nothing new to take on in week one, two new series in week two: one of them waits.
    household = _plants_then_dog(range(7, 10))
    plan = solve(household)
    assert len({a.duty for a in plan.assignments}) == 1
    assert len(plan.unassigned) == 3
    assert all("ramp-up" in u.reason for u in plan.unassigned)
    assert violations(household, plan) == []


def test_a_series_taken_on_one_week_is_not_new_the_next() -> None:
    household = _plants_then_dog(range(0, 10))
    plan = solve(household)
    assert plan.unassigned == []
    assert violations(household, plan) == []
