"""``solve(instance) -> Plan``: the CP-SAT model, solved lexicographically in stages.

Build: static candidates (``candidates.py``) become booleans (``variables.py``); every hard rule in
``rules/`` adds its constraints; ``objectives.py`` gives one expression per goal. Solve: the goals
in priority order (see ``objectives``), each stage minimised with the previous stage's solution as a
complete hint and its value then fixed as a constraint; the first hint is the cover of coverage and
links, made fair by ``rebalance``. Stages whose goal is a constant are skipped.
Re-planning also hints the previous plan (with hint repair) before the first stage, and first
tries the exact local model of ``replan``.

Determinism: variables are created in sorted order, the seed is the instance's and the search runs
on one worker (see ``_parameters``), so the same instance gives the same plan unless the time limit
cuts a stage short.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from math import inf
from time import perf_counter

from ortools.sat.python import cp_model

from scheduler.solver import explain, objectives, rebalance, replan
from scheduler.solver.candidates import Candidate, ordered_occurrences, static_candidates
from scheduler.solver.decompose import coverage_groups
from scheduler.solver.instance import Instance, Occurrence
from scheduler.solver.load import member_loads
from scheduler.solver.plan import (
    Assignment,
    Change,
    Plan,
    PlanMember,
    SolveStats,
    StageReport,
    Unassigned,
)
from scheduler.solver.rules import coverage, locks, no_overlap, ramp_up, weekly_cap
from scheduler.solver.variables import AssignmentVars, LinearExpr

HARD_RULES: tuple[Callable[[AssignmentVars], None], ...] = (
    coverage.add,
    no_overlap.add,
    weekly_cap.add,
    ramp_up.add,
)


COVERAGE_SHARE = 0.4  # of the time limit, at most, for stage 1
MINIMUM_SECONDS = 0.05
BATCH_OCCURRENCES = 200  # coverage groups solved together in one model
WARM_START_WEEKS = 2  # planned first to learn the owners of a longer horizon
WARM_START_FROM_WEEKS = 8  # measured: it pays at 12 weeks, costs more than it saves at 4


@dataclass(frozen=True)
class Stage:
    """One goal; ``build`` adds its auxiliary variables only when the stage starts, so earlier
    stages don't presolve constraints they don't use."""

    name: str
    build: Callable[[], LinearExpr]


def stages(variables: AssignmentVars, keeps: Sequence[locks.Keep]) -> list[Stage]:
    """The goals after coverage (see ``_coverage_stage``), in priority order."""
    v = variables
    goals = []
    if variables.instance.previous is not None:
        goals.append(Stage("fairness_bound", lambda: objectives.fairness_bound_excess(v)))
        goals.append(Stage("changes", lambda: objectives.changes(v, keeps)))
    goals += [
        Stage("fairness_horizon", lambda: objectives.fairness_horizon(v)),
        Stage("fairness_weekly", lambda: objectives.fairness_weekly(v)),
        Stage("ownership", lambda: objectives.ownership_exceptions(v)),
        Stage("preferences", lambda: objectives.preferences(v)),
        Stage("helper_cost", lambda: objectives.helper_cost(v)),
    ]
    return goals


def _parameters(instance: Instance, seconds: float, stage: str = "coverage") -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    p = solver.parameters
    # One worker running the LP-heavy, symmetry-aware "max_lp_sym" strategy: measured on the 2-core
    # target it is as fast as any 2-worker portfolio here, and a single worker is deterministic.
    p.num_workers = 1
    p.subsolvers.append("max_lp_sym")
    p.random_seed = instance.seed
    p.max_time_in_seconds = max(seconds, 0.01)
    # Presolve of a large model otherwise takes longer than the search (measured: 11 s of 12 on
    # the stress household, mostly FindBigAtMostOneAndLinearOverlap and repeated iterations).
    p.find_big_linear_overlap = False
    p.max_presolve_iterations = 1
    return solver


def _hint(variables: AssignmentVars, chosen: set[tuple[int, str, datetime]]) -> None:
    """A complete hint on the assignment booleans: true exactly for ``chosen`` candidates."""
    hint = variables.model.proto.solution_hint
    hint.vars.clear()
    hint.values.clear()
    for c in variables.candidates:
        hint.vars.append(variables.var(c).index)
        hint.values.append(int((c.occurrence, c.member, c.start) in chosen))


def _previous_plan(variables: AssignmentVars) -> set[tuple[int, str, datetime]]:
    chosen = set()
    for p in variables.instance.previous or ():
        index = variables.occurrence_index(p.duty, p.day)
        if index is not None:
            chosen.add((index, p.member, p.start))
    return chosen


def _hint_solution(model: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    """The stage's solution as a complete hint for the next stage (written straight into the
    proto: thousands of ``add_hint`` calls cost more than a small stage's solve)."""
    values = list(solver.response_proto.solution)
    hint = model.proto.solution_hint
    hint.vars.clear()
    hint.values.clear()
    hint.vars.extend(range(len(values)))
    hint.values.extend(values)


