"""relmap benchmark: every pipeline stage and the whole commands, against the floor.

The **floor** is what no YAML tool in Python can beat on the same file: a fresh
interpreter importing the dependencies a command needs and composing the file
with libyaml (``yaml.compose(text, Loader=yaml.CSafeLoader)``). For
``validate`` and ``analyze --format json`` the dependencies are yaml,
pydantic, networkx, numpy, click and rich (:data:`FLOOR_IMPORTS`); ``analyze
-o`` also needs jinja2, python-pptx, openpyxl and Pillow's image and drawing
modules for the charts' PNG (:data:`FLOOR_OUT_IMPORTS`, "floor -o"; matplotlib
draws only ``render --format pdf``). Each whole command is timed as a
subprocess, wall clock, and compared with its floor on the same file; the
``-o`` row also gives the ratio to the stricter json floor.

relmap's own modules are byte-compiled first (``compileall``), as an installed
package is: with ``PYTHONDONTWRITEBYTECODE=1`` set, every run would otherwise
compile them again, while the dependencies were compiled by pip.

Per-stage figures come from a fresh child process (so that import costs are
counted once, as in a real run): parse (read, decode, one pass over the YAML events to
plain data), validate (pydantic + cross-references), graph, analysis without
and with Monte Carlo (the difference is the Monte Carlo), the Monte Carlo
alone at 2,000 draws, ``to_json`` (the text of ``analysis.json``), render (the
three diagrams, SVG and PNG) and reports (every other output file).

Peak memory is the peak resident set of each command: its own
(``os.wait4(...).ru_maxrss``) or, when larger, the peak of the sum over its
process tree sampled every 20 ms (``analyze -o`` draws in child processes),
each process counted by its proportional set size (``Pss``: pages a forked
child still shares with its parent count once, not once per process).

Usage:
    make bench                                  # sizes 300, 1000, 10000, 10000r500; writes bench/RESULTS.md
    .venv/bin/python bench/run.py --sizes 10000r500 --no-write   # 10,000 activities staffed by 500 roles
    .venv/bin/python bench/run.py --sizes 300 --repeat 3
    .venv/bin/python bench/run.py --quick       # 300 and 1000 only, no RESULTS.md
    .venv/bin/python bench/run.py --star 3000   # only the hub-and-spokes case of issue #17 (goal < 10 s)

A stage or command that does not exist in this checkout is reported as "n/a".
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "RESULTS.md"
PYTHON = Path(sys.executable)
RELMAP = PYTHON.parent / "relmap"
SMALL = ROOT / "examples" / "hotel-group" / "company.yaml"
#: the dependencies every command imports (validate, analyze --format json)
FLOOR_IMPORTS = "yaml, pydantic, networkx, numpy, click, rich"
#: … and those ``analyze -o`` imports too, to draw and to write the office files
FLOOR_OUT_IMPORTS = FLOOR_IMPORTS + ", jinja2, pptx, openpyxl, PIL.Image, PIL.ImageDraw"


def floor_code(imports: str) -> str:
    """The floor program: import ``imports``, then compose the file given as argument with libyaml."""
    return (f"import sys, {imports}; "
            "yaml.compose(open(sys.argv[1], encoding='utf-8').read(), Loader=yaml.CSafeLoader)")


FLOOR_CODE = floor_code(FLOOR_IMPORTS)
FLOOR_OUT_CODE = floor_code(FLOOR_OUT_IMPORTS)
TIMEOUT = 600.0
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"

#: ``--format json`` against the floor, by number of activities (issue #18: 2.5× at 300, 2× at 10,000, with or
#: without roles); ``-o`` against the plain floor at 300 (issue #18: 5×)
JSON_GOAL = {300: 2.5, 10_000: 2.0}
OUT_GOAL = 5.0
#: The goals (issues #7 and #18).
GOALS_TEXT = {
    "json": "`analyze --format json` ≤ {k:g}× floor",
    "out": "`analyze -o` (every output) ≤ 4× floor",
    "out_strict": "`analyze -o` ≤ {k:g}× the floor of `--format json`",
    "mc": "Monte Carlo 2,000 draws < 1 s",
    "mem": "peak memory < 1 GB",
    "help": "`relmap --help` < 0.4 s",
    "validate_small": "`relmap validate` (small file) < 0.4 s",
}


@dataclass
class Run:
    """One subprocess run: wall seconds, peak RSS in MiB, exit code (-9: killed at the timeout)."""

    seconds: float
    rss_mib: float
    code: int
    stderr: str = ""
    #: user + system CPU seconds of the process and the children it waited for (``wait4``)
    cpu: float = 0.0

    @property
    def timed_out(self) -> bool:
        """Killed by the timeout."""
        return self.code == -signal.SIGKILL


@dataclass
class SizeFigures:
    """Everything measured for one synthetic size."""

    n: int
    file_bytes: int
    roles: int = 0
    floor: Run | None = None
    floor_out: Run | None = None
    stages: dict[str, float | None] = field(default_factory=dict)
    stage_error: str = ""
    commands: dict[str, Run | None] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """``10,000`` or ``10,000 (500 roles)``."""
        return f"{self.n:,}" + (f" ({self.roles:,} roles)" if self.roles else "")


def run_process(args: list[str], *, timeout: float = TIMEOUT, cwd: Path = ROOT) -> Run:
    """Run ``args``; wall time, peak memory and exit code. Output is discarded except stderr's end.

    Peak memory is the larger of the process's own peak (``wait4``) and the
    peak of the *sum* over its process tree, sampled every 20 ms on Linux:
    ``analyze -o`` draws in a child process at the same time.
    """
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=err, cwd=cwd, start_new_session=True,
                                env={**os.environ, "PYTHONHASHSEED": "0", "RELMAP_LANG": "en"})
        timer = threading.Timer(timeout, lambda: os.killpg(proc.pid, signal.SIGKILL))
        timer.start()
        sampler = _TreeMemory(proc.pid)
        sampler.start()
        try:
            _pid, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
            sampler.stop()
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read().decode("utf-8", "replace")[-2000:]
    own = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 1024 / 1024
    return Run(seconds, max(own, sampler.peak_mib), proc.returncode, tail, usage.ru_utime + usage.ru_stime)


class _TreeMemory(threading.Thread):
    """Samples the summed memory of a session's processes, proportional set sizes (Linux ``/proc``; elsewhere 0)."""

    def __init__(self, session: int) -> None:
        super().__init__(daemon=True)
        self.session = session
        self.peak_mib = 0.0
        self._done = threading.Event()
        self._page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

    def run(self) -> None:
        if not Path("/proc").is_dir():
            return
        while not self._done.wait(0.02):
            total = 0
            for pid in self._tree():
                try:
                    total += self._resident(pid)
                except (OSError, IndexError, ValueError):
                    continue
            self.peak_mib = max(self.peak_mib, total / 1024 / 1024)

    def _resident(self, pid: int) -> int:
        """Bytes of ``pid``'s proportional set size (``Pss`` of ``/proc/PID/smaps_rollup``: a page shared by n
        processes counts 1/n in each, so forked children that share their parent's pages copy-on-write are not
        counted twice), else its resident set (``statm``, where smaps_rollup is missing)."""
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
        except FileNotFoundError:
            raise
        except OSError:
            pass
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * self._page

    def _tree(self) -> list[int]:
        """The command and its descendants (``/proc/PID/task/TID/children``; else every process of the session)."""
        pids, i = [self.session], 0
        while i < len(pids):
            pid, i = pids[i], i + 1
            try:
                for task in os.listdir(f"/proc/{pid}/task"):
                    pids += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
            except FileNotFoundError:
                if pid == self.session and not Path(f"/proc/{pid}/task/{pid}/children").exists():
                    return self._session_pids()
            except OSError:
                continue
        return pids

    def _session_pids(self) -> list[int]:
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except (OSError, IndexError):
                    continue
                if int(fields[3]) == self.session:  # after the name: state ppid pgrp session
                    pids.append(int(entry.name))
        return pids

    def stop(self) -> None:
        self._done.set()
        self.join(timeout=1)


