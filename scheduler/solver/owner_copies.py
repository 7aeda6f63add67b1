"""What the stages below the fairness goals do besides their own search, whose bound is weak
because the LP relaxation can split a series between owners at no cost:

- solve the stage's relaxation without the weekly fairness goal (``without_weekly_fairness``),
  proven quickly: a lower bound, and owners to start from;
- solve copies of the model with every series' owner fixed, which are tight: better starting
  plans for the ownership stage (``owners_fixed_first``) and the preferences stage
  (``same_owners_first``), and the stage's optimum when one reaches the relaxation's bound;
- on a short horizon, make the preferences search decide owners first (``owners_first``).

A better plan from a copy becomes the model's (complete) hint, where the stage's own search
(``model._run_stages``) starts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import timedelta
from math import inf

from ortools.sat.python import cp_model

from scheduler.solver import objectives
from scheduler.solver.instance import Instance
from scheduler.solver.plan import StageReport
from scheduler.solver.search import (
    MINIMUM_SECONDS,
    Clock,
    hint_solution,
    hint_value,
    hint_values,
    hinted_plan,
    objective_bound,
    objective_value,
    parameters,
)
from scheduler.solver.variables import AssignmentVars

FirstWeeks = Callable[[Clock], tuple[dict[str, str], bool]]
"""Who does most of each series in the best plan for the horizon's first weeks, planned on the
given clock, and whether that plan is proven optimal (``model._first_weeks_owners``)."""

# Of the ownership stage's time, at most, for ``owners_fixed_first`` (and of the preferences
# stage's for ``same_owners_first``): on a long horizon the stage's own search hardly improves on
# it (12 weeks: 216 -> 215), on a short one it finishes early.
FIXED_OWNERS_SHARE = 0.8
# With every owner fixed the ownership stage's copy is tight: a month's is proven in a few
# hundredths of CP-SAT's deterministic time, 12 weeks' in a tenth of the copy's time. One that
# is not proven in this share of it is a large household's, where what counts is finding better
# plans: CP-SAT's large neighbourhood search alone (``use_lns_only``, one worker, deterministic)
# gets the rest, holding the split so far at each week's end to the plan it starts from
# (``objectives.running_no_worse``). Measured (deterministic time, 30 s limit) on the stress
# household, seeds 0-2: 512 / 735 / 650 exceptions -> 482 / 692 / 601, the split along the way
# as even (0.53 / 1.17 / 0.60 -> 0.53 / 1.15 / 0.58 points off on average); 96 months and 12
# weeks (seeds 0-7, 10 and 30 s) the same plans. Without that hold: 382 / 592 / 519 exceptions,
# but the split along the way 1.7-2.3 points off, worse than the benchmark's "whoever did least
# so far". A share of 0.1 left 12 weeks' copies unproven (154 -> 170, 164 -> 179 exceptions);
# giving each choice of owners half the time, or the preferences stage's copy the same search
# (12 weeks: 3 of 8 seeds 1-2 preferences worse), did worse.
PROOF_SHARE = 0.25
PRE_PLAN_SHARE = 0.15  # of ``owners_fixed_first``'s time, at most, to plan the first weeks
# Only on a horizon longer than this: on a shorter one the ownership stage's own search finds
# good owners, and planning a first week costs more than its owners save. Measured in CP-SAT's
# deterministic time on generated households, without the pre-plan: 2 weeks 3 of 3 seeds as fast
# or faster, 4 weeks 4 of 5 (median 1.27 -> 1.09, sum 7.1 -> 6.4), 6 weeks 2 of 3, 8 weeks 1 of
# 3; 12 weeks need it (216 -> 164 exceptions). At least ``model.PRE_PLAN_WEEKS``, so that a
# pre-plan never plans a first week of its own.
PRE_PLAN_AFTER_WEEKS = 6
# Of a stage's time, at most, for its relaxation without the weekly fairness goal (see
# ``without_weekly_fairness``). Measured in CP-SAT's deterministic time on generated
# households: 12 weeks (seeds 0-7, 10 s) 5 of 8 with every stage within 1 % of its bound
# instead of 4 (the benchmark's seed 0 now proven optimal: 160 -> 152 exceptions, preferences
# -16 -> -59), in all 20.96 -> 16.17; 30 s limit, every plan proven, the same values but for
# ties: 4 weeks (seeds 0-23) 9.15 -> 6.88, 6 weeks (16 seeds) 18.2 -> 10.6, 8 weeks 32.6 ->
# 22.3. A share of 0.35 left the 12-week benchmark unproven, 0.7 proved no more households.
# The cost is on a crowded household, whose relaxation is not proven either (bound 4 against
# 569): its time is the large neighbourhood search's, and the stress household (seeds 0-3)
# ends with 2.5 % more exceptions (2579 -> 2643; 0.7: 2692).
RELAXATION_SHARE = 0.5
# On a horizon up to this long, once the ownership stage is proven, the preferences stage
# branches on the owners first (``owners_first``), where the relaxation and the copies have
# not proven it already. Measured in CP-SAT's deterministic time on generated households (30 s
# limit, every plan proven, the same values): 4 weeks, seeds 0-71, 20.98 -> 19.55 in all (before
# the relaxation: seeds 0-23 10.56 -> 9.15, the slowest 1.57 -> 0.73; seeds 24-71 17.76 ->
# 16.04); 3 weeks (16 seeds, before) 3.37 -> 3.10; 2 weeks 1.58 -> 1.75. Longer horizons lose
# as often as they gain: 6 weeks 10.6 -> 11.4, 8 weeks 22.3 -> 21.2 (16 seeds each), and on 12
# weeks (10 s, before the relaxation) the preferences of 3 of 8 households were no longer
# proven in time.
OWNERS_FIRST_UP_TO_WEEKS = 4


def without_weekly_fairness(
    instance: Instance,
    variables: AssignmentVars,
    clock: Clock,
    seconds: float,
    held_at: dict[str, cp_model.Constraint],
    goal: str,
) -> tuple[float, dict[str, str] | None]:
    """A stage after the weekly fairness goal solved first without holding that goal's value
    (``held_at``): a lower bound of the stage's goal (-inf: none) and the owners of the
    relaxation's best plan (None: no plan).

    Holding every week inside its fairness band hardly ever changes the optimum of the goals
    below it (24 generated months: ownership the same in 24, preferences in 23; 12 weeks:
    ownership the same in 6 of 8, one exception fewer in the other two), but it makes them
    much harder to prove: 12 weeks, seed 0, 11.8 units of CP-SAT's deterministic time to prove
    every stage, 1.4 without it. So the relaxation, proven quickly, gives the stage its bound,
    and its owners are the first choice for the stage's copies with owners fixed
    (``owners_fixed_first``, ``same_owners_first``): when a copy's plan, which keeps every
    week in its band, reaches the bound, the stage is proven without a search of its own. Not
    on a re-plan, which keeps its owners and is proven in its local model.
    """
    weekly = held_at.get("fairness_weekly")
    if weekly is None or instance.previous is not None or seconds < MINIMUM_SECONDS:
        return -inf, None
    relaxed = variables.model.clone()
    relaxed.proto.constraints[weekly.index].clear_linear()
    so_far = held_at.get("fairness_so_far")
    if so_far is not None:
        # Held in the relaxation, it made the ownership stage's as hard as the stage itself
        # (12 weeks, seed 0, a 2-point band: 167 exceptions, bound 136, in 1.2 work).
        relaxed.proto.constraints[so_far.index].clear_linear()
    solver = parameters(instance, seconds, clock, goal)
    status = clock.solve(solver, relaxed)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return -inf, None
    owners = {s: m for (s, m), var in variables.owner_vars.items() if solver.value(var)}
    return objective_bound(solver), owners or None


def owners_fixed_first(
    instance: Instance,
    variables: AssignmentVars,
    clock: Clock,
    seconds: float,
    first_weeks: FirstWeeks,
    relaxed: dict[str, str] | None = None,
    floor: float = -inf,
) -> None:
    """Hint the ownership stage with the best plan for a good choice of owners.

    The ownership stage's LP relaxation is weak (splitting a series half and half costs it
    nothing), so on a long horizon CP-SAT hardly improves its starting plan (measured on 12
    weeks: 380 exceptions left as they were after 5 s). With every series' owner fixed the same
    model is tight and a copy of it is proven in a fraction of the time. Two choices of owners
    are tried, each plan becoming the stage's hint when it is better:

    - the owners of the best plan for the horizon's first weeks (``first_weeks``, on a
      horizon longer than ``PRE_PLAN_AFTER_WEEKS``), planned in a fraction of the time: 12
      weeks 164-169 exceptions. Tried first when that plan is proven optimal;
    - the hint's (whoever does most of each series in the fair cover): 12 weeks 204-216, the
      month 65. They depend on the cover's tie-breaks (other ones left 12 weeks at 416), but a
      first week is not always typical: the stress household's shift worker alternates early
      and late weeks (905 against 686), and its first weeks are not proven in the time.

    Before them, the owners of the stage's relaxation (``relaxed``, see
    ``without_weekly_fairness``); none is tried once a plan reaches its bound (``floor``).

    A re-plan keeps its owners anyway.
    """
    if instance.previous is not None:
        return
    deadline = clock.spent() + seconds
    usual = _hinted_owners(variables)
    best: float = variables.hinted["ownership"]
    if relaxed is not None and relaxed != usual:
        best = _best_of(instance, variables, [relaxed], clock, deadline, best, floor, "ownership")
    choices = [usual]
    if best > floor and instance.end - instance.start > timedelta(days=7 * PRE_PLAN_AFTER_WEEKS):
        week, proven = first_weeks(clock.share(PRE_PLAN_SHARE * seconds))
        owners = {**usual, **week}
        if owners not in (usual, relaxed):
            choices.insert(0 if proven else 1, owners)
    _best_of(instance, variables, choices, clock, deadline, best, floor, "ownership")


def same_owners_first(
    instance: Instance,
    variables: AssignmentVars,
    clock: Clock,
    seconds: float,
    relaxed: dict[str, str] | None = None,
    floor: float = -inf,
) -> None:
    """Hint the preferences stage (helper cost its tie-break) with the best plan that keeps the
    owners the ownership stage chose. Its bound is as weak as ownership's (the owners can be
    split in the LP), so from the ownership stage's plan it spent most of its time finding a
    better one: measured on the month, 2.2 s -> 0.6-0.8 s. (Not for helper cost alone, when
    nobody has preferences: measured when it was a stage of its own, a copy made it slower.)
    The owners of the stage's relaxation (``relaxed``, see ``without_weekly_fairness``) are
    tried first, unless a plan reaches its bound (``floor``). A re-plan keeps its owners
    anyway."""
    hinted = hint_value(variables.model)
    if instance.previous is not None or not variables.owner_vars or hinted is None:
        return
    usual = _hinted_owners(variables)
    choices = [usual] if relaxed in (None, usual) else [relaxed, usual]
    deadline = clock.spent() + seconds
    _best_of(instance, variables, choices, clock, deadline, hinted, floor, "preferences")


def _best_of(
    instance: Instance,
    variables: AssignmentVars,
    choices: Sequence[dict[str, str]],
    clock: Clock,
    deadline: float,
    best: float,
    floor: float,
    goal: str,
) -> float:
    """``_best_with_owners`` for each choice of owners in turn, until a plan reaches ``floor``
    (the stage's bound) or the time runs out; the best value so far. The ownership stage's
    copies end with large neighbourhood search (``then_lns``)."""
    for owners in choices:
        if best <= floor or deadline - clock.spent() < MINIMUM_SECONDS:
            break
        best = _best_with_owners(
            instance, variables, owners, clock, deadline, best, goal, then_lns=goal == "ownership"
        )
    return best


def owners_first(
    instance: Instance, variables: AssignmentVars, reports: Sequence[StageReport]
) -> bool:
    """Make the preferences stage's search decide every series' owner first, series by
    series, the hinted owner first (``OWNERS_FIRST_UP_TO_WEEKS``); whether it did.

    Its bound is weak while owners can be split (see ``same_owners_first``); with the owners
    decided the rest of the plan is tight, and with the ownership stage's optimum fixed few
    choices of owners are left to refute. Not when that optimum is unproven (on a long
    horizon, where the stage's time is better spent on plans), nor on a re-plan, which keeps
    its owners anyway."""
    long = instance.end - instance.start > timedelta(days=7 * OWNERS_FIRST_UP_TO_WEEKS)
    proven = any(r.name == "ownership" and r.optimal for r in reports)
    if long or not proven or instance.previous is not None:
        return False
    hint = hint_values(variables.model)
    by_series: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    for (series, _), var in sorted(variables.owner_vars.items()):
        by_series[series].append(var)
    order = [
        var
        for series in sorted(by_series)
        for var in sorted(by_series[series], key=lambda v: -hint[v.index])
    ]
    variables.model.add_decision_strategy(order, cp_model.CHOOSE_FIRST, cp_model.SELECT_MAX_VALUE)
    return True


def _hinted_owners(variables: AssignmentVars) -> dict[str, str]:
    """Each series' owner in the model's hint."""
    hint = hint_values(variables.model)
    return {s: m for (s, m), var in variables.owner_vars.items() if hint[var.index]}


def _best_with_owners(
    instance: Instance,
    variables: AssignmentVars,
    owners: dict[str, str],
    clock: Clock,
    deadline: float,
    best: float,
    goal: str,
    then_lns: bool = False,
) -> float:
    """Solve a copy of the model with these ``owners`` fixed, until ``deadline`` on ``clock``; a
    plan better than ``best`` becomes the model's hint. The best value so far.

    ``then_lns`` (the ownership stage's copies): the usual search gets ``PROOF_SHARE`` of the
    time; a copy it has not proven by then is a large household's, and large neighbourhood
    search improves its plan for the rest of the time, without evening out the split along the
    way any less."""
    fixed = variables.model.clone()
    # The hinted plan stays feasible with these owners once its owner and exception booleans
    # say so: the copy starts from it instead of repairing an infeasible hint.
    doer = {c.occurrence: c.member for c in hinted_plan(variables)}
    values: dict[int, int] = {}
    for (series, member), var in variables.owner_vars.items():
        values[var.index] = int(owners.get(series) == member)
        fixed.add(fixed.get_bool_var_from_proto_index(var.index) == values[var.index])
    for i, var in variables.exception_vars.items():
        values[var.index] = int(i in doer and doer[i] != owners.get(variables.occurrences[i].duty))
    proto = fixed.proto.solution_hint
    for position, index in enumerate(proto.vars):
        if index in values:
            proto.values[position] = values[index]
    seconds = max(MINIMUM_SECONDS, deadline - clock.spent())
    solver = parameters(instance, PROOF_SHARE * seconds if then_lns else seconds, clock, goal)
    status = clock.solve(solver, fixed)
    best = _improved(variables, solver, status, best)
    if then_lns and status == cp_model.FEASIBLE and deadline - clock.spent() >= MINIMUM_SECONDS:
        hint_solution(fixed, solver)
        objectives.running_no_worse(variables, fixed, variables.chosen(solver))
        solver = parameters(instance, deadline - clock.spent(), clock, goal)
        solver.parameters.use_lns_only = True
        best = _improved(variables, solver, clock.solve(solver, fixed), best)
    return best


def _improved(
    variables: AssignmentVars,
    solver: cp_model.CpSolver,
    status: cp_model.CpSolverStatus,
    best: float,
) -> float:
    """The solver's plan becomes the model's hint when it is better than ``best``; the best
    value so far."""
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return best
    value = objective_value(solver)
    if value < best:
        hint_solution(variables.model, solver)
        return value
    return best
