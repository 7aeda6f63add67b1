"""The soft goals, each one linear expression to minimise, in the household's priority order.

``model.solve`` optimises them lexicographically: each stage's optimum (or best value found) is
fixed as a constraint before the next one starts, so a lower goal can never buy itself a worse
higher one, and no weight has to be tuned. (The last two share one search, with exact dominance
weights, see ``model.Stage``.) The order (issue 4):

1. coverage: locks, the past and the freeze window kept, then as few unassigned as possible;
2. links kept (``same_owner_as`` / ``different_owner_from``): broken only to cover a duty;
   re-planning only: the fairness bound, then as few changes as possible; then on-call helpers
   only for what no partner can take (``on_call_helpers``; nothing without one);
3. fairness: over the horizon (carried load included), then week by week;
4. stable ownership: occurrences not done by their series' owner;
5. preferences (avoided minus preferred duties taken); 6. helper cost.

Fairness is integer arithmetic: with target shares a_p / A (small integers), partner p's deviation
is ``A * load_p - a_p * total`` (zero when exactly on target), so no division ever enters the model.
It is counted in rounded points: over the horizon half percentage points off the target, per
week whole percentage points outside the household's ``bound_percent`` band. Exact equality
instead made the ownership stage an unprovable number-partitioning problem, and no family tells
49.8 % from 50 % apart.

Within a dominated goal two parts are combined with exact dominance weights (a missed lock costs
more than all unassigned occurrences together; an owner change more than all start changes).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import lcm

from ortools.sat.python import cp_model

from scheduler.solver import decompose
from scheduler.solver.candidates import Candidate
from scheduler.solver.fairness_target import free_minutes, off_target, shares, target_shares
from scheduler.solver.horizon import candidate_starts
from scheduler.solver.instance import Instance, Member, Occurrence
from scheduler.solver.rules.locks import Keep, kept, previous_by_occurrence
from scheduler.solver.static_blockers import statically_free
from scheduler.solver.variables import AssignmentVars, LinearExpr


def coverage(
    variables: AssignmentVars, keeps: Sequence[Keep], indices: Sequence[int] | None = None
) -> LinearExpr:
    """Unassigned occurrences, plus (dominating) every lock or frozen assignment not kept; over
    ``indices`` only when given (one independent group, see ``decompose``)."""
    n = len(variables.occurrences)
    among = range(n) if indices is None else indices
    chosen = set(among)
    uncovered = len(chosen) - sum(variables.assigned(i) for i in among)
    held = [k for k in keeps if k.occurrence in chosen]
    missed = len(held) - sum(kept(variables, k) for k in held)
    return (n + 1) * missed + uncovered


# -- links -------------------------------------------------------------------------------------
def link_breaks(variables: AssignmentVars, within: Sequence[int] | None = None) -> LinearExpr:
    """Linked pairs of occurrences (one day) both assigned with the link broken: done by two
    members although ``same_owner``, by one member although ``different_owner``.

    One boolean per pair that can break at all, tight for the LP: for a different-owner pair
    ``broken >= done_by(a, m) + done_by(b, m) - 1`` for each member m who could do both; for a
    same-owner pair ``broken >= done_by(a, m) + assigned(b) - done_by(b, m) - 1`` for each member
    m of a, and symmetrically. Hinted from ``variables.solution``. Only pairs inside ``within``
    when given (one group, see ``decompose``).
    """
    model = variables.model
    doer = {c.occurrence: c.member for c in variables.solution}
    breaks = []
    for a, b, same in variables.linked_pairs(within):
        of_a, of_b = variables.members_for(a), variables.members_for(b)
        both = sorted(set(of_a) & set(of_b))
        if not of_a or not of_b or (len(set(of_a) | set(of_b)) == 1 if same else not both):
            continue  # never both assigned, or never broken when they are
        key_a, key_b = variables.occurrences[a].key, variables.occurrences[b].key
        broken = model.new_bool_var(f"link_broken[{key_a},{key_b}]")
        model.add_hint(broken, decompose.broken(doer, a, b, same))
        if same:
            for x, y, members in ((a, b, of_a), (b, a, of_b)):
                for m in members:
                    done = variables.done_by(x, m) + variables.assigned(y) - variables.done_by(y, m)
                    model.add(broken >= done - 1)
        else:
            for m in both:
                model.add(broken >= variables.done_by(a, m) + variables.done_by(b, m) - 1)
        breaks.append(broken)
    return sum(breaks)


# -- fairness ----------------------------------------------------------------------------------
def integer_targets(instance: Instance) -> dict[str, int]:
    """Each partner's target share as a small integer a_p (share = a_p / sum a); per-cent precision
    for "free_time", which keeps the model's coefficients small."""
    partners = [m for m in instance.members if m.role == "partner"]
    fractions = {m.id: Fraction(1, len(partners)) for m in partners}
    if instance.fairness.target == "free_time":
        free = {m.id: free_minutes(instance, m) for m in partners}
        if sum(free.values()) > 0:
            fractions = {
                p: Fraction(f, sum(free.values())).limit_denominator(100) for p, f in free.items()
            }
    scale = lcm(*(s.denominator for s in fractions.values())) if fractions else 1
    return {p: int(s * scale) for p, s in sorted(fractions.items())}


