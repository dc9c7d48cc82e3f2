"""Bad input, one family per folder: ``tests/cases/invalid/<case>/{input.yaml,expected.txt}``.

A new case is a new folder. ``expected.txt`` holds the exact messages
(``input.yaml:line:column: message`` and the hint line), reviewed by hand.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import relmap
from relmap.errors import InputError

CASES = Path(__file__).parent / "cases"
INVALID = sorted(p for p in (CASES / "invalid").iterdir() if p.is_dir())
VALID = sorted((CASES / "valid").glob("*.yaml"))


#: libyaml's own words in a syntax error (problem and context): after relmap's "YAML syntax error: ", up to its
#: "[it started on line N]" or the end of the line
LIBYAML_WORDS = re.compile(r"(: YAML syntax error: )[^[\n]+")


def without_libyaml_words(text: str) -> str:
    """The messages with libyaml's description of a syntax error replaced by "…".

    Why: that description is libyaml's (the same for years, but not relmap's
    to promise); the position, relmap's words around it and the hint are
    compared exactly.
    """
    return LIBYAML_WORDS.sub(r"\1… ", text)


@pytest.mark.parametrize("case", INVALID, ids=[p.name for p in INVALID])
def test_invalid_case_messages(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(case)
    with pytest.raises(InputError) as info:
        relmap.load("input.yaml")
    got = "\n".join(p.format() for p in info.value.problems)
    expected = (case / "expected.txt").read_text(encoding="utf-8").rstrip("\n")
    assert without_libyaml_words(got) == without_libyaml_words(expected)
    assert all(p.message.split(": ", 1)[-1].strip() for p in info.value.problems)


def test_only_libyaml_words_are_left_out() -> None:
    expected = (CASES / "invalid" / "yaml_syntax" / "expected.txt").read_text(encoding="utf-8")
    assert without_libyaml_words(expected).splitlines()[0] == (
        "input.yaml:4:1: YAML syntax error: … [it started on line 3]")
    assert without_libyaml_words("f:1:2: YAML syntax error: could not find expected ':'") == (
        "f:1:2: YAML syntax error: … ")


@pytest.mark.parametrize("case", VALID, ids=[p.name for p in VALID])
def test_valid_cases_load(case: Path) -> None:
    chain = relmap.load(case)
    assert chain.activities


def test_problems_sorted_by_line() -> None:
    case = CASES / "invalid" / "several_errors"
    with pytest.raises(InputError) as info:
        relmap.load(case / "input.yaml")
    lines = [p.line for p in info.value.problems]
    assert lines == sorted(lines) and len(lines) == 3


def test_cli_exit_code_and_no_traceback() -> None:
    """The real command, in a subprocess: exit 1, located message, no traceback."""
    case = CASES / "invalid" / "unknown_field" / "input.yaml"
    proc = subprocess.run([sys.executable, "-m", "relmap", "validate", str(case)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "input.yaml:13:5: unknown field 'automatibility'" in proc.stderr
    assert "did you mean 'automatability'?" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
