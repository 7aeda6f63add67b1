"""Same-owner and different-owner links between duties on the same day."""

from scheduler.solver.model import solve
from scheduler.solver.validate import violations
from tests.scheduler.solver.family import busy, couple, daily, duty, instance


def _owners(plan_assignments: list[tuple[str, object, str]]) -> dict[object, dict[str, str]]:
    days: dict[object, dict[str, str]] = {}
    for duty_id, day, member in plan_assignments:
        days.setdefault(day, {})[duty_id] = member
    return days


def test_bath_and_bedtime_go_to_the_same_parent_each_day() -> None:
    household = instance(
        couple(),
        (duty("bath", same_owner_as=("bedtime",)), duty("bedtime")),
        daily("bath", range(7), "19:00") + daily("bedtime", range(7), "19:45"),
    )
    plan = solve(household)
    owners = _owners([(a.duty, a.day, a.member) for a in plan.assignments])
    assert all(day["bath"] == day["bedtime"] for day in owners.values())
    assert violations(household, plan) == []


def test_different_owners_with_a_single_eligible_parent_leave_one_unassigned() -> None:
    household = instance(
        couple(),
        (duty("cooking", ("alex",), different_owner_from=("dishes",)), duty("dishes", ("alex",))),
        daily("cooking", range(1), "18:00", 60) + daily("dishes", range(1), "19:15"),
    )
    plan = solve(household)
    assert len(plan.assignments) == 1
    [missing] = plan.unassigned
    assert "link rule" in missing.reason


def test_a_busy_parent_makes_the_linked_pair_move_together() -> None:
    alex, sam = couple(alex_busy=tuple(busy(d, "19:40", "21:00", "Choir") for d in range(7)))
    household = instance(
        (alex, sam),
        (duty("bath", same_owner_as=("bedtime",)), duty("bedtime")),
        daily("bath", range(7), "19:00") + daily("bedtime", range(7), "19:45"),
    )
    plan = solve(household)
    assert {a.member for a in plan.assignments} == {"sam"}
    assert len(plan.assignments) == 14
