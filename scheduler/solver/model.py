"""``solve(instance) -> Plan``: the CP-SAT model, solved lexicographically in stages.

Build: static candidates (``candidates.py``) become booleans (``variables.py``); every hard rule in
``rules/`` adds its constraints (``search.HARD_RULES``); ``objectives.py`` gives one expression per
goal. Solve: the first two goals group by group (``first_goals``), then the others in priority
order (see ``objectives``), each stage minimised with the previous stage's solution as a complete
hint and its value then fixed as a constraint; the first hint is the cover of the first two goals,
made fair by ``rebalance``. The stages below weekly fairness first solve their relaxation
without it (``_without_weekly_fairness``) for a bound and owners to start from; the ownership
stage then looks for a better plan than its hint with every series' owner fixed
(``_owners_fixed_first``; on a large household by large neighbourhood search,
``PROOF_SHARE``), the preferences stage with the owners it got (``_same_owners_first``) and, on
a short horizon, by deciding owners first (``_owners_first``). Helper cost is the preferences
stage's tie-break, found in the same search (``Stage.then``). Stages whose goal is a constant
are skipped; a stage out of time keeps its hint. ``assemble`` turns the solution into the
explained ``Plan``.
Re-planning also hints the previous plan (with hint repair) before the first stage, and first
tries the exact local model of ``replan``.

Determinism: variables are created in sorted order, the seed is the instance's, the search runs
on one worker (see ``parameters``) and every budget is counted on ``search.Clock`` in CP-SAT's
deterministic time, so the same instance gives the same plan on any machine, also when the time
limit cuts a stage short (unless the machine is so slow that the wall-clock cap stops it first).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from math import ceil, floor, inf, isnan
from time import perf_counter

from ortools.sat.python import cp_model

from scheduler.solver import objectives, replan
from scheduler.solver.assemble import assemble
from scheduler.solver.candidates import Candidate, ordered_occurrences, static_candidates
from scheduler.solver.first_goals import COVERAGE_SHARE, cover_groups, first_goals
from scheduler.solver.instance import Instance
from scheduler.solver.plan import CoverageProof, Plan, StageReport
from scheduler.solver.rules import locks
from scheduler.solver.search import (
    HARD_RULES,
    MINIMUM_SECONDS,
    Clock,
    hint_at_floor,
    hint_new_variables,
    hint_solution,
    hint_value,
    hint_values,
    hinted_plan,
    key,
    objective_bound,
    objective_value,
    parameters,
)
from scheduler.solver.variables import AssignmentVars, LinearExpr

# Of the ownership stage's time, at most, for ``_owners_fixed_first`` (and of the preferences
# stage's for ``_same_owners_first``): on a long horizon the stage's own search hardly improves on
# it (12 weeks: 216 -> 215), on a short one it finishes early.
FIXED_OWNERS_SHARE = 0.8
# Ownership, what a family lives with every day, gets more of the time than the goals below it:
# on a long horizon its plans with owners fixed need it (12 weeks: 216 -> 164-170 exceptions),
# while preferences and helper cost barely move after their first second. Measured on three
# generated 12-week households (seeds 0-2, deterministic time): 2/3 left 160, 150 and 200
# exceptions, 0.8 158, 150 and 163; 0.9 gained 3 more on one of them and cost it 7 preferences.
STAGE_SHARE = {"ownership": 0.8}
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
# Weeks planned first for a choice of owners (see ``_owners_fixed_first``). Two rather than one,
# measured on 12 generated 12-week households (seeds 0-11, 10 s limit): 1930 -> 1886 exceptions
# in all, preferences -533 -> -570, 4 of 12 with every stage within 1 % of its bound instead of
# 1 (seed 0 is the exception: 169 -> 160, preferences -19 -> -16, against 154 and -54 before
# ``candidates`` dropped dominated starts); the stress household (seeds 0-5) the same plans; 8
# weeks (seeds 0-7, all proven) the same values with 18.9 -> 18.7 work.
PRE_PLAN_WEEKS = 2
PRE_PLAN_SHARE = 0.15  # of ``_owners_fixed_first``'s time, at most, to plan them
# Only on a horizon longer than this: on a shorter one the ownership stage's own search finds
# good owners, and planning a first week costs more than its owners save. Measured in CP-SAT's
# deterministic time on generated households, without the pre-plan: 2 weeks 3 of 3 seeds as fast
# or faster, 4 weeks 4 of 5 (median 1.27 -> 1.09, sum 7.1 -> 6.4), 6 weeks 2 of 3, 8 weeks 1 of
# 3; 12 weeks need it (216 -> 164 exceptions). At least PRE_PLAN_WEEKS, so that a pre-plan never
# plans a first week of its own.
PRE_PLAN_AFTER_WEEKS = 6
# Of a stage's time, at most, for its relaxation without the weekly fairness goal (see
# ``_without_weekly_fairness``). Measured in CP-SAT's deterministic time on generated
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
# branches on the owners first (``_owners_first``), where the relaxation and the copies have
# not proven it already. Measured in CP-SAT's deterministic time on generated households (30 s
# limit, every plan proven, the same values): 4 weeks, seeds 0-71, 20.98 -> 19.55 in all (before
# the relaxation: seeds 0-23 10.56 -> 9.15, the slowest 1.57 -> 0.73; seeds 24-71 17.76 ->
# 16.04); 3 weeks (16 seeds, before) 3.37 -> 3.10; 2 weeks 1.58 -> 1.75. Longer horizons lose
# as often as they gain: 6 weeks 10.6 -> 11.4, 8 weeks 22.3 -> 21.2 (16 seeds each), and on 12
# weeks (10 s, before the relaxation) the preferences of 3 of 8 households were no longer
# proven in time.
OWNERS_FIRST_UP_TO_WEEKS = 4

Progress = Callable[[str], None]
"""Told what the solver is working on, as a phrase for people ("giving each duty one owner")."""


def no_progress(_: str) -> None:
    pass


@dataclass(frozen=True)
class Stage:
    """One goal; ``build`` adds its auxiliary variables only when the stage starts, so earlier
    stages don't presolve constraints they don't use.

    ``then``: the next goal, solved in the same search as this one's tie-break, with exact
    dominance weights: ``(ceiling + 1) * goal + then``, where ``then`` is never negative and at
    most ``ceiling``. Each goal is still reported on its own (``_reports``). For preferences and
    helper cost one search proves both: measured in CP-SAT's deterministic time on 36 generated
    months, 34.0 -> 24.4 in all (faster on 30, slower on 6), median 0.82 -> 0.55, the slowest
    3.2 -> 2.0, each month with the same values; 12 weeks (seeds 0-2) and the stress household
    keep their preferences, helper cost the same or 1-5 lower. Ownership is not folded in as
    well: 12 weeks kept 155-180 exceptions instead of 148-163, and with the solver's lazy LP
    (``search.parameters``) the months got slower too (48 months 24 -> 50 work).
    """

    name: str
    doing: str  # what the family would call it (see ``Progress``)
    build: Callable[[], LinearExpr]
    then: Tiebreak | None = None
    # Whether the stage's plan (first) may replace its starting plan (second); when not, the
    # starting plan stays and so does its value.
    better: Callable[[list[Candidate], list[Candidate]], bool] | None = None


@dataclass(frozen=True)
class Tiebreak:
    """A goal solved as a ``Stage``'s tie-break (see there)."""

    name: str
    doing: str  # when the stage's own goal is a constant and this one is solved alone
    build: Callable[[], LinearExpr]
    ceiling: Callable[[], int]


