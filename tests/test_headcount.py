"""``relmap init --from-headcount``: a valid, analysable draft from an HR headcount export.

The two exports in ``tests/cases/headcount/`` describe the same kind of
60-FTE hotel: ``hotel-fr.csv`` (French headers, ``;``, decimal commas,
Windows-1252, annual gross salaries, one row per person for the desk clerks)
and ``hotel-en.csv`` (English headers, ``,``, UTF-8, hourly costs).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import relmap
from relmap.cli import main
from relmap.errors import InputError
from relmap.input.headcount import HeadcountRow, draft_from_headcount, group_jobs, relational_guess
from relmap.seeds.tasks import core_tasks

CASES = Path(__file__).parent / "cases" / "headcount"


def _activities(text: str) -> dict[str, relmap.input.model.Activity]:
    return {a.name: a for a in relmap.loads(text).activities}


@pytest.mark.parametrize(("export", "lang", "expected"), [
    ("hotel-fr.csv", "fr", {"Réceptionniste": "43-4081.00", "Chef de cuisine": "35-1011.00",
                            "Gestionnaire de paie": "43-3051.00", "Femme de chambre": "37-2012.00"}),
    ("hotel-en.csv", "en", {"Front Desk Agent": "43-4081.00", "Executive Chef": "35-1011.00",
                            "Payroll Clerk": "43-3051.00", "Room Attendant": "37-2012.00"}),
])
def test_hotel_export_becomes_a_valid_draft(export: str, lang: str, expected: dict[str, str]) -> None:
    """60 FTE in the file, 60 in the draft; departments are the stages; the key jobs find their occupation."""
    text = draft_from_headcount(CASES / export, lang=lang)
    chain = relmap.loads(text)
    assert math.isclose(sum(a.fte or 0 for a in chain.activities), 60.0, abs_tol=1e-9)
    data = (CASES / export).read_bytes().decode("utf-8" if lang == "en" else "cp1252")
    departments = list(dict.fromkeys(line.split(";" if lang == "fr" else ",")[0]
                                     for line in data.splitlines()[1:] if line))
    assert [s.name for s in chain.stages] == departments
    acts = _activities(text)
    for title, code in expected.items():
        assert acts[title].occupation == code, title
    result = relmap.analyze(chain)
    assert result.activities and result.scenarios


def test_french_export_rows_are_summed_and_costed() -> None:
    """Seven desk-clerk rows (1 + 1 + 1 + 1 + 0.8 + 0.7 + 0.5 = 6 FTE) become one activity.

    Cost = Σ fte × salary / Σ fte / 1607: 26,500 × (1 + 1 + 1 + 0.8) + 27,200 × 1 + 26,000 × (0.7 + 0.5)
    = 100,700 + 27,200 + 31,200 = 159,100 for 6 FTE → 26,516.67 a year → 16.50 an hour.
    """
    acts = _activities(draft_from_headcount(CASES / "hotel-fr.csv", lang="fr"))
    desk = acts["Réceptionniste"]
    assert desk.fte == 6 and desk.roles == ["Réceptionniste"]
    assert desk.hourly_cost == pytest.approx(159_100 / 6 / 1607, abs=0.005)


def test_every_guess_is_marked_for_review() -> None:
    text = draft_from_headcount(CASES / "hotel-fr.csv", lang="fr")
    for line in text.splitlines():
        if re.match(r"\s+(occupation|archetype|relational|kind):", line):
            assert "# check:" in line, line


def test_unmatched_title_gets_an_archetype_and_a_check() -> None:
    """'Praticienne bien-être' matches no occupation well: archetype prior, never a silent code."""
    text = draft_from_headcount(CASES / "hotel-fr.csv", lang="fr")
    act = _activities(text)["Praticienne bien-être"]
    assert act.occupation is None and act.archetype == "stakeholder_interactions"
    line = next(x for x in text.splitlines() if "archetype: stakeholder_interactions" in x)
    assert "# check:" in line


def test_relational_guess_follows_its_rule() -> None:
    """r = 0.15 + 0.7 × (core tasks naming people / core tasks), rounded; 0.5 becomes 0.49."""
    r, people, n = relational_guess("43-4081.00")
    assert n == len(core_tasks("43-4081.00")) == 19
    assert r == round(0.15 + 0.7 * people / n, 2)
    assert relational_guess("37-2012.00")[0] < 0.5 < r


def test_group_jobs_weights_costs_by_fte() -> None:
    """1 FTE at 20 and 3 FTE at 24 → (20 + 72) / 4 = 23 an hour; a row without cost does not count."""
    rows = [HeadcountRow("Cook", "Kitchen", 1, 20, "a"), HeadcountRow("cook", "kitchen", 3, 24, "b"),
            HeadcountRow("Cook", "Kitchen", 0.5, None, "c")]
    (job,) = group_jobs(rows)
    assert job.fte == 4.5 and job.hourly_cost == 23
    jobs = group_jobs([*rows, HeadcountRow("Chef", "KITCHEN", 1, None, "d")])
    assert [j.department for j in jobs] == ["Kitchen", "Kitchen"]  # one department, as first written


def test_bad_rows_name_their_cells(tmp_path: Path) -> None:
    """No title, a negative FTE, text in a number column: each reported at its cell, exit 1."""
    path = tmp_path / "hr.csv"
    path.write_text("Department;Job title;FTE;Hourly cost\nKitchen;;2;20\nKitchen;Cook;-1;20\n"
                    "Kitchen;Chef;1;twenty\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        draft_from_headcount(path)
    got = {p.path: p.message for p in info.value.problems}
    assert set(got) == {"hr.csv!B2", "hr.csv!C3", "hr.csv!D4"}
    assert "no job title" in got["hr.csv!B2"] and "negative" in got["hr.csv!C3"]
    assert "expected a number" in got["hr.csv!D4"]
    result = CliRunner().invoke(main, ["init", str(tmp_path / "c.yaml"), "--from-headcount", str(path)])
    assert result.exit_code == 1 and "hr.csv!C3" in result.output


def test_missing_columns_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "hr.csv"
    path.write_text("Team,Name\nKitchen,Ann\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        draft_from_headcount(path)
    assert {p.message for p in info.value.problems} == {"no job title column", "no FTE or headcount column"}


def test_xlsx_export_and_headcount_column(tmp_path: Path) -> None:
    """An Excel export with a headcount (no FTE) column: each head counts one FTE."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Service", "Poste", "Effectif", "Coût horaire"])
    ws.append(["Soins", "Aide-soignante", 12, 19.5])
    ws.append(["Soins", "Infirmière", 4, 27])
    ws.append(["Administration", "Gestionnaire de paie", 1, 24])
    path = tmp_path / "effectifs.xlsx"
    wb.save(path)
    text = draft_from_headcount(path, lang="fr", company="EHPAD Les Tilleuls")
    acts = _activities(text)
    assert acts["Aide-soignante"].occupation == "31-1131.00" and acts["Aide-soignante"].fte == 12
    assert acts["Infirmière"].occupation == "29-1141.00"
    assert "each head counts as one full-time FTE" in text or "chaque personne" in text


def test_cli_writes_the_draft_and_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "company.yaml"
    args = ["init", str(target), "--from-headcount", str(CASES / "hotel-en.csv"), "--company", "Harbour Hotel"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert relmap.load(target).company.name == "Harbour Hotel"
    assert CliRunner().invoke(main, args).exit_code == 2
    first = target.read_bytes()
    assert CliRunner().invoke(main, [*args, "--force"]).exit_code == 0
    assert target.read_bytes() == first  # deterministic


def test_control_characters_are_refused_at_their_cell(tmp_path: Path) -> None:
    """A bell or a bidi override in a title would break the YAML or hide text: refused, cell-located."""
    path = tmp_path / "hr.csv"
    path.write_text("Job title,FTE\nCook\a,1\nChef\u202e,1\nWaiter,2\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        draft_from_headcount(path)
    assert [p.path for p in info.value.problems] == ["hr.csv!A2", "hr.csv!A3"]
