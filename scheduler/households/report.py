"""A plan as a parent reads it in the terminal: week by week, then how fair it is.

``plan_report`` only builds Rich renderables from a ``Plan`` (no printing, no clock), so the CLI
prints it and tests can render it to text.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from scheduler.solver.plan import Assignment, Lived, Plan, Unassigned, WeekLoad

_NOBODY = "nobody"


def plan_report(plan: Plan, *, explain: bool = False) -> Group:
    """The week tables, the fairness summary, who owns which series, what nobody could do, the
    links that gave way to cover every duty, and what changed.

    ``explain`` adds each assignment's reason (why that member) to the week tables.
    """
    tz = ZoneInfo(plan.timezone)
    names = {m.id: m.name for m in plan.members}
    parts: list[RenderableType] = [
        Text(f"{plan.household}: {_span(plan, tz)} ({plan.timezone})", style="bold")
    ]
    if plan.lived is not None:
        parts.append(_lived(plan.lived, plan, names))
    parts.extend(_weeks(plan, tz, names, explain))
    parts.append(_members(plan, names))
    parts.append(_owners(plan, names))
    if plan.unassigned:
        parts.append(_unassigned(plan, tz))
    if plan.broken_links:
        parts.append(_broken_links(plan))
    if plan.changes:
        parts.append(_changes(plan, tz, names))
    return Group(*parts)


def _span(plan: Plan, tz: ZoneInfo) -> str:
    last = plan.end.astimezone(tz).date() - timedelta(days=1)
    return f"{plan.start.astimezone(tz):%a %d %b %Y} to {last:%a %d %b %Y}"


def _when(moment: datetime, tz: ZoneInfo) -> str:
    return f"{moment.astimezone(tz):%a %d %b %H:%M}"


def _weeks(plan: Plan, tz: ZoneInfo, names: dict[str, str], explain: bool) -> list[RenderableType]:
    first = plan.start.astimezone(tz).date()
    rows: dict[int, list[Assignment | Unassigned]] = defaultdict(list)
    items: list[Assignment | Unassigned] = [*plan.assignments, *plan.unassigned]
    for item in items:
        rows[(item.day - first).days // 7].append(item)
    weeks = -(-(plan.end.astimezone(tz).date() - first).days // 7)
    tables: list[RenderableType] = []
    for week in range(weeks):
        monday = first + timedelta(weeks=week)
        table = Table(
            title=f"Week {week + 1}: {monday:%a %d %b} - {monday + timedelta(days=6):%a %d %b}",
            title_justify="left",
        )
        for column in ("Day", "Time", "Duty", "Member", *(["Why"] if explain else [])):
            table.add_column(column)
        previous_day: date | None = None
        for item in sorted(rows[week], key=lambda i: (i.start, i.duty)):
            # The day it starts, which is the next one for a night duty that starts after
            # midnight (its week stays the one of the day it belongs to).
            day = item.start.astimezone(tz).date()
            if previous_day is not None and day != previous_day:
                table.add_section()
            time = f"{item.start.astimezone(tz):%H:%M}-{item.end.astimezone(tz):%H:%M}"
            if isinstance(item, Assignment):
                who = Text(names.get(item.member, item.member))
            else:
                who = Text(_NOBODY, style="bold red")
            table.add_row(
                f"{day:%a %d %b}" if day != previous_day else "",
                time,
                item.name,
                who,
                *([item.reason] if explain else []),
            )
            previous_day = day
        if week < len(plan.weeks):
            table.caption = _split(plan, plan.weeks[week], names, first_week=week == 0)
            table.caption_justify = "left"
        tables.append(table)
    return tables


def _lived(lived: Lived, plan: Plan, names: dict[str, str]) -> Text:
    """What went well in the weeks lived (a plan rolled forward): who did how much, the series
    someone did every time, the helpers' part, and the split so far."""
    roles = {m.id: m.role for m in plan.members}
    done = sum(m.duties for m in lived.members.values())
    covered = (
        "Every duty had someone."
        if not lived.unassigned
        else f"{done} of {done + lived.unassigned} duties had someone."
    )
    partners = []
    helpers = []
    for member, did in lived.members.items():
        name = names.get(member, member)
        duties = f"{did.duties} {'duty' if did.duties == 1 else 'duties'}"
        if roles.get(member) != "partner":
            helpers.append(f"{name} for {duties}")
            continue
        every = ", every " + _and([s.name for s in did.every_time]) if did.every_time else ""
        partners.append(f"{name} did {duties}{every}")
    sentences = [covered]
    if partners:
        sentences.append("; ".join(partners) + ".")
    if helpers:
        sentences.append(f"Thanks to {_and(helpers)}.")
    if len(lived.share_so_far) > 1:
        split = _shares(lived.share_so_far, names)
        on_target = all(
            abs(share - (plan.load[p].target_share or share)) <= 1
            for p, share in lived.share_so_far.items()
        )
        sentences.append(
            f"Split so far (carried load included): {split}{', on target' if on_target else ''}."
        )
    weeks = f"{lived.first_day:%a %d %b} - {lived.last_day:%a %d %b}"
    heading = f"What went well ({weeks}, as planned):"
    return Text.assemble((heading, "bold"), " ", " ".join(sentences))