def stages(variables: AssignmentVars, keeps: Sequence[locks.Keep]) -> list[Stage]:
    """The goals after coverage (see ``first_goals``), in priority order."""
    v = variables
    goals = []
    if variables.instance.previous is not None:
        goals += [
            Stage(
                "fairness_bound",
                "keeping within the fairness bound",
                lambda: objectives.fairness_bound_excess(v),
                # Points are linear in the load (a per cent of a constant one): on a crowded
                # household they can rank a plan that leaves a heavier duty undone as fairer
                # than it is, and a re-plan of an unchanged household moved duties for it.
                better=lambda plan, started: objectives.fairer(v, plan, started),
            ),
            Stage(
                "changes", "changing as little as possible", lambda: objectives.changes(v, keeps)
            ),
        ]
    goals += [
        Stage(
            "fairness_horizon", "sharing the load fairly", lambda: objectives.fairness_horizon(v)
        ),
        Stage(
            "fairness_weekly",
            "sharing the load fairly week by week",
            lambda: objectives.fairness_weekly(v),
        ),
        Stage(
            "ownership",
            "giving each duty one owner",
            lambda: objectives.ownership_exceptions(v),
        ),
        Stage(
            "preferences",
            "following preferences and keeping helpers' cost down",
            lambda: objectives.preferences(v),
            then=Tiebreak(
                "helper_cost",
                "keeping helpers' cost down",
                lambda: objectives.helper_cost(v),
                lambda: objectives.helper_cost_ceiling(v),
            ),
        ),
    ]
    return goals


