"""Explanations a family reads: why nobody could take a duty, why it went to whom, why it moved."""

from __future__ import annotations

from scheduler.solver.blockers import blockers
from scheduler.solver.explain import change_cause, why_assigned, why_unassigned
from scheduler.solver.instance import Duty, Fairness, Lock, PreviousAssignment
from tests.scheduler.solver.hand_built import (
    DUTIES,
    assign,
    at,
    busy,
    everyone_on_duty,
    family,
    fixed,
    occurrence,
    occurrences,
)


def test_unassigned_drop_off_names_each_members_obstacle() -> None:
    instance = family(
        alex={"busy": (busy(1, (7, 0), (8, 0), "Team standup"),)},
        sam={"busy": (busy(1, (6, 0), (9, 30), "Flight"),)},
    )
    reason = why_unassigned(instance, occurrence(instance, "dropoff", 1), [])
    assert reason == (
        "Tue 24 Nov 07:30 School drop-off: Alex busy (Team standup 07:00-08:00), "
        "Sam busy (Flight 06:00-09:30), Nana not available on Tuesdays, Thursdays and weekends"
    )


def test_meeting_that_only_hits_the_travel_buffer_says_so() -> None:
    instance = family(
        alex={"busy": (busy(0, (7, 0), (7, 20), "Gym"),), "buffer_before": 15},
    )
    found = blockers(instance, "alex", occurrence(instance, "dropoff", 0), at(0, 7, 30), [])
    assert found == ["busy (Gym 07:00-07:20, within the 15-min travel buffer)"]


def test_member_with_nothing_in_the_way_is_free() -> None:
    instance = family()
    assert blockers(instance, "sam", occurrence(instance, "dropoff", 0), at(0, 7, 30), []) == []


def test_helper_without_availability_text_is_not_available_then() -> None:
    instance = family()
    nana = instance.member("nana").model_copy(update={"availability_text": ""})
    instance = family(members=(instance.member("alex"), instance.member("sam"), nana))
    found = blockers(instance, "nana", occurrence(instance, "dropoff", 1), at(1, 7, 30), [])
    assert found == ["not available then"]


def test_member_already_doing_another_duty_at_that_time() -> None:
    walk = Duty(id="walk", name="Dog walk", eligible=("alex", "sam"))
    instance = family(
        duties=(*DUTIES, walk), occurrences=(*occurrences(), fixed("walk", 1, 7, 45, 30))
    )
    taken = [assign(instance, "dropoff", 1, "alex")]
    found = blockers(instance, "alex", occurrence(instance, "walk", 1), at(1, 7, 45), taken)
    assert found == ["already doing School drop-off at that time (07:30-08:00)"]


def test_weekly_cap_reached_counts_minutes_of_the_week() -> None:
    instance = family(sam={"weekly_cap": 60})
    taken = [assign(instance, "pickup", 0, "sam"), assign(instance, "pickup", 1, "sam")]
    found = blockers(instance, "sam", occurrence(instance, "pickup", 2), at(2, 15, 30), taken)
    assert found == ["at the weekly cap (60 of 60 min)"]


def _linked(kind: str) -> tuple[Duty, ...]:
    """The hand-built duties with pick-up linked to drop-off (``same_owner_as`` or
    ``different_owner_from``)."""
    return tuple(
        d.model_copy(update={kind: ("dropoff",)}) if d.id == "pickup" else d for d in DUTIES
    )


def test_a_link_never_stops_anyone_from_taking_a_duty() -> None:
    instance = family(
        duties=_linked("different_owner_from"),
        sam={"busy": (busy(1, (15, 0), (17, 0), "Dentist"),)},
    )
    taken = [assign(instance, "dropoff", 1, "alex")]
    pickup = occurrence(instance, "pickup", 1)
    assert blockers(instance, "alex", pickup, at(1, 15, 30), taken) == []
    assert why_unassigned(instance, pickup, taken) == (
        "Tue 24 Nov 15:30 School pick-up: Alex looks free at 15:30, "
        "Sam busy (Dentist 15:00-17:00), Nana not available on Tuesdays, Thursdays and weekends"
    )


