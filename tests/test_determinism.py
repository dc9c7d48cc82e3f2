"""Determinism: every output of ``relmap analyze -o`` is byte-identical run to run, whatever the hash seed,
the order of activities and flows in the file, and the process that draws the charts.

Two ``relmap analyze FILE -o DIR --lang fr`` processes run side by side and
must write the same bytes: the company file as written, with
``PYTHONHASHSEED=0``, its charts drawn in the chart worker the command starts
(as a user's run on several cores does); and a copy whose activities and
flows are shuffled, with ``PYTHONHASHSEED=4242`` and the charts drawn in-process
(``RELMAP_WORKER=0``). Any output that depends on a set or dict order, on the
order of the file, or on who drew the charts differs. French, so the language
has to travel to the worker too; the deck embeds the PNG of every view it
shows, so those are compared as well (tests/test_worker.py compares the SVGs of
two children with in-process drawing). The file is the 16-activity synthetic
chain of ``bench/synth.py`` (ranges, triangles, tasks, occupations, archetypes,
rubrics, touches, keep_human, three scenarios, transfers): the examples take
~9 s each to render, this one ~3 s.

(Before: three runs — hash seed, shuffle and worker checked one pair at a time; one run fewer is ~10 s of CPU.)
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

from relmap.fsutil import LOCK_NAME
from relmap.input.loader import parse_text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import synth  # noqa: E402

pytestmark = pytest.mark.slow  # two real commands side by side (make test-slow and CI run them, make test does not)

OUTPUTS = {"analysis.json", "report.md", "report.html", "value-chain.svg", "matrix.svg", "reinvestment.svg",
           "people.svg", "sensitivity.svg", "trajectory.svg", "deck.pptx", "activities.xlsx"}


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
    """Output folders of two concurrent runs: ``first`` (as written, worker) and ``shuffled`` (in-process)."""
    base = tmp_path_factory.mktemp("determinism")
    original = synth.write(16, base / "company.yaml", seed=5)
    shuffled = shuffled_copy(original, base / "shuffled.yaml")
    assert shuffled.read_bytes() != original.read_bytes()
    plan = {"first": (original, "0", "1"), "shuffled": (shuffled, "4242", "0")}
    procs = {}
    for name, (src, hash_seed, worker) in plan.items():
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "RELMAP_WORKER": worker}
        env.pop("RELMAP_LANG", None)
        procs[name] = subprocess.Popen([sys.executable, "-m", "relmap", "analyze", str(src), "-o", str(base / name),
                                        "--lang", "fr"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=base)
    for name, proc in procs.items():
        _out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, f"{name}: {err.decode(errors='replace')}"
    return {name: base / name for name in plan}


def _files(folder: Path) -> dict[str, bytes]:
    """The outputs by name (the empty lock file that keeps two runs out of one folder aside)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and p.name != LOCK_NAME}


def _canonical(value: Any) -> Any:
    """JSON with every list sorted: equal when only the order of the file differs."""
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted((_canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    return value


def test_analysis_content_does_not_depend_on_the_order_of_the_file(runs: dict[str, Path]) -> None:
    """Every number (Monte Carlo, sampled betweenness, allocation) is the same after shuffling the file
    (checked apart from the bytes, so a failure says whether the numbers or only their order differ)."""
    first = json.loads((runs["first"] / "analysis.json").read_text(encoding="utf-8"))
    shuffled = json.loads((runs["shuffled"] / "analysis.json").read_text(encoding="utf-8"))
    assert {a["id"] for a in first["activities"]} == {a["id"] for a in shuffled["activities"]}
    assert _canonical(first) == _canonical(shuffled)


def test_every_output_is_byte_identical(runs: dict[str, Path]) -> None:
    """Another hash seed, the file shuffled, the charts drawn in-process instead of by the worker: the same bytes.
    Activities are listed by stage position then id, never in file order."""
    first, shuffled = _files(runs["first"]), _files(runs["shuffled"])
    assert set(first) == OUTPUTS
    assert set(shuffled) == set(first)
    differing = sorted(name for name in first if first[name] != shuffled[name])
    assert differing == [], f"outputs that depend on the hash seed, the file's order or who drew: {differing}"
    assert b'<html lang="fr"' in first["report.html"]  # French, as asked
