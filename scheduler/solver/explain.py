"""Why a duty went to whom, why nobody could take it, and why a re-plan moved it.

The three explanations the model attaches to a plan, built from the rules of ``blockers`` and
``links`` and the fairness target; everything here is pure: instances and plans in, strings out.
Times are shown in the household's time zone ("Tue 24 Nov 07:30").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta

from scheduler.solver.blockers import (
    blockers,
    member_clause,
    plan_blockers,
    reasons_for_window,
)
from scheduler.solver.fairness_target import off_target, shares, target_shares
from scheduler.solver.horizon import (
    clock,
    occurrence_label,
    on_grid,
    previous_by_key,
    remembered,
    span,
    week_count,
    week_of,
)
from scheduler.solver.instance import Duty, Instance, Member, Occurrence, PreviousAssignment
from scheduler.solver.links import link_broken_by, links_kept
from scheduler.solver.plan import Assignment
from scheduler.solver.plan_index import PlanIndex, indexed
from scheduler.solver.static_blockers import (
    availability_clause,
    busy_collisions,
    eligibility_blocker,
    is_available,
    statically_free,
)


def why_unassigned(
    instance: Instance, occurrence: Occurrence, assignments: Sequence[Assignment]
) -> str:
    """``Tue 24 Nov 07:30 School drop-off: Alex busy (...), Nana not available on Tuesdays``."""
    duty = instance.duty(occurrence.duty)
    flexible = occurrence.earliest_start != occurrence.latest_start
    clauses = []
    plan = indexed(instance, assignments)
    for member in duty.eligible:
        free_at, reasons = reasons_for_window(instance, member, occurrence, plan)
        if free_at is None:
            clauses.append(member_clause(instance, member, reasons))
        else:
            name = instance.member(member).name
            clauses.append(f"{name} looks free at {clock(instance, free_at)}")
    if not clauses:
        clauses.append("nobody is eligible")
    lead = "no start in the window works: " if flexible else ""
    return f"{occurrence_label(instance, occurrence)}: {lead}{', '.join(clauses)}"


def _lock_for(instance: Instance, occurrence: Occurrence) -> str | None:
    return next(
        (
            lock.member
            for lock in instance.locks
            if lock.duty == occurrence.duty and lock.day == occurrence.day
        ),
        None,
    )


def _previous_for(instance: Instance, occurrence: Occurrence) -> PreviousAssignment | None:
    return previous_by_key(instance).get((occurrence.duty, occurrence.day))


def frozen(instance: Instance, previous: PreviousAssignment) -> str | None:
    """Why a previous assignment must be kept (started, locked, inside the freeze), else None."""
    if instance.now is None:
        return None
    if previous.start < instance.now:
        return "already started"
    if any(lock.duty == previous.duty and lock.day == previous.day for lock in instance.locks):
        return "locked"
    if previous.start < instance.now + timedelta(minutes=instance.freeze_minutes):
        return f"starts within the {instance.freeze_minutes}-min freeze"
    return None


def series_owner(duty: str, assignments: Iterable[Assignment]) -> str | None:
    """The series' most frequent owner (ties: the first to appear), or None when unassigned."""
    if isinstance(assignments, PlanIndex):
        return assignments.series_owner.get(duty)
    counts = Counter(a.member for a in assignments if a.duty == duty)
    return counts.most_common(1)[0][0] if counts else None