def test_one_parent_doing_both_linked_duties_says_who_could_not() -> None:
    instance = family(
        duties=_linked("different_owner_from"),
        alex={"busy": (busy(1, (7, 0), (8, 0), "Team standup"),)},
    )
    taken = [assign(instance, "dropoff", 1, "sam"), assign(instance, "pickup", 1, "sam")]
    expected = (
        "Sam does both School drop-off and School pick-up today: Alex busy (Team standup "
        "07:00-08:00), Nana not available on Tuesdays, Thursdays and weekends"
    )
    for duty, start in (("dropoff", at(1, 7, 30)), ("pickup", at(1, 15, 30))):
        assert (
            why_assigned(instance, occurrence(instance, duty, 1), "sam", start, taken) == expected
        )


def test_split_same_owner_duties_say_what_kept_each_parent_from_the_other() -> None:
    instance = family(
        duties=_linked("same_owner_as"),
        alex={"busy": (busy(1, (15, 0), (16, 0), "Call"),)},
        sam={"busy": (busy(1, (7, 0), (8, 0), "Gym"),)},
    )
    taken = [assign(instance, "dropoff", 1, "alex"), assign(instance, "pickup", 1, "sam")]
    reason = why_assigned(instance, occurrence(instance, "pickup", 1), "sam", at(1, 15, 30), taken)
    assert reason == (
        "Alex does School drop-off but Sam does School pick-up today: "
        "Alex busy (Call 15:00-16:00), Sam busy (Gym 07:00-08:00), "
        "Nana not available on Tuesdays, Thursdays and weekends"
    )


def test_ramp_up_limit_stops_a_second_new_series_in_week_one() -> None:
    instance = family(alex={"ramp_up": 1})
    taken = [assign(instance, "dropoff", 0, "alex")]
    found = blockers(instance, "alex", occurrence(instance, "pickup", 1), at(1, 15, 30), taken)
    assert found == ["at the ramp-up limit (1 new series per week)"]
    # Another drop-off is the same series: no new series, no limit.
    found = blockers(instance, "alex", occurrence(instance, "dropoff", 1), at(1, 7, 30), taken)
    assert found == []


def test_pinned_duty_blocks_everyone_else() -> None:
    duties = (DUTIES[0], DUTIES[1].model_copy(update={"pinned_owner": "sam"}), DUTIES[2])
    instance = family(duties=duties)
    found = blockers(instance, "alex", occurrence(instance, "pickup", 0), at(0, 15, 30), [])
    assert found == ["excluded (pinned to Sam)"]


def test_flexible_duty_says_no_start_in_the_window_works() -> None:
    instance = family(
        alex={"busy": (busy(5, (8, 0), (19, 0), "Football tournament"),)},
        sam={"busy": (busy(5, (9, 0), (12, 0), "Wedding"), busy(5, (12, 0), (18, 0), "Party"))},
    )
    reason = why_unassigned(instance, occurrence(instance, "laundry", 5), [])
    assert reason == (
        "Sat 28 Nov 09:00-18:00 Laundry: no start in the window works: "
        "Alex busy (Football tournament 08:00-19:00), "
        "Sam busy (Wedding 09:00-12:00) and busy (Party 12:00-18:00)"
    )


def test_a_meeting_that_blocks_some_starts_and_the_buffer_of_others_is_named_once() -> None:
    instance = family(
        alex={"busy": (busy(5, (8, 0), (19, 0), "Football tournament"),)},
        sam={"busy": (busy(5, (9, 0), (16, 20), "Wedding"),), "buffer_before": 15},
    )
    reason = why_unassigned(instance, occurrence(instance, "laundry", 5), [])
    assert reason == (
        "Sat 28 Nov 09:00-18:00 Laundry: no start in the window works: "
        "Alex busy (Football tournament 08:00-19:00), Sam busy (Wedding 09:00-16:20)"
    )


