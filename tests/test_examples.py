"""The five example companies and the starter templates validate and show every feature of the format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import relmap
from relmap import seeds
from relmap.input.model import Rubric, Triangle, ValueChain, is_uncertain

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ("hotel-group", "care-home", "retail-bank", "it-services", "industrial-sme")
EXAMPLE_SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/relmap.schema.json"


def load_example(name: str) -> ValueChain:
    chain: ValueChain = relmap.load(ROOT / "examples" / name / "company.yaml")
    return chain


def automatability_forms(chain: ValueChain) -> set[str]:
    """Which ways of giving automatability the file uses (number, range, triangle, tasks, occupation, archetype)."""
    forms: set[str] = set()
    for act in chain.activities:
        value = act.automatability
        if isinstance(value, Triangle):
            forms.add("triangle")
        elif isinstance(value, list):
            forms.add("range")
        elif value is not None:
            forms.add("number")
        forms |= {name for name in ("tasks", "occupation", "archetype") if getattr(act, name)}
    return forms


def relational_forms(chain: ValueChain) -> set[str]:
    forms: set[str] = set()
    for act in chain.activities:
        value: Any = act.relational
        if isinstance(value, Rubric):
            forms.add("rubric")
        elif isinstance(value, str):
            forms.add("word")
        elif isinstance(value, list | Triangle):
            forms.add("range")
        else:
            forms.add("number")
    return forms


def has_range(chain: ValueChain) -> bool:
    acts = chain.activities
    return (
        any(is_uncertain(a.automatability) for a in acts)
        or any(not isinstance(a.relational, Rubric | str) and is_uncertain(a.relational) for a in acts)
        or any(is_uncertain(s.adoption) for s in chain.scenarios)
    )


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_validates_and_is_complete(name: str) -> None:
    chain = load_example(name)
    assert 25 <= len(chain.activities) <= 60
    assert len(chain.scenarios) >= 2
    assert any(a.keep_human and a.reason for a in chain.activities)
    assert any(a.ai_provider for a in chain.activities)
    assert has_range(chain)
    assert {s.kind for s in chain.stages} == {"primary", "support"}
    assert {a.kind for a in chain.actors} == {"customer", "supplier", "partner", "community", "regulator"}
    assert any(a.touches for a in chain.activities)
    assert any(f.volume for f in chain.flows)
    assert any(a.pain_points for a in chain.activities)
    assert automatability_forms(chain) >= {"number", "range", "triangle", "tasks", "occupation", "archetype"}
    assert relational_forms(chain) >= {"rubric", "word", "number"}


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_files_follow_the_house_layout(name: str) -> None:
    folder = ROOT / "examples" / name
    text = (folder / "company.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == EXAMPLE_SCHEMA_LINE
    assert "1,607" in text or "1 607" in text  # the assumptions are stated at the top
    readme = (folder / "README.md").read_text(encoding="utf-8").splitlines()
    # the story plus "who moves where" (roles, SPEC §6.4), the AI costs and where the figures come from
    assert 10 <= len(readme) <= 55, len(readme)


def test_examples_language_and_policies() -> None:
    chains = {name: load_example(name) for name in EXAMPLES}
    languages = {name: chain.company.language for name, chain in chains.items()}
    assert languages == {name: "fr" if name == "care-home" else "en" for name in EXAMPLES}
    # every example defines roles (SPEC §6.4): hours follow the people (the other rules are in the tests)
    assert {chain.policy.mobility for chain in chains.values()} == {"role"}
    assert all(chain.roles for chain in chains.values())
    assert any(chain.policy.transfers for chain in chains.values())


def test_one_example_depends_on_a_single_vendor() -> None:
    """retail-bank is concentrated on purpose: every automation but one runs on the same vendor."""
    providers = [a.ai_provider for a in load_example("retail-bank").activities if a.ai_provider]
    assert providers.count("Nimbus AI") >= 0.9 * len(providers)


@pytest.mark.parametrize("lang", seeds.LANGUAGES)
@pytest.mark.parametrize("name", seeds.TEMPLATES)
def test_template_validates_as_written(name: str, lang: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.{lang}.yaml"
    path.write_text(seeds.template_text(name, lang), encoding="utf-8")
    chain: ValueChain = relmap.load(path)
    assert chain.company.language == lang
    count = len(chain.activities)
    assert count == 2 if name == "blank" else 6 <= count <= 12