def weighted_minutes(variables: AssignmentVars, candidate: Candidate) -> int:
    return variables.weights[candidate.occurrence]


def partner_loads(variables: AssignmentVars, plan: Sequence[Candidate]) -> Counter[tuple[int, str]]:
    """The partners' weighted minutes in ``plan``, per (week, partner)."""
    partners = {m.id for m in variables.instance.members if m.role == "partner"}
    load: Counter[tuple[int, str]] = Counter()
    for c in plan:
        if c.member in partners:
            load[variables.weeks[c.occurrence], c.member] += weighted_minutes(variables, c)
    return load


def _deviation(
    variables: AssignmentVars,
    candidates: Sequence[Candidate],
    targets: dict[str, int],
    partner: str,
    carried: dict[str, int],
) -> tuple[LinearExpr, int]:
    """``A * (load_p + carried_p) - a_p * (total + carried)`` and a bound on its magnitude."""
    scale = sum(targets.values())
    terms: list[tuple[Candidate, int]] = []
    for c in candidates:
        if c.member in targets:
            w = weighted_minutes(variables, c)
            terms.append((c, (scale if c.member == partner else 0) * w - targets[partner] * w))
    constant = scale * carried.get(partner, 0) - targets[partner] * sum(carried.values())
    bound = abs(constant) + sum(abs(coefficient) for _, coefficient in terms)
    return variables.weighted_sum(terms) + constant, bound


def deviation(
    targets: dict[str, int], load: dict[str, int], carried: dict[str, int], partner: str
) -> int:
    """``_deviation`` of known loads (weighted minutes per partner, carried load apart)."""
    total = sum(load.values()) + sum(carried.values())
    own = load.get(partner, 0) + carried.get(partner, 0)
    return sum(targets.values()) * own - targets[partner] * total


