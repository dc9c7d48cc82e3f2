"""The seed catalogue: archetype and occupation priors, rubric guide, starter templates."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import build_occupations
import pytest
import yaml

from relmap import seeds
from relmap.input.schema import SCHEMA_LINE  # the one editor line: init, import, README

SEEDS_DIR = Path(seeds.__file__).parent
SHARED_OCC = Path(__file__).resolve().parents[2] / "shared" / "data" / "gpts-are-gpts" / "occ_level.csv"

#: Chui, Manyika & Miremadi (McKinsey Quarterly, July 2016), technical automation potential by activity type.
MCKINSEY_2016 = {
    "predictable_physical": 0.78,
    "processing_data": 0.69,
    "collecting_data": 0.64,
    "unpredictable_physical": 0.25,
    "stakeholder_interactions": 0.20,
    "applying_expertise": 0.18,
    "managing_others": 0.09,
}


# --------------------------------------------------------------------------- archetypes


def test_seven_archetypes_with_the_published_figures() -> None:
    priors = seeds.archetypes()
    assert set(priors) == set(MCKINSEY_2016)
    assert {k: p.mode for k, p in priors.items()} == MCKINSEY_2016


def test_archetype_band_is_plus_minus_ten_points_clipped() -> None:
    """low/high = mode ∓ 0.10 clipped to 0..1, e.g. managing_others 0.09 → [0.0, 0.19]."""
    for key, prior in seeds.archetypes().items():
        mode = MCKINSEY_2016[key]
        assert prior.low == pytest.approx(max(0.0, mode - 0.10)), key
        assert prior.high == pytest.approx(min(1.0, mode + 0.10)), key


def test_archetypes_cite_their_source() -> None:
    for prior in seeds.archetypes().values():
        assert prior.kind == "archetype"
        assert prior.year == 2016
        assert "Chui" in prior.source and "McKinsey Quarterly" in prior.source
        assert prior.name_en and prior.name_fr and prior.name_en != prior.name_fr


def test_archetype_yaml_has_bilingual_descriptions() -> None:
    data = yaml.safe_load((SEEDS_DIR / "archetypes.yaml").read_text(encoding="utf-8"))
    for entry in data["archetypes"]:
        for field in ("name", "description"):
            assert set(entry[field]) == {"en", "fr"}, (entry["key"], field)
            assert all(isinstance(v, str) and v.strip() and "\n" not in v for v in entry[field].values())


# --------------------------------------------------------------------------- occupations


def test_all_occupations_load_with_ordered_triangles() -> None:
    priors = seeds.occupations()
    assert len(priors) == 923
    assert list(priors) == sorted(priors)
    for code, prior in priors.items():
        assert prior.kind == "occupation" and prior.key == code
        assert 0.0 <= prior.low <= prior.mode <= prior.high <= 1.0, code
        assert prior.year == 2024 and "Eloundou" in prior.source and "exposure" in prior.source.lower()


def test_occupation_lookup() -> None:
    """43-4051.00: dv_rating_alpha 0.13636…, beta 0.56818…, gamma 1.0 → 0.1364 / 0.5682 / 1.0."""
    prior = seeds.get_prior("occupation", "43-4051.00")
    assert prior is not None
    assert prior.name_en == "Customer Service Representatives" == prior.name_fr
    assert (prior.low, prior.mode, prior.high) == (0.1364, 0.5682, 1.0)
    assert seeds.get_prior("occupation", "99-9999.00") is None
    assert seeds.get_prior("archetype", "processing_data") == seeds.archetypes()["processing_data"]
    assert seeds.get_prior("archetype", "nope") is None
    with pytest.raises(ValueError, match="unknown prior kind"):
        seeds.get_prior("skill", "processing_data")


def test_shipped_csv_matches_the_build_script() -> None:
    if not SHARED_OCC.is_file():
        pytest.skip(f"source data not found at {SHARED_OCC} (needs the shared/ folder beside the repository)")
    shipped = (SEEDS_DIR / "occupations.csv").read_text(encoding="utf-8")
    assert build_occupations.build_csv(SHARED_OCC) == shipped, (
        "occupations.csv is stale: run python scripts/build_occupations.py " + str(SHARED_OCC)
    )


def test_build_script_cli_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "occ.csv"
    source.write_text(
        "\ufeffO*NET-SOC Code,Title,dv_rating_alpha,dv_rating_beta,dv_rating_gamma,"
        "human_rating_alpha,human_rating_beta,human_rating_gamma\n"
        '11-1011.00,"Chief Executives, all",0.1,0.46,0.8200000000000001,0.18,0.35,0.52\n'
        "00-0001.00,Alpha,0,0.123456,1,0,0,0\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    assert build_occupations.main([str(source), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == (
        "code,title,gpt4_alpha,gpt4_beta,gpt4_gamma,human_alpha,human_beta,human_gamma\n"
        "00-0001.00,Alpha,0.0000,0.1235,1.0000,0.0000,0.0000,0.0000\n"
        '11-1011.00,"Chief Executives, all",0.1000,0.4600,0.8200,0.1800,0.3500,0.5200\n'
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("O*NET-SOC Code,Title\n11-1011.00,X\n", encoding="utf-8")
    assert build_occupations.main([str(bad), "-o", "-"]) == 1
    assert "lacks column" in capsys.readouterr().err
    unordered = tmp_path / "unordered.csv"
    unordered.write_text(
        "O*NET-SOC Code,Title,dv_rating_alpha,dv_rating_beta,dv_rating_gamma,human_rating_alpha,"
        "human_rating_beta,human_rating_gamma\n11-1011.00,X,0.1,0.4,0.9,0.5,0.4,0.9\n",
        encoding="utf-8",
    )
    assert build_occupations.main([str(unordered), "-o", "-"]) == 1


def test_licence_and_notice_ship_with_the_csv() -> None:
    licence = (SEEDS_DIR / "LICENSE-gpts-are-gpts.txt").read_text(encoding="utf-8")
    assert "MIT License" in licence and "OpenAI" in licence
    notice = (SEEDS_DIR / "NOTICE.md").read_text(encoding="utf-8")
    assert "Eloundou" in notice and "Science" in notice and "384" in notice
    assert "exposure shares, not automation" in notice


# --------------------------------------------------------------------------- search


def test_search_is_case_insensitive_archetypes_first() -> None:
    found = seeds.search_priors("DATA")
    assert [p.key for p in found[:2]] == ["collecting_data", "processing_data"]
    kinds = [p.kind for p in found]
    assert kinds == sorted(kinds)  # 'archetype' < 'occupation'
    occupations = [p.key for p in found if p.kind == "occupation"]
    assert occupations == sorted(occupations) and "43-9021.00" in occupations  # Data Entry Keyers
    assert seeds.search_priors("data") == found


def test_search_matches_codes_and_french_names() -> None:
    assert [p.key for p in seeds.search_priors("43-4051")] == ["43-4051.00"]
    assert [p.key for p in seeds.search_priors("management des")] == ["managing_others"]
    assert seeds.search_priors("no such occupation at all") == []


def test_search_without_a_word_returns_everything() -> None:
    everything = seeds.search_priors(None)
    assert len(everything) == 7 + 923
    assert seeds.search_priors("  ") == everything
    assert [p.kind for p in everything[:7]] == ["archetype"] * 7


def test_results_are_fresh_copies_of_immutable_priors() -> None:
    priors = seeds.archetypes()
    priors.clear()
    assert len(seeds.archetypes()) == 7
    with pytest.raises(dataclasses.FrozenInstanceError):
        seeds.archetypes()["processing_data"].mode = 1.0  # type: ignore[misc]


# --------------------------------------------------------------------------- rubric


def test_rubric_has_every_dimension_level_and_language() -> None:
    guide = seeds.rubric_guide()
    dims = guide["dimensions"]
    assert tuple(dims) == seeds.RUBRIC_DIMENSIONS
    for name, dim in dims.items():
        for field in ("name", "question"):
            assert set(dim[field]) == {"en", "fr"}, (name, field)
            assert all(dim[field].values())
        assert set(dim["levels"]) == {0, 2, 4}, name
        for level, text in dim["levels"].items():
            assert set(text) == {"en", "fr"}, (name, level)
            assert all(t.strip() for t in text.values())


def test_rubric_levels_use_a_different_sector_each_time() -> None:
    """Each example starts with its sector ('Bank: …'); the three levels of a dimension differ."""
    for name, dim in seeds.rubric_guide()["dimensions"].items():
        sectors = [dim["levels"][level]["en"].split(":")[0] for level in (0, 2, 4)]
        assert len(set(sectors)) == 3, (name, sectors)


def test_rubric_sources_resolve_to_references() -> None:
    guide = seeds.rubric_guide()
    references = guide["references"]
    cited: set[str] = set()
    for name, dim in guide["dimensions"].items():
        assert dim["sources"], name
        assert set(dim["sources"]) <= set(references), name
        cited |= set(dim["sources"])
    assert cited == set(references)
    assert "Public Choice, 62" in references["uhlaner1989"]["citation"]
    assert "Annals of Public and Cooperative Economics, 71(2)" in references["gui2000"]["citation"]
    for ref in references.values():
        assert set(ref["contributes"]) == {"en", "fr"}


def test_rubric_guide_is_a_fresh_copy() -> None:
    seeds.rubric_guide()["dimensions"].clear()
    assert len(seeds.rubric_guide()["dimensions"]) == 7


# --------------------------------------------------------------------------- templates


def test_every_template_exists_in_both_languages() -> None:
    assert seeds.TEMPLATES == ("hotel", "care", "bank", "services", "industry", "blank")
    for name in seeds.TEMPLATES:
        for lang in seeds.LANGUAGES:
            text = seeds.template_text(name, lang)
            assert text.splitlines()[0] == SCHEMA_LINE, (name, lang)
            data = yaml.safe_load(text)
            assert data["relmap"] == 1
            assert data["company"]["language"] == lang, (name, lang)
            count = len(data["activities"])
            assert count == 2 if name == "blank" else 6 <= count <= 12, (name, lang, count)


def test_template_text_rejects_unknown_names() -> None:
    with pytest.raises(ValueError, match="unknown template"):
        seeds.template_text("castle", "en")
    with pytest.raises(ValueError, match="unknown language"):
        seeds.template_text("hotel", "de")
    assert seeds.template_text("hotel") == seeds.template_text("hotel", "en")
