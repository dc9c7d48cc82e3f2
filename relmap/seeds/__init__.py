"""Seed catalogue: automatability priors, the relational rubric guide, starter templates.

The data files live beside this module and are read with ``importlib.resources``
(so they work from a wheel or a zip), parsed once and cached:

- ``archetypes.yaml``: the seven activity types of Chui, Manyika & Miremadi
  (McKinsey Quarterly, 2016) with their technical automation potential;
- ``occupations.csv``: O*NET-SOC occupation exposure shares from Eloundou et al.
  (Science, 2024), built by ``scripts/build_occupations.py``;
- ``onet_tasks.csv.gz``: the 19,265 O*NET task statements with both raters'
  exposure labels, read lazily by :mod:`relmap.seeds.tasks` (built by
  ``scripts/build_tasks.py``);
- ``job_titles.csv``: common English and French job titles → O*NET-SOC codes,
  for the title matcher of :mod:`relmap.input.jobmatch`;
- ``rubric.yaml``: the seven relational dimensions, with anchored examples and
  the literature they come from;
- ``templates/{name}.{lang}.yaml``: starter files for ``relmap init``.

Why: an activity may say ``archetype: processing_data`` or
``occupation: "43-4051.00"`` instead of a number; the priors here turn those
keys into a ``{low, mode, high}`` triangle that cites where it comes from.
Occupation figures are *exposure*, not automation (see ``NOTICE.md``).

Every function returns fresh objects (mutating a result never changes the
cache) and is deterministic: same package version, same answer.
"""

from __future__ import annotations

import copy
import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import yaml

from ..i18n import LANGUAGES

try:
    from yaml import CSafeLoader as _YamlLoader
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader as _YamlLoader  # type: ignore[assignment]

__all__ = [
    "DEFAULT_HOURS_PER_FTE",
    "EXPOSURE_RATERS",
    "LANGUAGES",
    "OCCUPATION_SOURCE",
    "OCCUPATION_YEAR",
    "PRIOR_KINDS",
    "RUBRIC_DIMENSIONS",
    "TEMPLATES",
    "ExposureRater",
    "Prior",
    "PriorKind",
    "archetypes",
    "get_prior",
    "occupations",
    "rubric_guide",
    "search_priors",
    "template_text",
]

PriorKind = Literal["archetype", "occupation"]
PRIOR_KINDS: tuple[PriorKind, ...] = ("archetype", "occupation")

#: ``company.hours_per_fte`` when the file gives none: 1607 h, the French legal working year (every
#: layer reads it from here: the model's default, the headcount import, the reports and diagrams)
DEFAULT_HOURS_PER_FTE = 1607.0
TEMPLATES: tuple[str, ...] = ("hotel", "care", "bank", "services", "industry", "blank")
RUBRIC_DIMENSIONS: tuple[str, ...] = (
    "identity",
    "reciprocity",
    "simultaneity",
    "presence",
    "empathy",
    "trust",
    "motivation",
)

OCCUPATION_SOURCE = (
    "Eloundou, T., Manning, S., Mishkin, P. & Rock, D. (2024). GPTs are GPTs: Labor market "
    "impact potential of LLMs. Science, 384. Exposure shares by rater (GPT-4 and human annotators: "
    "α = E1, β = E1 + 0.5·E2, γ = E1 + E2), not automation; MIT License."
)
ExposureRater = Literal["gpt4", "human", "both"]
EXPOSURE_RATERS: tuple[ExposureRater, ...] = ("gpt4", "human", "both")
OCCUPATION_YEAR = 2024


@dataclass(frozen=True)
class Prior:
    """A published prior for the automatability of an activity.

    Attributes:
        key: the catalogue key: an archetype key (``processing_data``) or an
            O*NET-SOC code (``43-4051.00``).
        name_en: English name. name_fr: French name (an occupation's is its
            English title: the source has no French one).
        low, mode, high: a triangular prior on 0..1, low ≤ mode ≤ high (an
            occupation's: the GPT-4 rater's α, β, γ).
        source: full citation. year: year of the source's publication.
        kind: ``archetype`` or ``occupation``.
        human: an occupation's (α, β, γ) by the human raters (None for an archetype).
    """

    key: str
    name_en: str
    name_fr: str
    low: float
    mode: float
    high: float
    source: str
    year: int
    kind: PriorKind
    human: tuple[float, float, float] | None = None

    def exposure(self, rater: ExposureRater = "both") -> tuple[float, float, float]:
        """An occupation's exposure triangle ``E`` for a rater.

        ``gpt4`` = the GPT-4 rater's (α, β, γ); ``human`` = the human raters';
        ``both`` = (min of the α, mean of the β, max of the γ). An archetype
        (or an occupation without human figures) returns its own triangle.
        """
        gpt4 = (self.low, self.mode, self.high)
        if self.human is None or rater == "gpt4":
            return gpt4
        if rater == "human":
            return self.human
        return (min(gpt4[0], self.human[0]), (gpt4[1] + self.human[1]) / 2, max(gpt4[2], self.human[2]))


