"""The first two goals, every duty done and links kept, solved group by group.

No hard rule and no link connects two groups of ``decompose``, so both goals are sums over
groups: each group's optimum is found on its own (small groups several to one model, a lone
occurrence without the solver) and then fixed in the main model, which is stronger than fixing
only the sums. The result, made fair by ``rebalance``, is the complete hint the later stages of
``model`` start from.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from math import isfinite
from time import perf_counter

from ortools.sat.python import cp_model

from scheduler.solver import decompose, objectives, rebalance
from scheduler.solver.candidates import Candidate
from scheduler.solver.decompose import coverage_groups
from scheduler.solver.instance import Instance
from scheduler.solver.plan import CoverageProof, StageReport
from scheduler.solver.rules import locks
from scheduler.solver.search import (
    HARD_RULES,
    MINIMUM_SECONDS,
    Clock,
    hint_exactly,
    hint_solution,
    key,
    objective_bound,
    objective_value,
    parameters,
)
from scheduler.solver.variables import AssignmentVars

# Of the time limit, at most, for the first two goals. Measured on the stress household (where
# keeping links is never proven): 0.3 -> 0.25 kept as many links (64-71 -> 65) and left the
# ownership stage time for 686-697 exceptions instead of 714-752; 0.25 -> 0.22 kept as many
# again (65-67) and proves fairness 1.3 s sooner (6.8-7.1 s); 0.2 kept 75, 0.15 kept 112.
COVERAGE_SHARE = 0.22
BATCH_OCCURRENCES = 200  # groups solved together in one model
FIRST_SOLVE_SHARE = 0.2  # of a batch's time for coverage and links together


@dataclass
class Cover:
    """The first two goals over some groups (see ``decompose``): coverage and links kept, each
    group's values reached, and the chosen candidates."""

    value: float = 0.0
    bound: float = 0.0
    links: float = 0.0
    links_bound: float = 0.0
    chosen: list[Candidate] = field(default_factory=list)
    groups: list[tuple[list[int], int, int]] = field(default_factory=list)  # coverage, links
    # The groups proven optimal that leave an occurrence unassigned or break a link.
    proofs: list[CoverageProof] = field(default_factory=list)

    def add(
        self, group: list[int], coverage: int, links: int, covered: bool = True, kept: bool = True
    ) -> None:
        """One group's values; each counts towards its bound when proven optimal."""
        self.value += coverage
        self.links += links
        self.bound += coverage if covered else 0
        self.links_bound += links if covered and kept else 0
        self.groups.append((group, coverage, links))

    @property
    def optimal(self) -> bool:
        """Coverage proven optimal in every group."""
        return self.value == self.bound

    @property
    def links_optimal(self) -> bool:
        """Links kept proven optimal too (given coverage) in every group."""
        return self.optimal and self.links == self.links_bound


