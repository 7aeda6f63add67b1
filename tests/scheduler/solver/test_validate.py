"""The validator re-checks a plan without the solver: each hard rule passes when kept and is
reported in words when broken. Plans are built by hand."""

from __future__ import annotations

from datetime import timedelta

from scheduler.solver.instance import Duty, Lock, PreviousAssignment
from scheduler.solver.validate import broken_links, violations
from tests.scheduler.solver.hand_built import (
    DUTIES,
    assign,
    at,
    busy,
    everyone_on_duty,
    family,
    fixed,
    occurrences,
    plan,
)


def test_a_plan_that_keeps_every_rule_has_no_violations() -> None:
    instance = family()
    assert violations(instance, plan(instance, everyone_on_duty(instance))) == []


def test_an_empty_plan_that_reports_everything_unassigned_is_valid() -> None:
    instance = family()
    assert violations(instance, plan(instance, [])) == []


def test_occurrence_assigned_twice_is_reported() -> None:
    instance = family()
    twice = [*everyone_on_duty(instance), assign(instance, "laundry", 5, "sam", at(5, 13))]
    assert violations(instance, plan(instance, twice)) == [
        "Sat 28 Nov 09:00-18:00 Laundry: assigned 2 times"
    ]


def test_assignment_of_an_unknown_occurrence_is_reported() -> None:
    instance = family()
    extra = assign(instance, "dropoff", 0, "alex").model_copy(
        update={"day": at(5, 0).date(), "start": at(5, 7, 30), "end": at(5, 8)}
    )
    found = violations(instance, plan(instance, [*everyone_on_duty(instance), extra]))
    assert found == ["dropoff on 2026-11-28: assigned but not an occurrence of the instance"]


def test_occurrence_missing_from_both_lists_is_reported() -> None:
    instance = family()
    incomplete = plan(instance, everyone_on_duty(instance))
    incomplete = incomplete.model_copy(update={"assignments": incomplete.assignments[1:]})
    assert violations(instance, incomplete) == [
        "Mon 23 Nov 07:30 School drop-off: neither assigned nor reported unassigned"
    ]


def test_flexible_start_off_the_grid_or_outside_the_window_is_reported() -> None:
    instance = family()
    for start in (at(5, 9, 10), at(5, 17)):
        duties = [*everyone_on_duty(instance)[:-1], assign(instance, "laundry", 5, "alex", start)]
        found = violations(instance, plan(instance, duties))
        assert len(found) == 1
        assert "starts off the 30-min grid or outside 09:00-16:30" in found[0]


def test_assignment_that_ends_at_the_wrong_time_is_reported() -> None:
    instance = family()
    duties = everyone_on_duty(instance)
    duties[0] = duties[0].model_copy(update={"end": duties[0].end + timedelta(minutes=15)})
    assert violations(instance, plan(instance, duties)) == [
        "Mon 23 Nov 07:30 School drop-off (Alex): ends at Mon 23 Nov 08:15, not after 30 min"
    ]


def test_ineligible_or_not_pinned_member_is_reported() -> None:
    instance = family(
        duties=(DUTIES[0], DUTIES[1].model_copy(update={"pinned_owner": "sam"}), DUTIES[2])
    )
    duties = everyone_on_duty(instance)
    duties[-1] = assign(instance, "laundry", 5, "nana")
    duties[5] = assign(instance, "pickup", 0, "alex")
    assert violations(instance, plan(instance, duties)) == [
        "Mon 23 Nov 15:30 School pick-up (Alex): excluded (pinned to Sam)",
        "Sat 28 Nov 09:00 Laundry (Nana): not eligible",
        "Sat 28 Nov 09:00 Laundry (Nana): not available on Tuesdays, Thursdays and weekends",
    ]


def test_member_assigned_while_busy_is_reported() -> None:
    instance = family(alex={"busy": (busy(0, (7, 0), (8, 0), "Team standup"),)})
    assert violations(instance, plan(instance, everyone_on_duty(instance))) == [
        "Mon 23 Nov 07:30 School drop-off (Alex): busy (Team standup 07:00-08:00)"
    ]


def test_travel_buffer_counts_as_busy() -> None:
    meeting = busy(0, (8, 10), (9, 0), "Client call")
    assert (
        violations(family(alex={"busy": (meeting,)}), plan(family(), everyone_on_duty(family())))
        == []
    )
    instance = family(alex={"busy": (meeting,), "buffer_after": 15})
    assert violations(instance, plan(instance, everyone_on_duty(instance))) == [
        "Mon 23 Nov 07:30 School drop-off (Alex): "
        "busy (Client call 08:10-09:00, within the 15-min travel buffer)"
    ]


def test_helper_outside_availability_is_reported() -> None:
    instance = family()
    duties = everyone_on_duty(instance)
    duties[0] = assign(instance, "dropoff", 0, "nana")  # Monday: fine
    duties[1] = assign(instance, "dropoff", 1, "nana")  # Tuesday: not available
    assert violations(instance, plan(instance, duties)) == [
        "Tue 24 Nov 07:30 School drop-off (Nana): not available on Tuesdays, Thursdays and weekends"
    ]