def best_of(args: list[str], repeat: int, timeout: float = TIMEOUT) -> Run:
    """The fastest of ``repeat`` runs (peak memory: the largest seen); a timed-out run is not repeated."""
    runs = [run_process(args, timeout=timeout)]
    while len(runs) < repeat and runs[-1].code == 0:
        runs.append(run_process(args, timeout=timeout))
    best = min(runs, key=lambda r: r.seconds)
    return Run(best.seconds, max(r.rss_mib for r in runs), best.code, best.stderr, min(r.cpu for r in runs))


# --------------------------------------------------------------------------- in-process stages (child)


def _timed(fn: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def _import_all() -> None:
    """Import what the pipeline imports lazily, so that no stage below pays for an import."""
    import importlib

    for name in ("relmap.input.validate", "relmap.analysis.graph", "relmap.analysis", "relmap.analysis.structure",
                 "relmap.render", "relmap.report"):
        try:
            importlib.import_module(name)
        except ImportError:
            continue


def _emit(stages: dict[str, Any], name: str, seconds: float | None) -> None:
    """Record a stage and print it at once (a parent that times out still reads what was done)."""
    stages[name] = seconds
    print(json.dumps({"stage": name, "seconds": seconds}), flush=True)


def measure_stages(path: Path, out_dir: Path) -> dict[str, Any]:
    """Time each pipeline stage in this (fresh) process; a missing stage is None.

    ``render`` is :func:`relmap.report.draw_diagrams` (every view, SVG and the
    PNG the deck embeds); ``reports`` is :func:`relmap.report.write_outputs`
    given those drawings: JSON, Markdown, HTML, deck, workbook.
    """
    stages: dict[str, Any] = {}
    _emit(stages, "import", _timed(_import_all)[1])
    from relmap.input.loader import load_document
    from relmap.input.validate import validate_document

    doc, seconds = _timed(lambda: load_document(path))
    _emit(stages, "parse", seconds)
    chain, seconds = _timed(lambda: validate_document(doc))
    _emit(stages, "validate", seconds)
    try:
        from relmap.analysis.graph import build_graph

        _emit(stages, "graph", _timed(lambda: build_graph(chain))[1])
    except ImportError:
        _emit(stages, "graph", None)
    try:
        from relmap.analysis import analyze
    except ImportError:
        return stages
    _emit(stages, "analysis", _timed(lambda: analyze(chain, draws=1))[1])
    result, full = _timed(lambda: analyze(chain, draws=2000))
    _emit(stages, "monte_carlo", max(0.0, full - stages["analysis"]))
    _emit(stages, "monte_carlo_alone", _monte_carlo_alone(chain))
    _emit(stages, "json", _timed(result.to_json)[1])
    diagrams, render = _render(result)
    _emit(stages, "render", render)
    _emit(stages, "reports", None if diagrams is None else _reports(result, diagrams, path, out_dir / "reports"))
    return stages


def _monte_carlo_alone(chain: Any) -> float | None:
    """The seeded Monte Carlo at 2,000 draws, timed without the rest of the analysis."""
    try:
        from relmap.analysis.facts import build_facts
        from relmap.analysis.graph import build_graph
        from relmap.analysis.uncertainty import PlacementPlan, run_monte_carlo
        from relmap.input.model import as_triangle
    except ImportError:
        return None
    facts = build_facts(chain)
    placed = {s.id: 1.0 for s in chain.scenarios}
    graph = build_graph(chain)

    def run() -> object:
        return run_monte_carlo(
            facts, chain.scenarios, tau_a=chain.thresholds.automatable, tau_r=chain.thresholds.relational,
            plan=PlacementPlan(facts, chain.policy, graph), placed_share=placed, draws=2000, seed=1,
            correlation=chain.assumptions.correlation,
            time_saving=as_triangle(chain.assumptions.exposure_time_saving),
            hours_per_fte=chain.company.hours_per_fte)

    _, seconds = _timed(run)
    return seconds


def _render(result: Any) -> tuple[Any, float | None]:
    """Draw the diagrams alone (:func:`relmap.report.draw_diagrams`, SVG and PNG): the drawings and the time."""
    try:
        from relmap.report import draw_diagrams
    except ImportError:
        return None, None
    return _timed(lambda: draw_diagrams(result, png=True))


def _reports(result: Any, diagrams: Any, source: Path, out_dir: Path) -> float | None:
    """Time :func:`relmap.report.write_outputs` with the diagrams already drawn (so: every other file)."""
    try:
        import relmap.report as report
    except ImportError:
        return None
    out_dir.mkdir(parents=True, exist_ok=True)

    class Drawn:  # the drawing is timed by _render: here it is handed over as done
        def __init__(self, *_args: Any, **_kwargs: Any) -> None:
            pass

        def start(self) -> None:
            pass

        def finish(self) -> Any:
            return diagrams

    original = report.Drawing
    report.Drawing = Drawn  # type: ignore[misc,assignment]
    try:
        return _timed(lambda: report.write_outputs(result, out_dir, source=source))[1]
    finally:
        report.Drawing = original  # type: ignore[misc]


# --------------------------------------------------------------------------- orchestration


def measure_size(n: int, work: Path, repeat: int, with_outputs: bool, timeout: float = TIMEOUT,
                 roles: int = 0) -> SizeFigures:
    """Generate the file of ``n`` activities (``roles`` roles) and measure the floor, the stages and the commands."""
    sys.path.insert(0, str(BENCH))
    import synth

    name = f"{n}r{roles}" if roles else f"{n}"
    path = synth.write(n, work / f"synth-{name}.yaml", roles=roles)
    figures = SizeFigures(n, path.stat().st_size, roles)
    figures.floor = best_of([str(PYTHON), "-c", FLOOR_CODE, str(path)], max(3, repeat))
    if with_outputs:
        figures.floor_out = best_of([str(PYTHON), "-c", FLOOR_OUT_CODE, str(path)], max(3, repeat))
    figures.stages, figures.stage_error = run_stage_child(path, work / f"stages-{name}", timeout)
    figures.commands["validate"] = best_of([str(RELMAP), "validate", str(path)], repeat, timeout)
    if _has_command("analyze"):
        figures.commands["json"] = best_of([str(RELMAP), "analyze", str(path), "--format", "json"], repeat,
                                           timeout)
        if with_outputs:
            out = work / f"out-{name}"
            shutil.rmtree(out, ignore_errors=True)
            figures.commands["out"] = best_of([str(RELMAP), "analyze", str(path), "-o", str(out)], repeat,
                                              timeout)
    return figures


def run_stage_child(path: Path, out_dir: Path, timeout: float) -> tuple[dict[str, float | None], str]:
    """Run :func:`measure_stages` in a fresh interpreter: the stages it finished, and an error or timeout text."""
    shutil.rmtree(out_dir, ignore_errors=True)
    args = [str(PYTHON), str(Path(__file__)), "--stages-child", str(path), str(out_dir)]
    env = {**os.environ, "PYTHONHASHSEED": "0", "RELMAP_LANG": "en"}
    error = ""
    try:
        proc = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=timeout, check=False, env=env)
        out = proc.stdout
        if proc.returncode != 0:
            lines = proc.stderr.strip().splitlines()
            error = lines[-1] if lines else f"exit {proc.returncode}"
    except subprocess.TimeoutExpired as exc:
        raw = exc.stdout or b""
        out = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        error = f"timed out after {timeout:.0f} s"
    stages: dict[str, float | None] = {}
    for line in out.splitlines():
        if line.startswith("{"):
            item = json.loads(line)
            stages[item["stage"]] = item["seconds"]
    if error:
        done = list(stages)
        error += f" (after: {', '.join(done) or 'nothing'})"
    return stages, error