def _hint_new_variables(model: cp_model.CpModel) -> None:
    """Hint a stage's unhinted auxiliary variables (deviations, excesses) at their upper bound,
    which satisfies every ``>=`` they appear in: the hint stays complete and feasible, and CP-SAT
    starts from it instead of searching for a first solution (seconds on a large household)."""
    hint = model.proto.solution_hint
    hinted = set(hint.vars)
    variables = model.proto.variables
    for index in range(len(variables)):
        if index not in hinted:
            hint.vars.append(index)
            domain = list(variables[index].domain)
            hint.values.append(domain[-1])


def _run_stages(
    instance: Instance,
    variables: AssignmentVars,
    goals: Sequence[Stage],
    started: float,
    chosen: list[Candidate],
) -> tuple[list[Candidate], list[StageReport]]:
    model = variables.model
    reports: list[StageReport] = []
    for number, goal in enumerate(goals):
        variables.solution = chosen
        objective = goal.build()
        if isinstance(objective, int):
            continue  # nothing to choose (no partners to balance, no preferences, ...)
        _hint_new_variables(model)
        left = instance.time_limit_seconds - (perf_counter() - started)
        # Half of what is left while later stages wait, so that a hard stage can't starve them.
        solver = _parameters(instance, left / 2 if number < len(goals) - 1 else left, goal.name)
        model.minimize(objective)
        begin = perf_counter()
        if goal.name == "ownership":
            _warm_start_owners(instance, variables, solver.parameters.max_time_in_seconds / 2)
        status = solver.solve(model)
        seconds = perf_counter() - begin
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            # No solution in time: keep the previous stage's plan, leave this goal open.
            nan = float("nan")
            reports.append(
                StageReport(
                    name=goal.name, value=nan, bound=nan, gap=nan, optimal=False, seconds=seconds
                )
            )
            continue
        value = solver.objective_value
        bound = solver.best_objective_bound
        reports.append(
            StageReport(
                name=goal.name,
                value=value,
                bound=bound,
                gap=abs(value - bound) / max(1.0, abs(value)),
                optimal=status == cp_model.OPTIMAL,
                seconds=round(seconds, 4),
            )
        )
        chosen = variables.chosen(solver)
        model.add(objective <= round(value))
        _hint_solution(model, solver)
    model.clear_objective()  # type: ignore[no-untyped-call]
    return chosen, reports