def test_two_duties_of_one_member_at_once_are_reported() -> None:
    walk = Duty(id="walk", name="Dog walk", eligible=("alex", "sam"))
    instance = family(
        duties=(*DUTIES, walk), occurrences=(*occurrences(), fixed("walk", 0, 7, 45, 30))
    )
    ok = [*everyone_on_duty(instance), assign(instance, "walk", 0, "sam")]
    assert violations(instance, plan(instance, ok)) == []
    clash = [*everyone_on_duty(instance), assign(instance, "walk", 0, "alex")]
    assert violations(instance, plan(instance, clash)) == [
        "Alex: School drop-off (Mon 23 Nov 07:30) overlaps Dog walk (Mon 23 Nov 07:45)"
    ]


def test_weekly_cap_exceeded_is_reported() -> None:
    ok = family(alex={"weekly_cap": 240})
    assert violations(ok, plan(ok, everyone_on_duty(ok))) == []
    capped = family(alex={"weekly_cap": 200})
    assert violations(capped, plan(capped, everyone_on_duty(capped))) == [
        "Alex: 240 min of duties in the week of Mon 23 Nov, over the weekly cap of 200 min"
    ]


def test_a_broken_link_is_not_a_violation_but_is_listed_once_per_day() -> None:
    duties = (
        DUTIES[0],
        DUTIES[1].model_copy(update={"different_owner_from": ("dropoff",)}),
        DUTIES[2],
    )
    instance = family(duties=duties)
    kept = plan(instance, everyone_on_duty(instance))
    assert violations(instance, kept) == []
    assert broken_links(instance, kept) == []
    same = everyone_on_duty(instance)
    same[5] = assign(instance, "pickup", 0, "alex")
    assert violations(instance, plan(instance, same)) == []
    assert broken_links(instance, plan(instance, same)) == [
        "Mon 23 Nov: School drop-off (Alex) and School pick-up (Alex) should have different owners"
    ]
    together = family(
        duties=(DUTIES[0], DUTIES[1].model_copy(update={"same_owner_as": ("dropoff",)}), DUTIES[2])
    )
    split = plan(together, everyone_on_duty(together))
    assert violations(together, split) == []
    found = broken_links(together, split)
    assert len(found) == 5
    assert found[0] == (
        "Mon 23 Nov: School drop-off (Alex) and School pick-up (Sam) should have the same owner"
    )


def test_ramp_up_limits_new_series_per_week() -> None:
    instance = family(alex={"ramp_up": 1})
    assert violations(instance, plan(instance, everyone_on_duty(instance))) == [
        "Alex: 2 new duty series in week 1, ramp-up allows 1 per week"
    ]
    owner = family(alex={"ramp_up": 1, "owns": frozenset({"laundry"})})
    assert violations(owner, plan(owner, everyone_on_duty(owner))) == []


def test_lock_must_hold_when_the_locked_member_is_free() -> None:
    lock = Lock(duty="dropoff", day=at(0, 0).date(), member="sam")
    instance = family(locks=(lock,))
    assert violations(instance, plan(instance, everyone_on_duty(instance))) == [
        "Mon 23 Nov 07:30 School drop-off: locked to Sam who is free, but went to Alex"
    ]
    dentist = family(locks=(lock,), sam={"busy": (busy(0, (7, 0), (8, 0), "Dentist"),)})
    assert violations(dentist, plan(dentist, everyone_on_duty(dentist))) == []


def test_frozen_previous_assignment_must_stay_and_sequence_follows_changes() -> None:
    previous = (
        PreviousAssignment(
            duty="dropoff", day=at(0, 0).date(), member="sam", start=at(0, 7, 30), sequence=2
        ),
        PreviousAssignment(
            duty="pickup", day=at(0, 0).date(), member="sam", start=at(0, 15, 30), sequence=4
        ),
    )
    instance = family(previous=previous, now=at(0, 6, 45))
    duties = everyone_on_duty(instance)
    duties[0] = duties[0].model_copy(update={"sequence": 3})
    duties[5] = duties[5].model_copy(update={"sequence": 4})
    assert violations(instance, plan(instance, duties)) == [
        "Mon 23 Nov 07:30 School drop-off: starts within the 120-min freeze, must stay with Sam, "
        "but went to Alex at Mon 23 Nov 07:30"
    ]
    duties[0] = assign(instance, "dropoff", 0, "sam").model_copy(update={"sequence": 3})
    assert violations(instance, plan(instance, duties)) == [
        "School drop-off on 2026-11-23: feed sequence 3, expected 2 (unchanged since the "
        "previous plan)"
    ]


def test_previous_start_off_todays_grid_may_be_kept() -> None:
    previous = PreviousAssignment(
        duty="laundry", day=at(5, 0).date(), member="alex", start=at(5, 9, 10)
    )
    instance = family(previous=(previous,), now=at(0, 6))
    kept = [*everyone_on_duty(instance)[:-1], assign(instance, "laundry", 5, "alex", at(5, 9, 10))]
    assert violations(instance, plan(instance, kept)) == []
    elsewhere = [
        *everyone_on_duty(instance)[:-1],
        assign(instance, "laundry", 5, "alex", at(5, 9, 20)),
    ]
    assert len(violations(instance, plan(instance, elsewhere))) == 2  # off the grid, sequence