def _shares(split: dict[str, float], names: dict[str, str]) -> str:
    """``Alex 47.2 % · Sam 52.8 %``."""
    return " · ".join(f"{names.get(p, p)} {share:.1f} %" for p, share in split.items())


def _and(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _split(plan: Plan, week: WeekLoad, names: dict[str, str], first_week: bool) -> str | None:
    """How the week's load was split between the partners, and the split so far: fair over
    twelve weeks can still mean one partner carrying more for the first six."""
    if len(week.share_so_far) < 2:
        return None  # nothing to split
    this_week = _shares(week.share, names) if week.share else "nothing for the partners"
    carried = any(load.carried for load in plan.load.values())
    if first_week and not carried:
        text = f"Split this week: {this_week}."
    else:
        with_carried = " (carried load included)" if carried else ""
        so_far = _shares(week.share_so_far, names)
        text = f"Split this week: {this_week}; so far{with_carried}: {so_far}."
    targets = {
        p: target
        for p in week.share_so_far
        if p in plan.load and (target := plan.load[p].target_share) is not None
    }
    if len(set(targets.values())) > 1:
        text += f" Target: {_shares(targets, names)}."
    return text


def _members(plan: Plan, names: dict[str, str]) -> Table:
    roles = {m.id: m.role for m in plan.members}
    table = Table(title="Who carries what", title_justify="left")
    table.add_column("Member")
    # Shown when there is any: otherwise "4200 and 3960 weighted, 50 % each" looks wrong.
    has_carried = any(load.carried for load in plan.load.values())
    columns = ("Minutes", "Weighted", *(["Carried"] if has_carried else []), "Share", "Target")
    for column in columns:
        table.add_column(column, justify="right")
    has_cost = any(load.cost for load in plan.load.values())
    if has_cost:
        table.add_column("Cost", justify="right")
    for member_id, load in plan.load.items():
        partner = roles.get(member_id) == "partner"
        table.add_row(
            _member_name(member_id, roles, names),
            str(load.minutes),
            str(load.weighted),
            *([str(load.carried) if partner else "-"] if has_carried else []),
            f"{load.share:.1f} %" if partner else "-",
            f"{load.target_share:.1f} %" if load.target_share is not None else "-",
            *([f"{load.cost:.2f}"] if has_cost else []),
        )
    count = len(plan.unassigned)
    table.caption = (
        "Every occurrence has an owner."
        if not count
        else f"{count} occurrence{'s' if count != 1 else ''} unassigned (below)."
    )
    broken = len(plan.broken_links)
    if broken:
        table.caption += f" {broken} link{'s' if broken != 1 else ''} not kept (below)."
    table.caption_justify = "left"
    return table


def _owners(plan: Plan, names: dict[str, str]) -> Table:
    """Each member's duty series, in a table of its own: beside the numbers they were squeezed
    to a word per line in an 80-column terminal."""
    roles = {m.id: m.role for m in plan.members}
    table = Table(title="Who owns what", title_justify="left")
    table.add_column("Member")
    table.add_column("Duty series owned (does most of)")
    duty_names = _duty_names(plan)
    done = Counter((a.duty, a.member) for a in plan.assignments)
    assigned = Counter(a.duty for a in plan.assignments)
    for member_id, load in plan.load.items():
        owned = []
        for duty in load.series_owned:
            mine, everyone = done[(duty, member_id)], assigned[duty]
            # How often someone else stepped in: "one owner" is only as true as this count.
            counted = f" ({mine} of {everyone})" if mine < everyone else ""
            owned.append(f"{duty_names.get(duty, duty)}{counted}")
        table.add_row(_member_name(member_id, roles, names), ", ".join(owned) or "-")
    return table


def _duty_names(plan: Plan) -> dict[str, str]:
    """Each duty's name by id, from what the plan mentions."""
    names = {a.duty: a.name for a in plan.assignments}
    names.update((u.duty, u.name) for u in plan.unassigned)
    return names


def _member_name(member_id: str, roles: dict[str, str], names: dict[str, str]) -> str:
    name = names.get(member_id, member_id)
    return (
        name if roles.get(member_id) == "partner" else f"{name} ({roles.get(member_id, 'helper')})"
    )


def _unassigned(plan: Plan, tz: ZoneInfo) -> Table:
    table = Table(title="Nobody could do these", title_justify="left", title_style="bold red")
    table.add_column("When")
    table.add_column("Duty")
    table.add_column("Why not")
    for item in sorted(plan.unassigned, key=lambda i: (i.start, i.duty)):
        # The reason starts with the occurrence ("Thu 3 Dec 07:30 School drop-off: ..."), which
        # the first two columns already show.
        _, named, why = item.reason.partition(f" {item.name}: ")
        table.add_row(_when(item.start, tz), item.name, why if named else item.reason)
    return table


def _broken_links(plan: Plan) -> Table:
    """Linked duties that gave way so that every duty is done (``same_owner_as`` and
    ``different_owner_from`` are kept whenever they can be)."""
    table = Table(title="Links not kept, so that every duty is done", title_justify="left")
    table.add_column("Day")
    table.add_column("Why")
    for link in plan.broken_links:
        table.add_row(f"{link.day:%a %d %b}", link.reason)
    return table


def _changes(plan: Plan, tz: ZoneInfo, names: dict[str, str]) -> RenderableType:
    """Each move with its cause; duties the previous plan did not have (a horizon rolled
    forward: a whole new week) are counted, not listed, so that the moves stand out."""
    duty_names = _duty_names(plan)
    moved = [c for c in plan.changes if c.from_ is not None]
    added = len(plan.changes) - len(moved)
    planned = (
        f"{added} {'duty' if added == 1 else 'duties'} not in the previous plan now planned."
        if added
        else ""
    )
    if not moved:
        return Text(f"Changes since the previous plan: none moved. {planned}".strip())
    table = Table(title="Changes since the previous plan", title_justify="left")
    for column in ("When", "Duty", "From", "To", "Cause"):
        table.add_column(column)
    for change in sorted(moved, key=lambda c: (c.start, c.duty)):
        table.add_row(
            _when(change.start, tz),
            duty_names.get(change.duty, change.duty),
            names.get(change.from_ or "", change.from_ or _NOBODY),
            names.get(change.to or "", change.to or _NOBODY),
            change.cause,
        )
    table.caption = planned or None
    table.caption_justify = "left"
    return table
