"""A fair starting plan for the fairness stages: the cover, rebalanced between members.

The cover (``first_goals.cover_groups``) reaches the best coverage and links kept group by group
but ignores fairness, so on a large household the fairness stages started from a lopsided plan
that CP-SAT (one worker) could not repair in time: 227 points off target over the horizon on the
stress household. ``rebalance`` moves occurrences from members above their target share to members
below it, and keeps everything ``model`` fixes after the cover:

- the same occurrences stay covered, and an occurrence with a keep (lock, past, frozen) stays put;
- no link the cover keeps is broken (occurrences chained by kept "same owner" links move as one);
- every hard rule holds: a new candidate is a static one (busy time, buffers, availability), its
  member has no overlapping duty (``rules/no_overlap``), and weekly caps and ramp-up hold.

So each group's coverage and links values are reached exactly, and the result is a complete,
feasible hint. The search is a greedy local search over single moves, in time order, scored like
the fairness goals (``objectives.tolerance``): first only moves that help the horizon, the weeks
and the split so far at the end of each week (``objectives.running_limits``) without hurting
any, then any move that helps them in that order. Deterministic.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import defaultdict
from collections.abc import Callable, Sequence

from scheduler.solver import objectives
from scheduler.solver.blockers import ramp_up_violations
from scheduler.solver.candidates import Candidate
from scheduler.solver.rules.locks import Keep
from scheduler.solver.variables import AssignmentVars

MAX_SWEEPS = 20  # per phase; a sweep that moves nothing ends the phase earlier

# How a move changes the excess over the horizon, in the weeks and along the way, and the worst
# change at the end of any one week (a move early on must not pay for a later week's split).
Change = tuple[int, int, int, int]
Accept = Callable[[Change], bool]


def _helps_all(change: Change) -> bool:
    horizon, weekly, running, worst = change
    return max(horizon, weekly, worst) <= 0 and (horizon, weekly, running) < (0, 0, 0)


def _helps_in_order(change: Change) -> bool:
    return change[:3] < (0, 0, 0)


class _Timeline:
    """One member's duties as sorted, non-overlapping [first, last) minutes."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: dict[int, int] = {}

    def fits(self, first: int, last: int) -> bool:
        n = bisect_left(self._starts, last)
        return n == 0 or self._ends[self._starts[n - 1]] <= first

    def add(self, c: Candidate) -> None:
        insort(self._starts, c.first_minute)
        self._ends[c.first_minute] = c.last_minute

    def remove(self, c: Candidate) -> None:
        self._starts.pop(bisect_left(self._starts, c.first_minute))
        del self._ends[c.first_minute]