def test_series_owner_is_named() -> None:
    instance = family()
    plan = everyone_on_duty(instance)
    reason = why_assigned(instance, occurrence(instance, "pickup", 2), "sam", at(2, 15, 30), plan)
    assert reason == "Sam owns School pick-up"


def test_usual_owner_busy_so_the_other_partner() -> None:
    instance = family(alex={"busy": (busy(2, (15, 0), (16, 30), "Board prep"),)})
    plan = [assign(instance, "pickup", d, "alex") for d in (0, 1, 3, 4)]
    plan.append(assign(instance, "pickup", 2, "sam"))
    reason = why_assigned(instance, occurrence(instance, "pickup", 2), "sam", at(2, 15, 30), plan)
    assert reason == "Alex busy (Board prep 15:00-16:30), so Sam"


def test_helper_covers_when_neither_partner_is_free() -> None:
    instance = family(
        alex={"busy": (busy(0, (7, 0), (9, 0), "Early shift"),)},
        sam={"busy": (busy(0, (6, 0), (12, 0), "Flight"),)},
    )
    plan = [assign(instance, "dropoff", 0, "nana")]
    reason = why_assigned(instance, occurrence(instance, "dropoff", 0), "nana", at(0, 7, 30), plan)
    assert reason == (
        "neither partner can take it (Alex busy (Early shift 07:00-09:00), "
        "Sam busy (Flight 06:00-12:00)); Nana covers it"
    )


def test_helper_instead_of_a_free_partner_says_what_that_partner_would_then_carry() -> None:
    """Alex is busy; Sam is free but already carries most of the load, so Nana takes the pick-up:
    the family reads why it is not Sam."""
    instance = family(alex={"busy": (busy(0, (15, 0), (16, 30), "Board prep"),)})
    plan = [
        *(assign(instance, "dropoff", d, "sam") for d in range(5)),  # 5 x 30 min x effort 2
        *(assign(instance, "pickup", d, "alex") for d in range(1, 5)),  # 4 x 30 min
        assign(instance, "pickup", 0, "nana"),
    ]
    reason = why_assigned(instance, occurrence(instance, "pickup", 0), "nana", at(0, 15, 30), plan)
    assert reason == (
        "Alex busy (Board prep 15:00-16:30); Sam is free but would then carry 73.3 % of the "
        "load instead of 71.4 % (target 50.0 %), so Nana"
    )


def test_helper_instead_of_a_partner_below_target_does_not_blame_fairness() -> None:
    """Sam taking the pick-up would bring the split closer to even: fairness is not why."""
    instance = family(alex={"busy": (busy(0, (15, 0), (16, 30), "Board prep"),)})
    plan = [
        *(assign(instance, "dropoff", d, "alex") for d in range(5)),
        *(assign(instance, "pickup", d, "sam") for d in range(1, 5)),
        assign(instance, "pickup", 0, "nana"),
    ]
    reason = why_assigned(instance, occurrence(instance, "pickup", 0), "nana", at(0, 15, 30), plan)
    assert "would then carry" not in reason


def test_a_partner_who_avoids_a_duty_they_own_hears_what_the_other_would_then_carry() -> None:
    instance = family(alex={"avoids": frozenset({"laundry"})})
    plan = [
        *(assign(instance, "dropoff", d, "sam") for d in range(5)),  # 300 weighted minutes
        *(assign(instance, "pickup", d, "alex") for d in range(5)),  # 150
        assign(instance, "laundry", 5, "alex", at(5, 9)),  # 90
    ]
    reason = why_assigned(instance, occurrence(instance, "laundry", 5), "alex", at(5, 9), plan)
    assert reason == (
        "Alex owns Laundry, though Alex would rather not: with Sam doing it, Sam would carry "
        "72.2 % of the load (target 50.0 %)"
    )