def _previous_plan(variables: AssignmentVars) -> set[tuple[int, str, datetime]]:
    chosen = set()
    for p in variables.instance.previous or ():
        index = variables.occurrence_index(p.duty, p.day)
        if index is not None:
            chosen.add((index, p.member, p.start))
    return chosen


def _run_stages(
    instance: Instance,
    variables: AssignmentVars,
    goals: Sequence[Stage],
    clock: Clock,
    chosen: list[Candidate],
    local: bool = False,
    progress: Progress = no_progress,
) -> tuple[list[Candidate], list[StageReport]]:
    model = variables.model
    reports: list[StageReport] = []
    held_at: dict[str, cp_model.Constraint] = {}  # each stage's value, held for the next ones
    for number, goal in enumerate(goals):
        variables.solution = chosen
        names, objective, weight = _objective(goal)
        if not names:
            continue  # nothing to choose (no partners to balance, no preferences, ...)
        progress(goal.doing if names[0] == goal.name or goal.then is None else goal.then.doing)
        hint_new_variables(model)
        left = clock.left()
        # A share of what is left while later stages wait, so that a hard stage can't starve them.
        budget = left * STAGE_SHARE.get(goal.name, 0.5) if number < len(goals) - 1 else left
        model.minimize(objective)
        begin = perf_counter()
        begun = clock.spent()
        least = hint_at_floor(model)
        if least is not None:
            reports += _reports(names, weight, least, least, optimal=True, seconds=0.0)
            held_at[names[0]] = model.add(objective <= least)
            continue  # the hint (``chosen``) stays the plan
        floor, owners = _without_weekly_fairness(
            instance, variables, clock, RELAXATION_SHARE * budget, held_at, names[0]
        )
        copies = FIXED_OWNERS_SHARE * (budget - (clock.spent() - begun))
        if names[0] == "ownership":
            _owners_fixed_first(instance, variables, clock, copies, owners, floor)
        elif names[0] == "preferences":
            _same_owners_first(instance, variables, clock, copies, owners, floor)
        held = hint_value(model)
        if held is not None and held <= floor:
            # A plan as good as a relaxation's optimum: proven without a search of its own.
            seconds = round(perf_counter() - begin, 4)
            reports += _reports(names, weight, held, held, optimal=True, seconds=seconds)
            chosen = hinted_plan(variables)
            held_at[names[0]] = model.add(objective <= held)
            continue
        solver = parameters(instance, budget - (clock.spent() - begun), clock, names[0])
        if names[0] == "preferences" and _owners_first(instance, variables, reports):
            solver.parameters.search_branching = cp_model.PARTIAL_FIXED_SEARCH
        if local:
            # A handful of occurrences are open: probing the whole model costs more than it
            # finds (measured: the re-plan's median 0.43 s -> 0.39 s).
            solver.parameters.cp_model_probing_level = 0
        status = clock.solve(solver, model)
        model.proto.search_strategy.clear()
        seconds = perf_counter() - begin
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            # No solution in time: the hinted plan stays (the previous stage's, or a better one
            # ``_owners_fixed_first`` found), and so does its value; the bound is the
            # relaxation's, if any.
            nan = float("nan")
            value = nan if held is None else held
            bound = nan if floor == -inf else floor
            reports += _reports(names, weight, value, bound, optimal=False, seconds=seconds)
            if held is not None:
                chosen = hinted_plan(variables)
                held_at[names[0]] = model.add(objective <= held)
            continue
        value = objective_value(solver)
        found = variables.chosen(solver)
        if goal.better is not None and not goal.better(found, chosen):
            held = hint_value(model)
            if held is not None and held > value:
                # The starting plan stays: CP-SAT's bound is still the goal's.
                bound = max(objective_bound(solver), floor)
                reports += _reports(names, weight, held, bound, False, round(seconds, 4))
                held_at[names[0]] = model.add(objective <= held)
                continue
        bound = max(objective_bound(solver), floor)
        reports += _reports(
            names,
            weight,
            value,
            bound,
            optimal=status == cp_model.OPTIMAL or value <= bound,
            seconds=round(seconds, 4),
        )
        chosen = found
        held_at[names[0]] = model.add(objective <= value)
        hint_solution(model, solver)
    model.clear_objective()  # type: ignore[no-untyped-call]
    return chosen, reports


