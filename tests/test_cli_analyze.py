"""``relmap analyze``: every example, every format, the exit codes, and CLI output = library output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from quick import first_quick

import relmap
from relmap.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*/company.yaml"))
TINY = ROOT / "tests" / "cases" / "analysis" / "tiny.yaml"
CONTRACT = ("relmap", "company", "thresholds", "activities", "relational_goods", "scenarios", "risks")


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["analyze", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("path", first_quick(EXAMPLES, 2, lambda p: p.parent.name))
def test_every_example_analyses_to_json(path: Path) -> None:
    """Each example gives the analysis.json contract, equal to the library's output."""
    code, out, err = invoke(str(path), "--format", "json", "--draws", "200")
    assert code == 0, err
    data = json.loads(out)
    assert all(key in data for key in CONTRACT)
    assert data["relational_goods"], "every example has relational goods"
    assert out == relmap.analyze(relmap.load(path), draws=200).to_json()


def test_table_summary() -> None:
    """The default output is a readable table with the goods, the candidates, the scenarios and the risks."""
    code, out, _err = invoke(str(TINY))
    assert code == 0
    for text in ("Tiny Co", "Relational goods", "Greeting", "Top automation candidates", "Scenarios",
                 "Where freed hours go (base): 500 of 875 h placed", "Flags and risks",
                 "Human relay at risk (1) — Booking — A human relay between Greeting and Advice",
                 "Scenarios base, push — 64% of the hours freed with a named AI provider depend on BotCo"):
        assert text in out, text
    assert out.count("depend on BotCo") == 1, "a risk of two scenarios is said once"
    assert "Traceback" not in out


def test_terminal_names_the_first_activities_of_a_flag_kind_and_how_many_more() -> None:
    """The terminal's risk lines name at most ``most`` activities per flag kind, then how many more; the deck's
    (``most`` None) name them all."""
    from relmap.report.deck_text import risk_lines

    result = relmap.analyze(relmap.load(TINY))
    full = {line.label: line.text for line in risk_lines(result)}
    short = {line.label: line.text for line in risk_lines(result, most=1)}
    assert full["Single point of failure (2)"].startswith("Greeting, Mentoring. Example: ")
    assert short["Single point of failure (2)"].startswith("Greeting and 1 more. Example: ")
    assert short["Human relay at risk (1)"] == full["Human relay at risk (1)"]  # one activity: named whole


def test_scenario_choice_and_french_numbers() -> None:
    """--scenario leads the tables; French groups thousands with a no-break space and uses a decimal comma."""
    code, out, _err = invoke(str(TINY), "--scenario", "push", "--lang", "fr")
    assert code == 0
    assert "(push)" in out
    assert "1\u00a0000" in out  # greet's 1,000 hours
    assert "0,80" in out  # greet's relational index


def test_unknown_scenario_is_a_usage_error() -> None:
    code, _out, err = invoke(str(TINY), "--scenario", "bas")
    assert code == 2
    assert "unknown scenario 'bas'" in err and "did you mean 'base'" in err


def test_invalid_input_is_located() -> None:
    """A broken file: exit 1, file:line:column, no traceback."""
    bad = ROOT / "tests" / "cases" / "invalid" / "several_errors" / "input.yaml"
    code, out, err = invoke(str(bad))
    assert code == 1
    assert f"{bad}:" in err and "Traceback" not in err + out


def test_missing_file() -> None:
    code, _out, err = invoke("no/such/company.yaml")
    assert code in (1, 2) and "Traceback" not in err


def test_draws_and_seed_reach_the_result() -> None:
    path = ROOT / "examples" / "hotel-group" / "company.yaml"
    code, out, _err = invoke(str(path), "--format", "json", "--draws", "50", "--seed", "3")
    assert code == 0
    block = json.loads(out)["uncertainty"]
    assert (block["draws"], block["seed"], block["uncertain_inputs"], block["correlation"]) == (50, 3, 24, 0.5)
    assert invoke(str(path), "--draws", "0")[0] == 2


def test_markdown() -> None:
    code, out, _err = invoke(str(TINY), "--format", "markdown")
    assert code == 0
    assert out.startswith("# ") and "Tiny Co" in out


