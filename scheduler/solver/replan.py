"""Re-planning locally first: only what the new calendars disturbed is open, and that is exact.

In a re-plan the first four stages are coverage (locks and the freeze kept), links kept, the
fairness bound and the number of changes. Every occurrence whose previous (member, start) is still
statically possible can stay as it is; the others ("disturbed": a new busy event, a lock, a new
occurrence, a previous gap) must move. So the changes stage can never go below ``floor`` = the
disturbed occurrences' forced changes, coverage never below the occurrences (and keeps) nobody can
take, the broken links never below zero and the fairness bound's excess never below zero. Where
the local plan leaves an occurrence uncovered or breaks a link, ``model`` replaces the static
floor by the full model's exact optimum of the groups concerned (see ``decompose``).

The local model gives every undisturbed occurrence only its previous candidate. If it reaches all
four floors, no plan of the full model is better on them, and every plan of the full model that
reaches them changes nothing undisturbed, i.e. lies in the local model: the local optimum of every
later stage is the full model's. That is checked (``certified``), not assumed; otherwise
``model.solve`` falls back to the full model. A typical re-plan after one new meeting opens a
handful of occurrences and proves optimal in a fraction of a second.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scheduler.solver.candidates import Candidate
from scheduler.solver.decompose import broken
from scheduler.solver.instance import Instance, Occurrence
from scheduler.solver.plan import StageReport
from scheduler.solver.rules.locks import Keep, honours, keeps, previous_by_occurrence


@dataclass(frozen=True)
class LocalReplan:
    candidates: list[Candidate]
    floors: dict[str, float]  # stage name -> a lower bound valid for the full model
    keeps: list[Keep]


def local_replan(
    instance: Instance, occurrences: Sequence[Occurrence], candidates: Sequence[Candidate]
) -> LocalReplan:
    """The candidates of the local model and the full model's floors for the first stages."""
    previous = previous_by_occurrence(instance)
    locked = {(lock.duty, lock.day) for lock in instance.locks}
    held: list[Keep] = keeps(instance, occurrences)
    held_at = {k.occurrence for k in held if k.start is not None}  # as ``objectives.changes``
    by_occurrence: dict[int, list[Candidate]] = {}
    for c in candidates:
        by_occurrence.setdefault(c.occurrence, []).append(c)

    kept: list[Candidate] = []
    uncoverable = owner_changes = start_changes = counted = 0
    for index, occurrence in enumerate(occurrences):
        options = by_occurrence.get(index, [])
        uncoverable += not options
        key = (occurrence.duty, occurrence.day)
        before = previous.get(key)
        same = (
            [c for c in options if c.member == before.member and c.start == before.start]
            if before is not None
            else []
        )
        if same and key not in locked:
            kept.append(same[0])
        else:
            kept.extend(options)
        if before is not None and index not in held_at:
            counted += 1
            start_changes += not same
            owner_changes += not any(c.member == before.member for c in options)
    missed_keeps = sum(
        not any(honours(k, c) for c in by_occurrence.get(k.occurrence, [])) for k in held
    )
    n = len(occurrences)
    return LocalReplan(
        keeps=held,
        candidates=sorted(kept),
        floors={
            "coverage": (n + 1) * missed_keeps + uncoverable,
            "links": 0,
            "fairness_bound": 0,
            "changes": (counted + 1) * owner_changes + start_changes,
        },
    )


def _possible(keep: Keep, by_occurrence: dict[int, list[Candidate]]) -> bool:
    return any(honours(keep, c) for c in by_occurrence.get(keep.occurrence, []))


def open_questions(
    local: LocalReplan,
    candidates: Sequence[Candidate],
    chosen: Sequence[Candidate],
    linked: Sequence[tuple[int, int, bool]],
) -> set[int]:
    """Occurrences the local plan leaves uncovered (or keeps it misses) although the full model
    has candidates for them, and those of links it breaks: only for these are the static floors
    (coverage, no link broken) not obviously reached."""
    covered = {c.occurrence for c in chosen}
    doer = {c.occurrence: c.member for c in chosen}
    honoured = {k for k in local.keeps for c in chosen if honours(k, c)}
    by_occurrence: dict[int, list[Candidate]] = {}
    for c in candidates:
        by_occurrence.setdefault(c.occurrence, []).append(c)
    questions = {i for i in by_occurrence if i not in covered}
    questions |= {
        k.occurrence for k in local.keeps if k not in honoured and _possible(k, by_occurrence)
    }
    questions |= {a for a, b, same in linked if broken(doer, a, b, same)}
    return questions


def coverage_floor(
    occurrences: Sequence[Occurrence],
    candidates: Sequence[Candidate],
    held: Sequence[Keep],
    group: set[int],
    inside: float,
) -> float:
    """The full model's coverage floor, given ``inside``, the coverage optimum of the groups (see
    ``decompose``) that make up ``group``; outside, the static floor holds."""
    n = len(occurrences)
    by_occurrence: dict[int, list[Candidate]] = {}
    for c in candidates:
        by_occurrence.setdefault(c.occurrence, []).append(c)
    outside_keeps = [k for k in held if k.occurrence not in group]
    missed_outside = sum(not _possible(k, by_occurrence) for k in outside_keeps)
    uncoverable_outside = sum(1 for i in range(n) if i not in group and not by_occurrence.get(i))
    return inside + (n + 1) * missed_outside + uncoverable_outside


def certified(reports: Sequence[StageReport], floors: dict[str, float]) -> bool:
    """Every stage proven optimal, and the first stages at the full model's floors."""
    values = {r.name: r.value for r in reports}
    return all(r.optimal for r in reports) and all(
        values.get(name, floor) == floor for name, floor in floors.items()
    )
