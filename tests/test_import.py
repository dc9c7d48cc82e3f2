"""relmap import: xlsx → yaml → xlsx round trip, cell-located errors, French CSV exports."""

from __future__ import annotations

import functools
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from quick import first_quick
from report_fixture import CHAIN_YAML

import relmap
from relmap.cli import main
from relmap.errors import InputError, UsageError
from relmap.input.importing import import_table
from relmap.input.model import ValueChain
from relmap.report.xlsx import build_workbook

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = [*sorted((ROOT / "examples").glob("*/company.yaml")),
            *sorted((ROOT / "tests" / "cases" / "valid").glob("*.yaml"))]


def _round_trip(chain: relmap.ValueChain, tmp_path: Path) -> tuple[relmap.ValueChain, bytes, bytes]:
    first = build_workbook(chain)
    path = tmp_path / "activities.xlsx"
    path.write_bytes(first)
    text = import_table(path)
    assert text.startswith("# yaml-language-server: $schema=")
    again = relmap.loads(text)
    return again, first, build_workbook(again)


def canonical(chain: ValueChain) -> dict[str, Any]:
    """The model with activities and flows in output order (the workbook lists them sorted)."""
    return chain.model_copy(update={"activities": chain.sorted_activities(),
                                    "flows": chain.sorted_flows()}).model_dump()


def test_round_trip_of_the_fixture(tmp_path: Path) -> None:
    chain = relmap.loads(CHAIN_YAML)
    again, first, second = _round_trip(chain, tmp_path)
    assert canonical(again) == canonical(chain)
    assert first == second


@pytest.mark.parametrize("example", first_quick(EXAMPLES, 2, lambda p: p.parent.name if p.name == "company.yaml"
                                                else p.stem))
def test_round_trip_of_every_example(example: Path, tmp_path: Path) -> None:
    chain = relmap.load(example)
    again, first, second = _round_trip(chain, tmp_path)
    assert canonical(again) == canonical(chain)
    assert first == second


def test_workbook_from_a_result_alone_imports_to_a_valid_file(tmp_path: Path) -> None:
    chain = relmap.load(ROOT / "examples" / "hotel-group" / "company.yaml")
    result = relmap.analyze(chain, draws=50)
    path = tmp_path / "a.xlsx"
    path.write_bytes(build_workbook(result))
    again = relmap.loads(import_table(path))
    assert [a.id for a in again.activities] == [a.id for a in chain.sorted_activities()]
    redo = relmap.analyze(again, draws=50)
    assert redo.quadrants == result.quadrants


@functools.cache
def _fixture_workbook() -> bytes:
    """The fixture chain's workbook, built once for the tests that edit it (each gets its own copy to edit)."""
    return build_workbook(relmap.loads(CHAIN_YAML))


def _edit(tmp_path: Path, edits: dict[str, object]) -> Path:
    wb = openpyxl.load_workbook(io.BytesIO(_fixture_workbook()))
    for ref, value in edits.items():
        sheet, cell = ref.split("!")
        wb[sheet][cell] = value
    path = tmp_path / "edited.xlsx"
    wb.save(path)
    return path


def test_cell_errors_name_the_cell(tmp_path: Path) -> None:
    # activities: G = fte, J = automatability, C = stage; row 3 is 'billing'
    path = _edit(tmp_path, {"activities!G2": "two", "activities!J3": "0.9..0.2..x", "activities!C4": "nowhere"})
    with pytest.raises(InputError) as info:
        import_table(path)
    found = {p.path: p.message for p in info.value.problems}
    assert set(found) == {"activities!G2", "activities!J3"}
    assert "expected a number" in found["activities!G2"]


def test_validation_errors_are_mapped_back_to_cells(tmp_path: Path) -> None:
    path = _edit(tmp_path, {"activities!C4": "nowhere", "scenarios!E2": 0.95})  # unknown stage; shares 1.05
    with pytest.raises(InputError) as info:
        import_table(path)
    where = sorted(p.path for p in info.value.problems)
    assert "activities!C4" in where
    assert any(w.startswith("scenarios!") for w in where)


def test_unknown_column_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    path = _edit(tmp_path, {"activities!I1": "hourly cost!"})
    with pytest.raises(InputError) as info:
        import_table(path)
    assert info.value.problems[0].path == "activities!I1"


def test_french_csv_export(tmp_path: Path) -> None:
    """Excel FR: ';' separator, Windows-1252, decimal commas, oui/non, French relational words."""
    text = ("id;name;stage;fte;hourly_cost;automatability;relational;keep_human;reason\r\n"
            "accueil;Accueil des résidents;;2,5;31,5;0,2;très élevé;oui;Un visage familier\r\n"
            "factures;Facturation;;1;28;0,6..0,8;faible;non;\r\n")
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode("cp1252"))
    chain = relmap.loads(import_table(path, company="Résidence Les Tilleuls"))
    assert chain.company.name == "Résidence Les Tilleuls"
    accueil, factures = chain.activities
    assert accueil.name == "Accueil des résidents" and accueil.fte == 2.5 and accueil.hourly_cost == 31.5
    assert accueil.relational == "very_high" and accueil.keep_human is True
    assert factures.automatability == [0.6, 0.8] and factures.relational == "low"