def test_an_avoided_duty_that_would_even_out_the_split_elsewhere_just_says_who_owns_it() -> None:
    instance = family(alex={"avoids": frozenset({"laundry"})})
    plan = [
        *(assign(instance, "dropoff", d, "alex") for d in range(5)),
        *(assign(instance, "pickup", d, "sam") for d in range(5)),
        assign(instance, "laundry", 5, "alex", at(5, 9)),
    ]
    reason = why_assigned(instance, occurrence(instance, "laundry", 5), "alex", at(5, 9), plan)
    assert reason == "Alex owns Laundry"


def test_the_owner_of_a_duty_another_partner_prefers_says_what_kept_them_from_it() -> None:
    instance = family(
        sam={"prefers": frozenset({"dropoff"}), "busy": (busy(1, (7, 0), (8, 0), "Standup"),)}
    )
    plan = [assign(instance, "dropoff", d, "alex") for d in range(5)]
    reason = why_assigned(instance, occurrence(instance, "dropoff", 0), "alex", at(0, 7, 30), plan)
    assert reason == "Alex owns School drop-off; Sam would like it but is not free for 1 of the 5"

    free_sam = family(sam={"prefers": frozenset({"dropoff"})})
    plan = [
        *(assign(free_sam, "dropoff", d, "alex") for d in range(5)),  # 300 weighted minutes
        *(assign(free_sam, "pickup", d, "sam") for d in range(5)),  # 150
        assign(free_sam, "laundry", 5, "sam", at(5, 9)),  # 90
    ]
    reason = why_assigned(free_sam, occurrence(free_sam, "dropoff", 0), "alex", at(0, 7, 30), plan)
    assert reason == (
        "Alex owns School drop-off; Sam would like it, but with Sam doing it, Sam would carry "
        "100.0 % of the load (target 50.0 %)"
    )


def test_a_member_who_did_a_duty_before_does_not_own_it_where_the_plan_gives_it_another() -> None:
    """``owns`` is what Sam already did (for ramp-up); in this plan Alex owns the drop-off and
    Sam takes the one morning Alex is busy."""
    instance = family(
        sam={"owns": frozenset({"dropoff"})},
        alex={"busy": (busy(0, (7, 0), (8, 0), "Standup"),)},
    )
    plan = [assign(instance, "dropoff", 0, "sam")]
    plan += [assign(instance, "dropoff", d, "alex") for d in range(1, 5)]
    reason = why_assigned(instance, occurrence(instance, "dropoff", 0), "sam", at(0, 7, 30), plan)
    assert "owns" not in reason
    assert reason.startswith("Alex busy (Standup 07:00-08:00)")


def test_locked_occurrence_says_agreed_date_and_an_ignored_lock_says_why() -> None:
    lock = Lock(duty="dropoff", day=at(0, 0).date(), member="sam")
    instance = family(locks=(lock,))
    plan = [assign(instance, "dropoff", 0, "sam")]
    assert (
        why_assigned(instance, occurrence(instance, "dropoff", 0), "sam", at(0, 7, 30), plan)
        == "locked: agreed date"
    )
    busy_sam = family(locks=(lock,), sam={"busy": (busy(0, (7, 0), (8, 0), "Dentist"),)})
    plan = [assign(busy_sam, "dropoff", 0, "alex")]
    reason = why_assigned(busy_sam, occurrence(busy_sam, "dropoff", 0), "alex", at(0, 7, 30), plan)
    assert reason == "lock ignored: Sam busy (Dentist 07:00-08:00), so Alex"


def test_a_turn_the_free_owner_did_not_take_says_what_the_owner_would_then_carry() -> None:
    instance = family()
    plan = [assign(instance, "dropoff", d, "alex") for d in range(4)]  # 4 x 30 min x effort 2
    plan.append(assign(instance, "dropoff", 4, "sam"))
    friday = occurrence(instance, "dropoff", 4)
    assert why_assigned(instance, friday, "sam", at(4, 7, 30), plan) == (
        "Alex owns School drop-off, but with Alex doing this one too, Alex would carry 100.0 % "
        "of the load instead of 80.0 % (target 50.0 %), so Sam"
    )