def _read_text(*parts: str) -> str:
    """Read a UTF-8 data file shipped in this package."""
    return resources.files(__name__).joinpath(*parts).read_text(encoding="utf-8")


def _load_yaml(name: str) -> Any:
    """Parse one of the package's own (trusted) YAML files."""
    return yaml.load(_read_text(name), Loader=_YamlLoader)


def _checked(prior: Prior) -> Prior:
    """Return ``prior`` after checking 0 ≤ low ≤ mode ≤ high ≤ 1."""
    for low, mode, high in ((prior.low, prior.mode, prior.high), prior.human or (0.0, 0.0, 0.0)):
        if not 0.0 <= low <= mode <= high <= 1.0:
            raise ValueError(f"seed prior {prior.kind} {prior.key}: bad triangle {low}/{mode}/{high}")
    return prior


@lru_cache(maxsize=1)
def _archetypes() -> tuple[Prior, ...]:
    data = _load_yaml("archetypes.yaml")
    priors = [
        _checked(
            Prior(
                key=str(entry["key"]),
                name_en=str(entry["name"]["en"]),
                name_fr=str(entry["name"]["fr"]),
                low=float(entry["prior"]["low"]),
                mode=float(entry["prior"]["mode"]),
                high=float(entry["prior"]["high"]),
                source=str(entry["source"]),
                year=int(entry["year"]),
                kind="archetype",
            )
        )
        for entry in data["archetypes"]
    ]
    return tuple(sorted(priors, key=lambda p: p.key))


@lru_cache(maxsize=1)
def _occupations() -> tuple[Prior, ...]:
    reader = csv.DictReader(io.StringIO(_read_text("occupations.csv")))
    priors = [
        _checked(
            Prior(
                key=row["code"],
                name_en=row["title"],
                name_fr=row["title"],
                low=float(row["gpt4_alpha"]),
                mode=float(row["gpt4_beta"]),
                high=float(row["gpt4_gamma"]),
                source=OCCUPATION_SOURCE,
                year=OCCUPATION_YEAR,
                kind="occupation",
                human=(float(row["human_alpha"]), float(row["human_beta"]), float(row["human_gamma"])),
            )
        )
        for row in reader
    ]
    return tuple(sorted(priors, key=lambda p: p.key))


def archetypes() -> dict[str, Prior]:
    """The seven McKinsey (2016) activity archetypes, by key, sorted by key."""
    return {p.key: p for p in _archetypes()}


def occupations() -> dict[str, Prior]:
    """The 923 O*NET-SOC occupation exposure priors, by code, sorted by code."""
    return {p.key: p for p in _occupations()}


def get_prior(kind: str, key: str) -> Prior | None:
    """Look up one prior.

    Args:
        kind: ``archetype`` or ``occupation``.
        key: the archetype key or the O*NET-SOC code (exact, e.g. ``43-4051.00``).

    Returns:
        The prior, or ``None`` when the key is not in the catalogue.

    Raises:
        ValueError: ``kind`` is neither ``archetype`` nor ``occupation``.
    """
    if kind == "archetype":
        return archetypes().get(key)
    if kind == "occupation":
        return occupations().get(key)
    raise ValueError(f"unknown prior kind {kind!r}: expected one of {', '.join(PRIOR_KINDS)}")


def search_priors(word: str | None = None) -> list[Prior]:
    """Priors whose key or name contains ``word``, case-insensitively.

    Args:
        word: the text to look for; ``None`` or blank returns every prior.

    Returns:
        Archetypes first, then occupations, each group sorted by key.
    """
    needle = (word or "").strip().casefold()
    every = (*_archetypes(), *_occupations())
    if not needle:
        return list(every)
    return [
        p
        for p in every
        if needle in p.key.casefold() or needle in p.name_en.casefold() or needle in p.name_fr.casefold()
    ]


@lru_cache(maxsize=1)
def _rubric_guide() -> dict[str, Any]:
    data = _load_yaml("rubric.yaml")
    if not isinstance(data, dict):
        raise ValueError("rubric.yaml: expected a mapping")
    return data


def rubric_guide() -> dict[str, Any]:
    """The parsed ``rubric.yaml``.

    Shape: ``{"dimensions": {dim: {"name": {en, fr}, "question": {en, fr},
    "levels": {0|2|4: {en, fr}}, "sources": [ref keys], "note"?: {en, fr}}},
    "references": {ref key: {"citation": str, "contributes": {en, fr}}}}``,
    dimensions in :data:`RUBRIC_DIMENSIONS` order. A fresh deep copy each call.
    """
    return copy.deepcopy(_rubric_guide())


def template_text(name: str, lang: str = "en") -> str:
    """The text of a starter ``company.yaml`` for ``relmap init``.

    Args:
        name: one of :data:`TEMPLATES`.
        lang: ``en`` or ``fr`` (names, comments and ``company.language``).

    Raises:
        ValueError: unknown template name or language.
    """
    if name not in TEMPLATES:
        raise ValueError(f"unknown template {name!r}: choose one of {', '.join(TEMPLATES)}")
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: choose one of {', '.join(LANGUAGES)}")
    return _read_text("templates", f"{name}.{lang}.yaml")