def _objective(goal: Stage) -> tuple[tuple[str, ...], LinearExpr, int]:
    """The goals a stage minimises (none: each is a constant, nothing to choose), their
    expression, and the weight of the first one over its tie-break (1 without one)."""
    objective = goal.build()
    then = goal.then.build() if goal.then is not None else 0
    if goal.then is None or isinstance(then, int):
        return ((), 0, 1) if isinstance(objective, int) else ((goal.name,), objective, 1)
    if isinstance(objective, int):
        return (goal.then.name,), then, 1
    weight = goal.then.ceiling() + 1
    return (goal.name, goal.then.name), weight * objective + then, weight


def _reports(
    names: tuple[str, ...], weight: int, value: float, bound: float, optimal: bool, seconds: float
) -> list[StageReport]:
    """A stage's report per goal (see ``Stage.then``); the seconds are the first goal's, the
    tie-break being found in the same search. A tie-break's bound holds among plans whose
    first goal is at most its value, as if it were a stage of its own."""
    if len(names) == 1:
        return [_report(names[0], value, bound, optimal, seconds)]
    first, second = names
    if isnan(value):
        return [
            _report(first, value, bound, optimal, seconds),
            _report(second, value, bound, False, 0.0),
        ]
    goal, tie = divmod(round(value), weight)
    goal_bound: float = bound
    tie_bound: float = bound
    if not isnan(bound):
        goal_bound = floor(bound / weight)
        tie_bound = max(0, ceil(bound) - goal * weight)
    return [
        _report(first, goal, goal_bound, optimal or goal == goal_bound, seconds),
        _report(second, tie, tie_bound, optimal, 0.0),
    ]


def _report(name: str, value: float, bound: float, optimal: bool, seconds: float) -> StageReport:
    gap = abs(value - bound) / max(1.0, abs(value))
    return StageReport(
        name=name, value=value, bound=bound, gap=gap, optimal=optimal, seconds=seconds
    )


