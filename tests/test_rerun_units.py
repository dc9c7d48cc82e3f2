"""The re-runs as independent units (sensitivity entries, trajectories), shared by two processes: each unit's value
does not depend on which process computes it, nor on what that process computed before."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

import relmap
from relmap.analysis import _structure, _units, parallel
from relmap.analysis.facts import build_facts
from relmap.analysis.graph import build_graph
from relmap.analysis.result import SensitivityEntry
from relmap.analysis.roles import build_staffing
from relmap.analysis.sensitivity import rank, sensitivity, sensitivity_runs
from relmap.analysis.trajectory import trajectory, trajectory_figures, trajectory_of
from relmap.analysis.whatif import Rerun

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import synth  # noqa: E402

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2,
                                reason="the forked child runs on Linux with two cores or more")


def _entry(code: str, low: float, high: float) -> SensitivityEntry:
    return SensitivityEntry(input=code, label=code, low="0", high="1", net_savings=[low, high],
                            hours_reinvested=[0.0, 0.0], fte_no_longer_needed=[0.0, 0.0])


def test_rank_by_swing_ties_in_order() -> None:
    """Swings |100 − 40| = 60, |−10 − 50| = 60, |5 − 0| = 5, |0 − 90| = 90: d, then a and b (tie: given order), c."""
    entries = [_entry("a", 100.0, 40.0), _entry("b", -10.0, 50.0), _entry("c", 5.0, 0.0), _entry("d", 0.0, 90.0)]
    assert [e.input for e in rank(entries)] == ["d", "a", "b", "c"]


def _setup(path: Path | str) -> tuple[relmap.ValueChain, list, Rerun, Rerun]:  # type: ignore[type-arg]
    chain = relmap.load(path)
    facts = build_facts(chain)
    graph = build_graph(chain)
    staffing = build_staffing(chain, facts)
    metrics, _flags = _structure(chain, facts, graph)
    return chain, facts, Rerun(graph, metrics, len(facts), staffing), Rerun(graph, metrics, len(facts), staffing)


@pytest.mark.parametrize("example", ["retail-bank", "care-home"])
def test_units_in_any_order_give_the_sequential_entries(example: str) -> None:
    """The entries computed in reverse order by a fresh re-runner equal :func:`sensitivity`'s, bit for bit; so do
    the trajectories, from their figures."""
    chain, facts, rerun, other = _setup(f"examples/{example}/company.yaml")
    expected = sensitivity(chain, facts, rerun)
    runs = sensitivity_runs(chain, facts, exact=other.exact)
    backwards = [run(other) for run in reversed(runs)]
    assert rank(backwards[::-1]) == expected
    for sc in reversed(chain.scenarios):
        users = 12.5
        assert trajectory_of(chain, sc, trajectory_figures(chain, sc, facts, other), users) == \
            trajectory(chain, sc, facts, rerun, users)


def test_units_cover_what_is_asked_longest_first(tmp_path: Path) -> None:
    """Every entry once and a trajectory per scenario: the long entries first (mobility, thresholds, rescoring,
    capacities), then the trajectories, then one-allocation entries, the activities' and those changing money only
    last; a part left out has no unit."""
    chain = relmap.load(synth.write(40, tmp_path / "company.yaml", seed=5, roles=6))
    facts = build_facts(chain)
    units = _units(chain, facts, frozenset({"sensitivity", "trajectory"}), exact=True)
    runs = sensitivity_runs(chain, facts, exact=True)
    order = [runs[key].code if isinstance(key, int) else key for _kind, key, _fn in units]
    assert sorted(k for _kind, k, _fn in units if isinstance(k, int)) == list(range(len(runs)))
    scenarios = [sc.id for sc in chain.scenarios]
    long_runs = [c for c in ("mobility", "tau_r", "exposure_time_saving", "exposure_rater", "max_increase")
                 if any(r.code == c for r in runs)]
    activities = [r.code for r in runs if r.code.startswith("activity:")]
    assert order == long_runs + scenarios + ["tau_a", "reinvest", "adoption"] + activities + [
        "recognition", "training", "community", "hourly_cost", "ai_cost"]
    assert [kind for kind, _k, _f in _units(chain, facts, frozenset({"trajectory"}), exact=True)] == \
        ["trajectory"] * len(chain.scenarios)
    assert _units(chain, facts, frozenset({"uncertainty"}), exact=True) == []


@linux_only
def test_claims_hand_out_each_number_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A parent and its child claiming at the same time get disjoint numbers that together are 0..n−1."""
    monkeypatch.delenv("RELMAP_WORKER", raising=False)
    claims = parallel.Claims(400)

    def job() -> list[int]:
        got = []
        while (k := claims.claim()) is not None:
            got.append(k)
        return got

    child = parallel.start(job, parallel.MIN_ACTIVITIES)
    assert child is not None
    mine = []
    while (k := claims.claim()) is not None:
        mine.append(k)
    theirs = child.collect()
    assert isinstance(theirs, list)
    assert sorted(mine + theirs) == list(range(400))
    assert claims.claim() is None


def _changed_chain(chain: relmap.ValueChain, **assumptions: object) -> relmap.ValueChain:
    return chain.model_copy(update={"assumptions": chain.assumptions.model_copy(update=assumptions)})


@pytest.mark.parametrize("update", [{"exposure_time_saving": 0.2}, {"exposure_time_saving": 0.9},
                                    {"exposure_rater": "human"}])
