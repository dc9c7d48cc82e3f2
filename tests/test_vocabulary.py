"""The result is language-free data; the one vocabulary (relmap.vocabulary) says it in English and French.

``analysis.json`` must be the same bytes whatever ``--lang``: flags, risks and
notes are ``{kind, evidence}`` and every sentence is made from them at display
time. The figures below are worked out by hand from
tests/cases/analysis/every-kind.yaml (tiny.yaml plus a note, flag and risk of
every kind).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import get_args

import pytest
from click.testing import CliRunner
from quick import first_quick

import relmap
from relmap.analysis.result import AnalysisResult, FlagKind, NoteKind, RiskKind
from relmap.cli import main
from relmap.errors import InputError
from relmap.i18n import language
from relmap.vocabulary import flag_text, note_text, risk_groups, risk_text

ROOT = Path(__file__).parent.parent
EVERY_KIND = Path(__file__).parent / "cases" / "analysis" / "every-kind.yaml"
EXAMPLES = sorted(p / "company.yaml" for p in (ROOT / "examples").iterdir() if (p / "company.yaml").is_file())
NBSP = "\u00a0"
NNBSP = "\u202f"  # before : ; ! ? % in French


@pytest.fixture(scope="module")
def result() -> AnalysisResult:
    return relmap.analyze(relmap.load(EVERY_KIND), draws=20)


def _json(path: Path, lang: str) -> str:
    out = CliRunner().invoke(main, ["analyze", str(path), "--format", "json", "--lang", lang, "--draws", "50"])
    assert out.exit_code == 0, out.output
    return out.stdout


@pytest.mark.parametrize("path", first_quick([EVERY_KIND, *EXAMPLES], 2,
                                             lambda p: p.parent.name if p != EVERY_KIND else "every"))
def test_json_is_the_same_bytes_in_every_language(path: Path) -> None:
    english = _json(path, "en")
    assert _json(path, "fr") == english
    assert '"message"' not in english


def test_the_case_file_has_every_kind(result: AnalysisResult) -> None:
    assert {f.kind for a in result.activities for f in a.flags} == set(get_args(FlagKind))
    assert {r.kind for r in result.risks} == set(get_args(RiskKind))
    assert [n.kind for n in result.notes] == list(get_args(NoteKind))
    assert len(EXAMPLES) == 5


def test_notes_are_data(result: AnalysisResult) -> None:
    """8 activities without cost; 2,000,000 FTE > 1e6; booking → filing (r = 0.1 < 0.5) moves nothing."""
    assert [(n.kind, n.evidence) for n in result.notes] == [
        ("missing_costs", {"count": 8}),
        ("unusual_fte", {"activity": "sector", "fte": 2_000_000, "limit": 1e6}),
        ("unused_transfer", {"from": "booking", "to": "filing"}),
    ]


def _flag(result: AnalysisResult, activity: str, kind: str) -> relmap.analysis.result.Flag:
    return next(f for f in result.activity(activity).flags if f.kind == kind)


def test_flag_sentences_from_evidence(result: AnalysisResult) -> None:
    """Names, not ids, from the evidence; the borderline margin 0.05 in the language's style."""
    relay = _flag(result, "booking", "bridge_at_risk")
    assert relay.evidence["upstream"] == ["greet"] and relay.evidence["downstream"] == ["advise"]
    cut = _flag(result, "mentoring", "single_point")
    border = _flag(result, "archive", "borderline")
    assert border.evidence["scores"] == ["automatability"]  # |0.52 − 0.5| ≤ 0.05; |0.1 − 0.5| > 0.05
    with language("en"):
        assert flag_text(result, relay) == ("A human relay between Greeting and Advice: automating it cuts the "
                                            "link between two relational moments.")
        assert flag_text(result, cut) == ("An articulation point of the chain that is a relational good: "
                                          "without it, Filing would be cut off.")
        assert flag_text(result, border).startswith("Its automatability is within 0.05 of the threshold")
        assert flag_text(result, _flag(result, "mentoring", "invisible")).startswith(
            "A relational good with no path to any customer")
    with language("fr"):
        assert "Greeting" in flag_text(result, relay) and "Advice" in flag_text(result, relay)
        assert flag_text(result, relay) != ("A human relay between Greeting and Advice: automating it cuts the "
                                            "link between two relational moments.")
        assert "Filing" in flag_text(result, cut)
        assert "0,05" in flag_text(result, border)


