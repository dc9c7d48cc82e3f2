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
    """The mobility entry first, then one unit per scenario's trajectory, then the other entries in order; a part
    left out has no unit."""
    chain = relmap.load(synth.write(40, tmp_path / "company.yaml", seed=5, roles=6))
    facts = build_facts(chain)
    units = _units(chain, facts, frozenset({"sensitivity", "trajectory"}), exact=True)
    n_runs = len(sensitivity_runs(chain, facts, exact=True))
    kinds = [(kind, key) for kind, key, _fn in units]
    mobility = next(k for k, run in enumerate(sensitivity_runs(chain, facts, exact=True)) if run.code == "mobility")
    assert kinds[0] == ("sensitivity", mobility)
    assert kinds[1:1 + len(chain.scenarios)] == [("trajectory", sc.id) for sc in chain.scenarios]
    assert [key for kind, key in kinds[1 + len(chain.scenarios):]] == [k for k in range(n_runs) if k != mobility]
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