def _warm_start_owners(instance: Instance, variables: AssignmentVars, seconds: float) -> None:
    """Hint the ownership stage with the best plan for the owners of the horizon's first weeks.

    The ownership stage's LP relaxation is weak (splitting a series half and half costs it
    nothing), so on a long horizon CP-SAT improves its starting plan slowly. The first
    ``WARM_START_WEEKS`` are planned in a fraction of the time, their series' owners fixed in a
    copy of the model (a tight model, solved fast), and that plan becomes the stage's hint when it
    beats the one the stage has (owners = whoever does most of a series so far).
    """
    begin = perf_counter()
    end = instance.start + timedelta(days=7 * WARM_START_WEEKS)
    long = instance.end - instance.start >= timedelta(days=7 * WARM_START_FROM_WEEKS)
    if not long or instance.previous is not None:
        return  # short enough to solve directly; a re-plan keeps its owners anyway
    first = instance.model_copy(
        update={
            "occurrences": tuple(o for o in instance.occurrences if o.earliest_start < end),
            "end": end,
            "time_limit_seconds": seconds / 2,
        }
    )
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for a in solve(first).assignments:
        counts[a.duty][a.member] += 1
    fixed = variables.model.clone()
    for (series, member), var in variables.owner_vars.items():
        if series in counts:
            owner = counts[series].most_common(1)[0][0]
            fixed.add(fixed.get_bool_var_from_proto_index(var.index) == (member == owner))
    solver = _parameters(instance, seconds - (perf_counter() - begin))
    status = solver.solve(fixed)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and (
        solver.objective_value < variables.hinted_exceptions
    ):
        _hint_solution(variables.model, solver)


@dataclass
class _Outcome:
    variables: AssignmentVars
    chosen: list[Candidate]
    reports: list[StageReport]
    build_seconds: float


def _optimise(
    instance: Instance,
    candidates: Sequence[Candidate] | None,
    hint: set[tuple[int, str, datetime]],
    started: float,
) -> _Outcome:
    begin = perf_counter()
    variables = AssignmentVars(cp_model.CpModel(), instance, candidates)
    for rule in HARD_RULES:
        rule(variables)
    keeps = locks.keeps(instance, variables.occurrences)
    goals = stages(variables, keeps)
    build_seconds = perf_counter() - begin
    first, chosen = _coverage_stage(instance, variables, keeps, hint or _previous_plan(variables))
    more, reports = _run_stages(instance, variables, goals, started, chosen)
    return _Outcome(variables, more, [*first, *reports], build_seconds)


@dataclass
class _Cover:
    """The first two goals over some groups (see ``decompose``): coverage and links kept, each
    group's values reached, and the chosen candidates."""

    value: float = 0.0
    bound: float = 0.0
    links: float = 0.0
    links_bound: float = 0.0
    optimal: bool = True
    chosen: list[Candidate] = field(default_factory=list)
    groups: list[tuple[list[int], int, int]] = field(default_factory=list)  # coverage, links

    def add(self, group: list[int], coverage: int, links: int, proven: bool = True) -> None:
        self.value += coverage
        self.links += links
        if proven:
            self.bound += coverage
            self.links_bound += links
        self.groups.append((group, coverage, links))


def _cover(
    frame: AssignmentVars,
    candidates: Sequence[Candidate],
    keeps: Sequence[locks.Keep],
    hint: set[tuple[int, str, datetime]],
    seconds: float,
    only: set[int] | None = None,
) -> _Cover:
    """Coverage, then links kept, group by group over ``candidates``: every group when ``only``
    is None, else the groups that contain one of ``only``. Among a group's best plans, the one
    closest to ``hint`` (a re-plan's previous plan)."""
    instance = frame.instance
    begin = perf_counter()
    n = len(frame.occurrences)
    by_occurrence: dict[int, list[Candidate]] = {}
    for c in candidates:
        by_occurrence.setdefault(c.occurrence, []).append(c)
    groups = coverage_groups(instance, frame.occurrences, candidates)
    if only is not None:
        groups = [g for g in groups if only.intersection(g)]
    result = _Cover()
    batch: list[list[int]] = []
    waiting = sum(len(group) for group in groups if len(group) > 1)
    for number, group in enumerate(groups):
        held = [k for k in keeps if k.occurrence in set(group)]
        options = [c for i in group for c in by_occurrence.get(i, [])]
        if not options:
            result.add(group, (n + 1) * len(held) + len(group), 0)
        elif len(group) == 1 and _alone(instance, frame, options):
            # Nothing couples a lone occurrence (not even a link): any option is a cover; the
            # best one honours the keep, then the hint.
            best = min(
                options,
                key=lambda c: (not any(locks.honours(k, c) for k in held), _key(c) not in hint, c),
            )
            result.chosen.append(best)
            result.add(group, (n + 1) * sum(not locks.honours(k, best) for k in held), 0)
        else:
            batch.append(group)
        size = sum(len(g) for g in batch)
        if batch and (size >= BATCH_OCCURRENCES or number == len(groups) - 1):
            left = seconds - (perf_counter() - begin)
            budget = max(MINIMUM_SECONDS, left * size / max(1, waiting))  # in proportion to size
            usual = hint or _usual_doers(frame, result.chosen, batch, by_occurrence)
            _cover_batch(frame, batch, by_occurrence, keeps, usual, budget, result)
            waiting -= size
            batch = []
    result.chosen.sort()
    return result


