"""analysis.sums: sums of products by hand, and the same bits whatever BLAS's thread count."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from relmap.analysis.sums import dot, product


def test_dot_and_product_by_hand() -> None:
    # 1×4 + 2×5 + 3×6 = 32; booleans count 0/1: 2×1 + 5×0 + 7×1 = 9
    assert dot([1.0, 2.0, 3.0], [4.0, 5.0, 6.0]) == 32.0
    assert dot([2.0, 5.0, 7.0], np.array([True, False, True])) == 9.0
    w = np.array([[1.0, 2.0], [0.5, -1.0]])
    v = np.array([[1.0, 0.0, 2.0], [3.0, 1.0, -1.0]])
    # rows of W · V: [1+6, 0+2, 2−2] = [7, 2, 0]; [0.5−3, 0−1, 1+1] = [−2.5, −1, 2]
    assert product(w, v).tolist() == [[7.0, 2.0, 0.0], [-2.5, -1.0, 2.0]]
    assert product(np.array([1.0, 2.0]), v).tolist() == [7.0, 2.0, 0.0]


SUMS = Path(__file__).resolve().parent.parent / "relmap" / "analysis" / "sums.py"
# sums.py loaded on its own (it needs numpy only): importing the relmap package would cost more than the check
CODE = ("import importlib.util, sys\nimport numpy as np\n"
        f"spec = importlib.util.spec_from_file_location('sums', {str(SUMS)!r})\n"
        "sums = importlib.util.module_from_spec(spec); spec.loader.exec_module(sums)\n"
        "rng = np.random.default_rng(5)\nw = rng.random((5, 20000)); a = rng.random((20000, 60))\n"
        "sys.stdout.write(sums.product(w, a).tobytes().hex())\n")


def test_the_same_bits_with_one_or_four_blas_threads() -> None:
    """The Monte Carlo's product gives the same bytes whatever the BLAS thread count: it does not use BLAS.

    (``w @ a`` on these arrays gave different bytes with ``OPENBLAS_NUM_THREADS`` 1 and 4, measured by hand.)
    """
    def run(n: str) -> str:
        env = {**os.environ, "OPENBLAS_NUM_THREADS": n, "OMP_NUM_THREADS": n, "MKL_NUM_THREADS": n}
        return subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, env=env, check=True,
                              timeout=120).stdout
    assert run("1") == run("4")