def why_assigned(
    instance: Instance,
    occurrence: Occurrence,
    member: str,
    start: datetime,
    assignments: Sequence[Assignment],
) -> str:
    """Why ``member`` takes this occurrence, e.g. ``Alex busy (Board prep 16:30-18:00), so Sam``.

    In order: a lock, a frozen previous assignment, a link it breaks, a pin, helpers covering for
    partners nobody freed or whom fairness spares, series ownership, everybody else blocked, a
    preference, fairness.
    """
    duty = instance.duty(occurrence.duty)
    who = instance.member(member)
    plan = indexed(instance, assignments)

    def blocked(other: str) -> list[str] | None:
        free_at, reasons = reasons_for_window(instance, other, occurrence, plan)
        if free_at is None:
            return reasons
        return links_kept(instance, other, occurrence, plan) or None

    locked = _lock_for(instance, occurrence)
    if locked == member:
        return "locked: agreed date"
    if locked is not None:
        reasons = blockers(instance, locked, occurrence, start, plan)
        because = " and ".join(reasons) if reasons else "not possible"
        return f"lock ignored: {instance.member(locked).name} {because}, so {who.name}"
    previous = _previous_for(instance, occurrence)
    if previous is not None and previous.member == member and previous.start == start:
        kept = frozen(instance, previous)
        if kept:
            return f"kept: {kept}"
    broken = link_broken_by(instance, occurrence, member, start, plan)
    if broken:
        return broken
    if duty.pinned_owner == member:
        return f"{who.name} always does {duty.name} (pinned)"
    # The plan's owner (``owns`` only says what a member did before, for ramp-up).
    owner = member == series_owner(duty.id, plan)
    partners = [m for m in duty.eligible if instance.member(m).role == "partner"]
    if (
        owner
        and plan.how_often(duty.id, member) > 1
        and any(
            # ``member`` first: a plan's own member is free, so this usually looks at nobody else.
            statically_free(instance, instance.member(p), occurrence, start)
            for p in sorted(partners, key=lambda p: p != member)
        )
    ):
        # Unless every partner's own calendar rules them out: a partner may look blocked only by
        # where the plan put their flexible duties, and owning the series is why it went this way.
        return _owns(instance, who, duty, plan)
    if who.role == "helper" and partners:
        why_not = {p: blocked(p) for p in partners}
        if all(why_not.values()):
            # "can't take it" rather than "not free": a family rule (a link) may be the reason.
            lead = "neither partner can take it" if len(partners) == 2 else "no partner can take it"
            if len(partners) == 1:
                lead = f"{instance.member(partners[0]).name} can't take it"
            clauses = ", ".join(member_clause(instance, p, r or []) for p, r in why_not.items())
            return f"{lead} ({clauses}); {who.name} covers it"
        free = [p for p, r in why_not.items() if not r]
        fairer = _fairness_clause(instance, occurrence, free, plan)
        if fairer:
            taken = [member_clause(instance, p, r) for p, r in why_not.items() if r]
            return f"{'; '.join([*taken, fairer])}, so {who.name}"
    if owner:
        return _owns(instance, who, duty, plan)
    rivals = [m for m in duty.eligible if m != member]
    why_not = {m: blocked(m) for m in rivals}
    if rivals and all(why_not.values()):
        clauses = ", ".join(member_clause(instance, m, r or []) for m, r in why_not.items())
        return f"{clauses}, so {who.name}"
    counts = plan.owners.get(duty.id, Counter()) - Counter({member: 1})
    usual = counts.most_common(1)[0][0] if counts else None
    if usual is not None and usual != member and why_not.get(usual):
        return f"{member_clause(instance, usual, why_not[usual] or [])}, so {who.name}"
    owned_by = series_owner(duty.id, plan)
    if owned_by is not None and owned_by != member and instance.member(owned_by).role == "partner":
        heavier = _heavier_with(instance, occurrence, member, owned_by, plan)
        if heavier:
            name = instance.member(owned_by).name
            return f"{name} owns {duty.name}, but {heavier}, so {who.name}"
    if duty.id in who.prefers:
        return "prefers it"
    if who.role == "helper":
        return f"{who.name} helps out"
    return "evens out the load"


def change_cause(
    instance: Instance,
    occurrence: Occurrence,
    previous: PreviousAssignment,
    new_member: str | None,
    new_start: datetime,
    assignments: Sequence[Assignment] = (),
) -> str:
    """Why a re-plan moved an occurrence: ``Alex: 'Board prep' 07:00-08:30``, else the rule.

    ``assignments`` (optional) is the new plan; with it, caps, ramp-up and clashes with duties
    of the previous owner can be named too; without it, only calendar changes and locks.
    """
    old = instance.member(previous.member) if previous.member in _member_ids(instance) else None
    if old is None:
        return f"{previous.member}: no longer in the household"
    if not on_grid(instance, occurrence, previous.start):
        return f"{instance.duty(occurrence.duty).name}: time window changed"
    collisions = busy_collisions(old, previous.start, occurrence.duration)
    if collisions:
        events = []
        for busy, buffer_only in collisions:
            title = f"'{busy.summary}' " if busy.summary else ""
            travel = " (travel buffer)" if buffer_only else ""
            events.append(f"{title}{span(instance, busy.start, busy.end)}{travel}")
        return f"{old.name}: {', '.join(events)}"
    not_allowed = eligibility_blocker(instance, old, occurrence)
    if not_allowed:
        return f"{old.name}: {not_allowed}"
    if not is_available(old, previous.start, occurrence.duration):
        return f"{old.name}: {availability_clause(old)}"
    locked = _lock_for(instance, occurrence)
    if locked is not None and locked != previous.member:
        return f"locked to {instance.member(locked).name}"
    clash = plan_blockers(instance, old, occurrence, previous.start, assignments)
    if clash:
        short = [
            r.split(" (")[0] if r.startswith(("at the weekly", "at the ramp")) else r for r in clash
        ]
        return f"{old.name}: {', '.join(short)}"
    if new_member == previous.member:
        return f"moved to {clock(instance, new_start)}"
    return "fairness"


