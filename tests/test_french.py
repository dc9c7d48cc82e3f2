"""French everywhere: a French file's errors, hints, YAML syntax errors, terminal and diff are in French."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from relmap.cli import main

ROOT = Path(__file__).resolve().parent.parent
NOTARY = ROOT / "tests" / "cases" / "valid" / "notary_office_fr.yaml"
SHARES = (ROOT / "tests" / "cases" / "invalid" / "scenario_shares" / "input.yaml").read_text(encoding="utf-8")


def _run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env={"RELMAP_LANG": "", "LANG": "C", **(env or {})})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture()
def french_shares(tmp_path: Path) -> Path:
    path = tmp_path / "f.yaml"
    path.write_text(SHARES.replace("company:\n", "company:\n  language: fr\n", 1), encoding="utf-8")
    return path


def test_validate_speaks_the_file_language(french_shares: Path) -> None:
    """'shares add up to more than 1': message and hint in French, 1.1 written 1,1; --lang en wins."""
    code, _out, err = _run("validate", str(french_shares))
    assert code == 1
    assert "= 1,1 dans le scénario 'base', plus que 1" in err
    assert "conseil\u202f: baissez les parts" in err
    code, _out, err = _run("validate", str(french_shares), "--lang", "en")
    assert "= 1.1 in scenario 'base', more than 1" in err


def test_relmap_lang_for_a_file_without_language(tmp_path: Path) -> None:
    path = tmp_path / "e.yaml"
    path.write_text(SHARES, encoding="utf-8")
    assert "plus que 1" in _run("validate", str(path), env={"RELMAP_LANG": "fr"})[2]
    assert "more than 1" in _run("validate", str(path))[2]


def test_yaml_syntax_error_in_french(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text('relmap: 1\ncompany:\n  name: X\n  language: fr\nstages:\n  - name: "Accueil\n', encoding="utf-8")
    _code, _out, err = _run("validate", str(path))
    assert "erreur de syntaxe YAML" in err.lower() or "syntaxe YAML" in err
    assert "fin de fichier inattendue (dans un texte entre guillemets)" in err
    assert "unexpected" not in err


def test_terminal_in_french_names_stages_and_formats_percent() -> None:
    """Stage names, not ids; '61 %' with a space; risks in French with names."""
    code, out, _err = _run("analyze", str(NOTARY), "--draws", "20")
    assert code == 0
    assert "Droit de la" in out and "Ventes" in out
    assert "│ famille " not in out and "│ immobilier " not in out  # ids are not shown as stages
    assert "L'étape Formalités & suivi après l'acte se vide" in out
    assert "61\u202f% de ses heures" in out
    assert not re.search(r"\d%", out)  # never '96%' in French


def test_diff_scenarios_headed_by_names_and_sorted_by_change() -> None:
    code, out, _err = _run("diff", str(NOTARY), "--scenarios", "prudent", "volontariste", "--lang", "fr")
    assert code == 0
    assert "scénario Prudent → scénario Volontariste" in out
    assert re.search(r"┃ Indicateur +┃ Prudent ┃ Volontariste ┃", out)
    code, raw, _err = _run("diff", str(NOTARY), "--scenarios", "prudent", "volontariste", "--format", "json")
    data = json.loads(raw)
    sizes = [abs(a["hours_freed"]["delta"]) + abs(a["hours_received"]["delta"]) for a in data["activities"]]
    assert sizes == sorted(sizes, reverse=True) and len(sizes) > 5
    assert (data["old_scenario_name"], data["new_scenario_name"]) == ("Prudent", "Volontariste")


def test_diff_lists_in_french_typography(tmp_path: Path) -> None:
    """'Activités ajoutées :' with the space French puts before a colon."""
    text = NOTARY.read_text(encoding="utf-8")
    extra = text.replace("\nflows:", "\n  - id: nouvelle\n    name: Nouvelle activité\n    stage: accueil\n"
                                     "    hours: 100\n    automatability: 0.5\n    relational: low\n\nflows:", 1)
    new = tmp_path / "new.yaml"
    new.write_text(extra, encoding="utf-8")
    code, out, _err = _run("diff", str(NOTARY), str(new))
    assert code == 0, out
    assert "Activités ajoutées\u202f: nouvelle" in out


def test_archetypes_never_cut_keys_in_a_narrow_terminal() -> None:
    """At 60 columns every key is printed whole on one line (the name and kind fold instead)."""
    from relmap.seeds import search_priors

    result = CliRunner().invoke(main, ["archetypes"], env={"COLUMNS": "60", "RELMAP_LANG": "", "LANG": "C"})
    assert result.exit_code == 0
    printed = set(re.findall(r"│ (\S+) ", result.stdout))  # every cell that starts with a word and a space
    keys = [prior.key for prior in search_priors(None)]
    assert all(" " not in key for key in keys)  # so a key printed whole on its line is one of those words
    assert [key for key in keys if key not in printed] == []