def _without_weekly_fairness(
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
    (``_owners_fixed_first``, ``_same_owners_first``): when a copy's plan, which keeps every
    week in its band, reaches the bound, the stage is proven without a search of its own. Not
    on a re-plan, which keeps its owners and is proven in its local model.
    """
    weekly = held_at.get("fairness_weekly")
    if weekly is None or instance.previous is not None or seconds < MINIMUM_SECONDS:
        return -inf, None
    relaxed = variables.model.clone()
    relaxed.proto.constraints[weekly.index].clear_linear()
    solver = parameters(instance, seconds, clock, goal)
    status = clock.solve(solver, relaxed)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return -inf, None
    owners = {s: m for (s, m), var in variables.owner_vars.items() if solver.value(var)}
    return objective_bound(solver), owners or None


def _owners_fixed_first(
    instance: Instance,
    variables: AssignmentVars,
    clock: Clock,
    seconds: float,
    relaxed: dict[str, str] | None = None,
    floor: float = -inf,
) -> None:
    """Hint the ownership stage with the best plan for a good choice of owners.

    The ownership stage's LP relaxation is weak (splitting a series half and half costs it
    nothing), so on a long horizon CP-SAT hardly improves its starting plan (measured on 12
    weeks: 380 exceptions left as they were after 5 s). With every series' owner fixed the same
    model is tight and a copy of it is proven in a fraction of the time. Two choices of owners
    are tried, each plan becoming the stage's hint when it is better:

    - the owners of the best plan for the horizon's first weeks (``PRE_PLAN_WEEKS``, on a
      horizon longer than ``PRE_PLAN_AFTER_WEEKS``), planned in a fraction of the time: 12
      weeks 164-169 exceptions. Tried first when that plan is proven optimal;
    - the hint's (whoever does most of each series in the fair cover): 12 weeks 204-216, the
      month 65. They depend on the cover's tie-breaks (other ones left 12 weeks at 416), but a
      first week is not always typical: the stress household's shift worker alternates early
      and late weeks (905 against 686), and its first weeks are not proven in the time.

    Before them, the owners of the stage's relaxation (``relaxed``, see
    ``_without_weekly_fairness``); none is tried once a plan reaches its bound (``floor``).

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
        week, proven = _first_weeks_owners(instance, clock.share(PRE_PLAN_SHARE * seconds))
        owners = {**usual, **week}
        if owners not in (usual, relaxed):
            choices.insert(0 if proven else 1, owners)
    _best_of(instance, variables, choices, clock, deadline, best, floor, "ownership")