def _usual_doers(
    frame: AssignmentVars,
    chosen: Sequence[Candidate],
    batch: list[list[int]],
    by_occurrence: dict[int, list[Candidate]],
) -> set[tuple[int, str, datetime]]:
    """A fresh plan's hint for the next groups: each duty's options with whoever did it most so
    far, so that the cover is already close to one owner per series."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for c in chosen:
        counts[frame.occurrences[c.occurrence].duty][c.member] += 1
    usual = {duty: c.most_common(1)[0][0] for duty, c in counts.items()}
    return {
        _key(c)
        for group in batch
        for i in group
        for c in by_occurrence.get(i, [])
        if usual.get(frame.occurrences[i].duty) == c.member
    }


def _key(c: Candidate) -> tuple[int, str, datetime]:
    return (c.occurrence, c.member, c.start)


def _cover_batch(
    frame: AssignmentVars,
    batch: list[list[int]],
    by_occurrence: dict[int, list[Candidate]],
    keeps: Sequence[locks.Keep],
    hint: set[tuple[int, str, datetime]],
    seconds: float,
    result: _Cover,
) -> None:
    """Several independent groups in one model (one small model per group costs more to build
    than to solve); each group's values are read off the solution.

    One objective with exact dominance weights: coverage over links kept over the distance to
    the hint, which is less than one link (the distance plus the hinted count lies in
    ``[0, options]``), and all links together weigh less than one unassigned occurrence.
    """
    instance = frame.instance
    n = len(frame.occurrences)
    everything = [i for group in batch for i in group]
    options = [c for i in everything for c in by_occurrence.get(i, [])]
    held = [k for k in keeps if k.occurrence in set(everything)]
    sub = AssignmentVars(cp_model.CpModel(), instance, options, frame=frame)
    for rule in HARD_RULES:
        rule(sub)
    links = objectives.link_breaks(sub, everything)
    _hint(sub, hint)
    pairs = len(sub.linked_pairs(everything))
    per_link = len(options) + 1
    per_cover = per_link * (pairs + 1)
    hinted = [c for c in options if _key(c) in hint]
    distance = sum(sub.var(c) for c in options) - 2 * sum(sub.var(c) for c in hinted)
    coverage = objectives.coverage(sub, held, everything)
    sub.model.minimize(per_cover * coverage + per_link * links + distance)
    solver = _parameters(instance, seconds)
    status = solver.solve(sub.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        result.optimal = False  # out of time: these groups stay unassigned
        for group in batch:
            worst = (n + 1) * sum(k.occurrence in set(group) for k in keeps) + len(group)
            result.add(group, worst, 0, proven=False)
        return
    proven = status == cp_model.OPTIMAL
    result.optimal = result.optimal and proven
    chosen = sub.chosen(solver)
    result.chosen += chosen
    doer = {c.occurrence: c for c in chosen}
    for group in batch:
        inside = set(group)
        missed = sum(
            k.occurrence not in doer or not locks.honours(k, doer[k.occurrence])
            for k in held
            if k.occurrence in inside
        )
        broken = sum(
            a in doer and b in doer and (doer[a].member == doer[b].member) != same
            for a, b, same in sub.linked_pairs(group)
        )
        result.add(group, (n + 1) * missed + sum(i not in doer for i in group), broken, proven)
    if not proven:  # links kept: no bound but zero
        result.bound += (round(solver.best_objective_bound) + len(hinted)) // per_cover


def _alone(instance: Instance, frame: AssignmentVars, options: Sequence[Candidate]) -> bool:
    """No hard rule can forbid any of these options of one occurrence on its own (a ramp-up of
    zero forbids new series outright)."""
    duty = frame.occurrences[options[0].occurrence].duty
    return all(
        instance.member(c.member).ramp_up != 0 or duty in instance.member(c.member).owns
        for c in options
    )


def _coverage_stage(
    instance: Instance,
    variables: AssignmentVars,
    keeps: Sequence[locks.Keep],
    hint: set[tuple[int, str, datetime]],
) -> tuple[list[StageReport], list[Candidate]]:
    """Stages 1 and 2, coverage and links kept (see ``_cover``); each group's values are then
    fixed in the main model, which is stronger than fixing only the sums."""
    begin = perf_counter()
    seconds = COVERAGE_SHARE * instance.time_limit_seconds
    cover = _cover(variables, variables.candidates, keeps, hint, seconds)
    # The cover, made fair, is the next stages' complete hint; link booleans are hinted from it as
    # they come. A re-plan keeps the cover closest to its previous plan (changes come first).
    chosen = cover.chosen
    if instance.previous is None:
        chosen = rebalance.rebalance(variables, chosen, keeps)
    _hint(variables, {_key(c) for c in chosen})
    variables.solution = chosen
    linked = {a for a, _, _ in variables.linked_pairs()}
    held_at: dict[int, list[locks.Keep]] = defaultdict(list)
    for k in keeps:
        held_at[k.occurrence].append(k)
    for group, achieved, broken in cover.groups:
        held = [k for i in group for k in held_at.get(i, [])]
        variables.model.add(objectives.coverage(variables, held, group) <= achieved)
        if linked.intersection(group):
            variables.model.add(objectives.link_breaks(variables, group) <= broken)
    seconds = round(perf_counter() - begin, 4)
    reports = [
        StageReport(
            name=name,
            value=value,
            bound=bound,
            gap=abs(value - bound) / max(1.0, abs(value)),
            optimal=cover.optimal,
            seconds=seconds if name == "coverage" else 0.0,
        )
        for name, value, bound in (
            ("coverage", cover.value, cover.bound),
            ("links", cover.links, cover.links_bound),
        )
        if name == "coverage" or variables.linked_pairs()  # no links, no goal
    ]
    return reports, chosen


def solve(instance: Instance) -> Plan:
    """The plan for ``instance``: pure (no I/O, no clock other than timing for the stats).

    A re-plan first solves the local model of ``replan`` and keeps its plan when it is certified
    optimal for the full model; otherwise the full model starts from the local plan as a hint.
    """
    started = perf_counter()
    occurrences = ordered_occurrences(instance)
    candidates = static_candidates(instance, occurrences, instance.previous or ())
    hint: set[tuple[int, str, datetime]] = set()
    build_seconds = perf_counter() - started
    if instance.previous is not None:
        local = replan.local_replan(instance, occurrences, candidates)
        outcome = _optimise(instance, local.candidates, hint, started)
        build_seconds += outcome.build_seconds
        floors = dict(local.floors)
        frame = outcome.variables
        questions = replan.open_questions(local, candidates, outcome.chosen, frame.linked_pairs())
        if questions:
            seconds = COVERAGE_SHARE * instance.time_limit_seconds
            cover = _cover(frame, candidates, local.keeps, set(), seconds, only=questions)
            group = {i for g, _, _ in cover.groups for i in g}
            floors["coverage"] = replan.coverage_floor(
                occurrences, candidates, local.keeps, group, cover.value if cover.optimal else -inf
            )
            # Outside these groups the local plan keeps every link.
            floors["links"] = cover.links if cover.optimal else -inf
        if replan.certified(outcome.reports, floors):
            return _plan(instance, outcome, build_seconds, perf_counter() - started - build_seconds)
        hint = {(c.occurrence, c.member, c.start) for c in outcome.chosen}
    outcome = _optimise(instance, candidates, hint, started)
    build_seconds += outcome.build_seconds
    return _plan(instance, outcome, build_seconds, perf_counter() - started - build_seconds)


def _plan(
    instance: Instance, outcome: _Outcome, build_seconds: float, solve_seconds: float
) -> Plan:
    variables, chosen, reports = outcome.variables, outcome.chosen, outcome.reports
    occurrences = variables.occurrences
    previous = locks.previous_by_occurrence(instance)
    bare: list[Assignment] = []
    for c in chosen:
        occurrence = occurrences[c.occurrence]
        before = previous.get((occurrence.duty, occurrence.day))
        sequence = 0
        if before is not None:
            moved = before.member != c.member or before.start != c.start
            sequence = before.sequence + 1 if moved else before.sequence
        bare.append(
            Assignment(
                duty=occurrence.duty,
                name=instance.duty(occurrence.duty).name,
                day=occurrence.day,
                start=c.start,
                end=c.end,
                member=c.member,
                reason="",
                sequence=sequence,
            )
        )
    bare.sort(key=lambda a: (a.start, a.duty))
    by_key = {(a.duty, a.day): a for a in bare}
    drafted = explain.indexed(instance, bare)  # one index for every explanation
    assignments = [
        a.model_copy(
            update={
                "reason": explain.why_assigned(
                    instance, _occurrence(variables, a), a.member, a.start, drafted
                )
            }
        )
        for a in bare
    ]
    final = explain.indexed(instance, assignments)
    unassigned = []
    for occurrence in sorted(occurrences, key=lambda o: (o.earliest_start, o.duty)):
        if (occurrence.duty, occurrence.day) not in by_key:
            unassigned.append(
                Unassigned(
                    duty=occurrence.duty,
                    name=instance.duty(occurrence.duty).name,
                    day=occurrence.day,
                    start=occurrence.earliest_start,
                    end=occurrence.earliest_start + timedelta(minutes=occurrence.duration),
                    reason=explain.why_unassigned(instance, occurrence, final),
                )
            )
    return Plan(
        household=instance.household,
        timezone=instance.timezone,
        start=instance.start,
        end=instance.end,
        members=[PlanMember(id=m.id, name=m.name, role=m.role) for m in instance.members],
        assignments=assignments,
        unassigned=unassigned,
        load=member_loads(instance, assignments),
        changes=_changes(instance, variables, assignments),
        broken_links=explain.broken_links(instance, final),
        stats=SolveStats(
            build_seconds=round(build_seconds, 4),
            solve_seconds=round(solve_seconds, 4),
            stages=reports,
        ),
    )


def _occurrence(variables: AssignmentVars, assignment: Assignment) -> Occurrence:
    index = variables.occurrence_index(assignment.duty, assignment.day)
    assert index is not None
    return variables.occurrences[index]


def _changes(
    instance: Instance, variables: AssignmentVars, assignments: Sequence[Assignment]
) -> list[Change]:
    """Occurrences that moved owner, became unassigned or got assigned since the previous plan."""
    if instance.previous is None:
        return []
    previous = locks.previous_by_occurrence(instance)
    now = {(a.duty, a.day): a for a in assignments}
    result: list[Change] = []
    for occurrence in variables.occurrences:
        key = (occurrence.duty, occurrence.day)
        before, after = previous.get(key), now.get(key)
        old = before.member if before is not None else None
        new = after.member if after is not None else None
        if old == new:
            continue
        start = (
            after.start
            if after is not None
            else (before.start if before is not None else occurrence.earliest_start)
        )
        if before is None:
            cause = "new occurrence"
        else:
            cause = explain.change_cause(instance, occurrence, before, new, start, assignments)
        result.append(
            Change(duty=occurrence.duty, start=start, **{"from": old}, to=new, cause=cause)
        )
    return sorted(result, key=lambda c: (c.start, c.duty))