def test_a_turn_fairness_does_not_explain_is_a_preference_or_evens_out_the_load() -> None:
    """Sam already carries more (load from earlier weeks): Alex taking Friday too would bring the
    split closer to even, and keep that week inside its 10-point band, so fairness is not why
    Sam does it."""
    carried = Fairness(carried_load={"sam": 300})
    instance = family(sam={"prefers": frozenset({"dropoff"})}, fairness=carried)
    plan = [assign(instance, "dropoff", d, "alex") for d in range(4)]  # 240
    plan.append(assign(instance, "dropoff", 4, "sam"))  # 60, and 150 + 90 more:
    plan += [assign(instance, "pickup", d, "sam") for d in range(5)]
    plan.append(assign(instance, "laundry", 5, "sam"))
    friday = occurrence(instance, "dropoff", 4)
    assert why_assigned(instance, friday, "sam", at(4, 7, 30), plan) == "prefers it"
    plain = family(fairness=carried)
    assert why_assigned(plain, friday, "sam", at(4, 7, 30), plan) == "evens out the load"


def test_frozen_previous_assignment_is_kept() -> None:
    previous = PreviousAssignment(
        duty="dropoff", day=at(0, 0).date(), member="alex", start=at(0, 7, 30)
    )
    instance = family(previous=(previous,), now=at(0, 6, 45))
    plan = everyone_on_duty(instance)
    reason = why_assigned(instance, occurrence(instance, "dropoff", 0), "alex", at(0, 7, 30), plan)
    assert reason == "kept: starts within the 120-min freeze"


def test_change_cause_names_the_new_meeting() -> None:
    previous = PreviousAssignment(
        duty="pickup", day=at(1, 0).date(), member="alex", start=at(1, 15, 30)
    )
    instance = family(alex={"busy": (busy(1, (15, 0), (16, 30), "Board prep"),)})
    cause = change_cause(
        instance, occurrence(instance, "pickup", 1), previous, "sam", at(1, 15, 30)
    )
    assert cause == "Alex: 'Board prep' 15:00-16:30"


def test_change_cause_without_a_new_meeting_is_the_cap_or_fairness() -> None:
    previous = PreviousAssignment(
        duty="pickup", day=at(1, 0).date(), member="alex", start=at(1, 15, 30)
    )
    pickup = occurrence(family(), "pickup", 1)
    assert change_cause(family(), pickup, previous, "sam", at(1, 15, 30)) == "fairness"
    capped = family(alex={"weekly_cap": 150})
    plan = [assign(capped, "dropoff", d, "alex") for d in range(5)]
    cause = change_cause(capped, pickup, previous, "sam", at(1, 15, 30), plan)
    assert cause == "Alex: at the weekly cap"


def test_a_helper_keeping_a_link_says_which_duty_the_partner_already_does() -> None:
    instance = family(
        duties=_linked("different_owner_from"),
        sam={"busy": (busy(0, (15, 0), (17, 0), "Dentist"),)},
    )
    taken = [assign(instance, "dropoff", 0, "alex"), assign(instance, "pickup", 0, "nana")]
    reason = why_assigned(instance, occurrence(instance, "pickup", 0), "nana", at(0, 15, 30), taken)
    assert reason == (
        "neither partner can take it (Alex does School drop-off that day, "
        "Sam busy (Dentist 15:00-17:00)); Nana covers it"
    )