@pytest.mark.slow  # every output of an example
def test_output_dir_writes_the_same_json(tmp_path: Path) -> None:
    """-o DIR: analysis.json on disk is byte-identical to the library's."""
    code, _out, err = invoke(str(TINY), "-o", str(tmp_path), "--no-deck", "--no-xlsx", "--format", "json")
    assert code == 0, err
    written = (tmp_path / "analysis.json").read_text(encoding="utf-8")
    assert written == relmap.analyze(relmap.load(TINY)).to_json()


def test_unknown_theme(tmp_path: Path) -> None:
    code, _out, err = invoke(str(TINY), "-o", str(tmp_path), "--theme", "lite")
    assert code == 2 and "did you mean 'light'" in err


def test_sizes_beyond_any_company(tmp_path: Path) -> None:
    """1e300 hours is valid YAML but would overflow every figure: a clear error, exit 1, no traceback."""
    path = tmp_path / "huge.yaml"
    path.write_text("relmap: 1\ncompany: {name: Huge, hourly_cost: 1e10}\nactivities:\n"
                    "  - {id: a, name: A, hours: 1e300, automatability: 0.5, relational: high}\n", encoding="utf-8")
    code, out, err = invoke(str(path), "--format", "json")
    assert code == 1 and out == ""
    assert "activity 'a'" in err and "Traceback" not in err


def test_user_text_is_not_rich_markup(tmp_path: Path) -> None:
    """Names are printed as written, never interpreted as rich markup."""
    path = tmp_path / "markup.yaml"
    path.write_text("relmap: 1\ncompany: {name: \"[bold red]Co[/]\"}\nactivities:\n"
                    "  - {id: a, name: \"[link=https://x]A[/link]\", hours: 10, automatability: 0.1, "
                    "relational: high}\n", encoding="utf-8")
    code, out, _err = invoke(str(path))
    assert code == 0
    assert "[bold red]Co[/]" in out and "[link=https://x]A[/link]" in out


def test_candidates_are_automate_or_augment_and_lead_with_base() -> None:
    """The hotel example lists scenarios cautious, base, ambitious: the summary leads with 'base', and its
    automation candidates are only automate/augment activities (the big relational welcome desk frees hours
    too, but it is not a candidate for automation)."""
    hotel = ROOT / "examples" / "hotel-group" / "company.yaml"
    code, out, _err = invoke(str(hotel), "--draws", "50")
    assert code == 0
    assert "Top automation candidates (Base)" in out  # the scenario by name
    candidates = out.split("Top automation candidates")[1].split("Scenarios")[0]
    assert "Check-out & billing" in candidates
    assert "Welcome & check-in" not in candidates


