"""The dependency locks (scripts/lock.py): fresh, complete, and the check fails when they are not."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import lock  # noqa: E402


def test_locks_are_fresh_and_pin_every_input() -> None:
    """What make test checks first: compiled from the current pyproject.toml, every pin within its range."""
    assert lock.problems() == []
    dev = {name for name, _version, _marker in lock.pins(lock.DEV_LOCK)}
    runtime = {name for name, _version, _marker in lock.pins(lock.RUNTIME_LOCK)}
    assert {"pyyaml", "pydantic", "numpy", "babel", "pip", "setuptools"} <= runtime
    assert {"pytest", "pytest-xdist", "ruff", "mypy", "hypothesis", "uv"} <= dev
    assert runtime < dev


def test_runtime_lock_has_the_versions_of_the_dev_lock() -> None:
    dev = {(name, version, marker) for name, version, marker in lock.pins(lock.DEV_LOCK)}
    assert set(lock.pins(lock.RUNTIME_LOCK)) <= dev


def test_every_pin_has_hashes() -> None:
    """pip --require-hashes refuses a pin without one; a binary package has one per wheel."""
    for path in (lock.DEV_LOCK, lock.RUNTIME_LOCK):
        blocks = re.split(r"\n(?=[A-Za-z0-9])", path.read_text(encoding="utf-8"))
        pinned = [block for block in blocks if "==" in block.split("\n", 1)[0]]
        assert len(pinned) == len(lock.pins(path))
        assert all("--hash=sha256:" in block for block in pinned)
        numpy = next(block for block in pinned if block.startswith("numpy=="))
        assert numpy.count("--hash=sha256:") > 10  # every platform's wheel, not this machine's only


def test_pins_read_names_versions_and_markers(tmp_path: Path) -> None:
    sample = tmp_path / "x.lock"
    sample.write_text("# inputs-sha256: 0\nPyYAML==6.0.4 \\\n    --hash=sha256:ab\n"
                      "colorama==0.4.6 ; sys_platform == 'win32' \\\n    --hash=sha256:cd\n"
                      "    # via click\nruamel.yaml_clib==0.2.8\n", encoding="utf-8")
    assert lock.pins(sample) == [("pyyaml", "6.0.4", ""), ("colorama", "0.4.6", "sys_platform == 'win32'"),
                                 ("ruamel-yaml-clib", "0.2.8", "")]


def test_a_changed_range_makes_the_locks_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    """A range, a new dependency or a tool changes the digest; the order of a list does not."""
    real = lock.inputs()
    before = lock.digest()
    changes = [
        {**real, "dependencies": [*real["dependencies"][:-1], real["dependencies"][-1] + ",<99"]},
        {**real, "dev": [*real["dev"], "coverage>=7"]},
        {**real, "tools": [*real["tools"], "wheel"]},
    ]
    for changed in changes:
        monkeypatch.setattr(lock, "inputs", lambda changed=changed: changed)
        assert lock.digest() != before
        assert any("was not compiled from the current pyproject.toml" in p for p in lock.problems())
    monkeypatch.setattr(lock, "inputs", lambda: {**real, "dependencies": real["dependencies"][::-1]})
    assert lock.digest() == before


def test_a_pin_outside_its_range_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A lock edited by hand (or compiled from other ranges): the pin and the range are named."""
    for path in (lock.DEV_LOCK, lock.RUNTIME_LOCK):
        text = path.read_text(encoding="utf-8")
        target = tmp_path / path.name
        target.write_text(text.replace("\npyyaml==6.", "\npyyaml==5.", 1), encoding="utf-8")
    monkeypatch.setattr(lock, "DEV_LOCK", tmp_path / "dev.lock")
    monkeypatch.setattr(lock, "RUNTIME_LOCK", tmp_path / "runtime.lock")
    monkeypatch.setattr(lock, "ROOT", tmp_path)
    found = lock.problems()
    assert any("pins PyYAML==5." in p and "outside PyYAML>=6.0" in p for p in found), found
