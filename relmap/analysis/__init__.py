"""The analysis engine: a validated :class:`~relmap.input.model.ValueChain` in, an :class:`AnalysisResult` out.

Pipeline (one module per stage, each formula stated once in the function that
computes it):

1. :mod:`.scores` — automatability and relational index of each activity, with their source;
2. :mod:`.classify` — quadrants and relational goods;
3. :mod:`relmap.analysis.graph` + :mod:`.structure` — graph metrics and flags;
4. :mod:`.gains` — freed hours, value, shares, recognition, stage totals, risks;
5. :mod:`.reinvest` (+ :mod:`.flows`, the solvers) — the minimum-cost allocation of reinvested hours;
6. :mod:`.uncertainty` — the seeded, correlated Monte Carlo when an input is a range;
7. :mod:`.trajectory` and :mod:`.sensitivity` — the years to the horizon and one-at-a-time
   sensitivity, re-running scenarios through :mod:`.whatif`.

Example:
    >>> import relmap
    >>> result = relmap.analyze(relmap.load("examples/hotel-group/company.yaml"))  # doctest: +SKIP
    >>> result.scenarios["base"].hours_freed  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

import networkx as nx
import numpy as np

from ..errors import UsageError
from ..i18n import _
from ..input.loader import paused_gc
from ..input.model import Policy, Scenario, ValueChain, as_triangle
from . import parallel
from .classify import borderline_flag
from .economics import Split, ai_cost, balance_lines, net_savings, no_longer_needed, split_freed
from .facts import ActivityFacts, build_facts
from .gains import freed_hours, hollowed_stages, recognition, scenario_shares, stage_totals, vendor_concentration
from .reinvest import ReinvestResult, allocate_reinvestment
from .result import (
    QUADRANTS,
    ActivityResult,
    ActivityScenario,
    ActorInfo,
    Allocation,
    AnalysisResult,
    BalanceLine,
    DefaultCode,
    Flag,
    FlowInfo,
    Metrics,
    Note,
    Risk,
    RoleResult,
    ScenarioNote,
    ScenarioResult,
    SensitivityEntry,
    Spread,
    StageInfo,
    UncertaintySettings,
)
from .roles import EXACT_NODES, Staffing, build_staffing, role_results, sent_by_role, sent_value
from .rows import trusted
from .sensitivity import rank, sensitivity_runs
from .trajectory import trajectory_figures, trajectory_of
from .uncertainty import (
    EXACT_LIMIT,
    GROUP_LIMIT,
    Drawn,
    FloatArray,
    MonteCarloResult,
    PlacementPlan,
    count_uncertain,
    draw_monte_carlo,
    summarise_monte_carlo,
)
from .whatif import Rerun, exact_reruns

#: what the per-role figures need of one scenario: freed hours, split, placed hours by (activity, role), allocation
RoleData = tuple[dict[str, float], Split, dict[tuple[str, str], float], list[Allocation]]

__all__ = ["DEFAULT_DRAWS", "DEFAULT_SEED", "PARTS", "AnalysisResult", "analyze"]

DEFAULT_DRAWS = 2000
DEFAULT_SEED = 20261123
#: activities × draws above which a progress bar is worth showing
PROGRESS_WORK = 2_000_000
#: the parts of the analysis a caller may leave out (every one by default): the Monte Carlo, the sensitivity,
#: the trajectories (``relmap render`` computes only those its views draw)
PARTS: frozenset[str] = frozenset({"uncertainty", "sensitivity", "trajectory"})


def analyze(chain: ValueChain, *, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
            progress: bool = False, parts: Collection[str] = PARTS) -> AnalysisResult:
    """Analyse a value chain: scores, quadrants, graph evidence, scenarios, reinvestment, uncertainty.

    Args:
        chain: a validated chain (:func:`relmap.load`).
        draws: Monte Carlo draws (used only when some input is a range).
        seed: seed of the Monte Carlo (same seed, same result).
        progress: show a progress bar on stderr when the Monte Carlo is large.
        parts: which of :data:`PARTS` to compute; one left out stays empty in the result (no
            ``uncertainty``, no ``sensitivity`` entries, no ``trajectory`` years): for callers that do not
            read it, never for ``analysis.json``.

    Returns:
        The result; ``result.to_json()`` is ``analysis.json``.

    Raises:
        UsageError: ``draws`` < 1.
    """
    with paused_gc():
        return _analyze(chain, draws=draws, seed=seed, progress=progress, parts=frozenset(parts))


def figure_notes(chain: ValueChain, goods: set[str]) -> list[Note]:
    """Caveats about the figures, as data (kinds and evidence keys: :class:`~relmap.analysis.result.Note`).

    ``missing_costs`` when some activity has no hourly cost and the company
    gives no default; ``unusual_fte`` per activity above
    :data:`relmap.input.model.UNUSUAL_FTE` FTE (allowed, but a unit mistake is
    likely); ``unused_transfer`` per explicit transfer whose target is not a
    relational good (``goods``).
    """
    from ..input.model import UNUSUAL_FTE

    notes: list[Note] = []
    if chain.company.hourly_cost is None:
        missing = sum(1 for a in chain.activities if a.hourly_cost is None)
        if missing:
            notes.append(Note(kind="missing_costs", evidence={"count": missing}))
    for act in chain.sorted_activities():
        fte = act.fte if act.fte is not None else (act.hours or 0) / chain.company.hours_per_fte
        if fte > UNUSUAL_FTE:
            notes.append(Note(kind="unusual_fte", evidence={"activity": act.id, "fte": fte, "limit": UNUSUAL_FTE}))
    for tr in chain.policy.transfers:
        if tr.to not in goods:
            notes.append(Note(kind="unused_transfer", evidence={"from": tr.from_, "to": tr.to}))
    return notes


def _analyze(chain: ValueChain, *, draws: int, seed: int, progress: bool,
             parts: frozenset[str] = PARTS) -> AnalysisResult:
    if draws < 1:
        raise UsageError(_("--draws must be at least 1"))
    # the second process starts first: it builds the facts, the graph, the staffing and the re-runs itself, from
    # the same chain with the same functions (:func:`_prepare`), while this one builds them too
    side = _side_start(chain, draws=draws, seed=seed, parts=parts)
    try:
        facts, graph, staffing, units = _prepare(chain, parts)
        return _analyze_with(chain, facts, graph, staffing, side, units, draws=draws, seed=seed, progress=progress,
                             parts=parts)
    finally:
        if side is not None:  # an error (or Ctrl-C) before its answer was read: the child must not wait on
            side.forked.stop()  # its pipe until this process ends (a library caller may live on)


def _prepare(chain: ValueChain, parts: frozenset[str]) -> tuple[list[ActivityFacts], nx.DiGraph, Staffing,
                                                                list[Unit]]:
    """The facts, the graph, the staffing and the re-runs (:func:`_units`) of ``chain``: what both processes
    build before their own parts (each builds them: the same values from the same chain)."""
    from .graph import build_graph

    facts = build_facts(chain)
    graph = build_graph(chain)
    staffing = build_staffing(chain, facts)
    return facts, graph, staffing, _units(chain, facts, parts, exact=exact_reruns(len(facts), staffing))


#: an activity's graph metrics and flags, by id (:func:`_structure`)
Structure = tuple[dict[str, Metrics], dict[str, list[Flag]]]


def _structure(chain: ValueChain, facts: list[ActivityFacts], graph: nx.DiGraph) -> Structure:
    """Graph metrics and flags of every activity (:func:`relmap.analysis.structure.analyse_structure`, plus the
    borderline flag of :func:`relmap.analysis.classify.borderline_flag`)."""
    from .structure import analyse_structure

    goods = {f.id for f in facts if f.good}
    metrics, flags = analyse_structure(graph, goods, {f.id: f.quadrant for f in facts})
    for f in facts:
        flag = borderline_flag(f.a[1], f.r[1], chain.thresholds)
        if flag is not None:
            flags[f.id].append(flag)
    return metrics, flags


def _analyze_with(chain: ValueChain, facts: list[ActivityFacts], graph: nx.DiGraph, staffing: Staffing,
                  side: Side | None, units: list[Unit], *, draws: int, seed: int, progress: bool,
                  parts: frozenset[str]) -> AnalysisResult:
    """:func:`_analyze` once the facts, the graph, the staffing, the re-runs (:func:`_units`) and the second
    process (if any) are there."""
    from ..version import __version__

    goods = {f.id for f in facts if f.good}
    metrics, flags = _structure(chain, facts, graph)
    notes = figure_notes(chain, goods)
    scenario_results: dict[str, ScenarioResult] = {}
    per_activity: dict[str, dict[str, ActivityScenario]] = {f.id: {} for f in facts}
    risks: list[Risk] = []
    placed: dict[str, float] = {}
    role_data: dict[str, RoleData] = {}
    for sc in chain.scenarios:
        res, rows, sc_risks = _scenario(chain, sc, facts, graph, metrics, staffing=staffing, roles_out=role_data)
        scenario_results[sc.id] = res
        for aid, row in rows.items():
            per_activity[aid][sc.id] = row
        risks.extend(sc_risks)
        # the Monte Carlo's approximation scales the reinvestment pool (reinvest share × the hours freed outside
        # the kept ones): ρ is the share of that pool the allocation placed at the point estimate
        placed[sc.id] = res.hours_reinvested / res.reinvest_pool if res.reinvest_pool > 0 else 1.0
    rerun = Rerun(graph, metrics, len(facts), staffing)
    for sid, (_freed, split, by_pair, _allocation) in role_data.items():
        res = scenario_results[sid]
        rerun.remember(chain, facts, split.supply, res.hours_reinvested,
                       {aid: rows[sid].hours_sent for aid, rows in per_activity.items()},
                       sent_value(staffing, by_pair) if staffing.defined else None)
    by_id = {f.id: f for f in facts}
    # the rows are the result's own objects (pydantic keeps model instances): the Monte Carlo's confidence is set
    # on them below, once the second process (if any) has answered
    activities = [_activity_result(by_id[a.id], metrics[a.id], flags[a.id], per_activity[a.id])
                  for a in chain.sorted_activities()]
    c = chain.company
    roles = _ordered_roles(chain, role_results(staffing, facts, c.hours_per_fte, chain.policy.role_risk, role_data))
    plan = None
    if "uncertainty" in parts and count_uncertain(facts, chain.scenarios) > 0:
        # the network the draws' totals are solved on, built while the second process (if any) draws
        plan = PlacementPlan(facts, _applied_policy(chain), graph, staffing=staffing)
        plan.prepare()
    mine = _claimed(units, rerun, side)
    side_values = _side_collect(side)
    values = _unit_values(units, rerun, mine, side_values.get("units"))
    if "trajectory" in parts:
        _years(chain, scenario_results, {key: value for (kind, key, _f), value in zip(units, values, strict=True)
                                         if kind == "trajectory"})
    # what a greedy role network's check reads (PlacementPlan.places_maximum); no other plan reads it
    point: dict[str, tuple[FloatArray, float]] | None = None
    if plan is not None and plan.greedy:
        point = {sid: (np.array([per_activity[f.id][sid].reinvest_supply for f in facts], dtype=np.float64),
                       res.hours_reinvested) for sid, res in scenario_results.items()}
    mc = (_monte_carlo(chain, facts, plan, placed, point, draws, seed, progress, side_values.get("drawn"))
          if plan is not None else None)
    entries: list[SensitivityEntry] = []
    if "sensitivity" in parts:
        by_run = {key: v for (kind, key, _f), v in zip(units, values, strict=True) if kind == "sensitivity"}
        entries = rank([v for _k, v in sorted(by_run.items())])  # type: ignore[misc]
    if mc is not None:
        for sid, pct in mc.percentiles.items():
            scenario_results[sid].uncertainty = pct
        for aid, conf in mc.confidence.items():
            for row in per_activity[aid].values():
                row.confidence = conf
    policy = chain.policy.model_dump(mode="json", by_alias=True)
    policy["mobility"] = _applied_policy(chain).mobility
    return AnalysisResult(
        relmap=1, version=__version__, lead=chain.lead_scenario().id,
        assumptions=chain.assumptions.model_dump(mode="json"),
        company={"name": c.name, "sector": c.sector, "currency": c.currency, "hours_per_fte": c.hours_per_fte,
                 "hourly_cost": c.hourly_cost, "language": c.language, "date": c.date},
        thresholds={"automatable": chain.thresholds.automatable, "relational": chain.thresholds.relational,
                    "borderline": chain.thresholds.borderline},
        stages=[StageInfo(id=s.id, name=s.name, kind=s.kind) for s in chain.stages],
        actors=[ActorInfo(id=x.id, name=x.name, kind=x.kind) for x in chain.actors],
        flows=[FlowInfo(from_=fl.from_, to=fl.to, kind=fl.kind, volume=fl.volume, label=fl.label)
               for fl in chain.sorted_flows()],
        activities=activities,
        relational_goods=[a.id for a in activities if a.relational_good],
        quadrants={q: [a.id for a in activities if a.quadrant == q] for q in QUADRANTS},
        scenarios=scenario_results,
        risks=sorted(risks, key=lambda r: (list(scenario_results).index(r.scenario), r.kind, r.subject)),
        uncertainty=_settings(chain, mc, draws, seed),
        sensitivity=entries,
        policy=policy, roles=roles,
        notes=notes,
        defaults_applied=defaults_applied(chain, facts),
    )


#: one independent piece of the re-runs: ``(kind, key, compute)``, kind ``sensitivity`` (key: the entry's position
#: in :func:`~relmap.analysis.sensitivity.sensitivity_runs`) or ``trajectory`` (key: the scenario id; its value
#: the years' figures, :func:`~relmap.analysis.trajectory.trajectory_figures`)
Unit = tuple[str, int | str, Callable[[Rerun], object]]


#: the sensitivity entries that re-run the longest, longest first (a full network of another mobility rule; other
#: goods: new role networks; many activities rescored; other capacities), then those re-running one allocation each;
#: the others (money only, or one activity) come after the trajectories
LONG_RUNS = ("mobility", "tau_r", "exposure_time_saving", "exposure_rater", "max_increase")
SHORT_RUNS = ("tau_a", "reinvest", "adoption")


def _units(chain: ValueChain, facts: list[ActivityFacts], parts: frozenset[str], *, exact: bool) -> list[Unit]:
    """The re-runs of the sensitivity and the trajectories as independent units, longest first, so that two
    processes sharing them end together (:data:`LONG_RUNS`, the trajectories — a year each —,
    :data:`SHORT_RUNS`, then the other entries in order: the activities', then those changing money only)."""
    runs = sensitivity_runs(chain, facts, exact=exact) if "sensitivity" in parts else []
    rank_of = {code: k for k, code in enumerate((*LONG_RUNS, "", *SHORT_RUNS))}
    years = rank_of[""]

    def place(k: int) -> tuple[int, int, int]:
        code = runs[k].code
        return (rank_of.get(code, len(rank_of)), 0 if code.startswith("activity:") else 1, k)

    long_first = sorted(range(len(runs)), key=place)
    sens: list[Unit] = [("sensitivity", k, runs[k]) for k in long_first]
    head = [u for u, k in zip(sens, long_first, strict=True) if place(k)[0] < years]
    tail = [u for u, k in zip(sens, long_first, strict=True) if place(k)[0] > years]
    trajectories: list[Unit] = ([("trajectory", sc.id, partial(trajectory_figures, chain, sc, facts))
                                 for sc in chain.scenarios] if "trajectory" in parts else [])
    return head + trajectories + tail


def _claimed(units: list[Unit], rerun: Rerun, side: Side | None) -> dict[int, object]:
    """The units this process claims (:class:`~relmap.analysis.parallel.Claims`) while the second one claims
    others, computed; none without a second process."""
    done: dict[int, object] = {}
    if side is None or side.claims is None:
        return done
    while (k := side.claims.claim(len(units))) is not None:
        done[k] = units[k][2](rerun)
    return done


def _unit_values(units: list[Unit], rerun: Rerun, mine: dict[int, object], theirs: object) -> list[object]:
    """Every unit's value: computed here (``mine``), by the second process (``theirs``: its dict, or None when
    it failed), else now."""
    sent = theirs if isinstance(theirs, dict) else {}
    return [mine[k] if k in mine else sent[k] if k in sent else fn(rerun) for k, (_kind, _key, fn) in enumerate(units)]


def defaults_applied(chain: ValueChain, facts: list[ActivityFacts]) -> list[DefaultCode]:
    """Which version 1.1 defaults change this file's figures without the file saying so.

    ``relational_dividend`` and ``unplaced`` when the policy does not set them
    (the first only matters when there is a relational good); the exposure rater
    and time saving when an occupation prior is used and ``assumptions`` does
    not set them; ``ai_costs`` when no scenario gives any cost.
    """
    out: list[DefaultCode] = []
    policy_set = chain.policy.model_fields_set
    if "relational_dividend" not in policy_set and any(f.good for f in facts):
        out.append("relational_dividend")
    if "unplaced" not in policy_set:
        out.append("unplaced")
    if any(f.scores.time_saving is not None for f in facts):
        assumed = chain.assumptions.model_fields_set if "assumptions" in chain.model_fields_set else set()
        if "exposure_rater" not in assumed:
            out.append("exposure_rater")
        if "exposure_time_saving" not in assumed:
            out.append("exposure_time_saving")
    if all("costs" not in sc.model_fields_set for sc in chain.scenarios):
        out.append("ai_costs")
    return out


def _ordered_roles(chain: ValueChain, roles: list[RoleResult]) -> list[RoleResult]:
    """Roles in output order: the file's roles in file order, then activities standing for their own role."""
    position = {r.id: k for k, r in enumerate(chain.roles)}
    acts = {a.id: k for k, a in enumerate(chain.sorted_activities())}
    moves = {r.id: [m.model_dump() for m in r.can_move_to] for r in chain.roles}
    for r in roles:
        r.activities.sort(key=lambda a: acts[a])
        if r.defined:
            r.can_move_to = moves.get(r.id, [])
    return sorted(roles, key=lambda r: (0, position[r.id], "") if r.defined else
                  (1, acts.get(r.activities[0] if r.activities else "", 0), r.id))


def _scenario(chain: ValueChain, sc: Scenario, facts: list[ActivityFacts], graph: nx.DiGraph,
              metrics: dict[str, Metrics], *, staffing: Staffing | None = None,
              roles_out: dict[str, RoleData] | None = None,
              ) -> tuple[ScenarioResult, dict[str, ActivityScenario], list[Risk]]:
    """Totals, allocation, balance, costs, recognition, stage table and risks of one scenario.

    See :mod:`.economics` for the split (relational dividend), the balance and
    the AI costs, :mod:`.reinvest` for the allocation, :mod:`.roles` for the
    roles (``staffing``: built when not given; ``roles_out``: receives what the
    per-role figures need, under the scenario's id).
    """
    if staffing is None:
        staffing = build_staffing(chain, facts)
    low, alpha, high = as_triangle(sc.adoption)
    shares = scenario_shares(sc)
    hpf = chain.company.hours_per_fte
    freed = {f.id: freed_hours(f, alpha) for f in facts}
    value = {f.id: freed[f.id] * f.hourly_cost for f in facts}
    split = split_freed(facts, freed, sc, chain.policy, shares)
    alloc: ReinvestResult = allocate_reinvestment(facts, split.supply, graph, metrics, chain.policy, hpf,
                                                  staffing)
    hours_freed = math.fsum(freed.values())
    value_freed = math.fsum(value.values())
    by_pair = sent_by_role(staffing, alloc.sent, alloc.allocation)
    balance = balance_lines(facts, split, alloc.sent, sent_value(staffing, by_pair) if staffing.defined else None)
    if roles_out is not None:
        roles_out[sc.id] = (freed, split, by_pair, alloc.allocation)
    line = {name: (h, v) for name, h, v in balance}
    rec, rec_by_good = recognition(facts, line["recognition"][1])
    cost, users = ai_cost(sc, facts, freed)
    training_needed = alloc.transfer_training_hours + alloc.move_training_hours
    no_longer = no_longer_needed(line)
    training_gap = max(0.0, training_needed - line["training"][0])
    notes: list[ScenarioNote] = []
    if split.recognition_to_savings:
        notes.append("recognition_to_savings")
    if training_gap > 0.005:
        notes.append("training_gap")
    if chain.policy.unplaced == "keep" and line["unplaced"][0] > 0.005:
        notes.append("unplaced_kept")
    by_stage = stage_totals(facts, freed, alloc.received, [s.id for s in chain.stages])
    risks = hollowed_stages(sc.id, by_stage, facts, freed)
    vendor = vendor_concentration(sc.id, facts, freed)
    if vendor is not None:
        risks.append(vendor)
    # built without validation (computed floats, no user input; relmap.analysis.rows): 30,000 rows at 10,000
    # activities
    rows = {f.id: trusted(ActivityScenario,
        hours_freed=freed[f.id], value_freed=value[f.id], fte_freed=freed[f.id] / hpf,
        reinvest_supply=split.supply[f.id], hours_sent=alloc.sent.get(f.id, 0.0),
        hours_received=alloc.received.get(f.id, 0.0), capacity=alloc.capacity.get(f.id, 0.0),
        recognition_value=rec_by_good.get(f.id, 0.0), hours_kept=split.kept[f.id], confidence=None) for f in facts}
    result = ScenarioResult(
        id=sc.id, name=sc.name or sc.id, lead=sc.id == chain.lead_scenario().id, adoption=alpha,
        adoption_range=Spread(low=low, point=alpha, high=high),
        shares=shares, hours_freed=hours_freed, value_freed=value_freed, fte_freed=hours_freed / hpf,
        reinvest_pool=alloc.pool, hours_reinvested=alloc.allocated, unallocated=alloc.unallocated,
        allocation=alloc.allocation, received=alloc.received, recognition=rec,
        training_hours=line["training"][0], transfer_training_hours=alloc.transfer_training_hours,
        community_hours=line["community"][0],
        savings={"hours": line["savings"][0], "value": line["savings"][1]},
        hours_kept=line["kept"][0],
        balance=[BalanceLine(line=name, hours=h, value=v) for name, h, v in balance],
        costs={"one_off": sc.costs.one_off, "yearly": sc.costs.yearly, "per_user_year": sc.costs.per_user_year},
        users=users, ai_cost=cost, net_savings=net_savings(balance, cost, chain.policy),
        training_needed=training_needed, training_gap=training_gap, notes=notes,
        hours_no_longer_needed=no_longer, fte_no_longer_needed=no_longer / hpf,
        by_stage=by_stage)
    return result, rows, risks


def _monte_carlo(chain: ValueChain, facts: list[ActivityFacts], plan: PlacementPlan, placed: dict[str, float],
                 point: dict[str, tuple[FloatArray, float]] | None, draws: int, seed: int, progress: bool,
                 drawn: object = None) -> MonteCarloResult:
    """Run the Monte Carlo (some input is uncertain) on the allocation's ``plan``; ``placed`` and ``point``: each
    scenario's placed share, supplies and hours placed at the point estimate
    (:func:`relmap.analysis.uncertainty.summarise_monte_carlo`); ``drawn``: its draws when a second process made
    them already (:func:`_side_start`)."""
    if not isinstance(drawn, Drawn):
        with _progress_bar(progress and len(facts) * draws > PROGRESS_WORK, draws) as tick:
            drawn = _draws(chain, facts, plan, draws, seed, tick)
    return summarise_monte_carlo(drawn, facts, chain.scenarios, plan=plan, placed_share=placed, point=point,
                                 hours_per_fte=chain.company.hours_per_fte)


def _draws(chain: ValueChain, facts: list[ActivityFacts], plan: PlacementPlan, draws: int, seed: int,
           tick: Callable[[int], None] | None = None) -> Drawn:
    """The Monte Carlo's draws (:func:`relmap.analysis.uncertainty.draw_monte_carlo`) with the chain's settings."""
    t_used = any(f.scores.automatability_source == "occupation" for f in facts)
    return draw_monte_carlo(
        facts, chain.scenarios, tau_a=chain.thresholds.automatable, tau_r=chain.thresholds.relational,
        plan=plan, draws=draws, seed=seed, correlation=chain.assumptions.correlation,
        time_saving=as_triangle(chain.assumptions.exposure_time_saving) if t_used else None, on_chunk=tick)


@dataclass
class Side:
    """The second process (:func:`_side_start`) and the units it shares with this one (None: it computes none)."""

    forked: parallel.Forked
    claims: parallel.Claims | None


def _side_start(chain: ValueChain, *, draws: int, seed: int, parts: frozenset[str]) -> Side | None:
    """A second process making the Monte Carlo's draws and sharing the re-runs (:func:`_units`) with this one
    while this one does the rest (:mod:`.parallel`), or None (too small, no second core, or nothing to do).

    Started before anything is built: it builds the facts, the graph, the staffing and the re-runs itself
    (:func:`_prepare`, the same values as this process builds meanwhile), so neither waits for the other before
    the draws. Exact re-runs (with roles, or at most :data:`~relmap.analysis.whatif.RERUN_EXACT_LIMIT`
    activities) read two graph metrics of the goods (their costs, :func:`~relmap.analysis.reinvest.good_cost`):
    the child computes those (:func:`~relmap.analysis.structure.customer_links`, the values :func:`_structure`
    gives), after the draws; the fast re-runs read none (:meth:`relmap.analysis.whatif.Rerun._fast`).

    Its value is a dict: ``drawn`` (:class:`~relmap.analysis.uncertainty.Drawn`, when some input is
    uncertain) and ``units`` (unit number → value, the units it claimed), each what the in-process path
    computes from the same data.
    """
    if not parallel.available(len(chain.activities)):
        return None
    wanted_units = bool(parts & {"sensitivity", "trajectory"})
    if not wanted_units and "uncertainty" not in parts:
        return None
    claims: parallel.Claims | None = None
    if wanted_units:
        with contextlib.suppress(OSError, ValueError, RuntimeError):  # no shared memory: the draws only
            claims = parallel.Claims()

    kept: list[object] = []  # what the child built, freed with the process (not before it sends its value)

    def job() -> dict[str, object]:
        out: dict[str, object] = {}
        facts, graph, staffing, units = prepared = _prepare(chain, parts)
        kept.append(prepared)
        if "uncertainty" in parts and count_uncertain(facts, chain.scenarios) > 0:
            out["drawn"] = _draws(chain, facts, PlacementPlan(facts, _applied_policy(chain), graph, staffing=staffing),
                                  draws, seed)
        if claims is not None:
            done: dict[int, object] = {}
            k = claims.claim(len(units))
            if k is not None:  # none left: the parent computed them all (no metrics to compute here)
                from .structure import customer_links

                exact = exact_reruns(len(facts), staffing)
                rerun = Rerun(graph, customer_links(graph) if exact else {}, len(facts), staffing)
                kept.append(rerun)
                while k is not None:
                    done[k] = units[k][2](rerun)
                    k = claims.claim(len(units))
            out["units"] = done
        return out

    forked = parallel.start(job, len(chain.activities))
    return Side(forked, claims) if forked is not None else None


def _side_collect(side: Side | None) -> dict[str, object]:
    """What the second process computed (an empty dict when there is none or it failed: compute in-process)."""
    if side is None:
        return {}
    value = side.forked.collect()
    return value if isinstance(value, dict) else {}


def _applied_policy(chain: ValueChain) -> Policy:
    """The policy with ``mobility`` as applied (``role`` when the file defines roles and sets none)."""
    return chain.policy.model_copy(update={"mobility": chain.policy.resolved_mobility(bool(chain.roles))})


def _settings(chain: ValueChain, mc: MonteCarloResult | None, draws: int, seed: int) -> UncertaintySettings | None:
    """The ``uncertainty`` block: draws, seed, correlation and the method in words (see :mod:`.uncertainty`)."""
    if mc is None:
        return None
    rho = chain.assumptions.correlation
    mobility = _applied_policy(chain).mobility
    how = {
        "closed_form": f"in each of the {draws} draws, the total the allocation places (a closed form of its "
                       f"maximum flow under mobility '{mobility}')",
        "max_flow": ("the maximum flow of the role network (a supplier per role, each activity's supply split by "
                     "its staffing shares; a hub per receiving role; built once, supplies changed per draw)"
                     if mobility == "role" else
                     "the maximum flow of the allocation network (built once, supplies changed per draw)")
                    + f" solved in {mc.solved_draws} of the {draws} draws, evenly spaced"
                    + (f" (the role allocation fills this network greedily, above {EXACT_NODES} nodes; at the point "
                       f"estimate it placed the maximum flow)" if mc.greedy_maximal else ""),
        "approximation": {
            "greedy": f"above {EXACT_LIMIT:,} activities, the role allocation filling its network greedily (above "
                      f"{EXACT_NODES} nodes)",
            "below_maximum": f"the role allocation, filling its network greedily (above {EXACT_NODES} nodes), "
                             f"placing less than its maximum flow at the point estimate",
        }.get(mc.approximated or "", f"above {EXACT_LIMIT:,} activities and {GROUP_LIMIT:,} supplier groups")
                         + ", approximated as min(share placed at the point estimate x pool, total capacity) in "
                           "each draw",
    }[mc.reinvested]
    method = (f"One-factor Gaussian copula (rank correlation {rho:g}, normal correlation 2 sin(pi x {rho:g} / 6)) "
              f"on automatability (on exposure for occupation priors); time saved and each scenario's adoption "
              f"drawn once per draw; triangular marginals. Hours reinvested: {how}.")
    return UncertaintySettings(draws=draws, seed=seed, correlation=rho, method=method, reinvested=mc.reinvested,
                               solved_draws=mc.solved_draws, approximated=mc.approximated,
                               uncertain_inputs=mc.uncertain_inputs)


def _years(chain: ValueChain, results: dict[str, ScenarioResult], figures: dict[object, object]) -> None:
    """Trajectory, NPV and payback of every scenario (:mod:`.trajectory`) from its years' figures (``figures``, by
    scenario id), set on its result."""
    for sc in chain.scenarios:
        res = results[sc.id]
        years_figures = figures[sc.id]
        assert isinstance(years_figures, list)
        years, value, payback = trajectory_of(chain, sc, years_figures, res.users)
        res.horizon_years, res.trajectory, res.npv, res.payback_year = sc.horizon_years, years, value, payback


@contextmanager
def _progress_bar(show: bool, total: int) -> Iterator[Callable[[int], None] | None]:
    """A transient rich progress bar on stderr (or nothing)."""
    if not show:
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    started = time.monotonic()
    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(_("Monte Carlo"), total=total)

        def tick(done: int) -> None:
            if time.monotonic() - started > 0.2:
                bar.update(task, completed=done)

        yield tick


def _activity_result(f: ActivityFacts, metrics: Metrics, flags: list[Flag],
                     rows: dict[str, ActivityScenario]) -> ActivityResult:
    act = f.activity
    s = f.scores
    return ActivityResult(
        id=act.id, name=act.name, stage=act.stage, hours=f.hours, fte=f.fte, hourly_cost=f.hourly_cost,
        automatability=f.a[1], automatability_range=Spread(low=f.a[0], point=f.a[1], high=f.a[2]),
        automatability_source=s.automatability_source,
        automatability_ref=s.automatability_ref,
        exposure=Spread(low=s.exposure[0], point=s.exposure[1], high=s.exposure[2]) if s.exposure else None,
        time_saving=(Spread(low=s.time_saving[0], point=s.time_saving[1], high=s.time_saving[2])
                     if s.time_saving else None),
        relational_index=f.r[1], relational_range=Spread(low=f.r[0], point=f.r[1], high=f.r[2]),
        relational_source=s.relational_source,
        rubric=s.rubric, quadrant=f.quadrant, relational_good=f.good, keep_human=act.keep_human,
        reason=act.reason, ai_provider=act.ai_provider, roles=list(act.roles),
        staffing=dict(act.staffing) if act.staffing else None, touches=list(act.touches),
        pain_points=list(act.pain_points), flags=flags, metrics=metrics, by_scenario=rows,
    )