def _member_ids(instance: Instance) -> set[str]:
    return {m.id for m in instance.members}


# -- fairness clauses: what a move would do to the split ---------------------------------------


def _worse_split(
    load: Mapping[str, int], targets: Mapping[str, float], moves: Mapping[str, int]
) -> tuple[dict[str, float], dict[str, float]] | None:
    """The partners' shares before and after ``moves`` (weighted minutes added per partner) when
    they take the split further from the targets; else None."""
    before = shares(load, targets)
    after = shares({p: n + moves.get(p, 0) for p, n in load.items()}, targets)
    if before is None or after is None or off_target(after, targets) <= off_target(before, targets):
        return None
    return before, after


def _targets(instance: Instance) -> dict[str, float]:
    """``target_shares``, once per plan: with a free-time target it reads every partner's
    calendar."""
    return remembered("target shares", instance, lambda: target_shares(instance))


def _horizon_load(
    instance: Instance, plan: PlanIndex, targets: Mapping[str, float]
) -> dict[str, int]:
    """Each partner's weighted load over the horizon, carried load included."""
    carried = instance.fairness.carried_load
    return {p: plan.load[p] + carried.get(p, 0) for p in targets}


def _scopes(
    instance: Instance, occurrence: Occurrence, plan: PlanIndex, targets: Mapping[str, float]
) -> list[tuple[dict[str, int], str, float]]:
    """The partners' loads a move of ``occurrence`` is judged on, with their words and how far
    off target (a fraction) the split may be there before the goal counts it: over the horizon
    (carried load included), so far at that week's end when the household asks for it and the
    week is not the last (carried load included), then in that week alone."""
    week = week_of(instance, occurrence.day)
    fairness = instance.fairness
    scopes = [(_horizon_load(instance, plan, targets), "", 0.0)]
    if fairness.so_far_bound_percent is not None and week < week_count(instance) - 1:
        so_far = {
            p: fairness.carried_load.get(p, 0)
            + sum(plan.week_load[(p, w)] for w in range(week + 1))
            for p in targets
        }
        scopes.append((so_far, " so far by that week's end", fairness.so_far_bound_percent / 100))
    this_week = {p: plan.week_load[(p, week)] for p in targets}
    scopes.append((this_week, " that week", fairness.bound_percent / 100))
    return scopes


def _carry(
    split: tuple[dict[str, float], dict[str, float]],
    targets: Mapping[str, float],
    partner: str,
    scope: str,
) -> str:
    """``carry 61.2 % of the load that week instead of 58.4 % (target 50.0 %)``."""
    before, after = split
    return (
        f"carry {100 * after[partner]:.1f} % of the load{scope} instead of "
        f"{100 * before[partner]:.1f} % (target {100 * targets[partner]:.1f} %)"
    )


def _fairness_clause(
    instance: Instance, occurrence: Occurrence, partners: Sequence[str], plan: PlanIndex
) -> str | None:
    """Why a helper and not these free ``partners``: each of them taking it would move the split
    of the partners' weighted load further from the target, over the horizon (carried load
    included) or else in that week. None when it would not for one of them (then fairness is
    not the reason)."""
    if not partners:
        return None
    targets = _targets(instance)
    if len(targets) < 2:
        return None
    weight = instance.weighted_minutes(occurrence)
    for load, scope, _ in _scopes(instance, occurrence, plan, targets):
        clauses = []
        for p in partners:
            split = _worse_split(load, targets, {p: weight})
            if split is None:
                break
            name = instance.member(p).name
            clauses.append(f"{name} is free but would then {_carry(split, targets, p, scope)}")
        else:
            return "; ".join(clauses)
    return None


