"""Determinism: every output of ``relmap analyze -o`` is byte-identical run to run, whatever the hash seed,
and its content does not depend on the order of activities and flows in the file.

Three ``relmap analyze FILE -o DIR`` processes run side by side: a company
file twice (``PYTHONHASHSEED`` 0 and 4242, so no set or dict order can leak
into an output) and a copy whose activities and flows are shuffled. The first
draws its charts in the worker process the command starts, as a user's run
does; the other two draw them in-process (``RELMAP_WORKER=0``), so the same
comparisons also show that both ways give the same files, and two worker
processes fewer start (each imports matplotlib again). The file is
the 16-activity synthetic chain of ``bench/synth.py`` (ranges, triangles, tasks,
occupations, archetypes, rubrics, touches, keep_human, three scenarios,
transfers): the examples take ~9 s each to render, this one ~3 s.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from relmap.input.loader import parse_text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import synth  # noqa: E402

pytestmark = pytest.mark.slow  # three real commands side by side (make test runs them, make test-fast does not)


def shuffled_copy(source: Path, target: Path, seed: int = 7) -> Path:
    """``source`` with its activities and flows in a random (seeded) order, written as YAML."""
    data = parse_text(source.read_text(encoding="utf-8"), str(source)).data
    rng = random.Random(seed)
    rng.shuffle(data["activities"])
    rng.shuffle(data["flows"])
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    target.write_text(yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Output folders of three concurrent runs: ``first``, ``second`` (another hash seed), ``shuffled``."""
    base = tmp_path_factory.mktemp("determinism")
    original = synth.write(16, base / "company.yaml", seed=5)
    shuffled = shuffled_copy(original, base / "shuffled.yaml")
    plan = {"first": (original, "0", "1"), "second": (original, "4242", "0"), "shuffled": (shuffled, "0", "0")}
    procs = {}
    for name, (src, hash_seed, worker) in plan.items():
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "RELMAP_LANG": "en", "RELMAP_WORKER": worker}
        procs[name] = subprocess.Popen([sys.executable, "-m", "relmap", "analyze", str(src), "-o", str(base / name)],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=base)
    for name, proc in procs.items():
        _out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, f"{name}: {err.decode(errors='replace')}"
    return {name: base / name for name in plan}


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_every_output_is_byte_identical_run_to_run(runs: dict[str, Path]) -> None:
    first, second = _files(runs["first"]), _files(runs["second"])
    assert set(first) >= {"analysis.json", "report.md", "report.html", "value-chain.svg", "matrix.svg",
                          "reinvestment.svg", "deck.pptx", "activities.xlsx"}
    assert set(first) == set(second)
    differing = sorted(name for name in first if first[name] != second[name])
    assert differing == [], f"outputs that change from run to run: {differing}"


def _canonical(value: Any) -> Any:
    """JSON with every list sorted: equal when only the order of the file differs."""
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted((_canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    return value


def test_analysis_content_does_not_depend_on_the_order_of_the_file(runs: dict[str, Path]) -> None:
    """Every number (Monte Carlo, sampled betweenness, allocation) is the same after shuffling the file."""
    first = json.loads((runs["first"] / "analysis.json").read_text(encoding="utf-8"))
    shuffled = json.loads((runs["shuffled"] / "analysis.json").read_text(encoding="utf-8"))
    assert _canonical(first) == _canonical(shuffled)
    assert {a["id"] for a in first["activities"]} == {a["id"] for a in shuffled["activities"]}


def test_every_output_is_byte_identical_after_shuffling(runs: dict[str, Path]) -> None:
    """Activities are listed by stage position then id, never in file order."""
    first, shuffled = _files(runs["first"]), _files(runs["shuffled"])
    assert set(first) == set(shuffled)
    differing = sorted(name for name in first if first[name] != shuffled[name])
    assert differing == []
