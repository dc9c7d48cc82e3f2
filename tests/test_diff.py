"""relmap diff: quadrant moves, relational goods, totals; terminal and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from report_fixture import make_result
from rich.console import Console

from relmap.analysis.compare import diff_results
from relmap.analysis.result import Spread
from relmap.cli import main
from relmap.report.diff import render_diff

ROOT = Path(__file__).resolve().parent.parent
HOTEL = ROOT / "examples" / "hotel-group" / "company.yaml"


def _changed() -> object:
    new = make_result()
    billing = new.activity("billing")
    billing.quadrant = "augment"
    billing.relational_good = True
    billing.by_scenario["base"].hours_freed = 300.0
    billing.automatability_range = Spread(low=0.6, point=0.7, high=0.8)
    new.relational_goods = [*new.relational_goods, "billing"]
    new.scenarios["base"].hours_freed = 684.0
    return new


def test_diff_of_two_results() -> None:
    """billing moves automate → augment, becomes a good, frees 120 h less: 804 → 684."""
    diff = diff_results(make_result(), _changed())  # type: ignore[arg-type]
    assert [(m.id, m.old, m.new) for m in diff.quadrant_moves] == [("billing", "automate", "augment")]
    assert diff.goods_gained == ["billing"] and diff.goods_lost == []
    assert diff.totals["hours_freed"].delta == -120.0
    assert [a.id for a in diff.activities] == ["billing"]
    assert diff.activities[0].hours_freed.delta == -120.0
    data = json.loads(diff.to_json())
    assert data["totals"]["hours_freed"] == {"old": 804.0, "new": 684.0, "delta": -120.0}
    console = Console(record=True, width=120)
    console.print(render_diff(diff, lang="fr"))
    text = console.export_text()
    assert "Changements de quadrant" in text and "Augmenter" in text and "−120" in text


def test_no_change() -> None:
    diff = diff_results(make_result(), make_result())
    assert diff.unchanged
    console = Console(record=True, width=100)
    console.print(render_diff(diff))
    assert "No change." in console.export_text()


def test_markup_in_names_is_shown_as_text() -> None:
    new = _changed()
    new.activity("billing").name = "[bold red]x[/bold red]"  # type: ignore[attr-defined]
    console = Console(record=True, width=120)
    console.print(render_diff(diff_results(make_result(), new)))  # type: ignore[arg-type]
    assert "[bold red]x[/bold red]" in console.export_text()


@pytest.mark.slow  # two analyses and the diff command
def test_cli_diff_files_and_scenarios(tmp_path: Path) -> None:
    edited = tmp_path / "v2.yaml"
    text = HOTEL.read_text(encoding="utf-8")
    edited.write_text(text.replace("name: Maison Lumen Hotels", "name: Maison Lumen Hotels v2"), encoding="utf-8")
    runner = CliRunner()
    same = runner.invoke(main, ["diff", str(HOTEL), str(edited), "--format", "json"])
    assert same.exit_code == 0, same.output
    assert json.loads(same.output)["quadrant_moves"] == []
    two = runner.invoke(main, ["diff", str(HOTEL), "--scenarios", "cautious", "ambitious", "--format", "json"])
    data = json.loads(two.output)
    assert (data["old_scenario"], data["new_scenario"]) == ("cautious", "ambitious")
    assert data["totals"]["hours_freed"]["delta"] > 0
    bad = runner.invoke(main, ["diff", str(HOTEL), "--scenarios", "cautious", "nope"])
    assert bad.exit_code == 2 and "unknown scenario 'nope'" in bad.output
    neither = runner.invoke(main, ["diff", str(HOTEL)])
    assert neither.exit_code == 2
