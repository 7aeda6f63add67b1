"""The fair starting plan of the fairness stages (``rebalance``): the cover, made fair, with the
same duties done, the same locks honoured, no kept link broken and every hard rule kept."""

from __future__ import annotations

from collections.abc import Sequence
from unittest.mock import patch

from hypothesis import given
from ortools.sat.python import cp_model

from scheduler.solver import objectives, rebalance
from scheduler.solver.assemble import plan_of
from scheduler.solver.candidates import Candidate
from scheduler.solver.instance import Instance, Lock, Occurrence
from scheduler.solver.model import solve
from scheduler.solver.plan import Assignment, Plan, Unassigned
from scheduler.solver.rules.locks import Keep, honours, keeps
from scheduler.solver.validate import violations
from scheduler.solver.variables import AssignmentVars
from tests.scheduler.solver.family import busy, couple, daily, duty, instance
from tests.scheduler.solver.test_properties import PROPERTIES, households


def _as_plan(variables: AssignmentVars, chosen: Sequence[Candidate]) -> Plan:
    """The candidates as the plan a family would see (for ``validate.violations``)."""
    household = variables.instance
    done = {c.occurrence: c for c in chosen}
    assignments, unassigned = [], []
    for i, o in enumerate(variables.occurrences):
        name = household.duty(o.duty).name
        c = done.get(i)
        if c is None:
            end = o.earliest_start + (o.latest_end - o.latest_start)
            unassigned.append(
                Unassigned(
                    duty=o.duty, name=name, day=o.day, start=o.earliest_start, end=end, reason=""
                )
            )
        else:
            assignments.append(
                Assignment(
                    duty=o.duty,
                    name=name,
                    day=o.day,
                    start=c.start,
                    end=c.end,
                    member=c.member,
                    reason="",
                )
            )
    return plan_of(household, assignments, unassigned)


def _broken(variables: AssignmentVars, chosen: Sequence[Candidate]) -> set[tuple[int, int]]:
    doer = {c.occurrence: c.member for c in chosen}
    return {
        (a, b)
        for a, b, same in variables.linked_pairs()
        if a in doer and b in doer and (doer[a] == doer[b]) != same
    }


def _points_off_target(variables: AssignmentVars, chosen: Sequence[Candidate]) -> int:
    """Alex's points off his target over the horizon, carried load included, as the model
    counts them."""
    carried = dict(variables.instance.fairness.carried_load)
    limits = objectives.tolerance(
        variables,
        variables.candidates,
        carried,
        objectives.HORIZON_BAND_TENTHS,
        planned=True,
        point_tenths=objectives.HORIZON_POINT_TENTHS,
    )
    if limits is None:
        return 0  # the partners can do none of it
    targets = objectives.integer_targets(variables.instance)
    load = dict.fromkeys(targets, 0)
    for c in chosen:
        if c.member in targets:
            load[c.member] += objectives.weighted_minutes(variables, c)
    return objectives.points(objectives.deviation(targets, load, carried, "alex"), *limits)


def _everything_to_alex(household: Instance) -> tuple[AssignmentVars, list[Candidate], list[Keep]]:
    """A lopsided but valid cover: Alex does every occurrence he can, at its first start."""
    variables = AssignmentVars(cp_model.CpModel(), household)
    chosen = []
    for i in variables.with_options():
        options = variables.of_pair(i, "alex") or variables.of_occurrence(i)
        chosen.append(options[0])
    return variables, chosen, keeps(household, variables.occurrences)


def _week(**fields: object) -> Instance:
    """Dinner (60 min, effort 2) and dishes every day, drop-off on weekdays; Alex and Sam free."""
    duties = (duty("dropoff", effort=2), duty("dinner", effort=2), duty("dishes"))
    occurrences: tuple[Occurrence, ...] = (
        daily("dropoff", range(5), "07:30")
        + daily("dinner", range(7), "18:00", 60)
        + daily("dishes", range(7), "19:30", 30)
    )
    return instance(couple(), duties, occurrences, **fields)  # type: ignore[arg-type]


def test_a_lopsided_cover_is_split_evenly_between_the_partners() -> None:
    household = _week()
    variables, chosen, held = _everything_to_alex(household)
    fair = rebalance.rebalance(variables, chosen, held)
    load = _as_plan(variables, fair).load
    assert _as_plan(variables, chosen).load["alex"].share == 100.0
    # 1,350 weighted minutes: 690/660 (51.1 %) is as even as 30-minute pieces get.
    assert abs(load["alex"].share - 50) <= 1.2
    assert violations(household, _as_plan(variables, fair)) == []