def test_risk_sentences_from_evidence(result: AnalysisResult) -> None:
    """push: front frees 0.9 × (1000·0.2 + 2000·0.8 + 1000·0.6) = 2160 of 4000 h = 54%.

    Named providers: BotCo 2000·0.8·0.9 = 1440 h, Ledgr 1000·0.9·0.9 = 810 h: shares 0.64 / 0.36,
    HHI = 0.64² + 0.36² = 0.5392; all freed hours 3196.8 (archive adds 100·0.52·0.9 = 46.8), so
    2250 / 3196.8 = 70% name a provider.
    """
    hollow = next(r for r in result.risks if r.kind == "hollowed_stage")
    vendor = next(r for r in result.risks if r.kind == "vendor_concentration" and r.scenario == "push")
    assert hollow.evidence["share"] == pytest.approx(0.54)
    assert vendor.evidence["hhi"] == pytest.approx(0.5392)
    assert vendor.evidence["covered_share"] == pytest.approx(2250 / 3196.8)
    with language("en"):
        assert risk_text(result, hollow) == ("Stage Front office is hollowed out in scenario push: 54% of its hours "
                                             "are freed (more than half); intermediate functions may disappear.")
        assert risk_text(result, vendor) == (
            "In scenario push, 64% of the hours freed with a named AI provider depend on BotCo (Herfindahl index "
            "0.54, above 0.5; 70% of all freed hours name a provider): a single vendor's prices or outages would "
            "hit the whole plan.")
    with language("fr"):
        assert risk_text(result, hollow).startswith("L'étape Front office se vide dans le scénario push")
        assert f"54{NNBSP}%" in risk_text(result, hollow)
        assert risk_text(result, vendor) == (
            f"Dans le scénario push, 64{NNBSP}% des heures libérées avec un fournisseur d'IA nommé dépendent de "
            f"BotCo (indice de Herfindahl 0,54, au-dessus de 0,5{NNBSP}; 70{NNBSP}% de toutes les heures "
            f"libérées nomment un fournisseur){NNBSP}: les prix ou les pannes d'un seul fournisseur toucheraient "
            "tout le plan.")


def test_note_sentences_from_evidence(result: AnalysisResult) -> None:
    missing, big, transfer = result.notes
    with language("en"):
        assert note_text(result, missing).startswith("Some activities have no hourly cost")
        assert note_text(result, big).startswith("Activity sector counts 2,000,000 FTE")
        assert note_text(result, transfer).startswith("The transfer booking → filing is not used")
    with language("fr"):
        assert f"2{NBSP}000{NBSP}000" in note_text(result, big)
        assert "booking → filing" in note_text(result, transfer)
        assert not note_text(result, missing).startswith("Some activities")


def test_reports_say_it_in_both_languages(result: AnalysisResult) -> None:
    """The report's risk section and notes carry the vocabulary's sentences, in the report's language."""
    from relmap.report.content import build_content

    for lang in ("en", "fr"):
        with language(lang):
            content = build_content(result)
            texts = [i.text for i in content.section("risks").items]
            groups = risk_groups(result)
            assert texts[:len(groups)] == [text for _label, text in groups]  # each risk once, then the flags
            assert flag_text(result, _flag(result, "booking", "bridge_at_risk")) in texts
            assert note_text(result, result.notes[2]) in content.section("summary").notes


def test_an_old_analysis_json_with_messages_still_reads(result: AnalysisResult) -> None:
    """Files written before the result became data had ``message``s and sentence notes: they are dropped."""
    data = json.loads(result.to_json())
    for act in data["activities"]:
        for flag in act["flags"]:
            flag["message"] = "a sentence"
    for risk in data["risks"]:
        risk["message"] = "a sentence"
    data["notes"] = ["Some activities have no hourly cost…"]
    old = AnalysisResult.model_validate(data)
    assert old.activities == result.activities and old.risks == result.risks and old.notes == []


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("version", ["relmap: 2\n", "relmap: '1'\n", ""])
def test_the_format_version_is_one_problem_in_every_language(version: str, lang: str) -> None:
    """The version check runs before the model; the model's own error on 'relmap' is dropped by location."""
    text = version + "company: {name: A}\nactivities:\n  - {id: a, name: A, hours: 1, automatability: 0.5, " \
                     "relational: 0.1}\n"
    with language(lang), pytest.raises(InputError) as info:
        relmap.loads(text, "v.yaml")
    assert len(info.value.problems) == 1, [p.message for p in info.value.problems]
    assert info.value.problems[0].line == 1


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_diagrams_and_reports_format_numbers_one_way(lang: str) -> None:
    """One rule (en_GB / fr_FR): the diagrams' fmt_* give the reports' text, US$ included."""
    from relmap.i18n import format_money, format_number, format_percent
    from relmap.render.text import fmt_money, fmt_number, fmt_percent

    with language(lang):
        expected = (format_number(12345.678, 1), format_percent(0.605), format_money(12400.4, "USD"))
    assert (fmt_number(12345.678, lang, digits=1), fmt_percent(0.605, lang), fmt_money(12400.4, "USD", lang)) \
        == expected
    assert expected == (("12,345.7", "60%", "US$12,400") if lang == "en"
                        else (f"12{NBSP}345,7", f"60{NNBSP}%", f"12{NBSP}400{NBSP}$US"))


def test_the_view_names_are_one_list() -> None:
    from relmap.cli.render import VIEW_CHOICES
    from relmap.render import VIEWS
    from relmap.render.worker import CHART_VIEWS
    from relmap.report.blocks import VIEW_FILES

    assert VIEWS == ("value-chain", "matrix", "reinvestment", "people", "sensitivity", "trajectory")
    assert (*VIEWS, "all") == VIEW_CHOICES and VIEWS[1:] == CHART_VIEWS
    assert list(VIEW_FILES.values()) == [f"{v}.svg" for v in VIEWS]