def _same_owners_first(
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
    The owners of the stage's relaxation (``relaxed``, see ``_without_weekly_fairness``) are
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


def _owners_first(
    instance: Instance, variables: AssignmentVars, reports: Sequence[StageReport]
) -> bool:
    """Make the preferences stage's search decide every series' owner first, series by
    series, the hinted owner first (``OWNERS_FIRST_UP_TO_WEEKS``); whether it did.

    Its bound is weak while owners can be split (see ``_same_owners_first``); with the owners
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


def _first_weeks_owners(instance: Instance, clock: Clock) -> tuple[dict[str, str], bool]:
    """Who does most of each series in the best plan for the horizon's first weeks, found in
    ``clock``'s time, and whether that plan is proven optimal. Without carried load: paying it
    back in one week is not the owners' business."""
    end = instance.start + timedelta(days=7 * PRE_PLAN_WEEKS)
    fairness = instance.fairness.model_copy(update={"carried_load": {}})
    first = instance.model_copy(
        update={
            "occurrences": tuple(o for o in instance.occurrences if o.earliest_start < end),
            "end": end,
            "fairness": fairness,
        }
    )
    # Only its owners matter: no explanations, no plan.
    outcome = _optimise(first, None, set(), clock)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for c in outcome.chosen:
        counts[outcome.variables.occurrences[c.occurrence].duty][c.member] += 1
    owners = {series: doers.most_common(1)[0][0] for series, doers in counts.items()}
    return owners, all(r.optimal for r in outcome.reports)


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


@dataclass
class _Outcome:
    variables: AssignmentVars
    chosen: list[Candidate]
    reports: list[StageReport]
    build_seconds: float
    proofs: list[CoverageProof]


def _optimise(
    instance: Instance,
    candidates: Sequence[Candidate] | None,
    hint: set[tuple[int, str, datetime]],
    clock: Clock,
    local: bool = False,
    progress: Progress = no_progress,
) -> _Outcome:
    """The stages over ``candidates``; ``local``: the re-plan's local model (``replan``)."""
    begin = perf_counter()
    variables = AssignmentVars(cp_model.CpModel(), instance, candidates)
    for rule in HARD_RULES:
        rule(variables)
    keeps = locks.keeps(instance, variables.occurrences)
    goals = stages(variables, keeps)
    build_seconds = perf_counter() - begin
    progress("covering every duty")
    first, chosen, proofs = first_goals(
        instance, variables, keeps, hint or _previous_plan(variables), clock
    )
    more, reports = _run_stages(instance, variables, goals, clock, chosen, local, progress)
    return _Outcome(variables, more, [*first, *reports], build_seconds, proofs)


def solve(instance: Instance, progress: Progress = no_progress) -> Plan:
    """The plan for ``instance``: pure (no I/O; the wall clock only times the stats and caps a
    very slow machine, see ``search.Clock``); ``progress`` hears which goal is being worked on.

    A re-plan first solves the local model of ``replan`` and keeps its plan when it is certified
    optimal for the full model; otherwise the full model starts from the local plan as a hint.
    """
    started = perf_counter()
    clock = Clock(instance.time_limit_seconds)
    occurrences = ordered_occurrences(instance)
    candidates = static_candidates(instance, occurrences, instance.previous or ())
    hint: set[tuple[int, str, datetime]] = set()
    build_seconds = perf_counter() - started
    if instance.previous is not None:
        local = replan.local_replan(instance, occurrences, candidates)
        outcome = _optimise(instance, local.candidates, hint, clock, local=True, progress=progress)
        build_seconds += outcome.build_seconds
        floors = dict(local.floors)
        frame = outcome.variables
        outcome.proofs = []  # the local model's own groups prove nothing for the full model
        questions = replan.open_questions(local, candidates, outcome.chosen, frame.linked_pairs())
        if questions:
            # Closest to the local plan: the search starts there (measured 0.03 s faster than
            # from the usual doers), and only the groups' values matter here. The groups the
            # previous plan proved and the new calendars left as they were need no search.
            near = {key(c) for c in outcome.chosen}
            cover = cover_groups(
                frame,
                candidates,
                local.keeps,
                near,
                clock.share(COVERAGE_SHARE * clock.seconds),
                only=questions,
                proven=instance.previous_proofs,
            )
            outcome.proofs = cover.proofs
            group = {i for g, _, _ in cover.groups for i in g}
            floors["coverage"] = replan.coverage_floor(
                occurrences, candidates, local.keeps, group, cover.value if cover.optimal else -inf
            )
            # Outside these groups the local plan keeps every link.
            floors["links"] = cover.links if cover.links_optimal else -inf
        if replan.certified(outcome.reports, floors):
            return _finish(instance, outcome, started, build_seconds, clock, progress)
        hint = {(c.occurrence, c.member, c.start) for c in outcome.chosen}
    outcome = _optimise(instance, candidates, hint, clock, progress=progress)
    build_seconds += outcome.build_seconds
    return _finish(instance, outcome, started, build_seconds, clock, progress)


def _finish(
    instance: Instance,
    outcome: _Outcome,
    started: float,
    build_seconds: float,
    clock: Clock,
    progress: Progress,
) -> Plan:
    solve_seconds = perf_counter() - started - build_seconds
    progress("explaining who does what and why")
    return assemble(
        instance,
        outcome.variables,
        outcome.chosen,
        outcome.reports,
        (build_seconds, solve_seconds),
        outcome.proofs,
        clock.work,
    )
