"""O*NET tasks: the shipped table, exposure per task, ``relmap tasks``, ``onet_task`` and ``from_occupation``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import relmap
from relmap.analysis.scores import automatability_score, split_from_occupation
from relmap.cli import main
from relmap.input.model import Assumptions
from relmap.seeds import occupations
from relmap.seeds.tasks import (
    TASK_NOTICE,
    combine_raters,
    core_tasks,
    equal_shares,
    occupation_exposure,
    occupation_tasks,
    onet_task,
    resolve_occupation,
    search_tasks,
)

ROOT = Path(__file__).resolve().parent.parent


def test_table_has_every_task_and_occupation() -> None:
    """19,265 tasks of the 923 occupations of occupations.csv, each with both raters' labels."""
    codes = set(occupations())
    tasks = [t for code in codes for t in occupation_tasks(code)]
    assert len(tasks) == 19_265
    assert {t.code for t in tasks} == codes
    assert {t.gpt4 for t in tasks} == {t.human for t in tasks} == {"E0", "E1", "E2"}
    assert {t.automation for t in tasks} == {"T0", "T1", "T2", "T3", "T4"}


def test_task_exposure_gives_back_the_occupation_figures() -> None:
    """Weighted mean of task triangles (core 2, other 1) = occupations.csv α/β/γ, both raters (4 decimals)."""
    for code, prior in occupations().items():
        tasks = occupation_tasks(code)
        assert occupation_exposure(tasks, "gpt4") == pytest.approx((prior.low, prior.mode, prior.high), abs=6e-5)
        assert prior.human is not None
        assert occupation_exposure(tasks, "human") == pytest.approx(prior.human, abs=6e-5)


def test_label_to_exposure_and_rater_combination() -> None:
    """E0 → 0, E1 → 1, E2 → (0, 0.5, 1); both = (min α, mean β, max γ).

    GPT-4 E2 (0, 0.5, 1) with human E0 (0, 0, 0): both = (0, 0.25, 1).
    GPT-4 E1 (1, 1, 1) with human E2 (0, 0.5, 1): both = (0, 0.75, 1).
    """
    assert combine_raters("E2", "E0", "gpt4") == (0.0, 0.5, 1.0)
    assert combine_raters("E2", "E0", "human") == (0.0, 0.0, 0.0)
    assert combine_raters("E2", "E0", "both") == (0.0, 0.25, 1.0)
    assert combine_raters("E1", "E2", "both") == (0.0, 0.75, 1.0)
    task = onet_task(2620)
    assert task is not None and task.statement == "Make and confirm reservations."
    assert (task.gpt4, task.human, task.type) == ("E2", "E0", "core")


def test_equal_shares_add_up_exactly() -> None:
    """3 shares → 0.3334, 0.3333, 0.3333 (largest remainder on 4 decimals)."""
    assert equal_shares(3) == [0.3334, 0.3333, 0.3333]
    assert sum(round(s * 10_000) for s in equal_shares(19)) == 10_000
    assert equal_shares(0) == []


def test_resolve_occupation_codes_prefixes_and_titles() -> None:
    assert resolve_occupation("43-4081") == ("43-4081.00", "Hotel, Motel, and Resort Desk Clerks")
    assert resolve_occupation("43-4081.00")[0] == "43-4081.00"
    assert resolve_occupation("payroll clerk")[0] == "43-3051.00"
    with pytest.raises(relmap.errors.RelmapError) as info:
        resolve_occupation("43-4018")
    assert "43-4081.00  Hotel, Motel, and Resort Desk Clerks" in str(info.value)


def test_search_matches_word_starts() -> None:
    """'reservation' finds 'reservations' but not 'preservation'."""
    found = search_tasks("reservation")
    assert any(t.task_id == 2620 for t in found)
    assert not any("preservation" in t.statement.lower() and "reservation" not in t.statement.lower()
                   for t in found)


def test_cli_lists_hotel_desk_clerk_tasks_with_both_raters() -> None:
    result = CliRunner().invoke(main, ["tasks", "43-4081"], env={"COLUMNS": "240"})
    assert result.exit_code == 0, result.output
    assert "Hotel, Motel, and Resort Desk Clerks" in result.output
    line = next(x for x in result.output.splitlines() if "Make and confirm reservations" in x)
    assert "2620" in line and "E2" in line and "E0" in line and "T3" in line
    assert "CC BY 4.0" in result.output.replace("\n", " ")


def test_cli_mistyped_code_says_did_you_mean_with_titles() -> None:
    result = CliRunner().invoke(main, ["tasks", "43-4018"])
    assert result.exit_code == 1
    assert "did you mean" in result.output and "Hotel, Motel, and Resort Desk Clerks" in result.output


def test_cli_without_occupation_or_search_is_a_usage_error() -> None:
    assert CliRunner().invoke(main, ["tasks"]).exit_code == 2


def _activity_with(tasks_yaml: str) -> str:
    body = "\n".join("    " + line for line in tasks_yaml.splitlines() if not line.startswith("#"))
    return ("relmap: 1\ncompany: {name: Hotel, hourly_cost: 30}\nactivities:\n"
            "  - id: desk\n    name: Desk\n    fte: 2\n    relational: high\n"
            "    occupation: \"43-4081.00\"\n" + body + "\n")


