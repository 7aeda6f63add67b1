"""CP-SAT plumbing shared by every model the solver builds: the hard rules, the solver's
parameters, the clock its time limit is counted on, and complete hints."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from math import ceil, isfinite
from time import perf_counter

from ortools.sat.python import cp_model

from scheduler.solver.candidates import Candidate
from scheduler.solver.instance import Instance
from scheduler.solver.rules import coverage, no_overlap, ramp_up, weekly_cap
from scheduler.solver.variables import AssignmentVars

HARD_RULES: tuple[Callable[[AssignmentVars], None], ...] = (
    coverage.add,
    no_overlap.add,
    weekly_cap.add,
    ramp_up.add,
)

MINIMUM_SECONDS = 0.05

# CP-SAT's deterministic time (its count of work done, the same on every machine) per second of
# the time limit. Measured on the benchmark's 2-core machine, a second of wall time did 0.3 (the
# stress household, many small models) to 0.6 (a month) of it: at 0.3 the stress household takes
# about its time limit, a 12-week plan somewhat less.
WORK_PER_SECOND = 0.3
# The wall clock only guards against a machine much slower or busier than that: past this many
# times the time limit, plus a margin for the Python work that the deterministic count leaves out
# (a large share of a short limit), every search stops, and the plan may then depend on the
# machine.
WALL_CAP_FACTOR = 3.0
WALL_CAP_MARGIN_SECONDS = 10.0


class Clock:
    """The time limit, spent in CP-SAT's deterministic time rather than in seconds on the wall
    clock: every decision about how long to search (a stage's share, the time left for a copy)
    reads this clock, so the same instance gives the same plan on a fast machine, a slow one or
    a busy one, only sooner or later. Python's own work (building models, explanations) is not
    counted: it does the same whatever the time limit."""

    def __init__(self, seconds: float, parent: Clock | None = None) -> None:
        self.seconds = seconds
        self._parent = parent
        self._work = 0.0
        self._wall_deadline: float = (
            parent._wall_deadline
            if parent is not None
            else perf_counter() + WALL_CAP_FACTOR * seconds + WALL_CAP_MARGIN_SECONDS
        )

    @property
    def work(self) -> float:
        """CP-SAT's deterministic time done so far."""
        return self._work

    def spent(self) -> float:
        """Seconds of the time limit spent so far."""
        return self._work / WORK_PER_SECOND

    def left(self) -> float:
        return self.seconds - self.spent()

    def share(self, seconds: float) -> Clock:
        """A clock of its own ``seconds`` for a sub-problem, whose work counts here too."""
        return Clock(seconds, parent=self)

    def solve(self, solver: cp_model.CpSolver, model: cp_model.CpModel) -> cp_model.CpSolverStatus:
        """``solver.solve(model)``, its work counted."""
        status = solver.solve(model)
        clock: Clock | None = self
        while clock is not None:
            clock._work += solver.deterministic_time
            clock = clock._parent
        return status

    def wall_seconds_left(self) -> float:
        return self._wall_deadline - perf_counter()


# SAT inprocessing (cleaning up and probing the clause database between restarts) pays for itself
# only on a long horizon. Measured in deterministic time (30 s limit, to the proof): 2 weeks (16
# seeds) 2.26 -> 1.86 without it, 4 weeks (96 seeds) 51.3 -> 44.4, 5 weeks (16) 16.6 -> 13.5,
# 6 weeks (16) 20.4 -> 20.3; 12 weeks (8 seeds) 42.4 -> 45.6.
INPROCESSING_AFTER = timedelta(weeks=6)

# Cutting planes by goal (with the copies whose owners are fixed); none for the others (see
# ``parameters``). Measured in deterministic time on 24 generated months (seeds 0-23):
# - zero-half cuts tighten the LP of ownership and preferences, where owners can be split: 19
#   months faster, 2 the same, 3 slower; total -16 % (32.8 -> 27.4), median about 1.4 -> 0.9.
#   On the 12-week benchmark's seeds 0-2 ownership got 158 -> 156 (bound 135 -> 140),
#   150 -> 148 (now proven) and 163 -> 163 (bound 156 -> 161);
# - clique cuts for helper cost: that stage 12 months faster, 8 the same, 4 slower by a few
#   hundredths; its total -20 % (12.9 -> 10.3). Zero-half cuts made it slower (+44 %), and
#   with clique cuts as well one month was not proven within 30 s. Since helper cost became
#   the tie-break of preferences (``model.Stage``), it is a stage of its own only when nobody
#   has preferences; the shared search keeps preferences' zero-half cuts (36 months: without
#   them 24.4 -> 36.6, clique cuts instead 35.1, both 24.5).
# Rejected: MIR, CG and objective cuts; clique cuts added to ownership or preferences; all cuts
# at once; zero-half cuts in the cover as well, which change which owners a large household
# starts from, for better or worse by a fifth (stress, three seeds), and broke more links on
# two of them.
CUTS: dict[str, tuple[str, ...]] = {
    "ownership": ("add_zero_half_cuts",),
    "preferences": ("add_zero_half_cuts",),
    "helper_cost": ("add_clique_cuts",),
}
_CUT_FAMILIES = (
    "add_objective_cut",
    "add_cg_cuts",
    "add_mir_cuts",
    "add_zero_half_cuts",
    "add_clique_cuts",
    "add_rlt_cuts",
    "add_lin_max_cuts",
)


def parameters(
    instance: Instance, seconds: float, clock: Clock, goal: str | None = None
) -> cp_model.CpSolver:
    """A solver for one stage: ``seconds`` of ``clock`` at most, the instance's seed; ``goal``:
    the stage's name, for its cutting planes (``CUTS``)."""
    solver = cp_model.CpSolver()
    p = solver.parameters
    # One worker with the full LP and symmetry in it, as CP-SAT's "max_lp_sym" strategy has them:
    # measured on the 2-core target it is as fast as any 2-worker portfolio here (interleaved
    # workers, core-based and LB-tree search were all slower on the ownership stage), and a single
    # worker is deterministic. Unlike "max_lp_sym", constraints join the LP lazily, once violated:
    # measured on 96 generated months (seeds 0-95, deterministic time), 59.5 -> 50.5 in all,
    # ownership -22 %, preferences -7 %, the same values; the 12-week benchmark's three seeds
    # proved optimal with 17.0 -> 15.4 (30 s limit). The "pseudo_costs" strategy, lazy too, did
    # about as well on the months and worse on the 12 weeks.
    p.num_workers = 1
    p.subsolvers.append("default")
    p.linearization_level = 2
    p.use_symmetry_in_lp = True
    p.use_sat_inprocessing = instance.end - instance.start > INPROCESSING_AFTER
    p.random_seed = instance.seed
    p.max_deterministic_time = max(seconds, 0.01) * WORK_PER_SECOND
    p.max_time_in_seconds = max(clock.wall_seconds_left(), 0.01)
    # Presolve of a large model otherwise takes longer than the search (measured: 11 s of 12 on
    # the stress household, mostly FindBigAtMostOneAndLinearOverlap and repeated iterations).
    p.find_big_linear_overlap = False
    p.max_presolve_iterations = 1
    # No cutting planes but ``CUTS``: measured on the month's last three stages over four seeds,
    # with all of them the proof's median time doubled (3.2 s -> 6.3 s); most cost more LP time
    # than the bound they add.
    p.cut_level = 0
    families = CUTS.get(goal or "", ())
    if families:
        p.cut_level = 1
        for family in _CUT_FAMILIES:
            setattr(p, family, family in families)
    return solver


def objective_value(solver: cp_model.CpSolver) -> int:
    """The solution's objective: every goal here is a sum of whole numbers, and CP-SAT's double
    can be a hair off one (helper cost came back as 3603.9999999999995)."""
    return round(solver.objective_value)


def objective_bound(solver: cp_model.CpSolver) -> float:
    """CP-SAT's bound on the objective, a whole number like its value (its double came back a
    hair below one, 69.99999999999999 for 70); an infinite one stays as it is."""
    bound = solver.best_objective_bound
    return float(ceil(bound - 1e-6)) if isfinite(bound) else bound


def key(c: Candidate) -> tuple[int, str, datetime]:
    return (c.occurrence, c.member, c.start)


def hint_exactly(variables: AssignmentVars, chosen: set[tuple[int, str, datetime]]) -> None:
    """A complete hint on the assignment booleans, true exactly for ``chosen`` candidates, and on
    the hard rules' own booleans."""
    hint = variables.model.proto.solution_hint
    hint.vars.clear()
    hint.values.clear()
    taken: list[Candidate] = []
    for c in variables.candidates:
        hint.vars.append(variables.var(c).index)
        is_taken = (c.occurrence, c.member, c.start) in chosen
        hint.values.append(int(is_taken))
        if is_taken:
            taken.append(c)
    for index, value in ramp_up.hints(variables, taken):
        hint.vars.append(index)
        hint.values.append(value)


def hinted_plan(variables: AssignmentVars) -> list[Candidate]:
    """The candidates set to true in the model's hint, in candidate order (``hint_exactly``'s
    inverse)."""
    values = hint_values(variables.model)
    return [c for c in variables.candidates if values.get(variables.var(c).index)]


def hint_values(model: cp_model.CpModel) -> dict[int, int]:
    """The model's hint, by variable index."""
    hint = model.proto.solution_hint
    return dict(zip(hint.vars, hint.values, strict=True))


def hint_solution(model: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    """The stage's solution as a complete hint for the next stage (written straight into the
    proto: thousands of ``add_hint`` calls cost more than a small stage's solve). The solution
    may be a copy's, with variables of its own after the model's: those are left out."""
    values = list(solver.response_proto.solution)[: len(model.proto.variables)]
    hint = model.proto.solution_hint
    hint.vars.clear()
    hint.values.clear()
    hint.vars.extend(range(len(values)))
    hint.values.extend(values)


def hint_new_variables(model: cp_model.CpModel) -> None:
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


def hint_at_floor(model: cp_model.CpModel) -> int | None:
    """The objective's value at the model's (complete, feasible) hint when no solution can be
    better: every term at the end of its variable's domain that minimises it. A stage whose
    starting plan is already there (a fair plan, fairness 0) needs no search; CP-SAT's presolve
    sometimes loses such a hint and spends seconds finding the same value again."""
    at = _at_hint(model, stop_above_floor=True)
    return at[0] if at is not None and at[0] == at[1] else None


def hint_value(model: cp_model.CpModel) -> int | None:
    """The objective's value at the model's hint (None: the hint is not complete)."""
    at = _at_hint(model)
    return at[0] if at is not None else None


def _at_hint(model: cp_model.CpModel, stop_above_floor: bool = False) -> tuple[int, int] | None:
    """The objective at the hint, and the least it could be; ``stop_above_floor``: as soon as
    one term is above its least, with the values so far (a re-plan's stages mostly start above
    their floor, and reading the whole objective back from the proto costs milliseconds)."""
    objective = model.proto.objective
    values = hint_values(model)
    value = floor = 0
    domains = model.proto.variables
    # The Python layer writes ``~x`` as ``1 - x``: objective references are never negated.
    for var, coefficient in zip(objective.vars, objective.coeffs, strict=True):
        if var not in values:
            return None
        # list(): the proto's repeated field does not index from the end (domain[-1] is [0]).
        low, *_, high = list(domains[var].domain)
        value += coefficient * values[var]
        floor += min(coefficient * low, coefficient * high)
        if stop_above_floor and value > floor:
            break
    offset = round(objective.offset)
    return value + offset, floor + offset
