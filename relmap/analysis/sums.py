"""Sums of products that give the same bits on every machine.

Why not ``@``: numpy hands ``x @ y`` to BLAS (OpenBLAS here), which splits a
long sum across as many threads as the machine has cores and adds the parts
in an order that depends on that split. The Monte Carlo of a 10,000-activity
file then changed in the last bits of two percentiles between one core and
two. :func:`numpy.einsum` without ``optimize`` runs numpy's own loop, in one
order whatever the machine (and, for the Monte Carlo's 5 × m by m × 500
products, faster than OpenBLAS's threads: ``bench/RESULTS.md``).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["dot", "product"]


def dot(x: npt.ArrayLike, y: npt.ArrayLike) -> float:
    """``Σ_i x_i × y_i`` (booleans count as 0 and 1), in numpy's own loop."""
    return float(np.einsum("i,i->", np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64),
                           optimize=False))


def product(weights: npt.ArrayLike, values: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """The matrix product ``W · V`` (``(k × m) · (m × n) → k × n``, or ``(m) · (m × n) → n``) in numpy's own loop."""
    w = np.asarray(weights, dtype=np.float64)
    v = np.asarray(values, dtype=np.float64)
    out: npt.NDArray[np.float64] = np.einsum("m,mn->n" if w.ndim == 1 else "km,mn->kn", w, v, optimize=False)
    return out