def points(deviation: int, unit: int, band: int) -> int:
    """Whole points (``unit`` each) by which ``deviation`` leaves ``[-band, band]``."""
    return max(0, -(-(abs(deviation) - band) // unit))


def _reference_load(
    variables: AssignmentVars,
    candidates: Sequence[Candidate],
    targets: dict[str, int],
    planned: bool,
) -> int:
    """The partners' weighted load among ``candidates``: ``planned``, in
    ``variables.fairness_reference`` (the first complete plan) when that gives them any; else
    the load they would carry doing every occurrence they could."""
    if planned:
        among = set(candidates)
        load = sum(
            weighted_minutes(variables, c)
            for c in variables.fairness_reference
            if c.member in targets and c in among
        )
        if load:
            return load
    seen: dict[int, int] = {}
    for c in candidates:
        if c.member in targets:
            seen[c.occurrence] = weighted_minutes(variables, c)
    return sum(seen.values())


def tolerance(
    variables: AssignmentVars,
    candidates: Sequence[Candidate],
    carried: dict[str, int],
    band_tenths: int,
    *,
    planned: bool,
    point_tenths: int = 10,
) -> tuple[int, int] | None:
    """One point (``point_tenths`` tenths of a percentage point) and the band around the
    target, both in deviation units (see ``_deviation``), for the partners' loads in
    ``candidates``; None with nothing to balance.

    A point is a per cent of a constant load (which keeps the model linear, see
    ``_reference_load``). ``planned``: of the partners' load in the first complete plan, close
    to the final plan's since coverage is fixed by then; over the horizon this is what makes
    "as close as rounded points allow" true of the shares a family sees. Otherwise: of what the
    partners could carry at most, which on a crowded household is half as large again, so a
    week where many duties stay undone gets more room (with real points, a 10-point band left
    the stress benchmark's week of late shifts unbalanceable more often than not, and a family
    whose laundry falls in one week and gardening in the next had to split both).
    The band is ``band_tenths`` tenths of a percentage point plus half a point (deviations are
    rounded to the nearest point).
    """
    targets = integer_targets(variables.instance)
    if len(targets) < 2:
        return None
    load = _reference_load(variables, candidates, targets, planned)
    return _limits(targets, load + sum(carried.values()), band_tenths, point_tenths)


def _limits(
    targets: dict[str, int], reference: int, band_tenths: int, point_tenths: int = 10
) -> tuple[int, int] | None:
    """``tolerance`` of a reference load (carried load included)."""
    if reference == 0:
        return None
    scale = sum(targets.values())
    unit = max(1, -(-scale * reference * point_tenths // 1000))
    return unit, band_tenths * scale * reference // 1000 + unit // 2


def _points_off(
    variables: AssignmentVars,
    candidates: Sequence[Candidate],
    carried: dict[str, int],
    limits: tuple[int, int] | None,
    name: str,
) -> LinearExpr:
    """Whole points (rounded) by which partners' shares of ``candidates`` (whole weeks: one
    week's or the horizon's) leave target +- band (``limits``, see ``tolerance``); inside the
    band every split counts the same, so the lower goals (stable owners above all) choose among
    equally fair plans."""
    if limits is None:
        return 0
    targets = integer_targets(variables.instance)
    # Hinted at their value in ``variables.solution``: at their upper bound instead, a stage
    # started from a fair plan still reported (and then fixed) its worst value.
    planned = partner_loads(variables, variables.solution)
    weeks = {variables.weeks[c.occurrence] for c in candidates}
    hinted = {p: sum(planned[w, p] for w in weeks) for p in targets}
    deviations = {
        p: Deviation(
            *_deviation(variables, candidates, targets, p, carried),
            planned=deviation(targets, hinted, carried, p),
        )
        for p in _counted(targets)
    }
    return _points_beyond(variables, deviations, limits, name)


def _counted(targets: dict[str, int]) -> list[str]:
    """The partners whose deviations a fairness goal counts: with two partners the second
    deviation is the first one negated, so it is counted once."""
    partners = sorted(targets)
    return partners[:1] if len(partners) == 2 else partners


@dataclass(frozen=True)
class Deviation:
    """A partner's ``_deviation`` in the model, a bound on its magnitude and its value in the
    plan its variables are hinted from."""

    expression: LinearExpr
    bound: int
    planned: int


def _points_beyond(
    variables: AssignmentVars,
    deviations: dict[str, Deviation],
    limits: tuple[int, int],
    name: str,
) -> LinearExpr:
    """The sum of whole points (``limits``: a point and the band) by which ``deviations``
    leave the band, one variable per partner, hinted at its planned value."""
    unit, band = limits
    parts: list[LinearExpr] = []
    variables.hinted[name] = 0
    for p, d in deviations.items():
        off = variables.model.new_int_var(0, -(-d.bound // unit), f"{name}[{p}]")
        variables.model.add(unit * off >= d.expression - band)
        variables.model.add(unit * off >= -d.expression - band)
        value = points(d.planned, unit, band)
        variables.model.add_hint(off, value)
        variables.hinted[name] += value
        parts.append(off)
    return sum(parts)


# Over the horizon only rounding is tolerated (a wider band did not make the ownership stage
# easier: its exceptions come from calendars and overlaps, not from fairness), to the nearest
# half percentage point: a split within a quarter point of the target counts as on it. Whole
# points left 0.4-0.5 points that a greedy "whoever did least" often beat; exact equality made
# the ownership stage an unprovable number-partitioning problem.
HORIZON_BAND_TENTHS = 0
HORIZON_POINT_TENTHS = 5


def fairness_horizon(variables: AssignmentVars) -> LinearExpr:
    """Half percentage points (``HORIZON_POINT_TENTHS``) off the target share over the
    horizon, carried load included; built once per model (a re-plan's fairness bound counts
    the same points a stage earlier)."""
    if variables.horizon_points is None:
        carried = dict(variables.instance.fairness.carried_load)
        limits = horizon_limits(variables)
        variables.horizon_points = _points_off(
            variables, variables.candidates, carried, limits, "fair"
        )
    return variables.horizon_points


def horizon_limits(variables: AssignmentVars) -> tuple[int, int] | None:
    """A point and the band (``tolerance``) of the horizon's fairness, as ``fairness_horizon``
    counts it (``rebalance`` scores its moves the same way)."""
    carried = dict(variables.instance.fairness.carried_load)
    return tolerance(
        variables,
        variables.candidates,
        carried,
        HORIZON_BAND_TENTHS,
        planned=True,
        point_tenths=HORIZON_POINT_TENTHS,
    )


def fairness_weekly(variables: AssignmentVars) -> LinearExpr:
    """Sum over the weeks of the percentage points by which a week's split leaves the
    household's ``bound_percent`` band (weeks are lumpy: one evening is several points),
    points of what the partners could carry that week (see ``tolerance``)."""
    by_week = candidates_by_week(variables)
    limits = weekly_limits(variables)
    return sum(
        _points_off(variables, by_week[w], {}, limits[w], f"fair_week{w}") for w in sorted(by_week)
    )


def weekly_limits(variables: AssignmentVars) -> dict[int, tuple[int, int] | None]:
    """A point and the band (``tolerance``) of each week's fairness, as ``fairness_weekly``
    counts it (``rebalance`` scores its moves the same way)."""
    band = weekly_band_tenths(variables.instance)
    return {
        week: tolerance(variables, candidates, {}, band, planned=False)
        for week, candidates in candidates_by_week(variables).items()
    }


# Along the way (the split so far at the end of each week) the starting plan is evened out as
# far as whole points allow (``rebalance``; a band of one point left the stress benchmark at
# 1.1-1.2 points off on average instead of 0.5). A goal only for a household that asks for it
# (``fairness_so_far``): a band that tight made a week of laundry and the next of gardening split
# both series (and cost twelve weeks 152 -> 169 exceptions), and one as wide as the weekly band
# would change nothing.
RUNNING_BAND_TENTHS = 0


def fairness_so_far(variables: AssignmentVars) -> LinearExpr:
    """Sum over the weeks but the last (the horizon's goal counts that one) of the whole points
    by which the split so far, carried load included, leaves the household's
    ``so_far_bound_percent`` band; 0 when the household has none.

    Opt-in because it costs owner exceptions and proofs wherever the calendars make one partner
    carry more for a while. Measured with a band of 2 points, ranked as here (deterministic
    time): 24 generated months 1223 -> 1253 exceptions, 6.9 -> 19.9 work (all still proven, 8
    of them with more than 1.0), the split so far 1.57 -> 0.87 points off on average, less even
    than the chore apps' "whoever did least so far" keeps it on 0 months instead of 3; 12 weeks
    (seeds 0-7, 10 s) 1213 -> 1242 exceptions, every stage within 1 % of its bound on 2 of 8
    instead of 5, less even than "least so far" on 1 of 8 instead of 5."""
    percent = variables.instance.fairness.so_far_bound_percent
    if percent is None:
        return 0
    limits = running_limits(variables, round(10 * percent))
    so_far = so_far_deviations(variables, variables.model, variables.solution, limits)
    return sum(
        _points_beyond(variables, deviations, limits[end], f"so_far{end}")
        for end, deviations in sorted(so_far.items())
    )


def running_limits(
    variables: AssignmentVars, band_tenths: int = RUNNING_BAND_TENTHS
) -> dict[int, tuple[int, int]]:
    """A point and the band (``tolerance``, ``band_tenths`` tenths of a point plus half a point)
    for the split so far at the end of each week but the last (that one is the horizon's): of
    the partners' planned load so far, carried load included."""
    targets = integer_targets(variables.instance)
    if len(targets) < 2:
        return {}
    by_week = candidates_by_week(variables)
    reference = sum(variables.instance.fairness.carried_load.values())
    limits = {}
    for w in sorted(by_week)[:-1]:
        reference += _reference_load(variables, by_week[w], targets, planned=True)
        found = _limits(targets, reference, band_tenths)
        if found is not None:
            limits[w] = found
    return limits


def running_no_worse(
    variables: AssignmentVars, model: cp_model.CpModel, plan: Sequence[Candidate]
) -> None:
    """Constrain ``model`` (``variables.model`` or a copy of it) so that at the end of each week
    (``running_limits``) every partner's split so far, carried load included, is at least as
    close to target as in ``plan``, or within half a point of it."""
    limits = running_limits(variables)
    for end, deviations in so_far_deviations(variables, model, plan, limits).items():
        band = limits[end][1]
        for d in deviations.values():
            cap = max(band, abs(d.planned))
            model.add(d.expression <= cap)
            model.add(d.expression >= -cap)


def so_far_deviations(
    variables: AssignmentVars,
    model: cp_model.CpModel,
    plan: Sequence[Candidate],
    ends: Iterable[int],
) -> dict[int, dict[str, Deviation]]:
    """At the end of each of the weeks ``ends``, each counted partner's ``Deviation`` of the
    split so far, carried load included, in ``model`` (``variables.model`` or a copy of it),
    planned as in ``plan``.

    Counted on one load variable per week and partner, added to ``model`` and hinted from
    ``plan``: with sums over every candidate so far instead, the stress benchmark's search took
    a quarter longer on the wall clock for the same deterministic time."""
    targets = integer_targets(variables.instance)
    week_ends = sorted(ends)
    if len(targets) < 2 or not week_ends:
        return {}
    carried = dict(variables.instance.fairness.carried_load)
    scale, carried_total = sum(targets.values()), sum(carried.values())
    by_week = candidates_by_week(variables)
    planned = partner_loads(variables, plan)
    loads: dict[tuple[int, str], cp_model.IntVar] = {}
    most: dict[tuple[int, str], int] = {}
    for w in sorted(by_week):
        if w > week_ends[-1]:
            break
        for p in sorted(targets):
            terms = [(c, weighted_minutes(variables, c)) for c in by_week[w] if c.member == p]
            most[w, p] = sum(m for _, m in terms)
            loads[w, p] = model.new_int_var(0, most[w, p], f"load[{w},{p}]")
            model.add(loads[w, p] == variables.weighted_sum(terms))
            model.add_hint(loads[w, p], planned[w, p])
    found: dict[int, dict[str, Deviation]] = {}
    for end in week_ends:
        weeks = [w for w in sorted(by_week) if w <= end]
        so_far = {p: sum(planned[w, p] for w in weeks) for p in targets}
        total = sum(loads[w, q] for w in weeks for q in sorted(targets))
        largest = sum(most[w, q] for w in weeks for q in targets) + carried_total
        found[end] = {
            p: Deviation(
                scale * (sum(loads[w, p] for w in weeks) + carried.get(p, 0))
                - targets[p] * (total + carried_total),
                scale * largest,
                deviation(targets, so_far, carried, p),
            )
            for p in _counted(targets)
        }
    return found


def candidates_by_week(variables: AssignmentVars) -> dict[int, list[Candidate]]:
    by_week: dict[int, list[Candidate]] = defaultdict(list)
    for c in variables.candidates:
        by_week[variables.weeks[c.occurrence]].append(c)
    return by_week


def weekly_band_tenths(instance: Instance) -> int:
    """The household's ``bound_percent``, in tenths of a point."""
    return round(10 * instance.fairness.bound_percent)


def fairness_bound_excess(variables: AssignmentVars) -> LinearExpr:
    """Re-planning: points by which the horizon split, counted exactly as ``fairness_horizon``
    counts it, leaves the household's ``bound_percent``; zero within it.
    Counted the same way as a fresh plan's fairness, so re-planning an unchanged household
    never moves anything for it (a fresh plan that cannot reach the bound is already as close
    as it gets)."""
    points = fairness_horizon(variables)
    if isinstance(points, int):
        return 0
    bound = round(10 * variables.instance.fairness.bound_percent / HORIZON_POINT_TENTHS)
    most = 1000 * len(variables.instance.members) // HORIZON_POINT_TENTHS
    excess = variables.model.new_int_var(0, most, "bound_excess")
    variables.model.add(excess >= points - bound)
    variables.model.add_hint(excess, max(0, variables.hinted["fair"] - bound))
    return excess


def fairer(variables: AssignmentVars, plan: Sequence[Candidate], than: Sequence[Candidate]) -> bool:
    """Whether ``plan`` splits the horizon's load (carried load included) closer to the target
    than ``than``, in real shares (``fairness_target.off_target``), not rounded points."""
    targets = target_shares(variables.instance)

    def distance(chosen: Sequence[Candidate]) -> float:
        load = Counter(variables.instance.fairness.carried_load)
        for (_, p), minutes in partner_loads(variables, chosen).items():
            load[p] += minutes
        split = shares(load, targets)
        return 0.0 if split is None else off_target(split, targets)

    return distance(plan) < distance(than)


# -- ownership, re-planning, preferences, cost -------------------------------------------------
def ownership_exceptions(variables: AssignmentVars) -> LinearExpr:
    """Occurrences not done by their series' owner (one owner boolean per series and member).

    Besides ``exception >= done_by(member) - owner(member)``, an occurrence that some possible
    owner cannot take at all gets ``exception >= assigned - sum(owners who can)``: the calendar
    forces the exception whoever owns the series, which tightens the LP relaxation a lot.

    An occurrence that is always done and has one candidate only (most of a re-plan's local
    model) needs no boolean: it is an exception exactly when its member does not own the
    series, so each series counts ``n * (1 - owner(member))`` for them.

    The new variables are hinted from ``variables.solution`` (the owner: whoever does most of
    the series), so the stage starts from a complete, feasible hint; the owner booleans and the
    hint's value are left on ``variables`` for ``owner_copies.owners_fixed_first``.
    """
    model = variables.model
    doer = {c.occurrence: c.member for c in variables.solution}
    variables.owner_vars.clear()
    variables.exception_vars.clear()
    variables.hinted["ownership"] = 0
    by_series: dict[str, list[int]] = defaultdict(list)
    for index, occurrence in enumerate(variables.occurrences):
        if variables.of_occurrence(index):
            by_series[occurrence.duty].append(index)
    exceptions: list[LinearExpr] = []
    for series in sorted(by_series):
        indices = by_series[series]
        members = sorted({m for i in indices for m in variables.members_for(i)})
        if len(members) < 2:
            continue
        owner = {m: model.new_bool_var(f"owner[{series},{m}]") for m in members}
        model.add_exactly_one(owner.values())
        counts = Counter(doer[i] for i in indices if i in doer)
        usual = max(members, key=lambda m: (counts[m], -members.index(m)))
        for m in members:
            model.add_hint(owner[m], m == usual)
            variables.owner_vars[(series, m)] = owner[m]
        certain: Counter[str] = Counter()
        for i in indices:
            variables.hinted["ownership"] += i in doer and doer[i] != usual
            options = variables.of_occurrence(i)
            if len(options) == 1 and i in variables.always_done:
                certain[options[0].member] += 1
                continue
            able = variables.members_for(i)
            exception = model.new_bool_var(f"exception[{variables.occurrences[i].key}]")
            model.add_hint(exception, i in doer and doer[i] != usual)
            variables.exception_vars[i] = exception
            for m in able:
                model.add(exception >= variables.done_by(i, m) - owner[m])
            if len(able) < len(members):
                model.add(exception >= variables.assigned(i) - sum(owner[m] for m in able))
            exceptions.append(exception)
        exceptions += [n * (1 - owner[m]) for m, n in sorted(certain.items())]
    return sum(exceptions)


def changes(variables: AssignmentVars, keeps: Sequence[Keep]) -> LinearExpr:
    """Re-planning: owner changes (dominating), then start changes, against the previous plan.

    What started or is about to (past, frozen) is left to the coverage stage, which keeps its
    owner and start; a lock there keeps only the owner, so a locked occurrence counts here too
    (it stays at its time unless that is now blocked).
    """
    previous = previous_by_occurrence(variables.instance)
    held = {k.occurrence for k in keeps if k.start is not None}
    owner_changes: list[LinearExpr] = []
    start_changes: list[LinearExpr] = []
    for index, occurrence in enumerate(variables.occurrences):
        before = previous.get((occurrence.duty, occurrence.day))
        if before is None or index in held:
            continue
        same_owner = variables.of_pair(index, before.member)
        owner_changes.append(1 - sum(variables.var(c) for c in same_owner))
        start_changes.append(
            1 - sum(variables.var(c) for c in same_owner if c.start == before.start)
        )
    return (len(start_changes) + 1) * sum(owner_changes) + sum(start_changes)


def on_call_helpers(variables: AssignmentVars) -> LinearExpr:
    """Occurrences an on-call helper (``Member.on_call``) does although some partner's calendar
    left them free for it. Ranked right after coverage and links, so such a helper is only
    called where the partners cannot take a duty in any plan as complete; the other goals
    (fairness, owners) never call them in. Whether a partner was free is asked of the calendars,
    not of the model's candidates, so a re-plan's local model counts what the full one does."""
    instance = variables.instance
    partners = [m for m in instance.members if m.role == "partner"]
    on_call = sorted(m.id for m in instance.members if m.on_call and m.role == "helper")
    free: dict[int, bool] = {}  # by occurrence: a flexible one has many candidates
    terms: list[tuple[Candidate, int]] = []
    for member in on_call:
        for c in variables.of_member(member):
            if c.occurrence not in free:
                occurrence = variables.occurrences[c.occurrence]
                free[c.occurrence] = _a_partner_is_free(instance, partners, occurrence)
            if free[c.occurrence]:
                terms.append((c, 1))
    return variables.weighted_sum(terms) if terms else 0


def _a_partner_is_free(
    instance: Instance, partners: Sequence[Member], occurrence: Occurrence
) -> bool:
    """Whether a partner's calendar, eligibility and cap leave them a start for ``occurrence``
    (whatever else the plan gives them)."""
    return any(
        (p.weekly_cap is None or p.weekly_cap >= occurrence.duration)
        and any(
            statically_free(instance, p, occurrence, start)
            for start in candidate_starts(instance, occurrence)
        )
        for p in partners
    )


def preferences(variables: AssignmentVars) -> LinearExpr:
    """Avoided duties taken minus preferred duties taken."""
    terms: list[tuple[Candidate, int]] = []
    for member in variables.instance.members:
        for c in variables.of_member(member.id):
            duty = variables.occurrences[c.occurrence].duty
            score = (duty in member.avoids) - (duty in member.prefers)
            if score:
                terms.append((c, score))
    return variables.weighted_sum(terms) if terms else 0


def helper_cost(variables: AssignmentVars) -> LinearExpr:
    """What the helpers cost, in cents, plus one cent per helper occurrence so that a free
    helper is still the fallback rather than the default."""
    terms = _helper_costs(variables)
    return variables.weighted_sum(terms) if terms else 0


def helper_cost_ceiling(variables: AssignmentVars) -> int:
    """The most ``helper_cost`` can be: every occurrence a helper may do, done by the dearest."""
    dearest: dict[int, int] = {}
    for c, cost in _helper_costs(variables):
        dearest[c.occurrence] = max(dearest.get(c.occurrence, 0), cost)
    return sum(dearest.values())


def _helper_costs(variables: AssignmentVars) -> list[tuple[Candidate, int]]:
    terms: list[tuple[Candidate, int]] = []
    for member in variables.instance.members:
        if member.role == "helper":
            for c in variables.of_member(member.id):
                minutes = variables.occurrences[c.occurrence].duration
                terms.append((c, 1 + round(member.hourly_cost * minutes * 100 / 60)))
    return terms
