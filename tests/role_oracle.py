"""The reference for :func:`relmap.analysis.roles.role_totals`: the totals of a role allocation computed from its
moves one by one, as the sensitivity and trajectory re-runs did before ``role_totals`` (moved here from
``relmap/analysis/totals.py`` when the package stopped calling it)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from operator import itemgetter

import numpy as np

from relmap.analysis.roles import Staffing
from relmap.analysis.totals import FactArrays, FloatArray


def role_sent(arr: FactArrays, moves: Sequence[tuple[str, str, str, str, float, int]],
              staffing: Staffing) -> tuple[int, FloatArray, FloatArray]:
    """``(centi-hours placed, hours sent per activity, value sent per activity)`` of a role allocation.

    ``moves``: ``(source, role, good, via, training per FTE, centi-hours)``
    (:func:`relmap.analysis.roles.role_moves`). The numbers
    :func:`relmap.analysis.reinvest.fill_from_moves`, then
    :func:`relmap.analysis.roles.sent_by_role` and :func:`~relmap.analysis.roles.sent_value`
    give, without the allocation rows: ``sent_x = Σ centi / 100`` over the moves from *x*;
    ``value_x = Σ_r sent_xr × c_xr``, each ``sent_xr`` summed over the moves in the
    allocation's order (source, good, via, role), the pairs taken in order of first appearance.
    Example: moves of 150 and 50 centi-hours of clerk (30 €/h) from x → sent_x = 2 h, value 60 €.
    """
    index = {i: k for k, i in enumerate(arr.ids)}
    sent_c = np.zeros(len(arr.ids), dtype=np.int64)
    total = 0
    by_pair: dict[tuple[str, str], float] = defaultdict(float)
    for source, role, _good, _via, _t, centi in sorted(moves, key=itemgetter(0, 2, 3, 1)):
        sent_c[index[source]] += centi
        total += centi
        by_pair[(source, role)] += centi / 100
    value: dict[str, float] = defaultdict(float)
    for (x, r), h in by_pair.items():
        value[x] += h * staffing.cost[(x, r)]
    sent: FloatArray = sent_c / 100
    return total, sent, np.array([value.get(i, 0.0) for i in arr.ids], dtype=np.float64)
