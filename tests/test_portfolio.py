"""Portfolio: many files analysed in parallel, one subfolder each, a summary, failures that do not stop the rest."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from relmap.batch import analyze_many
from relmap.batch.folders import folder_names

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import synth  # noqa: E402


def test_folder_names_are_distinct_and_readable() -> None:
    """Shared stems take their parent folder's name; same-folder clashes and reserved names get a number."""
    names = folder_names([
        "examples/hotel-group/company.yaml", "examples/care-home/company.yaml", "x.yaml", "y/x.yaml",
        "portfolio.json.yaml", "a.yaml", "a.yaml", "A.yml", "q/r/s.yaml", "p/r/s.yaml", "société <1>.yaml",
    ])
    assert names[:2] == ["hotel-group", "care-home"]
    assert names[3] == "y"
    assert names[4] == "portfolio.json-2"
    assert names[5:8] == ["a", "a-2", "A-3"]
    assert names[8:10] == ["q-r", "p-r"]
    assert names[10] == "société_1"
    assert len({n.lower() for n in names}) == len(names)


@pytest.fixture(scope="module")
def companies(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two small synthetic companies in folders that share the file name, one invalid file, one missing."""
    base = tmp_path_factory.mktemp("inputs")
    good = [synth.write(12, base / "north" / "company.yaml", seed=1),
            synth.write(9, base / "south" / "company.yaml", seed=2)]
    bad = base / "broken.yaml"
    bad.write_text("relmap: 1\ncompany: {name: Broken}\nactivities:\n  - id: Bad\n    name: x\n", encoding="utf-8")
    return [*good, bad, base / "missing.yaml"]


@pytest.mark.slow
def test_analyze_many_reports_failures_and_is_order_free(companies: list[Path], tmp_path: Path) -> None:
    import relmap

    out = tmp_path / "out"
    result = analyze_many(companies, out, jobs=2, deck=False, xlsx=False, progress=False, draws=200)
    assert result.failed == 2
    by_folder = {c.folder: c for c in result.companies}
    assert sorted(by_folder) == ["broken", "missing", "north", "south"]
    for folder, src in (("north", companies[0]), ("south", companies[1])):
        summary = by_folder[folder]
        assert summary.ok and not summary.problems
        analysis = json.loads((out / folder / "analysis.json").read_text(encoding="utf-8"))
        hours = sum(a["hours"] for a in analysis["activities"])
        goods = sum(a["hours"] for a in analysis["activities"] if a["relational_good"])
        assert summary.relational_share == pytest.approx(goods / hours)
        assert summary.scenario == "base"
        assert summary.hours_freed == pytest.approx(analysis["scenarios"]["base"]["hours_freed"])
        assert summary.hours_reinvested == pytest.approx(analysis["scenarios"]["base"]["hours_reinvested"])
        assert summary.activities == len(relmap.load(src).activities)
        assert (out / folder / "report.html").is_file()
    broken = by_folder["broken"]
    assert not broken.ok and broken.problems
    assert all(p.line >= 1 for p in broken.problems)
    assert not (out / "broken").exists()
    assert by_folder["missing"].problems[0].message == "file not found"
    data = json.loads((out / "portfolio.json").read_text(encoding="utf-8"))
    assert [c["folder"] for c in data["companies"]] == ["broken", "missing", "north", "south"]
    md = (out / "portfolio.md").read_text(encoding="utf-8")
    assert "Synthetic Services 12" in md and "Synthetic Services 9" in md
    assert f"{companies[2]}:4:" in md and "Files that failed" in md
    # the same files in the reverse order, in this process: the same bytes everywhere
    again = analyze_many(companies[::-1], tmp_path / "again", jobs=1, deck=False, xlsx=False, progress=False,
                         draws=200)
    assert again.to_json() == result.to_json()
    assert (tmp_path / "again" / "portfolio.md").read_bytes() == (out / "portfolio.md").read_bytes()
    for folder in ("north", "south"):
        for name in ("analysis.json", "report.md", "value-chain.svg"):
            assert (tmp_path / "again" / folder / name).read_bytes() == (out / folder / name).read_bytes()


@pytest.mark.slow  # three companies through the whole command
def test_cli_several_files_exit_1_and_name_the_failure(companies: list[Path], tmp_path: Path) -> None:
    """The command, in this process (CliRunner, one job: the pool is tested above): exit 1, the failure located on
    stderr, one folder per good file and the summary; several files without -o is a usage error. (Real processes
    of the command are started by tests/test_determinism.py, test_faults_output.py and test_faults_process.py.)"""
    from click.testing import CliRunner

    from relmap.cli import main

    out = tmp_path / "cli"
    run = CliRunner().invoke(main, ["analyze", *map(str, companies[:3]), "-o", str(out), "--no-deck", "--no-xlsx",
                                    "--draws", "100", "--lang", "en", "--jobs", "1"])
    assert run.exit_code == 1, run.output
    assert f"{companies[2]}:4:" in run.stderr and "Traceback" not in run.output
    assert sorted(p.name for p in out.iterdir()) == ["north", "portfolio.json", "portfolio.md", "south"]
    lone = CliRunner().invoke(main, ["analyze", *map(str, companies[:2])])
    assert lone.exit_code == 2 and "-o DIR" in lone.stderr