def test_locked_occurrences_stay_with_their_member() -> None:
    locked = tuple(
        Lock(duty="dinner", day=o.day, member="alex") for o in daily("dinner", range(7), "18:00")
    )
    household = _week(locks=locked)
    variables, chosen, held = _everything_to_alex(household)
    fair = rebalance.rebalance(variables, chosen, held)
    assert all(
        variables.occurrences[c.occurrence].duty != "dinner" or c.member == "alex" for c in fair
    )
    # The rest goes to Sam: every drop-off and every dish (510 of 1,350 weighted minutes).
    assert _as_plan(variables, fair).load["sam"].weighted == 510


def test_linked_duties_change_hands_together() -> None:
    duties = (duty("bath"), duty("bedtime", same_owner_as=("bath",)))
    occurrences = daily("bath", range(7), "19:00") + daily("bedtime", range(7), "19:45")
    household = instance(couple(), duties, occurrences)
    variables, chosen, held = _everything_to_alex(household)
    fair = rebalance.rebalance(variables, chosen, held)
    assert _broken(variables, fair) == set()
    assert 40 <= _as_plan(variables, fair).load["alex"].share <= 60


def test_a_weekly_cap_is_never_exceeded() -> None:
    alex, sam = couple(sam_weekly_cap=120)
    duties = (duty("dinner"),)
    household = instance((alex, sam), duties, daily("dinner", range(7), "18:00", 60))
    variables, chosen, held = _everything_to_alex(household)
    fair = rebalance.rebalance(variables, chosen, held)
    assert _as_plan(variables, fair).load["sam"].minutes == 120
    assert violations(household, _as_plan(variables, fair)) == []


@PROPERTIES
@given(households(free_helper=False))
def test_the_fair_hint_keeps_coverage_locks_links_and_every_hard_rule(household: Instance) -> None:
    with patch.object(rebalance, "rebalance", wraps=rebalance.rebalance) as spy:
        solve(household)
    variables, cover, held = spy.call_args.args
    fair = rebalance.rebalance(variables, cover, held)
    assert sorted(c.occurrence for c in fair) == sorted(c.occurrence for c in cover)
    doer = {c.occurrence: c for c in cover}
    now = {c.occurrence: c for c in fair}
    for keep in held:
        before = keep.occurrence in doer and honours(keep, doer[keep.occurrence])
        assert before == (keep.occurrence in now and honours(keep, now[keep.occurrence]))
    assert _broken(variables, fair) <= _broken(variables, cover)
    assert violations(household, _as_plan(variables, fair)) == []
    # Never further off the target over the horizon than the cover.
    assert _points_off_target(variables, fair) <= _points_off_target(variables, cover)


def test_the_split_so_far_is_even_at_the_end_of_every_week() -> None:
    """Over three weeks the horizon and each week on its own (within its 10-point band) could
    be even while Alex does more in the first weeks: the split of everything so far is as even
    as 30-minute pieces allow at the end of each week too (1,470 weighted minutes a week: 720/750
    after the first)."""
    duties = (duty("dropoff", effort=2), duty("dinner", effort=2), duty("dishes"))
    occurrences = (
        daily("dropoff", range(21), "07:30")
        + daily("dinner", range(21), "18:00", 60)
        + daily("dishes", range(21), "19:30", 30)
    )
    household = instance(couple(), duties, occurrences, weeks=3)
    variables, chosen, held = _everything_to_alex(household)
    fair = rebalance.rebalance(variables, chosen, held)
    so_far = {"alex": 0, "sam": 0}
    for week in range(2):
        for c in fair:
            if variables.weeks[c.occurrence] == week:
                so_far[c.member] += objectives.weighted_minutes(variables, c)
        assert abs(100 * so_far["alex"] / sum(so_far.values()) - 50) <= 1.1, week


def test_taking_a_duty_off_someone_keeps_their_ramp_up() -> None:
    """Sam (ramp-up 1 a week) takes on the walk in week 1 and the long vet visits in week 2,
    when Alex cannot walk the dog. Evening out the load by giving all Sam's first week's walks to
    Alex would make the walk new for Sam in week 2 as well: two new series that week. (Found by
    the property test: only the member taking a duty on had their ramp-up checked.)"""
    alex, sam = couple(sam_ramp_up=1, alex_busy=(busy(7, "06:30", "08:30"),))
    duties = (duty("walk", effort=3), duty("vet", effort=3, eligible=("sam",)))
    occurrences = daily("walk", range(4), "07:00", 60) + daily("walk", range(7, 8), "07:00", 60)
    occurrences += daily("vet", range(7, 9), "12:00", 90)
    household = instance((alex, sam), duties, occurrences, weeks=2)
    variables = AssignmentVars(cp_model.CpModel(), household)
    cover = [variables.of_pair(i, "sam")[0] for i in variables.with_options()]
    assert violations(household, _as_plan(variables, cover)) == []
    fair = rebalance.rebalance(variables, cover, keeps(household, variables.occurrences))
    assert violations(household, _as_plan(variables, fair)) == []
    assert _as_plan(variables, fair).load["alex"].weighted > 0
