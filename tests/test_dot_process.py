"""relmap runs the ``dot`` program itself (not through the graphviz package, see bench/GRAPHVIZ.md):
a layout that runs away is stopped, a crash or a missing program is a RenderError saying what to do."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from relmap.errors import RenderError
from relmap.render.svg import run_dot

SOURCE = 'digraph { "a" -> "b" }'


def _fake_dot(tmp_path: Path, body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "dot").write_text("#!/bin/sh\n" + body + "\n")
    (folder / "dot").chmod(0o755)
    monkeypatch.setenv("PATH", str(folder))


def test_a_layout_that_runs_away_is_stopped_at_the_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_dot(tmp_path, f"exec {shutil.which('sleep')} 30", monkeypatch)
    start = time.monotonic()
    with pytest.raises(RenderError, match="--stage"):
        run_dot(SOURCE, timeout=0.5)
    assert time.monotonic() - start < 10


def test_a_crash_names_graphviz_last_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_dot(tmp_path, 'echo "Warning: something" >&2; echo "Error: syntax error in line 1" >&2; exit 1',
              monkeypatch)
    with pytest.raises(RenderError, match="syntax error in line 1"):
        run_dot(SOURCE)


def test_no_output_is_a_failure_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_dot(tmp_path, "exit 0", monkeypatch)
    with pytest.raises(RenderError, match="'dot'"):
        run_dot(SOURCE)


def test_a_missing_program_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RenderError, match="apt-get install graphviz"):
        run_dot(SOURCE)


def test_the_real_dot_draws() -> None:
    svg = run_dot(SOURCE)
    assert b"<svg" in svg
