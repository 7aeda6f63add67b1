"""Solver benchmark: speed per objective stage and plan quality against chore-app baselines.

Run ``.venv/bin/python -m benchmarks.solver`` (or ``make benchmark``). It plans the generated
households of ``benchmarks.households`` (1, 4 and 12 weeks, and the stress household), re-plans the
12-week plan after one new meeting, and writes ``benchmarks/results/solver.md``: model-build and
solve time, each stage's value, bound and gap, the targets of issue 4 next to the measured
numbers, and coverage / fairness / owner switches of the solver's plan and of round-robin,
whoever-did-least-so-far and random assignment.
"""

from __future__ import annotations

import math
import os
import platform
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import timedelta
from importlib.metadata import version
from pathlib import Path
from time import perf_counter
from typing import Any, TypeVar

from benchmarks.households import household, stress, with_new_meeting
from benchmarks.quality import Quality, quality
from benchmarks.strategies import BASELINES
from scheduler.solver.horizon import when
from scheduler.solver.instance import Instance, PreviousAssignment
from scheduler.solver.memo import per_object
from scheduler.solver.model import solve
from scheduler.solver.plan import Plan, StageReport
from scheduler.solver.search import WORK_PER_SECOND
from scheduler.solver.validate import violations

RESULTS = Path(__file__).parent / "results" / "solver.md"
REPLAN_RUNS = 5  # the re-plan's time is their median
MONTHS = 5  # generated months (seeds 0 to MONTHS - 1) the month's target is judged on
SPREAD_MONTHS = 24  # generated months whose spread is reported beside the target
# Generated 12-week households the 12-week target is also counted on: which plans an unproven
# search ends with moves with the smallest change, so one household says little.
SPREAD_TWELVE_WEEKS = 8


@dataclass(frozen=True)
class Run:
    name: str
    target: str
    instance: Instance
    plan: Plan
    wall_seconds: float
    problems: int
    crashed: bool = False


def _solve_timed(instance: Instance) -> tuple[Plan, float]:
    began = perf_counter()
    plan = solve(instance)
    return plan, perf_counter() - began


def _nothing_planned(instance: Instance) -> Plan:
    return Plan(
        household=instance.household,
        timezone=instance.timezone,
        start=instance.start,
        end=instance.end,
        members=[],
        assignments=[],
        unassigned=[],
        load={},
    )


Given = TypeVar("Given")
Result = TypeVar("Result")


def _in_child(work: Callable[[Given], Result], given: Given) -> Result | None:
    """``work(given)`` in a child process, so that a crash inside OR-Tools is reported, not
    fatal: None when it died."""
    with ProcessPoolExecutor(max_workers=1) as pool:
        try:
            return pool.submit(work, given).result()
        except BrokenProcessPool:
            return None


def _timed(instance: Instance, name: str, target: str) -> Run:
    """Solve in a child process (``_in_child``)."""
    solved = _in_child(_solve_timed, instance)
    if solved is None:
        print(f"  {name}: the solver process died", flush=True)
        return Run(name, target, instance, _nothing_planned(instance), 0.0, 0, crashed=True)
    plan, wall = solved
    run = Run(name, target, instance, plan, wall, len(violations(instance, plan)))
    print(f"  {name}: {len(instance.occurrences)} occurrences, {wall:.2f} s", flush=True)
    return run


def _stages(plan: Plan) -> list[StageReport]:
    return plan.stats.stages if plan.stats else []


def _number(value: float) -> str:
    if math.isnan(value):
        return "-"
    return f"{value:.0f}" if value == int(value) else f"{value:.2f}"


