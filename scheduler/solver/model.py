"""``solve(instance) -> Plan``: the CP-SAT model, solved lexicographically in stages.

Build: static candidates (``candidates.py``) become booleans (``variables.py``); every hard rule in
``rules/`` adds its constraints (``search.HARD_RULES``); ``objectives.py`` gives one expression per
goal. Solve: the first two goals group by group (``first_goals``), then the others in priority
order (see ``objectives``), each stage minimised with the previous stage's solution as a complete
hint and its value then fixed as a constraint; the first hint is the cover of the first two goals,
made fair by ``rebalance``. The stages below weekly fairness first solve their relaxation
without it for a bound and owners to start from; the ownership stage then looks for a better
plan than its hint with every series' owner fixed (on a large household by large neighbourhood
search), the preferences stage with the owners it got and, on a short horizon, by deciding
owners first (all in ``owner_copies``). Helper cost is the preferences stage's tie-break, found
in the same search (``Stage.then``). Stages whose goal is a constant are skipped; a stage out of
time keeps its hint. ``assemble`` turns the solution into the explained ``Plan``.
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

from scheduler.solver import objectives, owner_copies, replan
from scheduler.solver.assemble import assemble
from scheduler.solver.candidates import Candidate, ordered_occurrences, static_candidates
from scheduler.solver.first_goals import COVERAGE_SHARE, cover_groups, first_goals
from scheduler.solver.instance import Instance
from scheduler.solver.plan import CoverageProof, Plan, StageReport
from scheduler.solver.rules import locks
from scheduler.solver.search import (
    HARD_RULES,
    Clock,
    hint_at_floor,
    hint_new_variables,
    hint_solution,
    hint_value,
    hinted_plan,
    key,
    objective_bound,
    objective_value,
    parameters,
)
from scheduler.solver.variables import AssignmentVars, LinearExpr

# Ownership, what a family lives with every day, gets more of the time than the goals below it:
# on a long horizon its plans with owners fixed need it (12 weeks: 216 -> 164-170 exceptions),
# while preferences and helper cost barely move after their first second. Measured on three
# generated 12-week households (seeds 0-2, deterministic time): 2/3 left 160, 150 and 200
# exceptions, 0.8 158, 150 and 163; 0.9 gained 3 more on one of them and cost it 7 preferences.
STAGE_SHARE = {"ownership": 0.8}
# Weeks planned first for a choice of owners (see ``owner_copies.owners_fixed_first``). Two
# rather than one, measured on 12 generated 12-week households (seeds 0-11, 10 s limit): 1930 ->
# 1886 exceptions in all, preferences -533 -> -570, 4 of 12 with every stage within 1 % of its
# bound instead of 1 (seed 0 is the exception: 169 -> 160, preferences -19 -> -16, against 154
# and -54 before ``candidates`` dropped dominated starts); the stress household (seeds 0-5) the
# same plans; 8 weeks (seeds 0-7, all proven) the same values with 18.9 -> 18.7 work.
PRE_PLAN_WEEKS = 2

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
            "on_call",
            "calling on-call helpers only where no partner can",
            lambda: objectives.on_call_helpers(v),
        ),
        Stage(
            "fairness_horizon", "sharing the load fairly", lambda: objectives.fairness_horizon(v)
        ),
        Stage(
            "fairness_weekly",
            "sharing the load fairly week by week",
            lambda: objectives.fairness_weekly(v),
        ),
        Stage(
            "fairness_so_far",
            "keeping the split fair along the way",
            lambda: objectives.fairness_so_far(v),
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
        floor, owners = owner_copies.without_weekly_fairness(
            instance, variables, clock, owner_copies.RELAXATION_SHARE * budget, held_at, names[0]
        )
        copies = owner_copies.FIXED_OWNERS_SHARE * (budget - (clock.spent() - begun))
        if names[0] == "ownership":
            owner_copies.owners_fixed_first(
                instance,
                variables,
                clock,
                copies,
                lambda on: _first_weeks_owners(instance, on),
                owners,
                floor,
            )
        elif names[0] == "preferences":
            owner_copies.same_owners_first(instance, variables, clock, copies, owners, floor)
        held = hint_value(model)
        if held is not None and held <= floor:
            # A plan as good as a relaxation's optimum: proven without a search of its own.
            seconds = round(perf_counter() - begin, 4)
            reports += _reports(names, weight, held, held, optimal=True, seconds=seconds)
            chosen = hinted_plan(variables)
            held_at[names[0]] = model.add(objective <= held)
            continue
        solver = parameters(instance, budget - (clock.spent() - begun), clock, names[0])
        if names[0] == "preferences" and owner_copies.owners_first(instance, variables, reports):
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
            # ``owner_copies.owners_fixed_first`` found), and so does its value; the bound is the
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
