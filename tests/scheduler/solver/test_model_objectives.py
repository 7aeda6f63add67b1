"""The soft goals in their order: fairness, stable owners, preferences, helpers as the fallback."""

from __future__ import annotations

from collections import Counter

from ortools.sat.python import cp_model

from scheduler.solver import objectives
from scheduler.solver.instance import Duty, Fairness, Instance, Occurrence
from scheduler.solver.model import solve
from scheduler.solver.plan_index import assignment_minutes
from scheduler.solver.search import HARD_RULES
from scheduler.solver.validate import violations
from scheduler.solver.variables import AssignmentVars
from tests.scheduler.solver.family import (
    busy,
    couple,
    daily,
    duty,
    helper,
    instance,
    occurrence,
    partner,
    window,
)


def _week() -> tuple[tuple[Duty, ...], tuple[Occurrence, ...]]:
    return (
        (duty("dropoff", effort=2), duty("dinner"), duty("dishes")),
        daily("dropoff", range(5), "07:30")
        + daily("dinner", range(7), "18:00", 60)
        + daily("dishes", range(7), "19:30", 30),
    )


def test_partners_share_the_weighted_load_equally() -> None:
    duties, occurrences = _week()
    plan = solve(instance(couple(), duties, occurrences))
    # 930 weighted minutes in 30-minute pieces: 480/450 (51.6 %) is as even as it gets.
    assert abs(plan.load["alex"].share - 50) <= 1.7
    assert plan.load["alex"].target_share == 50.0


def test_carried_load_from_earlier_weeks_is_evened_out() -> None:
    duties, occurrences = _week()
    household = instance(
        couple(),
        duties,
        occurrences,
        fairness=Fairness(carried_load={"sam": 600}),
    )
    plan = solve(household)
    assert plan.load["alex"].weighted > plan.load["sam"].weighted
    assert abs(plan.load["alex"].share - 50) <= 1


def test_a_week_where_most_duties_stay_undone_has_room_for_one_owner_per_series() -> None:
    """Five evening duties at 18:00 and two partners: three stay undone every day. Laundry falls
    in week 1 and gardening in week 2; one owner each makes each week 68/32 of what is done,
    but the weekly band counts points of what the partners could carry (three times the
    evenings), so both keep one owner and the horizon is even."""
    evening = ("cook", "walk", "homework", "tidy", "practice")
    duties = (*(duty(d) for d in evening), duty("laundry"), duty("garden"))
    occurrences = (
        *(o for d in evening for o in daily(d, range(14), "18:00", 60)),
        *daily("laundry", range(4), "10:00", 120),
        *daily("garden", range(7, 11), "10:00", 120),
    )
    plan = solve(instance(couple(), duties, occurrences, weeks=2))
    assert len(plan.unassigned) == 3 * 14
    doers = {d: {a.member for a in plan.assignments if a.duty == d} for d in ("laundry", "garden")}
    assert len(doers["laundry"]) == len(doers["garden"]) == 1
    assert doers["laundry"] != doers["garden"]
    assert plan.load["alex"].share == plan.load["sam"].share == 50.0


def test_over_the_horizon_a_point_is_a_point_of_what_partners_really_do() -> None:
    """The same crowded evenings, laundry (4 x 120 min) and gardening (4 x 130 min) with one
    owner each, and ten minutes of plants a day to even out with. As close as half points
    allow means within a quarter point of the shares the family sees; counted against
    everything the partners could have done (twice as much), a 50.7/49.3 split passed for
    even, and whole points left 50.35/49.65."""
    evening = ("cook", "walk", "homework", "tidy", "practice")
    duties = (*(duty(d) for d in evening), duty("laundry"), duty("garden"), duty("plants"))
    occurrences = (
        *(o for d in evening for o in daily(d, range(14), "18:00", 60)),
        *daily("laundry", range(4), "10:00", 120),
        *daily("garden", range(7, 11), "10:00", 130),
        *daily("plants", range(14), "09:00", 10),
    )
    plan = solve(instance(couple(), duties, occurrences, weeks=2))
    assert abs(plan.load["alex"].share - 50) <= 0.25


def test_free_time_target_gives_the_busier_partner_less() -> None:
    duties, occurrences = _week()
    alex, sam = couple(alex_busy=tuple(busy(d, "08:00", "22:00", "Work") for d in range(5)))
    household = instance(
        (alex, sam),
        duties,
        occurrences,
        fairness=Fairness(target="free_time"),
    )
    plan = solve(household)
    target = plan.load["alex"].target_share
    assert target is not None and target < 50
    assert abs(plan.load["alex"].share - target) <= 15


def test_each_series_keeps_one_owner_when_calendars_allow() -> None:
    household = instance(
        couple(),
        (duty("dinner"), duty("dishes")),
        daily("dinner", range(7), "18:00", 60) + daily("dishes", range(7), "12:00", 60),
    )
    plan = solve(household)
    owners = {d: {a.member for a in plan.assignments if a.duty == d} for d in ("dinner", "dishes")}
    assert all(len(members) == 1 for members in owners.values())
    assert owners["dinner"] != owners["dishes"], "one series each keeps it fair"
    assert {s for load in plan.load.values() for s in load.series_owned} == {"dinner", "dishes"}


