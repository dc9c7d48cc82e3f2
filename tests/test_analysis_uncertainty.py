"""The seeded Monte Carlo: percentiles a reader can check, confidence, determinism."""

from __future__ import annotations

import math

import numpy as np
import pytest

import relmap
from relmap.analysis.uncertainty import triangular

CHAIN = """\
relmap: 1
company: {name: MC Co, hourly_cost: 10}
activities:
  - {id: wide, name: Wide, hours: 1000, automatability: [0.2, 0.8], relational: 0.1}
  - {id: sure, name: Sure, hours: 1000, automatability: 0.7, relational: 0.1}
  - {id: high, name: High, hours: 10, automatability: [0.6, 0.9], relational: [0.0, 0.3]}
scenarios:
  - {id: full, adoption: 1.0, reinvest: 0.5}
  - {id: ranged, adoption: {low: 0.4, mode: 0.5, high: 0.6}, reinvest: 0.5}
"""


@pytest.fixture(scope="module")
def result() -> relmap.analysis.AnalysisResult:
    return relmap.analyze(relmap.loads(CHAIN))


def test_percentiles_match_the_triangle(result: relmap.analysis.AnalysisResult) -> None:
    """Scenario full (α = 1): hours freed = 1000 × a_wide + 700 + 10 × a_high.

    a_wide ~ Tri(0.2, 0.5, 0.8): its P10 solves (x − 0.2)² / (0.6 × 0.3) = 0.1, so
    x = 0.2 + √0.018 = 0.3342; P50 = 0.5; P90 = 0.8 − √0.018 = 0.6658. a_high adds
    10 × (0.6..0.9) ≈ 7.5, so P10 ≈ 334.2 + 700 + 7.5 = 1041.7, P50 ≈ 1207.5, P90 ≈ 1373.3
    (± a few hours of sampling error at 2,000 draws).
    """
    pct = result.scenarios["full"].uncertainty
    assert pct is not None
    root = math.sqrt(0.018)
    assert pct["hours_freed"].p10 == pytest.approx(1000 * (0.2 + root) + 707.5, abs=15)
    assert pct["hours_freed"].p50 == pytest.approx(1207.5, abs=15)
    assert pct["hours_freed"].p90 == pytest.approx(1000 * (0.8 - root) + 707.5, abs=15)
    assert pct["value_freed"].p50 == pytest.approx(10 * pct["hours_freed"].p50, rel=0.02)


def test_adoption_range_widens(result: relmap.analysis.AnalysisResult) -> None:
    """Scenario ranged: α ~ Tri(0.4, 0.5, 0.6) multiplies the same draws: P50 ≈ 0.5 × 1207.5."""
    ranged = result.scenarios["ranged"].uncertainty
    assert ranged is not None
    assert ranged["hours_freed"].p50 == pytest.approx(0.5 * 1207.5, rel=0.03)
    assert ranged["hours_freed"].p10 < ranged["hours_freed"].p50 < ranged["hours_freed"].p90
    assert result.monte_carlo is not None
    assert result.monte_carlo.uncertain_inputs == 4  # wide a, high a, high r, ranged adoption
    assert (result.monte_carlo.draws, result.monte_carlo.seed) == (2000, 20261123)


def test_reinvested_approximation(result: relmap.analysis.AnalysisResult) -> None:
    """No relational good in any draw (r ≤ 0.3 < 0.5): capacity 0, so nothing is ever reinvested."""
    pct = result.scenarios["full"].uncertainty
    assert pct is not None
    assert (pct["hours_reinvested"].p10, pct["hours_reinvested"].p90) == (0.0, 0.0)


def test_confidence(result: relmap.analysis.AnalysisResult) -> None:
    """wide: mode 0.5 → automate; a ≥ 0.5 in half the draws of a symmetric triangle → ≈ 0.5.
    high: a ≥ 0.6 and r ≤ 0.3 in every draw → 1.0. sure: no uncertainty → None.
    """
    assert result.activity("wide").by_scenario["full"].confidence == pytest.approx(0.5, abs=0.05)
    assert result.activity("high").by_scenario["full"].confidence == 1.0
    assert result.activity("sure").by_scenario["full"].confidence is None


def test_seeded_and_reproducible() -> None:
    """Same seed → identical JSON; another seed → other percentiles; draws is honoured."""
    chain = relmap.loads(CHAIN)
    first = relmap.analyze(chain, seed=7, draws=300)
    assert relmap.analyze(chain, seed=7, draws=300).to_json() == first.to_json()
    other = relmap.analyze(chain, seed=8, draws=300)
    assert other.scenarios["full"].uncertainty != first.scenarios["full"].uncertainty
    assert first.monte_carlo is not None and first.monte_carlo.draws == 300


def test_order_of_activities_does_not_change_draws() -> None:
    """Draws are assigned in id order: reversing the file gives the same percentiles."""
    chain = relmap.loads(CHAIN)
    flipped = chain.model_copy(update={"activities": list(reversed(chain.activities))})
    a, b = relmap.analyze(chain, draws=500), relmap.analyze(flipped, draws=500)
    assert a.scenarios["ranged"].uncertainty == b.scenarios["ranged"].uncertainty


def test_triangular_inverse_cdf() -> None:
    """Mean of Tri(a, c, b) is (a + b + c) / 3; a zero-width triangle returns its value."""
    rng = np.random.default_rng(1)
    u = rng.random(200_000)
    x = triangular(u, np.array(0.1), np.array(0.2), np.array(0.9))
    assert x.mean() == pytest.approx(1.2 / 3, abs=0.003)
    assert x.min() >= 0.1 and x.max() <= 0.9
    flat = triangular(u[:10], np.array(0.4), np.array(0.4), np.array(0.4))
    assert np.all(flat == 0.4)


def test_invalid_draws() -> None:
    """draws < 1 is a usage error, not a crash."""
    with pytest.raises(relmap.UsageError):
        relmap.analyze(relmap.loads(CHAIN), draws=0)