def cover_groups(
    frame: AssignmentVars,
    candidates: Sequence[Candidate],
    keeps: Sequence[locks.Keep],
    hint: set[tuple[int, str, datetime]],
    clock: Clock,
    only: set[int] | None = None,
    proven: Sequence[CoverageProof] = (),
) -> Cover:
    """Coverage, then links kept, group by group over ``candidates``, within ``clock``'s time:
    every group when ``only`` is None, else the groups that contain one of ``only``. Among a
    group's best plans, the one closest to ``hint`` (a re-plan's previous plan). A group with a
    proof in ``proven`` (same fingerprint) takes its values unsolved and has no candidate
    chosen: only for a re-plan that needs the values alone."""
    instance = frame.instance
    n = len(frame.occurrences)
    by_occurrence: dict[int, list[Candidate]] = {}
    for c in candidates:
        by_occurrence.setdefault(c.occurrence, []).append(c)
    groups = coverage_groups(instance, frame.occurrences, candidates)
    if only is not None:
        groups = [g for g in groups if only.intersection(g)]
    result = Cover()
    held_at: dict[int, list[locks.Keep]] = defaultdict(list)
    for k in keeps:
        held_at[k.occurrence].append(k)
    doers = _Doers(frame, hint)
    proofs = {p.group: p for p in proven}
    batch: list[list[int]] = []
    waiting = sum(len(group) for group in groups if len(group) > 1)
    for number, group in enumerate(groups):
        held = [k for i in group for k in held_at.get(i, [])]
        options = [c for i in group for c in by_occurrence.get(i, [])]
        if not options:
            result.add(group, (n + 1) * len(held) + len(group), 0)
        elif len(group) == 1 and _alone(instance, frame, options):
            # Nothing couples a lone occurrence (not even a link): any option is a cover; the
            # best one honours the keep, then the tie-break.
            preferred = doers.hint(options)
            best = min(
                options,
                key=lambda c: (
                    not any(locks.honours(k, c) for k in held),
                    key(c) not in preferred,
                    c,
                ),
            )
            result.chosen.append(best)
            doers.saw([best])
            result.add(group, (n + 1) * sum(not locks.honours(k, best) for k in held), 0)
        elif _one_each(group, options) and _all_possible(instance, options):
            # One option each, and all of them together break no rule (most groups of a
            # re-plan's local model): the only cover that does them all is the optimum.
            result.chosen += options
            doers.saw(options)
            doer = {c.occurrence: c for c in options}
            members = {i: c.member for i, c in doer.items()}
            result.add(group, *_values(frame, group, held, doer, members))
            waiting -= len(group)
        elif proofs and (proof := proofs.get(_fingerprint(frame, group, options, held))):
            result.add(group, proof.coverage, proof.broken_links)
            result.proofs.append(proof)
        else:
            batch.append(group)
        size = sum(len(g) for g in batch)
        if batch and (size >= BATCH_OCCURRENCES or number == len(groups) - 1):
            # In proportion to size.
            budget = max(MINIMUM_SECONDS, clock.left() * size / max(1, waiting))
            options = [c for g in batch for i in g for c in by_occurrence.get(i, [])]
            before = len(result.chosen)
            hint = doers.hint(options)
            _cover_batch(frame, batch, options, held_at, hint, clock, budget, result)
            doers.saw(result.chosen[before:])
            waiting -= size
            batch = []
    result.chosen.sort()
    return result


class _Doers:
    """The tie-break among a group's best covers: a re-plan's previous plan or, in a fresh plan,
    whoever has done each duty most in the groups so far, so that the cover is already close to
    one owner per series."""

    def __init__(self, frame: AssignmentVars, previous: set[tuple[int, str, datetime]]) -> None:
        self.frame = frame
        self.previous = previous
        self.counts: dict[str, Counter[str]] = defaultdict(Counter)

    def saw(self, chosen: Sequence[Candidate]) -> None:
        for c in chosen:
            self.counts[self.frame.occurrences[c.occurrence].duty][c.member] += 1

    def hint(self, options: Sequence[Candidate]) -> set[tuple[int, str, datetime]]:
        if self.previous:
            return self.previous
        usual = {duty: c.most_common(1)[0][0] for duty, c in self.counts.items()}
        occurrences = self.frame.occurrences
        return {key(c) for c in options if usual.get(occurrences[c.occurrence].duty) == c.member}


def _cover_batch(
    frame: AssignmentVars,
    batch: list[list[int]],
    options: list[Candidate],
    held_at: dict[int, list[locks.Keep]],
    hint: set[tuple[int, str, datetime]],
    clock: Clock,
    seconds: float,
    result: Cover,
) -> None:
    """Several independent groups in one model (one small model per group costs more to build
    than to solve); each group's values are read off the solution.

    First one objective with exact dominance weights (``_BatchModel``), which proves most
    batches at once; on a crowded household the links term weakens the coverage bound, so when
    that runs out of time coverage is proven on its own and links kept after it (measured on
    the stress household: 707 proven against 710 not proven, in less time).
    """
    deadline = clock.spent() + seconds
    model = _BatchModel(frame, batch, options, held_at, hint, clock)
    solved = model.together(seconds * FIRST_SOLVE_SHARE)
    if not solved.covered:
        solved = model.apart(solved, deadline)
    n = len(frame.occurrences)
    if solved.chosen is None:
        # Out of time: these groups stay unassigned.
        for group in batch:
            worst = (n + 1) * sum(len(held_at.get(i, [])) for i in group) + len(group)
            result.add(group, worst, 0, covered=False, kept=False)
        return
    result.chosen += solved.chosen
    doer = {c.occurrence: c for c in solved.chosen}
    members = {i: c.member for i, c in doer.items()}
    for group in batch:
        held = [k for i in group for k in held_at.get(i, [])]
        uncovered, broken_links = _values(frame, group, held, doer, members)
        result.add(group, uncovered, broken_links, solved.covered, solved.kept)
        if solved.covered and solved.kept and (uncovered or broken_links):
            inside = set(group)
            mine = [c for c in options if c.occurrence in inside]
            fingerprint = _fingerprint(frame, group, mine, held)
            result.proofs.append(
                CoverageProof(group=fingerprint, coverage=uncovered, broken_links=broken_links)
            )
    if not solved.covered:
        result.bound += solved.coverage_bound