def test_pasted_core_tasks_equal_from_occupation() -> None:
    """``relmap tasks CODE --core --format yaml`` pasted gives what ``tasks: from_occupation`` gives."""
    result = CliRunner().invoke(main, ["tasks", "43-4081", "--core", "--format", "yaml"])
    assert result.exit_code == 0
    assert TASK_NOTICE in result.output
    pasted = relmap.loads(_activity_with(result.output))
    split = relmap.loads(_activity_with("tasks: from_occupation"))
    a_pasted = automatability_score(pasted.activities[0])[0]
    a_split = automatability_score(split.activities[0])[0]
    assert a_pasted == pytest.approx(a_split, abs=1e-4)


def test_json_format_is_paste_ready() -> None:
    result = CliRunner().invoke(main, ["tasks", "43-4081", "--format", "json"])
    doc = json.loads(result.output)
    assert doc["notice"] == TASK_NOTICE
    assert len(doc["tasks"]) == 20 and set(doc["tasks"][0]) == {"name", "share", "onet_task"}
    assert doc["labels"][0]["exposure"]["both"] == [0.0, 0.25, 1.0]  # task 2610: GPT-4 E2, human E0


def test_onet_task_prior_worked_by_hand() -> None:
    """Tasks 2620 (GPT-4 E2, human E0) and 2618 (E1, E1), half each; T = (0.5, 0.5, 0.8).

    both: E_2620 = (0, 0.25, 1), E_2618 = (1, 1, 1)
      a = 0.5 × (0 × 0.5, 0.25 × 0.5, 1 × 0.8) + 0.5 × (0.5, 0.5, 0.8) = (0.25, 0.3125, 0.8)
    gpt4: E_2620 = (0, 0.5, 1) → a = 0.5 × (0, 0.25, 0.8) + 0.5 × (0.5, 0.5, 0.8) = (0.25, 0.375, 0.8)
    """
    chain = relmap.loads(
        "relmap: 1\ncompany: {name: H, hourly_cost: 30}\nactivities:\n"
        "  - id: desk\n    name: Desk\n    fte: 1\n    relational: low\n    tasks:\n"
        "      - {name: Reservations, share: 0.5, onet_task: 2620}\n"
        "      - {name: Messages, share: 0.5, onet_task: 2618}\n")
    act = chain.activities[0]
    a, source, ref, exposure, t = automatability_score(act, Assumptions())
    assert a == pytest.approx((0.25, 0.3125, 0.8))
    assert source == "tasks" and t == (0.5, 0.5, 0.8)
    assert ref == "43-4081.00" and exposure == pytest.approx((0.5, 0.625, 1.0))  # 0.5 × E_2620 + 0.5 × E_2618
    a_gpt4 = automatability_score(act, Assumptions(exposure_rater="gpt4"))[0]
    assert a_gpt4 == pytest.approx((0.25, 0.375, 0.8))


def test_from_occupation_with_shares() -> None:
    """19 core tasks of 43-4081; 2620 given 0.43 → the 18 others take (1 − 0.43) / 18 = 0.031667 each."""
    chain = relmap.loads(
        "relmap: 1\ncompany: {name: H, hourly_cost: 30}\nactivities:\n"
        "  - id: desk\n    name: Desk\n    fte: 1\n    relational: low\n    occupation: \"43-4081\"\n"
        "    tasks:\n      from_occupation: core\n      shares: [{onet_task: 2620, share: 0.43}]\n")
    split = dict((task_id, share) for share, task_id in split_from_occupation(chain.activities[0]))
    assert len(split) == len(core_tasks("43-4081")) == 19
    assert split[2620] == 0.43
    assert split[2610] == pytest.approx(0.57 / 18)
    assert sum(split.values()) == pytest.approx(1.0)
    a, source, ref, exposure, _t = automatability_score(chain.activities[0])
    assert (source, ref) == ("tasks", "43-4081.00")
    assert exposure is not None and a[1] == pytest.approx(exposure[1] * 0.5)


def test_spreadsheet_writes_from_occupation_as_task_rows() -> None:
    """The tasks sheet has no cell for from_occupation: the split is written out with onet_task ids."""
    from relmap.report.tables import rows_from_chain

    chain = relmap.loads(_activity_with("tasks: from_occupation"))
    rows = rows_from_chain(chain)["tasks"]
    assert len(rows) == 19 and all(r["onet_task"] for r in rows)
    assert sum(r["share"] for r in rows) == pytest.approx(1.0)


def test_validate_does_not_read_the_task_table() -> None:
    """A file without O*NET tasks never opens onet_tasks.csv.gz (it is read lazily)."""
    code = ("import relmap, relmap.seeds.tasks as t\n"
            "relmap.load('examples/hotel-group/company.yaml')\n"
            "print(t._table.cache_info().currsize)\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"


def test_build_script_is_deterministic(tmp_path: Path) -> None:
    """gzip with mtime 0 and no file name: the same rows give the same bytes, and the shipped file reads back."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import build_tasks
    finally:
        sys.path.pop(0)
    rows = [("2620", "43-4081.00", "core", "E2", "E0", "T3", "Make and confirm reservations.")]
    assert build_tasks.render_gzip(rows) == build_tasks.render_gzip(rows)
    assert build_tasks.render_gzip(rows)[4:8] == b"\x00\x00\x00\x00"  # mtime