class _Rebalancer:
    def __init__(
        self, variables: AssignmentVars, chosen: Sequence[Candidate], keeps: Sequence[Keep]
    ) -> None:
        self.v = variables
        instance = variables.instance
        self.members = {m.id: m for m in instance.members}
        self.targets = objectives.integer_targets(instance)
        self.scale = sum(self.targets.values())
        self.carried = {p: instance.fairness.carried_load.get(p, 0) for p in self.targets}
        self.horizon = objectives.horizon_limits(variables)
        self.weekly = objectives.weekly_limits(variables)
        self.running = objectives.running_limits(variables)
        self.held = {k.occurrence for k in keeps}
        self.links: dict[int, list[tuple[int, bool]]] = defaultdict(list)
        for a, b, same in variables.linked_pairs():
            self.links[a].append((b, same))
            self.links[b].append((a, same))
        self.doer: dict[int, Candidate] = {}
        self.timeline: dict[str, _Timeline] = defaultdict(_Timeline)
        self.minutes: dict[tuple[str, int], int] = defaultdict(int)
        self.load = dict.fromkeys(self.targets, 0)
        self.week_load: dict[int, dict[str, int]] = defaultdict(
            lambda: dict.fromkeys(self.targets, 0)
        )
        # Everything up to the end of each week of ``running``, carried load included.
        self.so_far = {w: dict(self.carried) for w in self.running}
        for c in chosen:
            self._place(c)

    # -- the plan ---------------------------------------------------------------------------------
    def _place(self, c: Candidate, sign: int = 1) -> None:
        week = self.v.weeks[c.occurrence]
        if sign > 0:
            self.doer[c.occurrence] = c
            self.timeline[c.member].add(c)
        else:
            del self.doer[c.occurrence]
            self.timeline[c.member].remove(c)
        self.minutes[(c.member, week)] += sign * self.v.occurrences[c.occurrence].duration
        if c.member in self.targets:
            weight = sign * objectives.weighted_minutes(self.v, c)
            self.load[c.member] += weight
            self.week_load[week][c.member] += weight
            for w, load in self.so_far.items():
                if w >= week:
                    load[c.member] += weight

    def bundle(self, occurrence: int) -> list[int]:
        """The occurrence and those chained to it by "same owner" links its doer keeps."""
        member = self.doer[occurrence].member
        found, todo = {occurrence}, [occurrence]
        while todo:
            for other, same in self.links[todo.pop()]:
                if same and other not in found and self._done_by(other) == member:
                    found.add(other)
                    todo.append(other)
        return sorted(found)

    def _done_by(self, occurrence: int) -> str | None:
        c = self.doer.get(occurrence)
        return None if c is None else c.member

    # -- scores -------------------------------------------------------------------------------
    def change(self, moved: Sequence[Candidate], to: str) -> Change:
        """How moving ``moved`` to ``to`` changes the excess over the horizon, in the weeks and
        along the way."""
        shifts: dict[int, int] = defaultdict(int)
        source = moved[0].member
        for c in moved:
            shifts[self.v.weeks[c.occurrence]] += objectives.weighted_minutes(self.v, c)
        horizon = weekly = running = worst = 0
        for week, weight in sorted(shifts.items()):
            if self.horizon is not None:
                horizon += self._shifted(
                    self.load, self.carried, self.horizon[1], source, to, weight
                )
            limits = self.weekly.get(week)
            if limits is not None:
                weekly += self._shifted(self.week_load[week], {}, limits[1], source, to, weight)
        if (horizon, weekly) > (0, 0):
            return horizon, weekly, 0, 0  # rejected in every phase, whatever the rest
        for w, (_, band) in self.running.items():
            weight = sum(shift for week, shift in shifts.items() if week <= w)
            if weight:
                shifted = self._shifted(self.so_far[w], {}, band, source, to, weight)
                running += shifted
                worst = max(worst, shifted)
        return horizon, weekly, running, worst

    def _shifted(
        self,
        load: dict[str, int],
        carried: dict[str, int],
        band: int,
        source: str,
        to: str,
        weight: int,
    ) -> int:
        """How far outside the band the partners' deviations (``objectives.deviation`` of
        ``load``) go, summed (finer than points), after ``weight`` moves from ``source`` to
        ``to`` minus before. A deviation is linear in the loads, so the move adds
        ``A * own change - a_p * total change`` to it: no copy of ``load`` per move."""
        moved_total = weight * ((to in load) - (source in load))
        total = sum(load.values()) + sum(carried.values())
        change = 0
        for p, share in self.targets.items():
            # objectives.deviation, inlined: this runs for every move of every sweep.
            before = self.scale * (load[p] + carried.get(p, 0)) - share * total
            own = weight * ((p == to) - (p == source))
            after = before + self.scale * own - share * moved_total
            change += max(0, abs(after) - band) - max(0, abs(before) - band)
        return change

    # -- hard rules ---------------------------------------------------------------------------
    def placement(self, bundle: Sequence[int], to: str) -> list[Candidate] | None:
        """Candidates for ``to`` doing every occurrence of ``bundle`` within the hard rules,
        keeping each start where possible; None when a rule or a kept link forbids it."""
        source = self.doer[bundle[0]].member
        member = self.members[to]
        timeline = self.timeline[to]
        placed: list[Candidate] = []
        for i in bundle:
            for other, same in self.links[i]:
                doer = self._done_by(other)  # None: unassigned, the link does not bind
                kept = doer is not None and (doer == source) == same
                if other not in bundle and kept and (doer == to) != same:
                    return None
            start = self.doer[i].start
            options = sorted(self.v.of_pair(i, to), key=lambda c: (c.start != start, c.start))
            fitting = next(
                (
                    c
                    for c in options
                    if timeline.fits(c.first_minute, c.last_minute)
                    and all(
                        c.last_minute <= p.first_minute or p.last_minute <= c.first_minute
                        for p in placed
                    )
                ),
                None,
            )
            if fitting is None:
                return None
            placed.append(fitting)
        if member.weekly_cap is not None:
            added: dict[int, int] = defaultdict(int)
            for c in placed:
                added[self.v.weeks[c.occurrence]] += self.v.occurrences[c.occurrence].duration
            if any(self.minutes[(to, w)] + m > member.weekly_cap for w, m in added.items()):
                return None
        # Ramp-up counts a series as new in the week of its first day: taking a duty on can
        # start a series, and giving one up can move its start into a later, fuller week.
        if not self._ramp_up_holds(to, placed, ()):
            return None
        if not self._ramp_up_holds(source, (), bundle):
            return None
        return placed

    def _ramp_up_holds(
        self, member_id: str, adding: Sequence[Candidate], removing: Sequence[int]
    ) -> bool:
        """Whether ``member_id`` keeps their ramp-up limit taking on ``adding`` and giving up the
        occurrences ``removing``; only a series they don't already own can break it."""
        member = self.members[member_id]
        touched = [c.occurrence for c in adding] + list(removing)
        if member.ramp_up is None or all(
            self.v.occurrences[i].duty in member.owns for i in touched
        ):
            return True
        gone = set(removing)
        plan = [c for c in self.doer.values() if c.member == member_id and c.occurrence not in gone]
        held = [
            (self.v.occurrences[c.occurrence].duty, self.v.occurrences[c.occurrence].day)
            for c in [*plan, *adding]
        ]
        return not ramp_up_violations(self.v.instance, member, held)

    # -- search -------------------------------------------------------------------------------
    def sweep(self, accept: Accept) -> bool:
        """One pass in time order: each occurrence (with its bundle) goes to the member that
        helps most, if any move is accepted; True when something moved."""
        moved_any = False
        for i in sorted(self.doer):
            if i not in self.doer or i in self.held:
                continue
            bundle = self.bundle(i)
            if bundle[0] != i or self.held.intersection(bundle):
                continue
            current = [self.doer[j] for j in bundle]
            source = current[0].member
            able = set.intersection(*(set(self.v.members_for(j)) for j in bundle)) - {source}
            if source not in self.targets and not able & set(self.targets):
                continue  # between helpers: fairness does not change
            ranked = sorted((self.change(current, to), to) for to in able)
            for _, to in (r for r in ranked if accept(r[0])):
                placed = self.placement(bundle, to)
                if placed is not None:
                    for c in current:
                        self._place(c, -1)
                    for c in placed:
                        self._place(c)
                    moved_any = True
                    break
        return moved_any


def rebalance(
    variables: AssignmentVars, chosen: Sequence[Candidate], keeps: Sequence[Keep]
) -> list[Candidate]:
    """``chosen`` (a complete, feasible plan) with the partners' loads moved towards their
    targets, over the horizon, week by week and along the way; same coverage, keeps and kept
    links."""
    state = _Rebalancer(variables, chosen, keeps)
    if state.horizon is None:
        return sorted(chosen)
    for accept in (_helps_all, _helps_in_order):
        for _ in range(MAX_SWEEPS):
            if not state.sweep(accept):
                break
    return sorted(state.doer.values())