def _values(
    frame: AssignmentVars,
    group: list[int],
    held: Sequence[locks.Keep],
    doer: dict[int, Candidate],
    members: dict[int, str],
) -> tuple[int, int]:
    """A group's coverage (weighted as in ``objectives.coverage``) and broken links in the plan
    ``doer`` (``members``: who does each occurrence, built once per plan)."""
    n = len(frame.occurrences)
    missed = sum(k.occurrence not in doer or not locks.honours(k, doer[k.occurrence]) for k in held)
    uncovered = (n + 1) * missed + sum(i not in doer for i in group)
    links = frame.linked_pairs(group)
    return uncovered, sum(decompose.broken(members, a, b, same) for a, b, same in links)


def _fingerprint(
    frame: AssignmentVars,
    group: list[int],
    options: Sequence[Candidate],
    held: Sequence[locks.Keep],
) -> str:
    """``decompose.fingerprint`` of one group."""
    links = frame.linked_pairs(group)
    return decompose.fingerprint(frame.instance, frame.occurrences, options, held, links)


@dataclass
class _Solved:
    """A batch's plan (None: none found in time), the coverage it reaches (weighted as in
    ``objectives.coverage``), and whether coverage and links kept are proven optimal."""

    chosen: list[Candidate] | None
    coverage: int | None = None
    covered: bool = False
    kept: bool = False
    coverage_bound: int = 0