def test_an_owner_busy_on_one_day_hands_over_only_that_day() -> None:
    alex, sam = couple(alex_busy=(busy(3, "17:30", "19:30", "Board prep"),))
    household = instance(
        (alex, sam),
        (duty("dinner"), duty("dishes")),
        daily("dinner", range(7), "18:00", 60) + daily("dishes", range(7), "12:00", 60),
    )
    plan = solve(household)
    exceptions = sum(
        1
        for d in ("dinner", "dishes")
        for a in plan.assignments
        if a.duty == d and not plan.load[a.member].series_owned.count(d)
    )
    assert exceptions <= 2


def test_each_week_stays_fair_although_whole_series_would_need_fewer_exceptions() -> None:
    """Laundry every day of the first week, gardening every day of the second: one owner each
    is fair over the horizon, but each week 100/0. Fairness week by week ranks above stable
    owners, so each week is shared 4/3: three exceptions a week, and proven so, although the
    solver's relaxation without the weekly goal (``owner_copies.without_weekly_fairness``) has
    none."""
    household = instance(
        couple(),
        (duty("laundry"), duty("gardening")),
        daily("laundry", range(7), "10:00", 60) + daily("gardening", range(7, 14), "10:00", 60),
        2,
    )
    plan = solve(household)
    for series in ("laundry", "gardening"):
        split = Counter(a.member for a in plan.assignments if a.duty == series)
        assert sorted(split.values()) == [3, 4]
    assert plan.stats is not None
    stages = {s.name: s for s in plan.stats.stages}
    assert (stages["fairness_weekly"].value, stages["ownership"].value) == (0, 6)
    assert stages["ownership"].optimal and stages["ownership"].bound == 6


def test_a_preferred_duty_goes_to_the_partner_who_likes_it() -> None:
    alex, sam = couple(sam_prefers=frozenset({"dinner"}), sam_avoids=frozenset({"dishes"}))
    household = instance(
        (alex, sam),
        (duty("dinner"), duty("dishes")),
        daily("dinner", range(7), "18:00", 60) + daily("dishes", range(7), "12:00", 60),
    )
    plan = solve(household)
    assert {a.member for a in plan.assignments if a.duty == "dinner"} == {"sam"}


def test_the_helper_is_the_fallback_not_the_default() -> None:
    nana = helper(availability=tuple(window(d, "14:00", "21:00") for d in range(7)))
    household = instance(
        (*couple(), nana),
        (duty("dinner", ("alex", "sam", "nana")), duty("dishes")),
        daily("dinner", range(6), "18:00", 60) + daily("dishes", range(6), "12:00", 60),
    )
    plan = solve(household)
    assert plan.load["nana"].minutes == 0


def test_the_helper_covers_when_neither_partner_is_free() -> None:
    alex, sam = couple(
        alex_busy=(busy(1, "17:00", "20:00", "Choir"),), sam_busy=(busy(1, "17:00", "22:00"),)
    )
    nana = helper(availability=(window(1, "14:00", "21:00"),))
    household = instance(
        (alex, sam, nana),
        (duty("dinner", ("alex", "sam", "nana")),),
        daily("dinner", range(2), "18:00", 60),
    )
    plan = solve(household)
    tuesday = next(a for a in plan.assignments if a.day.weekday() == 1)
    assert tuesday.member == "nana"
    assert "covers" in tuesday.reason
    assert plan.load["nana"].cost == 12.0
    assert violations(household, plan) == []


def _evenings(alex_out: tuple[int, ...] = (), **bea: object) -> Instance:
    """Sam drops off every morning (Alex has early calls), Alex is free every evening (but on
    the days ``alex_out``), Sam is not; a 90-minute dinner every day, which Bea, the babysitter,
    may cook too. Alex doing every dinner would carry 60 % of the load (90 against 60 weighted
    minutes a day)."""
    alex, sam = couple(
        alex_busy=tuple(busy(d, "07:00", "09:00", "Early call") for d in range(7))
        + tuple(busy(d, "17:00", "21:00", "Parents' night") for d in alex_out),
        sam_busy=tuple(busy(d, "17:00", "22:00", "Evening shift") for d in range(7)),
    )
    evenings = tuple(window(d, "17:00", "21:00") for d in range(7))
    babysitter = helper("bea", availability=evenings, hourly_cost=15.0, **bea)
    return instance(
        (alex, sam, babysitter),
        (duty("dropoff", effort=2), duty("dinner", ("alex", "sam", "bea"))),
        daily("dropoff", range(7), "07:30") + daily("dinner", range(7), "18:00", 90),
    )


def test_a_helper_may_take_what_a_partner_is_free_for_to_keep_the_split_fair() -> None:
    plan = solve(_evenings())
    assert any(a.member == "bea" for a in plan.assignments)  # the split ranks above her cost
    assert abs(plan.load["alex"].share - 50) <= 5


