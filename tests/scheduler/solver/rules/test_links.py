"""Same-owner and different-owner links between duties on the same day.

A link is the family's wish, kept whenever every duty can still be covered: it gives way only when
keeping it would leave a duty undone, and the plan then says so.
"""

from scheduler.solver.instance import Instance, Member
from scheduler.solver.model import solve
from scheduler.solver.plan import Plan
from scheduler.solver.validate import broken_links, violations
from tests.scheduler.solver.family import busy, couple, daily, duty, helper, instance


def _owner(plan: Plan, duty_id: str, day: int) -> str:
    return next(a.member for a in plan.assignments if a.duty == duty_id and a.day.day == 23 + day)


def _reason(plan: Plan, duty_id: str, day: int) -> str:
    return next(a.reason for a in plan.assignments if a.duty == duty_id and a.day.day == 23 + day)


def _school_runs(alex: Member, sam: Member, days: int) -> Instance:
    """Drop-off at 07:30 and pick-up at 15:30 from Monday on; whoever drops off doesn't pick up."""
    return instance(
        (alex, sam),
        (duty("dropoff", different_owner_from=("pickup",)), duty("pickup")),
        daily("dropoff", range(days), "07:30") + daily("pickup", range(days), "15:30"),
    )


def test_bath_and_bedtime_go_to_the_same_parent_each_day() -> None:
    household = instance(
        couple(),
        (duty("bath", same_owner_as=("bedtime",)), duty("bedtime")),
        daily("bath", range(7), "19:00") + daily("bedtime", range(7), "19:45"),
    )
    plan = solve(household)
    assert all(_owner(plan, "bath", d) == _owner(plan, "bedtime", d) for d in range(7))
    assert plan.unassigned == []
    assert broken_links(household, plan) == []
    assert plan.broken_links == []
    assert violations(household, plan) == []


def test_a_busy_parent_makes_the_linked_pair_move_together() -> None:
    alex, sam = couple(alex_busy=tuple(busy(d, "19:40", "21:00", "Choir") for d in range(7)))
    household = instance(
        (alex, sam),
        (duty("bath", same_owner_as=("bedtime",)), duty("bedtime")),
        daily("bath", range(7), "19:00") + daily("bedtime", range(7), "19:45"),
    )
    plan = solve(household)
    # Alex could bath the children, but then bedtime would be split: Sam does both every day.
    assert {a.member for a in plan.assignments} == {"sam"}
    assert len(plan.assignments) == 14
    assert plan.broken_links == []


def test_whoever_drops_off_does_not_pick_up_when_someone_else_can() -> None:
    # Sam is busy at drop-off on Monday and Alex at pick-up on Tuesday: the link can still be kept
    # every day, so it is, even though one parent doing both would be just as fair.
    alex, sam = couple(
        alex_busy=(busy(1, "15:00", "16:30", "Call"),),
        sam_busy=(busy(0, "07:00", "08:30", "Gym"),),
    )
    household = _school_runs(alex, sam, days=5)
    plan = solve(household)
    assert plan.unassigned == []
    assert all(_owner(plan, "dropoff", d) != _owner(plan, "pickup", d) for d in range(5))
    assert broken_links(household, plan) == []


def test_a_link_gives_way_rather_than_leave_the_pick_up_undone() -> None:
    # Monday: Alex is busy all day, so Sam is the only one who can drop off or pick up.
    alex, sam = couple(alex_busy=(busy(0, "07:00", "17:00", "Conference"),))
    household = _school_runs(alex, sam, days=2)
    plan = solve(household)
    assert plan.unassigned == []
    assert _owner(plan, "dropoff", 0) == _owner(plan, "pickup", 0) == "sam"
    assert _owner(plan, "dropoff", 1) != _owner(plan, "pickup", 1)  # kept where it can be
    expected = "Sam does both Dropoff and Pickup today: Alex busy (Conference 07:00-17:00)"
    assert _reason(plan, "dropoff", 0) == expected
    assert _reason(plan, "pickup", 0) == expected
    assert broken_links(household, plan) == [
        "Mon 23 Nov: Dropoff (Sam) and Pickup (Sam) should have different owners"
    ]
    [broken] = plan.broken_links
    assert (broken.duties, broken.members, broken.rule) == (
        ["dropoff", "pickup"],
        ["sam", "sam"],
        "different_owner",
    )
    assert broken.reason == expected
    assert violations(household, plan) == []


def test_cooking_and_dishes_both_go_to_the_only_eligible_parent() -> None:
    household = instance(
        couple(),
        (duty("cooking", ("alex",), different_owner_from=("dishes",)), duty("dishes", ("alex",))),
        daily("cooking", range(1), "18:00", 60) + daily("dishes", range(1), "19:15"),
    )
    plan = solve(household)
    assert plan.unassigned == []
    assert _reason(plan, "dishes", 0) == (
        "Alex does both Cooking and Dishes today: nobody else may do Cooking or Dishes"
    )


def test_swimming_goes_to_another_parent_rather_than_be_skipped() -> None:
    # Straight from school to the pool, but on Tuesday Sam picks up and has a dentist appointment
    # at swimming time, while Alex is on a call at pick-up time.
    alex, sam = couple(
        alex_busy=(busy(1, "15:00", "16:00", "Call"),),
        sam_busy=(busy(1, "16:30", "17:30", "Dentist"),),
    )
    household = instance(
        (alex, sam, helper(availability=())),
        (duty("pickup", ("alex", "sam", "nana")), duty("swimming", same_owner_as=("pickup",))),
        daily("pickup", range(3), "15:30") + daily("swimming", range(3), "16:30", 60),
    )
    plan = solve(household)
    assert plan.unassigned == []
    assert (_owner(plan, "pickup", 1), _owner(plan, "swimming", 1)) == ("sam", "alex")
    assert all(_owner(plan, "pickup", d) == _owner(plan, "swimming", d) for d in (0, 2))
    expected = (
        "Sam does Pickup but Alex does Swimming today: Alex busy (Call 15:00-16:00), "
        "Sam busy (Dentist 16:30-17:30)"
    )
    assert _reason(plan, "pickup", 1) == _reason(plan, "swimming", 1) == expected
    assert [(b.rule, b.members) for b in plan.broken_links] == [("same_owner", ["sam", "alex"])]
    assert violations(household, plan) == []
