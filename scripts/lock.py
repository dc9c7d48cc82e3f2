"""The dependency locks: ``requirements/dev.lock`` (``make test``) and ``requirements/runtime.lock`` (``make demo``).

``pyproject.toml`` keeps compatible ranges (for ``pip install relmap`` into
one's own environment); the set-up installs exact versions, with the hash of
every file of each version, from these locks::

    python scripts/lock.py compile   # make lock: resolve with uv, keeping the pins that still fit
    python scripts/lock.py compile --upgrade                   # make lock-upgrade: the newest of everything
    python scripts/lock.py compile --upgrade-package NAME      # one package
    python scripts/lock.py check     # exit 1 when a lock is out of date with its inputs (make test, CI)
    python scripts/lock.py wheels    # every pin has a wheel for Linux and macOS, Python 3.11 to 3.14
    python scripts/lock.py newer     # what this interpreter has that differs from the lock (make test-latest)

Inputs: ``[project]`` ``requires-python``, ``dependencies`` and the ``dev``
extra, ``[build-system] requires``, and ``requirements/tools.in`` (pip and
setuptools, which the set-up installs too). ``compile`` writes their digest
into each lock's first line; ``check`` computes it again, offline and in
milliseconds, and also checks that every pinned version is within its range.

Why uv (``uv pip compile --universal``): one resolution valid for every
platform and Python version the project supports (markers where they differ;
``--fork-strategy fewest`` keeps a single version of each package when one
fits them all), and ``--generate-hashes`` gives the hash of every wheel of a
version, so the same lock installs with ``pip --require-hashes`` on Debian and
on a Mac. pip-tools resolves for the interpreter it runs on only.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
TOOLS = ROOT / "requirements" / "tools.in"
DEV_LOCK = ROOT / "requirements" / "dev.lock"
RUNTIME_LOCK = ROOT / "requirements" / "runtime.lock"
MIN_PYTHON = "3.11"
HEADER = "# inputs-sha256: "
#: Platforms and Python versions a pinned version must have a wheel for (``wheels``).
PLATFORMS = ("x86_64-manylinux_2_28", "aarch64-manylinux_2_28", "x86_64-apple-darwin", "aarch64-apple-darwin")
PYTHONS = ("3.11", "3.12", "3.13", "3.14")
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)(?:\s*;\s*([^\\]+?))?\s*\\?$")


def _tools() -> list[str]:
    return [line.strip() for line in TOOLS.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def inputs() -> dict[str, list[str]]:
    """What the locks are compiled from, each list sorted (its order is no change)."""
    data = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    project = data["project"]
    return {
        "requires-python": [project.get("requires-python", "")],
        "dependencies": sorted(project.get("dependencies", [])),
        "dev": sorted(project.get("optional-dependencies", {}).get("dev", [])),
        "build-system": sorted(data.get("build-system", {}).get("requires", [])),
        "tools": sorted(_tools()),
    }


def digest() -> str:
    """sha256 of :func:`inputs` as canonical JSON (lists sorted: their order is no change)."""
    canonical = {key: sorted(values) for key, values in inputs().items()}
    return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


def pins(lock: Path) -> list[tuple[str, str, str]]:
    """``(normalised name, version, marker)`` of every pin of a lock (marker "" when none)."""
    out = []
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line.strip())
        if match:
            out.append((_normalise(match[1]), match[2], (match[3] or "").strip()))
    return out


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def problems() -> list[str]:
    """Why the locks are out of date (empty when they are not)."""
    want = digest()
    found: list[str] = []
    for lock in (DEV_LOCK, RUNTIME_LOCK):
        name = lock.relative_to(ROOT)
        if not lock.is_file():
            found.append(f"{name} is missing")
            continue
        first = lock.read_text(encoding="utf-8").splitlines()[:1]
        if not first or not first[0].startswith(HEADER) or first[0][len(HEADER):].strip() != want:
            found.append(f"{name} was not compiled from the current pyproject.toml and {TOOLS.relative_to(ROOT)}")
    if not found:
        found += _out_of_range()
    return found


def _out_of_range() -> list[str]:
    """Pins outside a range of the inputs (needs ``packaging``; skipped where it is not installed)."""
    try:
        from packaging.requirements import Requirement
    except ImportError:  # the system Python before the venv exists: the digest is the check
        return []
    found = []
    groups = {DEV_LOCK: ("dependencies", "dev", "tools"), RUNTIME_LOCK: ("dependencies", "tools")}
    given = inputs()
    for lock, keys in groups.items():
        pinned: dict[str, list[str]] = {}
        for name, version, _marker in pins(lock):
            pinned.setdefault(name, []).append(version)
        for key in keys:
            for text in given[key]:
                req = Requirement(text)
                if req.marker is not None and not req.marker.evaluate({"extra": ""}):
                    continue
                versions = pinned.get(_normalise(req.name), [])
                if not versions:
                    found.append(f"{lock.relative_to(ROOT)} has no pin for {text}")
                found += [f"{lock.relative_to(ROOT)} pins {req.name}=={v}, outside {text}"
                          for v in versions if not req.specifier.contains(v, prereleases=True)]
    return found


def _uv() -> str:
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    if uv is None:
        sys.exit("uv not found: run 'make install-dev' first (it installs uv into .venv)")
    return uv


def _compile(output: Path, *extra: str) -> None:
    command = [_uv(), "pip", "compile", "pyproject.toml", str(TOOLS.relative_to(ROOT)), "--universal",
               "--python-version", MIN_PYTHON, "--fork-strategy", "fewest", "--generate-hashes",
               "--no-header", "--quiet", "--output-file", str(output.relative_to(ROOT)), *extra]
    subprocess.run(command, cwd=ROOT, check=True)  # uv keeps the versions already in ``output`` unless --upgrade
    body = output.read_text(encoding="utf-8")
    header = (f"{HEADER}{digest()}\n"
              "# Generated by 'make lock' (python scripts/lock.py compile) with uv: do not edit by hand.\n"
              f"# Every version installs on Linux and macOS, Python {PYTHONS[0]} to {PYTHONS[-1]}"
              " (python scripts/lock.py wheels).\n")
    output.write_text(header + body, encoding="utf-8")


def compile_locks(upgrade: list[str]) -> None:
    """Resolve the dev lock, then the runtime one within it (the same versions).

    ``upgrade``: empty to keep every pinned version that still fits the
    inputs, ``["--upgrade"]`` for the newest of everything,
    ``["--upgrade-package", NAME]`` for one package.
    """
    _compile(DEV_LOCK, "--extra", "dev", *upgrade)
    _compile(RUNTIME_LOCK, "--constraint", str(DEV_LOCK.relative_to(ROOT)))


def wheels() -> list[str]:
    """Platforms and Pythons for which some pin of the dev lock has no wheel (would build from source)."""
    found = []
    for python in PYTHONS:
        for platform in PLATFORMS:
            proc = subprocess.run(
                [_uv(), "pip", "compile", str(DEV_LOCK.relative_to(ROOT)), "--python-version", python,
                 "--python-platform", platform, "--only-binary", ":all:", "--no-deps", "--quiet",
                 "--output-file", "/dev/null"], cwd=ROOT, capture_output=True, text=True)
            if proc.returncode != 0:
                found.append(f"Python {python} on {platform}: {proc.stderr.strip().splitlines()[-1:]}")
    return found


def newer() -> list[str]:
    """Installed distributions whose version differs from the dev lock's pin (for ``make test-latest``)."""
    from importlib.metadata import distributions

    locked = {name: version for name, version, _marker in pins(DEV_LOCK)}
    out = []
    for dist in distributions():
        name = _normalise(dist.metadata["Name"])
        if name in locked and dist.version != locked[name]:
            out.append(f"{name} {locked[name]} -> {dist.version}")
    return sorted(set(out))


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "compile":
        compile_locks(argv[1:])
        print(f"wrote {DEV_LOCK.relative_to(ROOT)} and {RUNTIME_LOCK.relative_to(ROOT)}")
        command = "wheels"
    if command == "wheels":
        missing = wheels()
        for line in missing:
            print(f"no wheel: {line}", file=sys.stderr)
        return 1 if missing else 0
    if command == "newer":
        changed = newer()
        print("versions other than the lock's: " + (", ".join(changed) if changed else "none"))
        return 0
    if command == "check":
        found = problems()
        for line in found:
            print(f"lock: {line}", file=sys.stderr)
        if found:
            print("run 'make lock' and commit requirements/*.lock (see README, Dependencies)", file=sys.stderr)
        return 1 if found else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