def test_refacts_rescore_equals_the_facts_built_again(tmp_path: Path, update: dict[str, object]) -> None:
    """Rescored facts (another time saved or rater) are those :func:`build_facts` gives for the changed chain: same
    order, same scores, class and numbers; with ``memo`` (keys kept between calls) or without."""
    import dataclasses

    from relmap.analysis.whatif import refacts

    chain = relmap.load(synth.write(300, tmp_path / "company.yaml", seed=11, roles=12))
    facts = build_facts(chain)
    assert any(f.scores.time_saving is not None for f in facts)
    changed = _changed_chain(chain, **update)
    want = build_facts(changed)
    memo: dict[str, object] = {}
    for got in (refacts(changed, facts, rescore=True), refacts(changed, facts, rescore=True, memo=memo),
                refacts(changed, facts, rescore=True, memo=memo)):
        assert [f.id for f in got] == [f.id for f in want]
        assert [dataclasses.astuple(f.scores) for f in got] == [dataclasses.astuple(f.scores) for f in want]
        assert [(f.quadrant, f.good, f.a, f.r, f.hours, f.hourly_cost) for f in got] == \
            [(f.quadrant, f.good, f.a, f.r, f.hours, f.hourly_cost) for f in want]
    assert memo["keys"][0] is facts  # type: ignore[index]


def test_fact_arrays_lent_rows_equal_a_full_build(tmp_path: Path) -> None:
    """The arrays of changed facts built from the analysed ones' rows (``like``) equal those built from scratch,
    whatever changed: the order (rescored), the class (thresholds) or one activity."""
    from relmap.analysis.totals import fact_arrays
    from relmap.analysis.whatif import _set_automatability, refacts

    chain = relmap.load(synth.write(300, tmp_path / "company.yaml", seed=12, roles=12))
    facts = build_facts(chain)
    base = fact_arrays(facts)
    thresholds = chain.model_copy(update={"thresholds": chain.thresholds.model_copy(update={"relational": 0.3})})
    variants = [refacts(_changed_chain(chain, exposure_time_saving=0.95), facts, rescore=True),
                refacts(thresholds, facts, reclassify=True),
                refacts(chain, facts, _set_automatability(facts[7].id, 0.99)),
                list(reversed(facts)), facts]
    fields = ("work", "hours", "a", "r", "cost", "fte", "good")
    for changed in variants:
        lent, full = fact_arrays(changed, (facts, base)), fact_arrays(changed)
        assert lent.ids == full.ids
        for name in fields:
            assert getattr(lent, name).tolist() == getattr(full, name).tolist(), name
            assert getattr(lent, name).dtype == getattr(full, name).dtype


def test_role_networks_of_other_goods_equal_those_built_fresh(tmp_path: Path) -> None:
    """A staffing whose cache already holds a network (its goods-free part: aliases, reaches, plan rows) gives, for
    other goods (another threshold) and other rooms, the moves and totals of a staffing built fresh."""
    from relmap.analysis.reinvest import good_cost
    from relmap.analysis.roles import role_moves, role_totals
    from relmap.analysis.totals import fact_arrays
    from relmap.analysis.whatif import refacts

    chain = relmap.load(synth.write(900, tmp_path / "company.yaml", seed=13, roles=30))
    facts = build_facts(chain)
    graph = build_graph(chain)
    metrics, _flags = _structure(chain, facts, graph)
    shared = build_staffing(chain, facts)
    hpf = chain.company.hours_per_fte
    for tau_r, cap in ((chain.thresholds.relational, 0.2), (0.3, 0.2), (chain.thresholds.relational, 0.05),
                       (0.5, 0.3)):
        ch = chain.model_copy(update={"thresholds": chain.thresholds.model_copy(update={"relational": tau_r})})
        fa = refacts(ch, facts, reclassify=True)
        arr = fact_arrays(fa)
        supply_c = {f.id: round(30 * f.hours * f.a[1]) for f in fa if round(30 * f.hours * f.a[1]) > 0}
        cap_c = {f.id: round(100 * cap * f.hours) for f in fa if f.good}
        gcost = {f.id: good_cost(f, metrics[f.id]) for f in fa if f.good}
        fresh = build_staffing(chain, facts)
        assert role_moves(fa, supply_c, shared, cap_c, gcost, ch.policy, hpf) == \
            role_moves(fa, supply_c, fresh, cap_c, gcost, ch.policy, hpf)
        got = role_totals(fa, supply_c, shared, cap_c, gcost, ch.policy, hpf, arr.ids)
        want = role_totals(fa, supply_c, build_staffing(chain, facts), cap_c, gcost, ch.policy, hpf, arr.ids)
        assert got[0] == want[0] and got[1].tobytes() == want[1].tobytes() and got[2].tobytes() == want[2].tobytes()
    assert "goods_free" in shared.cache


@pytest.mark.parametrize("source", ["examples/retail-bank/company.yaml", "examples/care-home/company.yaml",
                                    "synth"])
def test_customer_links_are_the_metrics_goods_costs_read(source: str, tmp_path: Path) -> None:
    """What the second process computes for the re-runs' good costs (:func:`customer_links`) is, for every activity,
    the ``touches_customer`` and ``customer_distance`` of the full graph evidence; so every good's cost is the
    same, and some activity of each chain touches a customer and some does not."""
    from relmap.analysis.reinvest import good_cost
    from relmap.analysis.structure import customer_links

    path = synth.write(600, tmp_path / "company.yaml", seed=21, roles=20) if source == "synth" else source
    chain = relmap.load(path)
    facts = build_facts(chain)
    graph = build_graph(chain)
    metrics, _flags = _structure(chain, facts, graph)
    links = customer_links(graph)
    assert set(links) == set(metrics)
    assert {k: (m.touches_customer, m.customer_distance) for k, m in metrics.items()} == \
        {k: (t.touches_customer, t.customer_distance) for k, t in links.items()}
    assert {t.touches_customer for t in links.values()} == {True, False}
    assert [good_cost(f, links[f.id]) for f in facts] == [good_cost(f, metrics[f.id]) for f in facts]