def _replan(run: Run) -> tuple[Run, str]:
    """Add one meeting exactly on top of one of Alex's fixed-time duties in week 2 (one with no
    other duty of Alex within an hour, so travel buffers touch nothing else), then re-plan
    against the plan (its assignments and proofs, as ``--previous`` does)."""
    instance, plan = run.instance, run.plan
    name = "re-plan 12 weeks + 1 meeting"
    if run.crashed:
        return Run(name, "-", instance, plan, 0.0, 0, crashed=True), "nothing (no plan)"
    fixed = {o.key for o in instance.occurrences if o.earliest_start == o.latest_start}
    week_two = instance.start + timedelta(days=7)
    alex = [a for a in plan.assignments if a.member == "alex"]
    hour = timedelta(hours=1)
    hit = next(
        a
        for a in alex
        if a.start >= week_two
        and f"{a.duty}@{a.day.isoformat()}" in fixed
        and not any(b is not a and b.start < a.end + hour and a.start - hour < b.end for b in alex)
    )
    previous = tuple(
        PreviousAssignment(duty=a.duty, day=a.day, member=a.member, start=a.start)
        for a in plan.assignments
    )
    meeting = with_new_meeting(instance, "alex", hit.start, hit.end)
    again = meeting.model_copy(
        update={
            "previous": previous,
            "previous_proofs": tuple(plan.proofs),
            "now": instance.start,
            "time_limit_seconds": 30.0,
        }
    )
    moved = f"{hit.name} on {when(instance, hit.start)}"
    # Median of a few fresh processes: one re-plan takes well under a second, so a single run
    # is at the mercy of the machine's noise (0.45 s to 0.74 s measured for the same re-plan).
    runs = sorted(
        (_timed(again, name, "proven optimal < 0.5 s") for _ in range(REPLAN_RUNS)),
        key=lambda r: r.wall_seconds,
    )
    return runs[len(runs) // 2], moved


def _proof_cost(run: Run) -> tuple[Run, str]:
    """``run``'s household with a 30 s limit: how much work proving every stage takes."""
    longer = run.instance.model_copy(update={"time_limit_seconds": 30.0})
    proof = _timed(longer, f"{run.name}, 30 s limit", "- (what a proof costs)")
    stats = proof.plan.stats
    proven = all(s.optimal for s in _stages(proof.plan))
    stages = ", ".join(
        f"{s.name} {_number(s.value)}"
        for s in _stages(proof.plan)
        if s.name in ("ownership", "preferences", "helper_cost")
    )
    if not proven or stats is None:
        return proof, f"{run.name} with a 30 s limit: still not proven ({stages})."
    return proof, (
        f"{run.name} with a 30 s limit: proven optimal with {stats.work:.2f} work "
        f"({stages}), {stats.work / WORK_PER_SECOND:.0f} s of time limit; "
        f"{stats.solve_seconds:.2f} s on this machine."
    )


# Per generated month and chore-app baseline: (coverage, fairness over the horizon, running
# fairness, owner switches), each True where fairshare is at least as good (see ``_beats``).
Tally = dict[str, tuple[bool, bool, bool, bool]]


def _month_tally(instance: Instance, plan: Plan) -> Tally:
    """``plan`` against each baseline's plan for ``instance``, criterion by criterion."""
    ours = quality(instance, plan)
    tally = {}
    for name, theirs in _baselines(instance).items():
        coverage, _, switches = _beats(ours, theirs)
        tally[name] = (coverage, *_fairness_no_worse(ours, theirs), switches)
    return tally


def _month_row(instance: Instance, plan: Plan, wall: float) -> tuple[float, float, Tally]:
    """(work, wall seconds, quality against the baselines) of a generated month's plan."""
    work = plan.stats.work if plan.stats else math.nan
    return work, wall, _month_tally(instance, plan)


def _month_times(seeds: range) -> list[tuple[float, float, Tally]]:
    """``_month_row`` of each generated month, solved one after another."""
    months = []
    for seed in seeds:
        instance = household(4, seed=seed)
        months.append(_month_row(instance, *_solve_timed(instance)))
    return months


def _month_spread(judged: list[Run], count: int) -> list[str]:
    """How the month's target and the plan's quality fare beyond the ``judged`` months (seeds 0
    on): the spread over ``count`` months, the others solved in one child process."""
    others = _in_child(_month_times, range(len(judged), count))
    if others is None:
        return [f"{count} generated months: the solver process died."]
    months = [_month_row(r.instance, r.plan, r.wall_seconds) for r in judged] + others
    work = sorted(w for w, _, _ in months)
    wall = sorted(s for _, s, _ in months)

    def p90(values: list[float]) -> float:
        return values[math.ceil(0.9 * len(values)) - 1]

    under = sum(s < 1 for s in wall)
    lines = [
        f"The month's target over {count} generated months (seeds 0-{count - 1}): work median "
        f"{work[count // 2]:.2f}, 90th percentile {p90(work):.2f}, most {work[-1]:.2f}; on this "
        f"machine median {wall[count // 2]:.2f} s, 90th percentile {p90(wall):.2f} s, slowest "
        f"{wall[-1]:.2f} s; {under} of {count} under 1 s.",
        "",
        f"Plan quality over the same {count} months: in how many fairshare is at least as good "
        "as each baseline (the table at the end compares the benchmark's households one by one).",
        "",
        "| baseline | coverage | fairness over the horizon | running fairness | owner switches |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name in BASELINES:
        counts = [sum(t[name][k] for _, _, t in months) for k in range(4)]
        lines.append(f"| {name} | " + " | ".join(f"{c} of {count}" for c in counts) + " |")
    return lines


def _within(plan: Plan, gap: float) -> bool:
    """Every stage within ``gap`` of its bound."""
    return all(s.gap <= gap for s in _stages(plan))


def _twelve_weeks_row(plan: Plan, wall: float) -> tuple[float, bool, float]:
    """(wall seconds, every stage within 1 %, ownership's gap) of a 12-week household's plan."""
    gap = next((s.gap for s in _stages(plan) if s.name == "ownership"), math.nan)
    return wall, _within(plan, 0.01), gap


def _twelve_weeks_times(seeds: range) -> list[tuple[float, bool, float]]:
    """``_twelve_weeks_row`` of each generated 12-week household, with the target's 10 s limit,
    solved one after another."""
    return [
        _twelve_weeks_row(*_solve_timed(household(12, seed=seed, time_limit_seconds=10)))
        for seed in seeds
    ]


def _twelve_weeks_spread(judged: Run, count: int) -> str:
    """How the 12-week target fares beyond the ``judged`` household (seed 0): over ``count``
    households, the others solved in one child process."""
    others = _in_child(_twelve_weeks_times, range(1, count))
    if others is None:
        return f"{count} generated 12-week households: the solver process died."
    runs = [_twelve_weeks_row(judged.plan, judged.wall_seconds), *others]
    met = [seed for seed, (wall, within, _) in enumerate(runs) if within and wall < 10]
    gaps = sorted(gap for _, _, gap in runs)
    return (
        f"The 12-week target over {count} generated households (seeds 0-{count - 1}, 10 s "
        f"limit): met by {len(met)} of {count}"
        + (f" (seeds {', '.join(map(str, met))})" if met else "")
        + f"; ownership's gap median {100 * gaps[count // 2]:.1f} %, largest "
        f"{100 * gaps[-1]:.1f} %; slowest {max(wall for wall, _, _ in runs):.2f} s."
    )


# The opt-in ``fairness.so_far_bound_percent`` the 12-week household is also planned with: a
# family that minds the split along the way more than its owners' stability or the proofs.
SO_FAR_BOUND_PERCENT = 2.0


def _with_so_far_bound(instance: Instance) -> Instance:
    fairness = instance.fairness.model_copy(update={"so_far_bound_percent": SO_FAR_BOUND_PERCENT})
    return instance.model_copy(update={"fairness": fairness})


def _opt_in_line(run: Run, usual: Run) -> str:
    """What the opt-in changes on the 12-week household: the chore-app comparisons, the
    exceptions and the 12-week target."""
    lost = _lost_to(run)

    def exceptions(r: Run) -> float:
        return next(s.value for s in _stages(r.plan) if s.name == "ownership")

    return (
        f"12 weeks with the opt-in `fairness.so_far_bound_percent: {SO_FAR_BOUND_PERCENT:g}` (the "
        f"split so far at each week's end a fairness goal): running fairness "
        f"{quality(usual.instance, usual.plan).fairness_running_pp:.2f} -> "
        f"{quality(run.instance, run.plan).fairness_running_pp:.2f} points, "
        + ("wins every comparison with the chore-app strategies" if not lost else "lost to ")
        + "; ".join(lost)
        + f"; ownership {exceptions(usual):g} -> {exceptions(run):g} exceptions; every "
        f"stage within 1 % of its bound in {run.wall_seconds:.2f} s: "
        + ("yes" if _within(run.plan, 0.01) and run.wall_seconds < 10 else "no")
        + " (table at the end)."
    )


def _same_plan_again(run: Run) -> str:
    """Solve ``run``'s household again in a fresh process: the same plan, although its time
    limit cut the search short (the limit is counted in deterministic time)?"""
    again = _timed(run.instance, f"{run.name} again", run.target)

    def plan(r: Run) -> list[tuple[str, str, str]]:
        return [(a.duty, a.start.isoformat(), a.member) for a in r.plan.assignments]

    unproven = [s.name for s in _stages(run.plan) if not s.optimal]
    verdict = "the same plan" if plan(again) == plan(run) else "a DIFFERENT plan"
    return (
        f"{run.name} solved again in a fresh process ({again.wall_seconds:.2f} s against "
        f"{run.wall_seconds:.2f} s): {verdict}, although the time limit left "
        f"{', '.join(unproven) or 'nothing'} unproven."
    )


def _hardware() -> list[str]:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores (nproc)",
        f"- Python {platform.python_version()}, OR-Tools {version('ortools')}, "
        f"{platform.system()} {platform.machine()}",
    ]


def _pace(months: list[Run]) -> str:
    """How much solver work this machine does per second, on the months: the same code is as
    fast on two machines when the work (the speed table's column, the same everywhere) is."""
    work = sum(r.plan.stats.work for r in months if r.plan.stats)
    seconds = sum(r.plan.stats.solve_seconds for r in months if r.plan.stats)
    return (
        f"- Pace: {work / max(seconds, 1e-9):.2f} units of CP-SAT deterministic time per second "
        "of solve time on the months (work in the speed table: the same on every machine; the "
        f"time limit counts {WORK_PER_SECOND} of it as a second)"
    )


def _speed_table(runs: list[Run]) -> list[str]:
    lines = [
        "| household | occurrences | unassigned | time limit s | build s | solve s | wall s | "
        "work | validator | target (issue 4) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for r in runs:
        stats = r.plan.stats
        build = f"{stats.build_seconds:.2f}" if stats else "-"
        solved = f"{stats.solve_seconds:.2f}" if stats else "-"
        work = f"{stats.work:.3f}" if stats else "-"
        valid = "valid" if r.problems == 0 else f"{r.problems} violations"
        if r.crashed:
            valid = "**solver process died**"
        lines.append(
            f"| {r.name} | {len(r.instance.occurrences)} | {len(r.plan.unassigned)} | "
            f"{r.instance.time_limit_seconds:.0f} | {build} | "
            f"{solved} | {r.wall_seconds:.2f} | {work} | {valid} | {r.target} |"
        )
    return lines


def _stage_table(runs: list[Run]) -> list[str]:
    lines = [
        "| household | stage | value | bound | gap | proven optimal | seconds |",
        "| --- | --- | ---: | ---: | ---: | --- | ---: |",
    ]
    for r in runs:
        for s in _stages(r.plan):
            gap = "-" if math.isinf(s.gap) or math.isnan(s.gap) else f"{100 * s.gap:.2f} %"
            lines.append(
                f"| {r.name} | {s.name} | {_number(s.value)} | {_number(s.bound)} | {gap} | "
                f"{'yes' if s.optimal else 'no'} | {s.seconds:.2f} |"
            )
    return lines


def _quality_table(runs: list[Run]) -> list[str]:
    lines = [
        "| household | strategy | coverage % | fairness dev. horizon (pp) | "
        "running (pp) | each week alone (pp) | owner switches | helper min | wins all three |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in runs:
        ours = quality(r.instance, r.plan)
        rows: list[tuple[str, Quality]] = [("fairshare" + (" (died)" if r.crashed else ""), ours)]
        rows += _baselines(r.instance).items()
        for name, q in rows:
            wins = ""
            if not name.startswith("fairshare"):
                beats = _beats(ours, q)
                wins = "fairshare wins" if all(beats) else f"baseline ties/wins on {_lost(beats)}"
            lines.append(
                f"| {r.name} | {name} | {q.coverage_percent:.1f} | {q.fairness_horizon_pp:.2f} | "
                f"{q.fairness_running_pp:.2f} | {q.fairness_weekly_pp:.2f} | {q.owner_switches} | "
                f"{q.helper_minutes} | {wins} |"
            )
        print(f"  quality compared: {r.name}", flush=True)
    return lines


_BASELINES: dict[int, tuple[Any, Any]] = {}


def _baselines(instance: Instance) -> dict[str, Quality]:
    """The quality of each chore-app baseline's plan for ``instance``, planned once per
    household: the month summary, the targets and the quality table all compare with them
    (the stress household's take 4 s)."""
    return per_object(
        _BASELINES,
        instance,
        lambda: {
            name: quality(instance, strategy(instance)) for name, strategy in BASELINES.items()
        },
    )


def _fairness_no_worse(ours: Quality, theirs: Quality) -> tuple[bool, bool]:
    """Whether ``ours`` is no further from target than ``theirs`` over the horizon, and along
    the way (running), to the table's two decimals."""
    return (
        ours.fairness_horizon_pp <= theirs.fairness_horizon_pp + 0.005,
        ours.fairness_running_pp <= theirs.fairness_running_pp + 0.005,
    )


def _beats(ours: Quality, theirs: Quality) -> tuple[bool, bool, bool]:
    """Coverage at least as high; fairness no worse over the horizon and running, and better on
    one of them (or both already perfect); fewer owner switches (or none at all)."""
    no_worse = all(_fairness_no_worse(ours, theirs))
    better = (
        ours.fairness_horizon_pp < theirs.fairness_horizon_pp - 0.005
        or ours.fairness_running_pp < theirs.fairness_running_pp - 0.005
        or ours.fairness_horizon_pp == ours.fairness_running_pp == 0
    )
    switches = ours.owner_switches < theirs.owner_switches or ours.owner_switches == 0
    return ours.coverage_percent >= theirs.coverage_percent, no_worse and better, switches


def _lost(beats: tuple[bool, bool, bool]) -> str:
    """What a baseline ties or wins on, of ``_beats``' three comparisons."""
    labels = ("coverage", "fairness", "switches")
    return ", ".join(label for label, won in zip(labels, beats, strict=True) if not won)


def _lost_to(run: Run) -> list[str]:
    """Each chore-app strategy that ties or beats ``run``'s plan, and on what."""
    ours = quality(run.instance, run.plan)
    return [
        f"{name} on {_lost(beats)}"
        for name, theirs in _baselines(run.instance).items()
        if not all(beats := _beats(ours, theirs))
    ]


def _targets(runs: dict[str, Run], replan: Run, months: list[Run]) -> list[str]:
    def proven(run: Run, names: Callable[[str], bool]) -> bool:
        return all(s.optimal for s in _stages(run.plan) if names(s.name))

    def within(run: Run, names: Callable[[str], bool], gap: float) -> bool:
        return all(s.gap <= gap for s in _stages(run.plan) if names(s.name))

    def every(_: str) -> bool:
        return True

    def fair(stage: str) -> bool:
        return stage.startswith("fairness")

    def cover_fair(stage: str) -> bool:  # links kept ranks between the two: timed with them
        return stage in ("coverage", "links") or fair(stage)

    def at_zero(run: Run) -> bool:
        return all(s.value == 0 for s in _stages(run.plan) if fair(s.name))

    def cover_fair_proven(run: Run) -> bool:
        """Coverage and fairness proven; links kept (ranked between them, not a goal the issue
        names) proven too unless fairness is at zero, which no number of links can beat."""
        links = proven(run, lambda stage: stage == "links")
        fairness = proven(run, lambda stage: stage == "coverage" or fair(stage))
        return fairness and (links or at_zero(run))

    def links_note(run: Run) -> str:
        note = "; fairness is at zero whatever they are" if at_zero(run) else ""
        return "".join(
            f" (links kept {_number(s.value)} against a bound of {_number(s.bound)}{note})"
            for s in _stages(run.plan)
            if s.name == "links" and not s.optimal
        )

    def owner(stage: str) -> bool:
        return stage == "ownership"

    twelve, heavy = runs["12 weeks"], runs["stress"]
    month_seconds = sorted(m.wall_seconds for m in months)
    months_proven = all(proven(m, every) for m in months)
    seconds_to = {
        r.name: sum(s.seconds for s in _stages(r.plan) if cover_fair(s.name)) for r in runs.values()
    }
    rows = [
        (
            "a month proven optimal in < 1 s incl. build",
            f"{len(months)} generated months (seeds 0-{len(months) - 1}): median "
            f"{month_seconds[len(months) // 2]:.2f} s, slowest {month_seconds[-1]:.2f} s; "
            f"seed 0 {months[0].wall_seconds:.2f} s; all proven: {months_proven}",
            month_seconds[-1] < 1 and months_proven,
        ),
        (
            "12 weeks: every stage within 1 % of its bound in < 10 s",
            f"{twelve.wall_seconds:.2f} s, all within 1 %: {_within(twelve.plan, 0.01)}",
            twelve.wall_seconds < 10 and _within(twelve.plan, 0.01),
        ),
        (
            "stress: coverage and fairness proven optimal in < 10 s",
            f"build {heavy.plan.stats.build_seconds if heavy.plan.stats else 0:.2f} s + "
            f"{seconds_to['stress']:.2f} s, proven: {cover_fair_proven(heavy)}{links_note(heavy)}",
            cover_fair_proven(heavy)
            and seconds_to["stress"] + (heavy.plan.stats.build_seconds if heavy.plan.stats else 0)
            < 10,
        ),
        (
            "stress: ownership within 5 % of its bound in < 30 s",
            f"{heavy.wall_seconds:.2f} s, within 5 %: {within(heavy, owner, 0.05)}",
            heavy.wall_seconds < 30 and within(heavy, owner, 0.05),
        ),
        (
            "re-plan of 12 weeks after one new meeting proven optimal in < 0.5 s",
            f"{replan.wall_seconds:.2f} s, proven: {proven(replan, every)}",
            replan.wall_seconds < 0.5 and proven(replan, every),
        ),
    ]
    lost = [f"{r.name} to {loss}" for r in runs.values() for loss in _lost_to(r)]
    rows.append(
        (
            "fairshare wins on coverage, fairness and owner switches against each chore-app "
            "strategy",
            f"{len(runs)} households against {len(BASELINES)} strategies (table at the end): "
            + ("lost " + "; ".join(lost) if lost else "won every comparison"),
            not lost,
        )
    )
    lines = ["| target (issue 4) | measured | met |", "| --- | --- | --- |"]
    lines += [f"| {t} | {m} | {'yes' if ok else 'no'} |" for t, m, ok in rows]
    return lines


def main() -> None:
    print("solver benchmark (this takes a few minutes)", flush=True)
    runs = [
        _timed(household(1), "1 week", "-"),
        _timed(household(4), "4 weeks", "proven optimal < 1 s incl. build"),
        _timed(household(12, time_limit_seconds=10), "12 weeks", "every stage within 1 % < 10 s"),
        _timed(
            stress(time_limit_seconds=30),
            "stress",
            "coverage+fairness optimal < 10 s; ownership 5 % < 30 s",
        ),
    ]
    # The month's target is judged on several generated months, not on one lucky or unlucky
    # seed: their proof times differ by 2x.
    months = [runs[1]] + [
        _timed(household(4, seed=seed), f"4 weeks, seed {seed}", "as 4 weeks")
        for seed in range(1, MONTHS)
    ]
    spread = _month_spread(months, SPREAD_MONTHS)
    so_far = _timed(
        _with_so_far_bound(household(12, time_limit_seconds=10)),
        f"12 weeks, split so far within {SO_FAR_BOUND_PERCENT:g} pp",
        "- (opt-in)",
    )
    twelve_weeks = _twelve_weeks_spread(runs[2], SPREAD_TWELVE_WEEKS)
    replan, moved = _replan(runs[2])
    # The stress household: its time limit cuts every search below fairness short.
    same = _same_plan_again(runs[3])
    proof, proof_line = _proof_cost(runs[2])
    changes = replan.plan.changes
    change_lines = [
        f"- {c.duty} {when(replan.instance, c.start)}: {c.from_} -> {c.to} ({c.cause})"
        for c in changes
    ]
    report = [
        "# Solver benchmark",
        "",
        "Generated by `.venv/bin/python -m benchmarks.solver` (households from "
        "`benchmarks/households.py`, seed 0, equal split, 10 pp fairness bound, 30-min grid; "
        f"the month's target also on seeds 1-{MONTHS - 1}).",
        "Wall time is `solve()` end to end: model build, every stage, explanations and loads. "
        "The time limit given to the solver is the target's time where the issue sets one "
        "(12 weeks: 10 s, stress: 30 s), else 30 s, so a row shows what is reached in time. "
        "That limit is counted in CP-SAT's deterministic time (`search.Clock`): the values "
        "and bounds below are the same on every run and machine, only the seconds vary. "
        "The re-plan gets the 12-week plan's assignments and proofs, as `--previous` reads "
        f"them from its JSON; it is run {REPLAN_RUNS} times, each in a fresh process, and its "
        "row is the median run.",
        "",
        "## Hardware",
        "",
        *_hardware(),
        _pace(months),
        "",
        "## Targets",
        "",
        *_targets({r.name: r for r in runs}, replan, months),
        "",
        *spread,
        "",
        twelve_weeks,
        "",
        _opt_in_line(so_far, runs[2]),
        "",
        same,
        "",
        proof_line,
        "",
        "## Speed",
        "",
        *_speed_table([*runs, *months[1:], replan, proof, so_far]),
        "",
        "## Objective stages (value, bound, proven gap)",
        "",
        "Helper cost is found in the same search as preferences, as its tie-break: its seconds "
        "are counted there, and its bound holds among plans with preferences at their value.",
        "",
        *_stage_table([*runs, replan, so_far]),
        "",
        "## Re-plan after one new meeting",
        "",
        f"A 'Board prep' meeting was added on top of Alex's {moved}; the re-plan made "
        f"{len(changes)} owner change(s):",
        "",
        *(change_lines or ["- none"]),
        "",
        "## Plan quality against chore-app strategies",
        "",
        "Baselines walk the occurrences in time order and respect the same hard rules "
        "(`blockers.blockers`); when nobody is free the occurrence stays unassigned. Fairness "
        "deviation: the largest distance of a partner's share of the partners' weighted load "
        "from the target: over the horizon (carried load included); running = at the end of "
        "each week, everything so far plus the carried load, averaged over the weeks; and each "
        "week on its own (nothing carried: paying back carried load early shows up here). "
        "Owner switches: assigned occurrences not done by their series' most frequent owner. "
        "'Wins': coverage at least as high, fairness (horizon and running) no worse on both and "
        "better on one, fewer owner switches.",
        "",
        *_quality_table([*runs, so_far]),
        "",
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(report))
    print(f"wrote {RESULTS}", flush=True)


if __name__ == "__main__":
    main()