def test_an_on_call_helper_is_called_only_for_what_no_partner_can_take() -> None:
    household = _evenings(alex_out=(1,), on_call=True)
    plan = solve(household)

    bea = [a for a in plan.assignments if a.member == "bea"]
    assert [a.day.weekday() for a in bea] == [1]  # only Tuesday, when Alex is out as well
    assert bea[0].reason.startswith("neither partner can take it (Alex busy (Parents' night")
    assert bea[0].reason.endswith("Bea covers it")
    assert {a.day.weekday() for a in plan.assignments if a.duty == "dinner"} == set(range(7))
    assert plan.stats is not None
    stages = {s.name: s for s in plan.stats.stages}
    assert (stages["on_call"].value, stages["on_call"].optimal) == (0, True)
    # The split pays for it: Alex cooks the other six dinners and carries more than half.
    assert plan.load["alex"].share > 55
    assert violations(household, plan) == []


def test_a_helper_who_likes_a_duty_gets_it_before_a_cheaper_one() -> None:
    """Preferences rank above helper cost, and one search settles both (``model.Stage``):
    each still gets its own value and proof."""
    alex, sam = couple(
        alex_busy=tuple(busy(d, "15:00", "18:00") for d in range(5)),
        sam_busy=tuple(busy(d, "15:00", "18:00") for d in range(5)),
    )
    every_weekday = tuple(window(d, "14:00", "19:00") for d in range(5))
    nana = helper(availability=every_weekday, hourly_cost=0.0)
    bea = helper("bea", availability=every_weekday, hourly_cost=15.0, prefers=frozenset({"pickup"}))
    household = instance(
        (alex, sam, nana, bea),
        (duty("pickup", ("alex", "sam", "nana", "bea")), duty("dinner")),
        daily("pickup", range(5), "16:00", 30) + daily("dinner", range(7), "18:30", 60),
    )
    plan = solve(household)
    assert {a.member for a in plan.assignments if a.duty == "pickup"} == {"bea"}
    assert plan.stats is not None
    stages = {s.name: s for s in plan.stats.stages}
    assert (stages["preferences"].value, stages["preferences"].optimal) == (-5, True)
    # 5 x half an hour at 15.00 an hour, in cents, plus a cent per occurrence.
    assert (stages["helper_cost"].value, stages["helper_cost"].optimal) == (5 * 751, True)
    assert stages["helper_cost"].bound == 5 * 751
    assert violations(household, plan) == []


def test_the_split_so_far_can_be_held_to_a_plans() -> None:
    """``running_no_worse``: a search that would rather give Alex every dinner of the first week
    keeps the split at the week's end as even as the plan it started from (4 of 7)."""
    household = instance(couple(), (duty("dinner"),), daily("dinner", range(14), "18:00", 60), 2)
    variables = AssignmentVars(cp_model.CpModel(), household)
    for rule in HARD_RULES:
        rule(variables)
    first_week = [c for c in variables.candidates if variables.weeks[c.occurrence] == 0]
    alternate = [c for c in variables.candidates if (c.occurrence % 2 == 0) == (c.member == "alex")]
    model = variables.model
    model.maximize(sum(variables.var(c) for c in first_week if c.member == "alex"))
    objectives.running_no_worse(variables, model, alternate)
    solver = cp_model.CpSolver()
    assert solver.solve(model) == cp_model.OPTIMAL
    chosen = [c for c in variables.chosen(solver) if c in first_week]
    assert sum(c.member == "alex" for c in chosen) == 4
    assert sum(c.member == "sam" for c in chosen) == 3


def test_a_goals_value_is_the_whole_number_the_plan_has() -> None:
    """CP-SAT reported this household's helper cost as 3603.9999999999995 cents."""
    evenings = (busy(0, "17:00", "21:00"), busy(1, "17:00", "21:00"))
    alex = partner("alex", busy=evenings, prefers=frozenset({"d0"}))
    nana = helper(availability=(window(0, "17:00", "21:00"),))
    kim = helper("kim", hourly_cost=15.0, busy=(busy(0, "18:00", "19:00"),))
    household = instance(
        (alex, nana, kim),
        tuple(duty(d, ("alex", "nana", "kim")) for d in ("d0", "d1", "d2", "d3")),
        (
            occurrence("d0", 1, "17:00", 60),
            occurrence("d1", 0, "17:00", 30),
            occurrence("d2", 1, "17:00", 60),
            occurrence("d3", 0, "17:00", 30),
            occurrence("d3", 1, "17:00", 30, until="19:00"),
        ),
    )
    plan = solve(household)
    assert plan.stats is not None
    cost = next(s.value for s in plan.stats.stages if s.name == "helper_cost")
    members = {m.id: m for m in household.members}
    cents = sum(
        1 + round(members[a.member].hourly_cost * assignment_minutes(a) * 100 / 60)
        for a in plan.assignments
        if members[a.member].role == "helper"
    )
    assert cost == cents
