"""Seeded, vectorised Monte Carlo over every uncertain input.

Each uncertain input — an activity's automatability, its relational index, a
scenario's adoption — is drawn from its triangular distribution
``(low, mode, high)`` by inverse transform of uniforms from
``numpy.random.default_rng(seed)``; certain inputs stay at their value.
Activities are taken in content order (:func:`relmap.analysis.facts.content_key`), so the
draws depend neither on the order of the file nor on the ids. Activity inputs are drawn
in single precision (float32: seven significant digits, far finer than any input, and half the memory traffic); sums and
percentiles are taken in double precision. Draws are processed in chunks of :data:`CHUNK` (memory stays at
``activities × CHUNK`` floats), always in the same sequence, so a seed gives
the same numbers every run.

A task-derived automatability is drawn as one triangle whose bounds are the
share-weighted sums of the tasks' bounds (tasks move together: a deliberately
wide, conservative spread).

Per draw d and scenario s:

* ``hours_freed[d] = α_s[d] × Σ_i h_i × a_i[d]`` (keep_human activities count 0);
* ``value_freed[d] = α_s[d] × Σ_i h_i × cost_i × a_i[d]``;
* ``hours_reinvested[d] = min(ρ_s × reinvest_s × hours_freed[d], C[d])`` — an
  approximation, not 2,000 min-cost flows: ``ρ_s`` is the share of the pool
  the exact allocation places at the point estimate, and
  ``C[d] = Σ_j max_increase × h_j × [r_j[d] ≥ τr]`` the total capacity of the
  relational goods of that draw.

Classification confidence of an activity = share of draws whose quadrant
(from its drawn a and r) equals the quadrant of its point estimate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..model import Scenario, as_triangle, is_uncertain
from .classify import TOLERANCE
from .facts import ActivityFacts
from .result import Percentiles

__all__ = ["CHUNK", "MonteCarloResult", "count_uncertain", "run_monte_carlo", "triangular"]

CHUNK = 250
FloatArray = npt.NDArray[np.floating[Any]]


@dataclass
class MonteCarloResult:
    """Classification confidence by activity (uncertain ones only) and percentiles by scenario."""

    confidence: dict[str, float]
    percentiles: dict[str, dict[str, Percentiles]]
    uncertain_inputs: int


def triangular(u: FloatArray, low: FloatArray, mode: FloatArray, high: FloatArray) -> FloatArray:
    """Inverse CDF of the triangular distribution, broadcast over arrays.

    With ``F = (c − a) / (b − a)``: ``x = a + √(u (b − a)(c − a))`` when
    ``u < F``, else ``x = b − √((1 − u)(b − a)(b − c))`` (a = low, c = mode,
    b = high). A zero-width triangle returns its value.
    """
    width = high - low
    with np.errstate(divide="ignore", invalid="ignore"):
        cut = np.where(width > 0, (mode - low) / np.where(width > 0, width, 1.0), 0.0)
    on_left = u < cut
    # one square root for both branches, in place: √(u·(c − a)·w) on the left, √((1 − u)·(b − c)·w) on the right
    square = np.subtract(1.0, u)
    square *= (high - mode) * width
    np.multiply(u, (mode - low) * width, out=square, where=on_left)
    root = np.sqrt(square, out=square)
    out: FloatArray = np.where(on_left, low + root, np.subtract(high, root, out=root))
    return out


def count_uncertain(facts: list[ActivityFacts], scenarios: list[Scenario]) -> int:
    """How many inputs have a spread: automatabilities, relational indexes and adoptions."""
    n = sum(1 for f in facts if f.a[2] > f.a[0]) + sum(1 for f in facts if f.r[2] > f.r[0])
    return n + sum(1 for s in scenarios if is_uncertain(s.adoption))


def _column(values: list[tuple[float, float, float]], idx: list[int]) -> tuple[FloatArray, ...]:
    arr = np.array([values[i] for i in idx], dtype=np.float32).reshape(-1, 3)
    return arr[:, 0:1], arr[:, 1:2], arr[:, 2:3]


def run_monte_carlo(facts: list[ActivityFacts], scenarios: list[Scenario], *, tau_a: float, tau_r: float,
                    max_increase: float, placed_share: dict[str, float], draws: int, seed: int,
                    on_chunk: Callable[[int], None] | None = None) -> MonteCarloResult:
    """Run the Monte Carlo described in the module docstring.

    Args:
        facts: activity facts sorted by id.
        scenarios: the scenarios, in file order.
        tau_a, tau_r: classification thresholds.
        max_increase: ``policy.max_increase``.
        placed_share: scenario id → ρ_s (allocated / pool at the point estimate).
        draws: number of draws (≥ 1).
        seed: seed of ``numpy.random.default_rng``.
        on_chunk: called with the number of draws done after each chunk.
    """
    rng = np.random.default_rng(seed)
    a_tri = [f.a for f in facts]
    r_tri = [f.r for f in facts]
    ua = [i for i, t in enumerate(a_tri) if t[2] > t[0]]
    ur = [i for i, t in enumerate(r_tri) if t[2] > t[0]]
    h = np.array([f.hours for f in facts], dtype=np.float64)
    work = np.array([0.0 if f.activity.keep_human else f.hours for f in facts], dtype=np.float64)
    cost = np.array([f.hourly_cost for f in facts], dtype=np.float64)
    a_mode = np.array([t[1] for t in a_tri], dtype=np.float64)
    r_mode = np.array([t[1] for t in r_tri], dtype=np.float64)
    a_low, a_md, a_high = _column(a_tri, ua)
    r_low, r_md, r_high = _column(r_tri, ur)
    point_auto = np.array([f.quadrant in ("automate", "augment") for f in facts], dtype=bool)
    point_rel = np.array([f.quadrant in ("augment", "relational_core") for f in facts], dtype=bool)
    watched = sorted(set(ua) | set(ur))
    w = np.array(watched, dtype=np.int64)
    rest = np.ones(len(facts), dtype=bool)
    rest[w] = False
    grow = max_increase * h
    # activities with certain a and r add the same amount to every draw
    freed_const = float(work[rest] @ a_mode[rest])
    value_const = float((work * cost)[rest] @ a_mode[rest])
    cap_const = float(grow[rest] @ (r_mode[rest] >= tau_r - TOLERANCE))
    pos = {i: k for k, i in enumerate(watched)}
    rows_a = np.array([pos[i] for i in ua], dtype=np.int64)
    rows_r = np.array([pos[i] for i in ur], dtype=np.int64)
    hits = np.zeros(len(watched), dtype=np.int64)
    adopt = [as_triangle(s.adoption) for s in scenarios]
    freed_w, value_w, cap = [], [], []
    alphas: list[list[FloatArray]] = [[] for _ in scenarios]
    done = 0
    while done < draws:
        n = min(CHUNK, draws - done)
        a = np.repeat(a_mode[w][:, None], n, axis=1)
        r = np.repeat(r_mode[w][:, None], n, axis=1)
        if ua:
            a[rows_a, :] = triangular(rng.random((len(ua), n), dtype=np.float32), a_low, a_md, a_high)
        if ur:
            r[rows_r, :] = triangular(rng.random((len(ur), n), dtype=np.float32), r_low, r_md, r_high)
        for k, (lo, md, hi) in enumerate(adopt):
            if hi > lo:
                one = np.array([[lo]]), np.array([[md]]), np.array([[hi]])
                alphas[k].append(triangular(rng.random((1, n)), *one)[0])
            else:
                alphas[k].append(np.full(n, md))
        freed_w.append(freed_const + work[w] @ a)
        value_w.append(value_const + (work * cost)[w] @ a)
        relational = r >= tau_r - TOLERANCE
        cap.append(cap_const + grow[w] @ relational)
        if watched:
            # same quadrant as the point estimate ⇔ same side of both thresholds (see classify_many)
            same = (a >= tau_a - TOLERANCE) == point_auto[w][:, None]
            same &= relational == point_rel[w][:, None]
            hits += same.sum(axis=1)
        done += n
        if on_chunk is not None:
            on_chunk(done)
    freed_all, value_all, cap_all = np.concatenate(freed_w), np.concatenate(value_w), np.concatenate(cap)
    percentiles: dict[str, dict[str, Percentiles]] = {}
    for k, sc in enumerate(scenarios):
        alpha = np.concatenate(alphas[k])
        hf = alpha * freed_all
        reinvested = np.minimum(placed_share.get(sc.id, 1.0) * sc.reinvest * hf, cap_all)
        percentiles[sc.id] = {
            "hours_freed": _pct(hf), "value_freed": _pct(alpha * value_all), "hours_reinvested": _pct(reinvested),
        }
    confidence = {facts[i].id: float(hits[j]) / draws for j, i in enumerate(watched)}
    return MonteCarloResult(confidence, percentiles, count_uncertain(facts, scenarios))


def _pct(x: FloatArray) -> Percentiles:
    p10, p50, p90 = np.percentile(x, [10, 50, 90])
    return Percentiles(p10=float(p10), p50=float(p50), p90=float(p90))
