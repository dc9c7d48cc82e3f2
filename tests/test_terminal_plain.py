"""The terminal summary written without rich's console is the text rich prints when stdout is not a terminal: the
same characters, for every example (English and French) and for tables of hostile texts (long words, wide and
combining characters, columns that must shrink); a text rich would show otherwise goes rich's way."""

from __future__ import annotations

import io
import random
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

import relmap
from relmap.i18n import language
from relmap.report.plaintext import NeedsRich, TableSpec, line_text, table_text
from relmap.report.terminal import Block, _rich_table, plain_summary, print_summary, summary_blocks

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(ROOT.glob("examples/*/company.yaml")) + sorted(ROOT.glob("tests/cases/valid/*.yaml"))


def _rich(blocks: list[Block], width: int = 140) -> str:
    """What rich prints for ``blocks`` on a console that is not a terminal (as ``relmap analyze | cat``)."""
    out = io.StringIO()
    console = Console(file=out, highlight=False, width=width)
    for block in blocks:
        console.print(block if isinstance(block, str) else _rich_table(block))
    return out.getvalue()


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.parent.name if p.name == "company.yaml" else p.stem)
def test_summary_is_richs_text(path: Path, lang: str) -> None:
    result = relmap.analyze(relmap.load(path), draws=50)
    with language(lang):
        blocks = summary_blocks(result, result.lead_scenario(None))
        assert plain_summary(blocks) == _rich(blocks)


WORDS = ["a", "de", "Accueil", "réception", "customer-facing", "x" * 37, "Überweisung", "漢字テキスト", "😀", "e\u0301",
         "12\u202f345", "—", "(P10–P90)", "scenarios[].costs", "[1]", "a:b", "10:30", "http://x.y/z", "★", "Ünïcödé"]


def _text(rng: random.Random, most: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, most)))


@pytest.mark.parametrize("seed", range(40))
def test_tables_of_hostile_text_are_richs(seed: int) -> None:
    rng = random.Random(seed)
    columns = [(_text(rng, 3) or "h", rng.choice(["left", "right"])) for _ in range(rng.randint(1, 12))]
    rows = [[_text(rng, 12) for _ in columns] for _ in range(rng.randint(0, 6))]
    spec = TableSpec(_text(rng, 40), columns, rows, rng.choice([None, "", _text(rng, 30)]))
    for width in (140, 60, 25):
        if width - len(columns) - 1 < 3 * len(columns):
            continue  # too narrow for every column's padding: rich's way (tested below)
        try:
            ours = table_text(spec, width)
        except NeedsRich:
            continue
        assert ours == _rich([spec], width), (seed, width)
    line = _text(rng, 80)
    assert line_text(line) == _rich([line])


@pytest.mark.parametrize("text", ["[bold]x[/bold]", "a\\b", "tab\there", "line\nbreak", "cr\r", ":smile:",
                                  "bell\x07"])
def test_texts_rich_would_change_go_richs_way(text: str) -> None:
    with pytest.raises(NeedsRich):
        table_text(TableSpec("t", [("h", "left")], [[text]]))
    with pytest.raises(NeedsRich):
        line_text(text)


def test_print_summary_falls_back_to_rich(capsys: pytest.CaptureFixture[str]) -> None:
    """A company named with markup-like text: the summary is rich's (the name shown as it is)."""
    result = relmap.analyze(relmap.load(EXAMPLES[0]), draws=20)
    result.company["name"] = "[bold]Acme[/bold] :smile:"
    print_summary(result, result.lead_scenario(None))
    out = capsys.readouterr().out
    assert out == _rich(summary_blocks(result, result.lead_scenario(None)))
    assert out.startswith("[bold]Acme[/bold] 😄")


def test_summary_to_a_pipe_loads_no_rich_console() -> None:
    """``relmap analyze FILE | cat``: the summary is written without importing rich's console."""
    code = ("import sys, relmap\nfrom relmap.report.terminal import print_summary\n"
            f"r = relmap.analyze(relmap.load({str(EXAMPLES[0])!r}), draws=20)\n"
            "print_summary(r, r.lead_scenario(None))\n"
            "assert 'rich.console' not in sys.modules, 'rich.console'\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "┏" in done.stdout
