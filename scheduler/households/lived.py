"""What went well in the weeks lived, said when a plan rolls forward (``--previous`` with a
later ``--start``): who did how much, which series someone did every time, and the split so far.

"Share the wins": a family that shares the load keeps doing it when it notices that it works.
Counted from the previous plan (its last re-plan included), which is all fairshare knows of
those weeks: the report says "as planned". Pure.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from scheduler.solver.fairness_target import percent_shares
from scheduler.solver.plan import Assignment, Lived, MemberLived, Plan, SeriesDone, Unassigned
from scheduler.solver.plan_index import assignment_minutes

EVERY_TIME_AT_LEAST = 2  # a series done once is not yet a habit worth naming


def lived_weeks(
    previous: Plan,
    done: Sequence[Assignment],
    missed: Sequence[Unassigned],
    plan: Plan,
) -> Lived | None:
    """The weeks of ``previous`` before ``plan`` starts, from what was ``done`` and ``missed``
    in them (duties that still exist); None when nothing was planned in them. The split so far
    is ``plan``'s carried load (the household's own plus the weeks lived)."""
    if not done and not missed:
        return None
    tz = ZoneInfo(plan.timezone)
    end = min(plan.start, previous.end)
    by_member: dict[str, list[Assignment]] = defaultdict(list)
    doers: dict[str, Counter[str]] = defaultdict(Counter)
    names: dict[str, str] = {}
    for a in done:
        by_member[a.member].append(a)
        doers[a.duty][a.member] += 1
        names[a.duty] = a.name
    for u in missed:
        doers[u.duty][""] += 1  # nobody: the series was not done every time
    every_time: dict[str, list[SeriesDone]] = defaultdict(list)
    for duty, counts in sorted(doers.items()):
        (member, times), *others = counts.most_common()
        if not others and member and times >= EVERY_TIME_AT_LEAST:
            every_time[member].append(SeriesDone(duty=duty, name=names[duty], times=times))
    members = {
        m.id: MemberLived(
            duties=len(by_member[m.id]),
            minutes=sum(assignment_minutes(a) for a in by_member[m.id]),
            every_time=every_time[m.id],
        )
        for m in plan.members
        if by_member[m.id]
    }
    partners = [m.id for m in plan.members if m.role == "partner" and m.id in plan.load]
    carried = {p: plan.load[p].carried for p in partners}
    return Lived(
        first_day=previous.start.astimezone(tz).date(),
        last_day=(end.astimezone(tz) - timedelta(days=1)).date(),
        members=members,
        unassigned=len(missed),
        share_so_far=percent_shares(carried, dict.fromkeys(partners, 0.0)),
    )


def lived_part(
    plan: Plan | None, begin: datetime, duties: Collection[str]
) -> tuple[list[Assignment], list[Unassigned]]:
    """What ``plan`` had done and left undone before ``begin``, of the ``duties`` that still
    exist: the weeks already lived when a plan rolls forward to ``begin``."""
    if plan is None:
        return [], []
    done = [a for a in plan.assignments if a.start < begin and a.duty in duties]
    missed = [u for u in plan.unassigned if u.start < begin and u.duty in duties]
    return done, missed