class _BatchModel:
    """One batch's model with its three terms: coverage, links broken and the distance to the
    hint. Exact dominance weights: the distance plus the hinted count lies in
    ``[0, options]``, less than one link, and all links together weigh less than one
    unassigned occurrence."""

    def __init__(
        self,
        frame: AssignmentVars,
        batch: list[list[int]],
        options: list[Candidate],
        held_at: dict[int, list[locks.Keep]],
        hint: set[tuple[int, str, datetime]],
        clock: Clock,
    ) -> None:
        self.instance = frame.instance
        self.hint = hint
        self.clock = clock
        everything = [i for group in batch for i in group]
        held = [k for i in everything for k in held_at.get(i, [])]
        self.sub = sub = AssignmentVars(cp_model.CpModel(), self.instance, options, frame=frame)
        for rule in HARD_RULES:
            rule(sub)
        hint_exactly(sub, hint)
        self.hinted = [c for c in options if key(c) in hint]
        self.distance = sum(sub.var(c) for c in options) - 2 * sum(sub.var(c) for c in self.hinted)
        self.coverage = objectives.coverage(sub, held, everything)
        self.links = objectives.link_breaks(sub, everything)
        self.per_link = len(options) + 1
        self.per_cover = self.per_link * (len(sub.linked_pairs(everything)) + 1)

    def together(self, seconds: float) -> _Solved:
        """All three terms in one objective."""
        model = self.sub.model
        model.minimize(self.per_cover * self.coverage + self.per_link * self.links + self.distance)
        solver = parameters(self.instance, seconds, self.clock)
        status = self.clock.solve(solver, model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return _Solved(None)
        hint_solution(model, solver)  # where ``apart`` starts
        value = (objective_value(solver) + len(self.hinted)) // self.per_cover
        optimal = status == cp_model.OPTIMAL
        return _Solved(self.sub.chosen(solver), value, optimal, optimal)

    def _until(self, deadline: float) -> cp_model.CpSolver:
        left = deadline - self.clock.spent()
        return parameters(self.instance, max(MINIMUM_SECONDS, left), self.clock)

    def apart(self, first: _Solved, deadline: float) -> _Solved:
        """Coverage proven on its own, then links kept with it fixed in the time left."""
        model = self.sub.model
        model.minimize(self.coverage)
        solver = self._until(deadline)
        status = self.clock.solve(solver, model)
        bound = objective_bound(solver)
        solved = _Solved(
            first.chosen,
            first.coverage,
            covered=status == cp_model.OPTIMAL,
            coverage_bound=int(bound) if isfinite(bound) else 0,
        )
        found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        if found and (solved.coverage is None or objective_value(solver) < solved.coverage):
            solved.coverage = objective_value(solver)
            solved.chosen = self.sub.chosen(solver)
        if solved.chosen is None or solved.coverage is None:
            return solved
        model.add(self.coverage <= solved.coverage)
        # From the tie-break's plan (infeasible now, CP-SAT repairs it): measured on the stress
        # household, that keeps more links in the time than starting from the cover.
        hint_exactly(self.sub, self.hint or {key(c) for c in solved.chosen})
        model.minimize(self.per_link * self.links + self.distance)
        solver = self._until(deadline)
        status = self.clock.solve(solver, model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            solved.chosen = self.sub.chosen(solver)
        solved.kept = solved.covered and status == cp_model.OPTIMAL
        return solved


def _one_each(group: list[int], options: Sequence[Candidate]) -> bool:
    """Every occurrence of ``group`` has exactly one option (as many options as occurrences is
    not enough: one may have none and another two)."""
    return len(options) == len(group) == len({c.occurrence for c in options})


def _all_possible(instance: Instance, options: Sequence[Candidate]) -> bool:
    """No hard rule forbids doing all of ``options`` together: none of their members has a
    weekly cap or a ramp-up limit, and no two of one member's overlap (``rules.no_overlap``)."""
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for c in options:
        member = instance.member(c.member)
        if member.weekly_cap is not None or member.ramp_up is not None:
            return False
        spans[c.member].append((c.first_minute, c.last_minute))
    for own in spans.values():
        own.sort()
        if any(later[0] < earlier[1] for earlier, later in pairwise(own)):
            return False
    return True


def _alone(instance: Instance, frame: AssignmentVars, options: Sequence[Candidate]) -> bool:
    """No hard rule can forbid any of these options of one occurrence on its own (a ramp-up of
    zero forbids new series outright)."""
    duty = frame.occurrences[options[0].occurrence].duty
    return all(
        instance.member(c.member).ramp_up != 0 or duty in instance.member(c.member).owns
        for c in options
    )


def first_goals(
    instance: Instance,
    variables: AssignmentVars,
    keeps: Sequence[locks.Keep],
    hint: set[tuple[int, str, datetime]],
    clock: Clock,
) -> tuple[list[StageReport], list[Candidate], list[CoverageProof]]:
    """Stages 1 and 2, coverage and links kept (see ``cover``), in a share of ``clock``'s time;
    each group's values are then fixed in the main model, which is stronger than fixing only
    the sums. The proofs are the plan's (see ``CoverageProof``)."""
    begin = perf_counter()
    share = clock.share(COVERAGE_SHARE * clock.seconds)
    cover = cover_groups(variables, variables.candidates, keeps, hint, share)
    # The cover, made fair, is the next stages' complete hint; link booleans are hinted from it as
    # they come. A re-plan keeps the cover closest to its previous plan (changes come first).
    chosen = cover.chosen
    variables.fairness_reference = chosen
    if instance.previous is None:
        chosen = rebalance.rebalance(variables, chosen, keeps)
    hint_exactly(variables, {key(c) for c in chosen})
    variables.solution = chosen
    linked = {a for a, _, _ in variables.linked_pairs()}
    held_at: dict[int, list[locks.Keep]] = defaultdict(list)
    for k in keeps:
        held_at[k.occurrence].append(k)
    for group, achieved, broken in cover.groups:
        held = [k for i in group for k in held_at.get(i, [])]
        if achieved == 0 and not held:
            # Every occurrence done: the same constraint, one cheap literal list per occurrence
            # instead of a sum over the group (a re-plan fixes hundreds of such groups).
            for i in group:
                variables.model.add_exactly_one(map(variables.var, variables.of_occurrence(i)))
            variables.always_done.update(group)
        else:
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
            optimal=cover.optimal if name == "coverage" else cover.links_optimal,
            seconds=seconds if name == "coverage" else 0.0,
        )
        for name, value, bound in (
            ("coverage", cover.value, cover.bound),
            ("links", cover.links, cover.links_bound),
        )
        if name == "coverage" or variables.linked_pairs()  # no links, no goal
    ]
    return reports, chosen, cover.proofs
