"""Issue #17: output folders — one run at a time, whole sets, the umask, environment errors with path and cause."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from report_fixture import make_result

import relmap
from relmap import fsutil
from relmap.cli import main
from relmap.errors import OutputError, UsageError
from relmap.report import write_outputs

ROOT = Path(__file__).resolve().parent.parent
HOTEL = ROOT / "examples" / "hotel-group" / "company.yaml"
TINY = ROOT / "tests" / "cases" / "analysis" / "tiny.yaml"


@pytest.fixture(scope="module")
def result() -> relmap.analysis.AnalysisResult:
    """The hand-made result of tests/report_fixture.py: every output, drawn in a second (these tests are about
    files, not figures)."""
    return make_result()


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and p.name != fsutil.LOCK_NAME}


def test_outputs_follow_the_umask(tmp_path: Path, umask: None) -> None:
    os.umask(0o077)
    private = fsutil.write_atomic(tmp_path / "a.json", "{}")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    os.umask(0o022)
    shared = fsutil.write_atomic(tmp_path / "b.json", "{}")
    assert stat.S_IMODE(shared.stat().st_mode) == 0o644
    os.umask(0o027)
    again = fsutil.write_atomic(tmp_path / "b.json", "{}")  # replaces a 0644 file: the umask decides
    assert stat.S_IMODE(again.stat().st_mode) == 0o640


@pytest.mark.slow  # the whole command in a real process
def test_a_private_run_writes_private_files(tmp_path: Path, result: relmap.analysis.AnalysisResult,
                                            umask: None) -> None:
    os.umask(0o077)
    written = write_outputs(result, tmp_path / "out", deck=False)
    assert len(written) == 10
    assert {stat.S_IMODE(p.stat().st_mode) for p in written} == {0o600}


@pytest.mark.slow  # two real processes of the command
def test_one_run_at_a_time(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with fsutil.OutputSet(out):  # another run holds the folder
        done = CliRunner().invoke(main, ["analyze", str(HOTEL), "-o", str(out), "--no-deck", "--no-xlsx"])
    assert done.exit_code == 1, done.output
    assert "another relmap run is writing into" in done.output
    assert not (out / "analysis.json").exists()


def test_the_lock_dies_with_its_holder(tmp_path: Path) -> None:
    """A run killed while holding the lock leaves no stale lock: flock is released by the system."""
    out = tmp_path / "out"
    code = "import os, sys\nfrom relmap.fsutil import OutputSet\nOutputSet(sys.argv[1]).__enter__()\nos._exit(9)\n"
    subprocess.run([sys.executable, "-c", code, str(out)], check=False, timeout=60)
    with fsutil.OutputSet(out):
        pass


@pytest.mark.slow  # the whole command twice in real processes
def test_a_failed_run_leaves_the_old_set_whole(tmp_path: Path, result: relmap.analysis.AnalysisResult,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    write_outputs(result, out, deck=False)
    before = snapshot(out)
    other = result.model_copy(update={"company": {**result.company, "name": "Another company"}})
    from relmap.report import markdown

    def disk_full(*_args: object, **_kwargs: object) -> str:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(markdown, "render_markdown", disk_full)
    with pytest.raises(OSError):
        write_outputs(other, out, deck=False)
    assert snapshot(out) == before
    assert [p.name for p in out.iterdir() if p.name.startswith(".relmap-staging")] == []


@pytest.mark.slow  # the whole command in a real process
def test_disk_full_names_the_path(tmp_path: Path, result: relmap.analysis.AnalysisResult,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(fsutil.os, "fsync", full)
    with pytest.raises(OutputError) as info:
        write_outputs(result, tmp_path / "out", deck=False)
    assert str(tmp_path / "out" / "analysis.json") in str(info.value)
    assert "No space left on device" in str(info.value)


def test_read_only_folder_is_exit_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def read_only(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(tmp_path / "ro"))

    monkeypatch.setattr(Path, "mkdir", read_only)
    done = CliRunner().invoke(main, ["analyze", str(HOTEL), "-o", str(tmp_path / "ro" / "out"), "--no-deck"])
    assert done.exit_code == 1, done.output
    assert "cannot write" in done.output and "Read-only file system" in done.output


def test_output_under_a_regular_file_is_exit_1(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    done = CliRunner().invoke(main, ["analyze", str(HOTEL), "-o", str(tmp_path / "afile" / "out"), "--no-deck"])
    assert done.exit_code == 1, done.output
    assert str(tmp_path / "afile" / "out") in done.output


def test_refusal_to_overwrite_the_input_comes_first(tmp_path: Path, result: relmap.analysis.AnalysisResult) -> None:
    out = tmp_path / "out"
    out.mkdir()
    source = out / "report.md"  # the input file has the name of an output
    source.write_text(HOTEL.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(UsageError, match="refusing to overwrite"):
        write_outputs(result, out, source=source, deck=False)
    assert sorted(p.name for p in out.iterdir()) == ["report.md"]


@pytest.mark.slow  # the whole command in a real process
def test_stdout_full_is_exit_1() -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "relmap", "analyze", str(TINY), "--format", "json"],
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=120, check=False)
    assert done.returncode == 1, done.stderr
    assert "cannot write standard output" in done.stderr and "Traceback" not in done.stderr


def test_negative_seed_is_a_usage_error() -> None:
    done = CliRunner().invoke(main, ["analyze", str(HOTEL), "--seed", "-5"])
    assert done.exit_code == 2 and "--seed" in done.output


@pytest.mark.slow  # the whole command in a real process
def test_dot_printing_garbage_still_writes_every_other_output(tmp_path: Path) -> None:
    """A Graphviz whose ``-Tjson`` prints non-JSON: node sizes are estimated instead, and every file is written.

    (Before: a JSONDecodeError, exit 3 "a bug in relmap", and nothing written.)
    """
    real = subprocess.run(["which", "dot"], capture_output=True, text=True, check=False).stdout.strip()
    if not real:
        pytest.skip("no Graphviz")
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "dot").write_text(f'#!/bin/sh\ncase "$*" in *-Tjson*) echo "not json"; exit 0;; esac\nexec {real} "$@"\n')
    (fake / "dot").chmod(0o755)
    env = {**os.environ, "PATH": f"{fake}{os.pathsep}{os.environ['PATH']}"}
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "relmap", "analyze", str(TINY), "-o", str(out), "--no-deck"],
                          capture_output=True, text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "internal error" not in done.stderr
    for name in ("analysis.json", "report.html", "matrix.svg", "value-chain.svg", "activities.xlsx"):
        assert (out / name).is_file(), name