def _heavier_with(
    instance: Instance, occurrence: Occurrence, member: str, owner: str, plan: PlanIndex
) -> str | None:
    """``with Alex doing this one too, Alex would carry 61.2 % of the load that week instead of
    58.4 % (target 50.0 %)`` when the series' ``owner`` taking this occurrence from ``member``
    would move the split further from the target: over the horizon (carried load included), or
    else outside the household's band so far or that week (``_scopes``). Else None."""
    targets = _targets(instance)
    if owner not in targets:
        return None
    weight = instance.weighted_minutes(occurrence)
    moves = {owner: weight, **({member: -weight} if member in targets else {})}
    for load, scope, off in _scopes(instance, occurrence, plan, targets):
        split = _worse_split(load, targets, moves)
        if split is None or off_target(split[1], targets) <= off:
            continue
        name = instance.member(owner).name
        return (
            f"with {name} doing this one too, {name} would {_carry(split, targets, owner, scope)}"
        )
    return None


def _owns(instance: Instance, who: Member, duty: Duty, plan: PlanIndex) -> str:
    """``Alex owns Laundry``, and for a partner who asked otherwise why it is so anyway:

    - the owner avoids it, and every other partner taking the owner's share of the series would
      move the split of the load further from the target;
    - another partner prefers it, but is not free for some of its occurrences, or taking the
      owner's share would move the split further from the target.
    Nothing is added when neither is true: the reason then lies elsewhere (stable owners)."""
    owns = f"{who.name} owns {duty.name}"
    others = [
        m for m in map(instance.member, duty.eligible) if m.id != who.id and m.role == "partner"
    ]
    moved = plan.series_load[(duty.id, who.id)]
    if who.role != "partner":
        # A helper is the fallback: say why the partners don't take the series instead.
        reasons = [_why_not_the_partner(instance, who, m, duty, moved, plan) for m in others]
        return f"{owns}; {'; '.join(map(str, reasons))}" if others and all(reasons) else owns
    if duty.id in who.avoids and others:
        uneven = [_uneven_with(instance, who, m, moved, plan) for m in others]
        if all(uneven):
            return f"{owns}, though {who.name} would rather not: {'; '.join(map(str, uneven))}"
    fans = [m for m in others if duty.id in m.prefers]
    clauses = []
    for fan in fans:
        blocked = plan.not_free_for(duty.id, fan)
        if blocked:
            done = len(plan.by_duty[duty.id])
            clauses.append(f"{fan.name} would like it but is not free for {blocked} of the {done}")
        elif split := _uneven_with(instance, who, fan, moved, plan):
            clauses.append(f"{fan.name} would like it, but {split}")
    return f"{owns}; {'; '.join(clauses)}" if clauses else owns


def _why_not_the_partner(
    instance: Instance, helper: Member, partner: Member, duty: Duty, weight: int, plan: PlanIndex
) -> str | None:
    """Why ``partner`` does not take the series ``helper`` owns: not free for most of it, or
    the load it would add to theirs (``_uneven_with``); None when neither holds."""
    done = len(plan.by_duty[duty.id])
    blocked = plan.not_free_for(duty.id, partner)
    if 2 * blocked > done:
        return f"{partner.name} is not free for {blocked} of the {done}"
    return _uneven_with(instance, helper, partner, weight, plan)


def _uneven_with(
    instance: Instance, owner: Member, other: Member, weight: int, plan: PlanIndex
) -> str | None:
    """``with Sam doing it, Sam would carry 54.3 % of the load (target 50.0 %)`` when moving
    ``weight`` of the owner's load (a partner's, or a helper's, outside the split) to ``other``
    would take the split (over the horizon, carried load included) further from the target;
    else None."""
    targets = _targets(instance)
    if other.id not in targets:
        return None
    load = _horizon_load(instance, plan, targets)
    moves = {other.id: weight, **({owner.id: -weight} if owner.id in targets else {})}
    split = _worse_split(load, targets, moves)
    if split is None:
        return None
    _, after = split
    return (
        f"with {other.name} doing it, {other.name} would carry {100 * after[other.id]:.1f} % "
        f"of the load (target {100 * targets[other.id]:.1f} %)"
    )
