"""Shared test options: ``pytest --update-golden`` rewrites golden files instead of comparing.

Any test may use the ``update_golden`` fixture (a bool), or the ``golden``
fixture, which does the compare-or-write for a text file under
``tests/golden/``::

    def test_thing(golden):
        golden("area/thing.txt", produce_text())
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
# The maintainer scripts (scripts/: catalogue, format reference, seed builders) are not in the package.
sys.path.insert(0, str(GOLDEN_DIR.parent.parent / "scripts"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every Hypothesis test ``property``: ``make test-slow`` runs them again with all their examples."""
    from hypothesis import is_hypothesis_test

    for item in items:
        if is_hypothesis_test(getattr(item, "obj", None)):
            item.add_marker(pytest.mark.property)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="Rewrite the golden files under tests/golden/ instead of comparing with them.")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when pytest runs with ``--update-golden``."""
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def golden(update_golden: bool) -> Callable[[str, str], None]:
    """``golden(relative_path, text)``: compare ``text`` with ``tests/golden/<relative_path>``, or rewrite it."""

    def check(relative: str, text: str) -> None:
        path = GOLDEN_DIR / relative
        if update_golden:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            return
        assert path.is_file(), f"missing golden file {path}: run `pytest --update-golden` and review the diff"
        expected = path.read_text(encoding="utf-8")
        assert text == expected, (f"{path} differs from the output: if the change is intended, run "
                                  "`pytest --update-golden` and review `git diff tests/golden`")

    return check


@pytest.fixture(autouse=True)
def _english_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts in English whatever the machine's $LANG, and a CLI call's language does not leak."""
    from relmap.i18n import set_language

    monkeypatch.delenv("RELMAP_LANG", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    set_language("en")