def _has_command(name: str) -> bool:
    import importlib.util

    from relmap.cli import COMMANDS

    return importlib.util.find_spec(COMMANDS[name][0]) is not None


def machine() -> dict[str, str]:
    """CPU model, cores, Python, libyaml, Graphviz, date."""
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import yaml

    dot = shutil.which("dot")
    dot_version = ""
    if dot:
        proc = subprocess.run([dot, "-V"], capture_output=True, text=True, check=False)
        dot_version = proc.stderr.strip()
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return {"cpu": cpu, "cores": str(os.cpu_count()), "memory": mem, "python": platform.python_version(),
            "libyaml": str(getattr(yaml, "__with_libyaml__", False)), "graphviz": dot_version,
            "date": dt.date.today().isoformat()}


# --------------------------------------------------------------------------- output


def _s(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _run_cell(run: Run | None) -> str:
    if run is None:
        return "n/a"
    if run.timed_out:
        return f"> {run.seconds:.0f} (timeout)"
    return f"{run.seconds:.2f}" if run.code == 0 else f"{run.seconds:.2f} (exit {run.code})"


def _failure(run: Run) -> str:
    if run.timed_out:
        return "timed out"
    last = (run.stderr.strip().splitlines() or [""])[-1]
    return f"exit {run.code}: {last[:200]}"


def table(figures: list[SizeFigures], startup: dict[str, Run]) -> str:
    """The Markdown tables: stages, commands vs the floor, goals."""
    lines = ["| activities | file | floor s | import | parse | validate | graph | analysis | Monte Carlo | MC alone "
             "| to_json | render | reports |", "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for f in figures:
        st = f.stages
        lines.append(
            f"| {f.label} | {f.file_bytes / 1e6:.2f} MB | {_s(f.floor.seconds if f.floor else None)} | "
            + " | ".join(_s(st.get(k)) for k in ("import", "parse", "validate", "graph", "analysis",
                                                 "monte_carlo", "monte_carlo_alone", "json", "render", "reports"))
            + " |")
    lines += ["", "| activities | floor s | floor -o s | validate s | analyze --format json s (× floor; CPU s json / "
              "floor) | analyze -o s (× floor -o; × floor; CPU s) | peak memory MiB (json / -o) |",
              "|---:|---:|---:|---:|---:|---:|---:|"]
    for f in figures:
        floor = f.floor.seconds if f.floor else None
        floor_out = f.floor_out.seconds if f.floor_out else None
        js, out = f.commands.get("json"), f.commands.get("out")
        js_cell = _run_cell(js) + (f" ({js.seconds / floor:.1f}×)" if js and floor else "")
        if js and f.floor:
            js_cell += f"; CPU {js.cpu:.2f} / {f.floor.cpu:.2f}"
        out_cell = _run_cell(out)
        if out and floor_out and floor:
            out_cell += f" ({out.seconds / floor_out:.1f}×; {out.seconds / floor:.1f}×)"
        if out and f.floor:
            out_cell += f"; CPU {out.cpu:.2f}"
        rss = " / ".join(f"{r.rss_mib:.0f}" if r else "n/a" for r in (js, out))
        lines.append(f"| {f.label} | {_s(floor)} | {_s(floor_out)} | {_run_cell(f.commands.get('validate'))} "
                     f"| {js_cell} | {out_cell} | {rss} |")
    lines += ["", "| goal | measured | verdict |", "|---|---|---|"]
    for label, measured, ok in goals(figures, startup):
        lines.append(f"| {label} | {measured} | {ok} |")
    errors = [f"- {f.label} activities: stages: {f.stage_error}" for f in figures if f.stage_error]
    failures = [f"- {f.label} activities, `{name}`: {_failure(r)}"
                for f in figures for name, r in f.commands.items() if r and r.code != 0]
    if errors or failures:
        lines += ["", "Failures:", *errors, *failures]
    return "\n".join(lines)


def _cpu_ratio(run: Run, floor: Run) -> str:
    """CPU seconds of ``run`` over the floor's (steadier than wall time on a shared machine)."""
    return f"{run.cpu / floor.cpu:.2f}×" if floor.cpu > 0 else "n/a"


def goals(figures: list[SizeFigures], startup: dict[str, Run]) -> list[tuple[str, str, str]]:
    """(goal, measured, verdict) rows for the issue's goals."""
    rows: list[tuple[str, str, str]] = []

    def verdict(ok: bool | None) -> str:
        return "n/a" if ok is None else ("met" if ok else "**missed**")

    for f in figures:
        floor = f.floor.seconds if f.floor else None
        js, out = f.commands.get("json"), f.commands.get("out")
        if f.n in JSON_GOAL and floor and f.floor:
            k = JSON_GOAL[f.n]
            ok = None if js is None else (js.code == 0 and js.seconds <= k * floor)
            rows.append((f"{GOALS_TEXT['json'].format(k=k)} at {f.label}",
                         f"{js.seconds / floor:.2f}× (CPU {_cpu_ratio(js, f.floor)})" if js else "n/a", verdict(ok)))
        floor_out = f.floor_out.seconds if f.floor_out else None
        if f.n == 300 and not f.roles and floor_out and floor:
            ok = None if out is None else (out.code == 0 and out.seconds <= 4 * floor_out)
            rows.append((f"{GOALS_TEXT['out']} -o at 300", f"{out.seconds / floor_out:.2f}×" if out else "n/a",
                         verdict(ok)))
            ok = None if out is None else (out.code == 0 and out.seconds <= OUT_GOAL * floor)
            rows.append((f"{GOALS_TEXT['out_strict'].format(k=OUT_GOAL)} at 300",
                         f"{out.seconds / floor:.2f}× (CPU {_cpu_ratio(out, f.floor)})" if out and f.floor else "n/a",
                         verdict(ok)))
        if f.n == 10_000 and not f.roles:
            mc = f.stages.get("monte_carlo_alone")
            rows.append((f"{GOALS_TEXT['mc']} at 10,000", f"{_s(mc)} s", verdict(None if mc is None else mc < 1)))
            peak = max((r.rss_mib for r in f.commands.values() if r), default=None)
            rows.append((f"{GOALS_TEXT['mem']} at 10,000", "n/a" if peak is None else f"{peak:.0f} MiB",
                         verdict(None if peak is None else peak < 1024)))
    for key, run in startup.items():
        rows.append((GOALS_TEXT[key], f"{run.seconds:.2f} s", verdict(run.code == 0 and run.seconds < 0.4)))
    return rows


def write_results(text: str, info: dict[str, str], command: str) -> None:
    """Replace the generated block of ``bench/RESULTS.md``; keep the hand-written notes around it."""
    block = "\n".join([
        BEGIN,
        f"Measured on {info['date']}: {info['cpu']}, {info['cores']} cores, {info['memory']}; Python "
        f"{info['python']} (libyaml: {info['libyaml']}); {info['graphviz']}.",
        "",
        f"Command: `{command}` (wall-clock seconds, best of the repeats).",
        "",
        text,
        END,
    ])
    if RESULTS.exists():
        current = RESULTS.read_text(encoding="utf-8")
        if BEGIN in current and END in current:
            head, rest = current.split(BEGIN, 1)
            _old, tail = rest.split(END, 1)
            RESULTS.write_text(head + block + tail, encoding="utf-8")
            return
    RESULTS.write_text("# relmap benchmark results\n\n" + block + "\n", encoding="utf-8")


#: issue #17: a 3,000-activity star with ``mobility: adjacent`` analyses in under this many seconds
STAR_GOAL = 10.0


def measure_star(n: int, work: Path, repeat: int, timeout: float) -> int:
    """``analyze --format json`` on :func:`synth.build_star` (a hub with a flow to every activity); 1 if over the goal.

    The pairs of activities within two hops grow as ``n²`` there; the
    reinvestment network must stay linear in the flows (relmap.analysis.reach).
    """
    sys.path.insert(0, str(BENCH))
    import synth

    path = synth.write(n, work / f"star-{n}.yaml", shape="star")
    run = best_of([str(RELMAP), "analyze", str(path), "--format", "json"], repeat, timeout)
    verdict = "met" if run.code == 0 and run.seconds < STAR_GOAL else "NOT met"
    print(f"star of {n:,} activities, mobility adjacent: analyze --format json {_run_cell(run)} s, "
          f"{run.rss_mib:.0f} MiB (goal < {STAR_GOAL:g} s: {verdict})")
    return 0 if verdict == "met" else 1


def _size(text: str) -> tuple[int, int]:
    """``"10000"`` → (10000, 0); ``"10000r500"`` → (10000, 500): activities and roles."""
    n, _sep, roles = text.strip().replace("_", "").partition("r")
    return int(n), int(roles or 0)


def main(argv: list[str] | None = None) -> int:
    """Command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description="relmap benchmark against the floor (see bench/run.py).")
    parser.add_argument("--sizes", default="300,1000,10000,10000r500",
                        help="comma-separated numbers of activities; NrR adds R roles (mobility 'role')")
    parser.add_argument("--repeat", type=int, default=1, help="runs per command (best is kept)")
    parser.add_argument("--quick", action="store_true", help="sizes 300 and 1000, do not write RESULTS.md")
    parser.add_argument("--no-write", action="store_true", help="do not write bench/RESULTS.md")
    parser.add_argument("--no-outputs", action="store_true", help="skip 'analyze -o' (the slowest command)")
    parser.add_argument("--work", default=str(BENCH / "out"), help="folder for generated files")
    parser.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds before a command is killed")
    parser.add_argument("--star", type=int, default=0, metavar="N",
                        help="only time 'analyze --format json' on an N-activity star with mobility adjacent")
    parser.add_argument("--stages-child", nargs=2, metavar=("FILE", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stages_child:
        measure_stages(Path(args.stages_child[0]), Path(args.stages_child[1]))
        return 0
    if args.star:
        return measure_star(args.star, Path(args.work), args.repeat, args.timeout)
    sizes = [(300, 0), (1000, 0)] if args.quick else [_size(s) for s in args.sizes.split(",") if s.strip()]
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    # relmap's bytecode, as a regular install has it (pip compiles the dependencies already); without
    # this, PYTHONDONTWRITEBYTECODE=1 makes every run compile ~60 modules again (~0.1 s)
    subprocess.run([str(PYTHON), "-m", "compileall", "-q", str(ROOT / "relmap")], check=False,
                   stdout=subprocess.DEVNULL)
    startup = {"help": best_of([str(RELMAP), "--help"], max(3, args.repeat)),
               "validate_small": best_of([str(RELMAP), "validate", str(SMALL)], max(3, args.repeat))}
    figures = []
    for n, roles in sizes:
        print(f"… {n:,} activities" + (f", {roles:,} roles" if roles else ""), file=sys.stderr, flush=True)
        figures.append(measure_size(n, work, args.repeat, not args.no_outputs, args.timeout, roles))
    text = table(figures, startup)
    print(text)
    if not (args.quick or args.no_write):
        command = "python bench/run.py " + " ".join(a for a in (argv if argv is not None else sys.argv[1:]))
        write_results(text, machine(), command.strip())
        print(f"\nwritten: {RESULTS.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
