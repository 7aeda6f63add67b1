"""The assignment variables: one boolean per statically possible (occurrence, member, start).

Booleans per candidate start (not optional intervals) because the issue's measurements found them
faster, and a 30-minute grid keeps them few. Rules and objectives reach the variables only through
the named accessors below, never through raw dictionaries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from ortools.sat.python import cp_model

from scheduler.solver.candidates import Candidate, ordered_occurrences, static_candidates
from scheduler.solver.decompose import linked_occurrences
from scheduler.solver.horizon import week_of
from scheduler.solver.instance import Instance, Occurrence

LinearExpr = cp_model.LinearExpr | int


class AssignmentVars:
    """The model's decision variables plus the numbering they rely on."""

    def __init__(
        self,
        model: cp_model.CpModel,
        instance: Instance,
        candidates: Sequence[Candidate] | None = None,
        frame: AssignmentVars | None = None,
    ) -> None:
        """Variables for ``candidates`` (numbered by ``ordered_occurrences``), by default every
        statically possible one; re-planning passes a subset (see ``replan``). A sub-model of
        ``frame`` (one coverage group) shares its numbering instead of recomputing it."""
        self.model = model
        self.instance = instance
        self._linked: list[tuple[int, int, bool]] | None = None
        self._linked_from: dict[int, list[tuple[int, int, bool]]] | None = None
        if frame is None:
            self.occurrences: list[Occurrence] = ordered_occurrences(instance)
            self.weeks: list[int] = [week_of(instance, o.day) for o in self.occurrences]
            self.index: dict[tuple[str, object], int] = {
                (o.duty, o.day): i for i, o in enumerate(self.occurrences)
            }
            # Each occurrence's minutes x effort: the fairness goals and ``rebalance`` read it
            # tens of thousands of times.
            self.weights: list[int] = [instance.weighted_minutes(o) for o in self.occurrences]
        else:
            self.occurrences, self.weeks, self.index = frame.occurrences, frame.weeks, frame.index
            self.weights = frame.weights
            self._linked = frame.linked_pairs()
        self.candidates: list[Candidate] = (
            static_candidates(instance, self.occurrences, instance.previous or ())
            if candidates is None
            else list(candidates)
        )
        # The best plan so far (set between stages): objectives hint their new variables from it.
        self.solution: list[Candidate] = []
        # The plan a fairness point is a per cent of (``objectives.tolerance``): the cover.
        self.fairness_reference: list[Candidate] = []
        # Set by the ownership goal (``objectives.ownership_exceptions``).
        self.owner_vars: dict[tuple[str, str], cp_model.IntVar] = {}
        self.exception_vars: dict[int, cp_model.IntVar] = {}  # by occurrence
        # Set by ``rules.ramp_up``: per (member, series), "started by week w" for each week.
        self.ramp_started: dict[tuple[str, str], list[cp_model.IntVar]] = {}
        # Occurrences every plan of the model does (``first_goals``: their groups cover all).
        self.always_done: set[int] = set()
        # Set by ``objectives.fairness_horizon``, which a re-plan's fairness bound builds on.
        self.horizon_points: LinearExpr | None = None
        # Each goal's value in ``solution``, by the name its variables carry (see ``objectives``).
        self.hinted: dict[str, int] = {}
        self._var: dict[Candidate, cp_model.IntVar] = {}
        self._by_occurrence: dict[int, list[Candidate]] = defaultdict(list)
        self._by_member: dict[str, list[Candidate]] = defaultdict(list)
        self._by_pair: dict[tuple[int, str], list[Candidate]] = defaultdict(list)
        keys = {c.occurrence: self.occurrences[c.occurrence].key for c in self.candidates}
        for c in self.candidates:
            # Not ``%H%M``: strftime is 6x slower, and a re-plan builds these names several times.
            name = f"x[{keys[c.occurrence]},{c.member},{c.start.hour:02d}{c.start.minute:02d}]"
            self._var[c] = model.new_bool_var(name)
            self._by_occurrence[c.occurrence].append(c)
            self._by_member[c.member].append(c)
            self._by_pair[(c.occurrence, c.member)].append(c)

    # -- look-ups -------------------------------------------------------------------------------
    def var(self, candidate: Candidate) -> cp_model.IntVar:
        return self._var[candidate]

    def linked_pairs(self, among: Sequence[int] | None = None) -> list[tuple[int, int, bool]]:
        """``decompose.linked_occurrences`` (computed once), or those whose first occurrence is
        one of ``among``."""
        if self._linked is None:
            self._linked = linked_occurrences(self.instance, self.occurrences)
        if among is None:
            return self._linked
        if self._linked_from is None:
            self._linked_from = defaultdict(list)
            for pair in self._linked:
                self._linked_from[pair[0]].append(pair)
        return [pair for a in among for pair in self._linked_from.get(a, [])]

    def with_options(self) -> list[int]:
        """The occurrences that have at least one candidate, in order."""
        return sorted(self._by_occurrence)

    def of_occurrence(self, occurrence: int) -> list[Candidate]:
        return self._by_occurrence.get(occurrence, [])

    def of_member(self, member: str) -> list[Candidate]:
        return self._by_member.get(member, [])

    def of_pair(self, occurrence: int, member: str) -> list[Candidate]:
        return self._by_pair.get((occurrence, member), [])

    def members_for(self, occurrence: int) -> list[str]:
        """Members with at least one possible start for this occurrence, sorted."""
        return sorted({c.member for c in self.of_occurrence(occurrence)})

    def occurrence_index(self, duty: str, day: object) -> int | None:
        return self.index.get((duty, day))

    # -- expressions ----------------------------------------------------------------------------
    def assigned(self, occurrence: int) -> LinearExpr:
        """1 when somebody does this occurrence."""
        return sum(self._var[c] for c in self.of_occurrence(occurrence))

    def done_by(self, occurrence: int, member: str) -> LinearExpr:
        """1 when ``member`` does this occurrence (at any start)."""
        return sum(self._var[c] for c in self.of_pair(occurrence, member))

    def weighted_sum(self, weighted: Sequence[tuple[Candidate, int]]) -> LinearExpr:
        return cp_model.LinearExpr.weighted_sum(
            [self._var[c] for c, _ in weighted], [w for _, w in weighted]
        )

    # -- solutions ------------------------------------------------------------------------------
    def chosen(self, solver: cp_model.CpSolver) -> list[Candidate]:
        """The candidates set to true in the solver's solution, in candidate order."""
        return [c for c in self.candidates if solver.boolean_value(self._var[c])]