def test_utf8_bom_comma_csv(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes("\ufeffid,name,hours,automatability,relational\na,Café,100,0.5,medium\n".encode())
    chain = relmap.loads(import_table(path, company="X"))
    assert chain.activities[0].name == "Café"


def test_csv_needs_a_company_name(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("id,name,hours,automatability,relational\na,A,1,0.5,low\n", encoding="utf-8")
    with pytest.raises(UsageError, match="--company"):
        import_table(path)


def test_cli_import(tmp_path: Path) -> None:
    source = tmp_path / "activities.xlsx"
    source.write_bytes(_fixture_workbook())
    out = tmp_path / "company.yaml"
    runner = CliRunner()
    ok = runner.invoke(main, ["import", str(source), "-o", str(out)])
    assert ok.exit_code == 0, ok.output
    assert relmap.load(out).company.name == 'Café "Ré" & Co'
    again = runner.invoke(main, ["import", str(source), "-o", str(out)])
    assert again.exit_code == 2 and "--force" in again.output
    bad = _edit(tmp_path, {"activities!G2": "two"})
    failed = runner.invoke(main, ["import", str(bad), "--lang", "fr"])
    assert failed.exit_code == 1
    assert "activities!G2: nombre attendu, reçu 'two'" in failed.output
    garbage = tmp_path / "x.xlsx"
    garbage.write_bytes(b"not a zip")
    broken = runner.invoke(main, ["import", str(garbage)])
    assert broken.exit_code == 1 and "Traceback" not in broken.output


def test_one_editor_schema_line_for_init_import_and_readme(tmp_path: Path) -> None:
    """``relmap import`` writes the same first line as ``relmap init``, and the README shows that line."""
    from relmap.input.schema import SCHEMA_LINE
    from relmap.input.starter import write_starter

    result = relmap.analyze(relmap.load(ROOT / "examples" / "hotel-group" / "company.yaml"), draws=20)
    path = tmp_path / "a.xlsx"
    path.write_bytes(build_workbook(result))
    assert import_table(path).splitlines()[0] == SCHEMA_LINE
    assert write_starter(tmp_path / "c.yaml").read_text(encoding="utf-8").splitlines()[0] == SCHEMA_LINE
    assert SCHEMA_LINE in (ROOT / "README.md").read_text(encoding="utf-8")


def _with_paths() -> relmap.ValueChain:
    text = CHAIN_YAML.replace(
        "  - {id: base, name: Base, adoption: 0.6, reinvest: 0.5, recognition: 0.1}",
        "  - {id: base, name: Base, adoption: 0.6, reinvest: 0.5, recognition: 0.1, horizon_years: 4,\n"
        "     adoption_path: [0.1, 0.25, 0.45, 0.6]}")
    chain = relmap.loads(text.replace("adoption: [0.4, 0.8], reinvest", "adoption: [0.4, 0.8], horizon_years: 2, "
                                                                       "reinvest"))
    base = next(s for s in chain.scenarios if s.id == "base")
    assert base.adoption_path == [0.1, 0.25, 0.45, 0.6]
    return chain


def test_horizon_and_adoption_path_survive_the_workbook(tmp_path: Path) -> None:
    chain = _with_paths()
    again, first, second = _round_trip(chain, tmp_path)
    assert canonical(again) == canonical(chain)
    assert first == second
    sheet = openpyxl.load_workbook(io.BytesIO(first))["scenarios"]
    heads = [c.value for c in sheet[1]]
    base = next(row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] == "base")
    assert base[heads.index("adoption_path")] == "0.1; 0.25; 0.45; 0.6"
    assert base[heads.index("horizon_years")] == 4


@pytest.mark.parametrize("typed", ["0,1; 0,25; 0,45; 0,6", "0.1, 0.25, 0.45, 0.6", "0,1 0,25 0,45 0,6",
                                   "10 %; 25 %; 45 %; 60 %", "0.1\n0.25\n0.45\n0.6"])
def test_an_adoption_path_typed_by_hand(typed: str, tmp_path: Path) -> None:
    heads = [c.value for c in openpyxl.load_workbook(io.BytesIO(_fixture_workbook()))[
        "scenarios"][1]]
    col = openpyxl.utils.get_column_letter(heads.index("adoption_path") + 1)
    hcol = openpyxl.utils.get_column_letter(heads.index("horizon_years") + 1)
    again = relmap.loads(import_table(_edit(tmp_path, {f"scenarios!{col}2": typed, f"scenarios!{hcol}2": 4})))
    base = next(s for s in again.scenarios if s.id == "base")
    assert base.horizon_years == 4 and base.adoption_path == pytest.approx([0.1, 0.25, 0.45, 0.6])


def test_a_wrong_adoption_path_names_its_cell(tmp_path: Path) -> None:
    heads = [c.value for c in openpyxl.load_workbook(io.BytesIO(_fixture_workbook()))[
        "scenarios"][1]]
    col = openpyxl.utils.get_column_letter(heads.index("adoption_path") + 1)
    with pytest.raises(InputError) as info:
        import_table(_edit(tmp_path, {f"scenarios!{col}2": "0.1,0.2,0.6"}))
    assert [p.path for p in info.value.problems] == [f"scenarios!{col}2"]
    assert "';'" in info.value.problems[0].message