def test_a_helper_owning_the_series_says_so_unless_both_calendars_rule_the_partners_out() -> None:
    shop = Duty(id="shop", name="Groceries", eligible=("alex", "sam"))
    instance = family(
        duties=(*DUTIES, shop),
        occurrences=(*occurrences(), fixed("shop", 2, 15, 30, 60)),
        alex={"busy": (busy(4, (15, 0), (16, 0), "Client call"),)},
        sam={"busy": (busy(2, (15, 0), (17, 0), "Dentist"), busy(4, (15, 0), (16, 0), "Gym"))},
    )
    plan = [assign(instance, "pickup", d, "nana") for d in (0, 2, 4)]
    plan.append(assign(instance, "shop", 2, "alex"))
    # Wednesday: Alex is only "busy" with the shopping the plan gave him; Nana owns the pick-ups.
    wednesday = why_assigned(
        instance, occurrence(instance, "pickup", 2), "nana", at(2, 15, 30), plan
    )
    assert wednesday == "Nana owns School pick-up"
    # Friday: both partners' own calendars rule them out, which says more than ownership.
    friday = why_assigned(instance, occurrence(instance, "pickup", 4), "nana", at(4, 15, 30), plan)
    assert friday == (
        "neither partner can take it (Alex busy (Client call 15:00-16:00), "
        "Sam busy (Gym 15:00-16:00)); Nana covers it"
    )


def test_a_helper_owning_a_series_a_partner_could_do_says_why_that_partner_does_not() -> None:
    """A paid helper is the fallback: the family reads why Alex, free, does not do the pick-ups
    (the split, even with Sam's carried load, would tip) and why Sam does not (his calendar)."""
    instance = family(
        sam={"busy": tuple(busy(d, (15, 0), (16, 30), "Lab") for d in (0, 2))},
        fairness=Fairness(carried_load={"sam": 300}),
    )
    plan = [
        *(assign(instance, "dropoff", d, "alex") for d in range(5)),  # 300 weighted minutes
        *(assign(instance, "pickup", d, "nana") for d in (0, 2, 4)),
    ]
    reason = why_assigned(instance, occurrence(instance, "pickup", 4), "nana", at(4, 15, 30), plan)
    assert reason == (
        "Nana owns School pick-up; with Alex doing it, Alex would carry 56.5 % of the load "
        "(target 50.0 %); Sam is not free for 2 of the 3"
    )


def test_a_household_that_wants_the_split_fair_along_the_way_hears_about_it() -> None:
    """Sam does most of the first week and Alex most of the second (seven dinners): Sam taking
    Alex's Friday drop-off would even out the fortnight, but leave Sam further behind at the
    end of the first week."""
    dinners = tuple(fixed("dinner", d, 18, 0, 60) for d in range(7, 14))
    fortnight = {
        "end": at(14, 0),
        "duties": (*DUTIES, Duty(id="dinner", name="Dinner", effort=2, eligible=("alex", "sam"))),
        "occurrences": (*occurrences(), *dinners),
    }
    plain = family(**fortnight)
    along_the_way = family(**fortnight, fairness=Fairness(so_far_bound_percent=2))
    plan = [assign(plain, "dropoff", d, "sam") for d in range(4)]  # 240
    plan.append(assign(plain, "dropoff", 4, "alex"))  # 60
    plan += [assign(plain, "pickup", d, "sam") for d in range(5)]  # 150
    plan.append(assign(plain, "laundry", 5, "alex"))  # 90
    plan += [assign(plain, "dinner", d, "alex") for d in range(7, 14)]  # 840
    friday = occurrence(plain, "dropoff", 4)
    assert why_assigned(along_the_way, friday, "alex", at(4, 7, 30), plan) == (
        "Sam owns School drop-off, but with Sam doing this one too, Sam would carry 83.3 % of the "
        "load so far by that week's end instead of 72.2 % (target 50.0 %), so Alex"
    )
    assert why_assigned(plain, friday, "alex", at(4, 7, 30), plan) == (
        "Sam owns School drop-off, but with Sam doing this one too, Sam would carry 83.3 % of the "
        "load that week instead of 72.2 % (target 50.0 %), so Alex"
    )