@pytest.mark.slow
def test_deck_template_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--template passes a firm's .pptx to the deck: its slide size and layouts, none of its own slides.

    One run of the command (the template is made here, 4:3 with a sample slide, instead of by a first run),
    charts drawn in this process (RELMAP_WORKER=0: no second process importing matplotlib again).
    """
    from pptx import Presentation
    from pptx.util import Inches

    monkeypatch.setenv("RELMAP_WORKER", "0")

    template = Presentation()  # python-pptx's default: 4:3, 10 × 7.5 in
    sample = template.slides.add_slide(template.slide_layouts[1])
    sample.shapes.title.text = "SAMPLE SLIDE OF THE FIRM"
    template.save(str(tmp_path / "firm.pptx"))
    out = tmp_path / "out"
    code, _out, err = invoke(str(TINY), "-o", str(out), "--no-xlsx", "--draws", "50", "--template",
                             str(tmp_path / "firm.pptx"))
    assert code == 0, err
    deck = Presentation(str(out / "deck.pptx"))
    assert (deck.slide_width, deck.slide_height) == (Inches(10), Inches(7.5))
    assert len(deck.slides) >= 8  # the deck's own slides (counted in tests/test_report_office.py)
    texts = [shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame]
    assert not any("SAMPLE SLIDE" in text for text in texts)
    assert [layout.name for layout in deck.slide_layouts] == [layout.name for layout in template.slide_layouts]
    assert invoke(str(TINY), "-o", str(tmp_path / "x"), "--template", str(tmp_path / "missing.pptx"))[0] == 2
    assert not (tmp_path / "x").exists()


def test_long_goods_list_is_cut_with_a_pointer(tmp_path: Path) -> None:
    """An inventory with more goods than the terminal lists shows the strongest and says where the rest are."""
    from relmap.report.terminal import GOODS_TOP

    n = GOODS_TOP + 7
    acts = "\n".join(f"  - {{id: g{i:02d}, name: Good {i:02d}, hours: 100, automatability: 0.3, relational: high, "
                     f"touches: [c]}}" for i in range(n))
    path = tmp_path / "many.yaml"
    path.write_text(f"relmap: 1\ncompany: {{name: Many, hourly_cost: 30}}\n"
                    f"actors: [{{id: c, name: Client, kind: customer}}]\nactivities:\n{acts}\n"
                    f"scenarios: [{{id: base, adoption: 0.5, reinvest: 0.5}}]\n", encoding="utf-8")
    code, out, err = invoke(str(path))
    assert code == 0, err
    assert f"{n} relational goods" in out
    assert "Good 00" in out and f"Good {GOODS_TOP - 1:02d}" in out
    assert f"Good {GOODS_TOP:02d}" not in out
    assert "7 more relational goods in report.html and analysis.json" in out


def test_the_program_ends_at_once_with_all_its_output(tmp_path: Path) -> None:
    """``python -m relmap analyze`` (:func:`relmap.cli.console`): the JSON through a pipe is whole and the one
    CliRunner gives, exit 0 (the process ends without freeing the analysis); a failure still exits 1 with its
    message, and atexit handlers still run when the command kept nothing (``validate``)."""
    import subprocess
    import sys

    from relmap.cli import common

    assert common.kept_until_exit is None  # in-process callers keep nothing
    common.keep_until_exit(object())
    assert common.kept_until_exit is None
    expected = invoke(str(TINY), "--format", "json", "--draws", "200")[1]
    proc = subprocess.run([sys.executable, "-m", "relmap", "analyze", str(TINY), "--format", "json", "--draws",
                           "200"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == expected and proc.stdout.endswith("}\n")
    missing = subprocess.run([sys.executable, "-m", "relmap", "analyze", str(tmp_path / "none.yaml")],
                             capture_output=True, text=True, timeout=120)
    assert missing.returncode != 0 and "none.yaml" in missing.stderr
    code = ("import atexit, sys; sys.argv = ['relmap', 'validate', sys.argv[1]]\n"
            "atexit.register(lambda: print('ATEXIT', file=sys.stderr))\n"
            "from relmap.cli import console\nconsole()")
    valid = subprocess.run([sys.executable, "-c", code, str(TINY)], capture_output=True, text=True, timeout=120)
    assert valid.returncode == 0 and "ATEXIT" in valid.stderr, valid.stderr
    fast = subprocess.run([sys.executable, "-c", code.replace("'validate'", "'analyze'"), str(TINY)],
                          capture_output=True, text=True, timeout=120)
    assert fast.returncode == 0 and "ATEXIT" not in fast.stderr, fast.stderr
    assert fast.stdout.strip()  # the summary table, flushed before the end


def test_one_file_runs_without_cyclic_collections(monkeypatch: pytest.MonkeyPatch) -> None:
    """The collector is off while one file is analysed, and on again after (even on an error) when the command
    runs inside a longer process (a test)."""
    import gc

    from relmap.report import terminal

    seen: list[bool] = []
    real = terminal.print_summary

    def summary(*args: Any, **kwargs: Any) -> None:
        seen.append(gc.isenabled())
        real(*args, **kwargs)

    monkeypatch.setattr(terminal, "print_summary", summary)
    assert gc.isenabled()
    for _ in range(2):
        code, _out, err = invoke(str(TINY))
        assert code == 0, err
    assert seen == [False, False] and gc.isenabled()
    code, _out, _err = invoke(str(TINY), "--scenario", "nope")
    assert code == 2 and gc.isenabled()


def test_command_line_process_ends_with_the_collector_off() -> None:
    """``relmap analyze FILE`` as the process's command line: the collector stays off and what is alive is frozen,
    so the interpreter's last pass at exit skips it."""
    import subprocess
    import sys

    code = ("import gc, sys\nfrom relmap.cli import main\n"
            f"sys.argv = ['relmap', 'analyze', {str(TINY)!r}]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('enabled', gc.isenabled(), 'frozen', gc.get_freeze_count() > 0, file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "enabled False frozen True" in done.stderr, done.stderr
