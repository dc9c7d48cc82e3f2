"""The command line: every command has help with an example; validate and schema behave."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from relmap.cli import COMMANDS, main
from relmap.input.schema import schema_text

ROOT = Path(__file__).resolve().parent.parent
VALID = ROOT / "tests" / "cases" / "valid" / "minimal.yaml"
INVALID = ROOT / "tests" / "cases" / "invalid" / "several_errors" / "input.yaml"


def test_every_command_is_registered_and_documented() -> None:
    runner = CliRunner()
    listed = main.list_commands(None)  # type: ignore[arg-type]
    assert set(listed) == set(COMMANDS), "every command in COMMANDS must have its module"
    for name in listed:
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example" in result.output, f"'relmap {name} --help' needs an Example: block"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in listed:
        assert f"relmap {name}" in readme, f"README must document 'relmap {name}'"


def test_validate_summary_and_exit_codes() -> None:
    runner = CliRunner()
    ok = runner.invoke(main, ["validate", str(VALID)])
    assert ok.exit_code == 0
    assert "ok — 1 activity, 0 flows, 1 actor, 1 scenario" in ok.output
    bad = runner.invoke(main, ["validate", str(VALID), str(INVALID)])
    assert bad.exit_code == 1
    assert "3 problems found." in bad.output
    assert "ok —" in bad.output  # the valid file is still summarised


def test_validate_french_summary() -> None:
    result = CliRunner().invoke(main, ["validate", "--lang", "fr", str(VALID)])
    assert result.exit_code == 0
    assert "1 activité" in result.output


def test_usage_error_exit_code() -> None:
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 2


def test_schema_is_fresh() -> None:
    shipped = (ROOT / "schemas" / "relmap.schema.json").read_text(encoding="utf-8")
    assert shipped == schema_text(), "schemas/relmap.schema.json is stale: run 'make schema'"


def test_format_reference_is_fresh() -> None:
    from formatdoc import format_reference

    shipped = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    assert shipped == format_reference(), "docs/format.md is stale: run 'make docs'"


def test_schema_command_prints_draft07_with_descriptions() -> None:
    result = CliRunner().invoke(main, ["schema"])
    schema = json.loads(result.output)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    missing: list[str] = []

    def walk(node: object, path: str) -> None:
        if isinstance(node, dict):
            for key, prop in (node.get("properties") or {}).items():
                if "description" not in prop:
                    missing.append(f"{path}/{key}")
            for key, value in node.items():
                walk(value, f"{path}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{path}/{i}")

    walk(schema, "")
    assert not missing, f"fields without a description: {missing}"


def test_help_is_fast_and_light() -> None:
    """`relmap --help` must not import the heavy modules (matplotlib, pptx, openpyxl, numpy)."""
    code = ("import sys; from relmap.cli import main\n"
            "try:\n    main.main(['--help'], standalone_mode=False)\nexcept SystemExit: pass\n"
            "heavy = [m for m in ('matplotlib', 'pptx', 'openpyxl', 'numpy', 'networkx', 'jinja2')\n"
            "         if m in sys.modules]\n"
            "print('HEAVY=' + ','.join(heavy))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "HEAVY=", f"heavy imports at --help: {proc.stdout}"


@pytest.mark.parametrize("args", [["--version"], ["--help"]])
def test_top_level_options(args: list[str]) -> None:
    assert CliRunner().invoke(main, args).exit_code == 0


def test_validate_summary_writes_large_counts_as_the_language_does() -> None:
    """2,100 activities: "2,100" in English, "2 100" (no-break space) in French."""
    from test_analysis_scale import big_chain

    from relmap.cli.validate import summary
    from relmap.i18n import language

    chain = big_chain("any")
    with language("en"):
        assert summary(chain).startswith("2,100 activities, ")
    with language("fr"):
        assert summary(chain).startswith("2\u00a0100 activités, ")
