"""The words for the result's enumerations (quadrants, flags, sources, moves, mobility), in the current language.

Why one module: ``analysis.json`` keeps the **contract** values
(``relational_core``, ``bridge_at_risk``…); the terminal summary, the
diagrams and the reports all show them through these functions, so a
quadrant or a flag has the same name everywhere, in English and in French,
and the French catalogue has every one of them.
"""

from __future__ import annotations

from .i18n import _

__all__ = ["balance_label", "flag_label", "mobility_label", "quadrant_label", "quadrant_meaning", "source_label",
           "via_label"]


def _pick(labels: dict[str, str], key: str, lower: bool) -> str:
    """``labels[key]`` (the key itself when unknown); ``lower``: for running text ("Cœur…" → "cœur…")."""
    label = labels.get(key, key)
    return label[:1].lower() + label[1:] if lower else label


def quadrant_label(quadrant: str, *, lower: bool = False) -> str:
    """``relational_core`` → ``Relational core`` / ``Cœur relationnel`` (``lower``: in running text)."""
    labels = {
        "automate": _("Automate"),
        "augment": _("Augment"),
        "relational_core": _("Relational core"),
        "sustain": _("Sustain"),
    }
    return _pick(labels, quadrant, lower)


def quadrant_meaning(quadrant: str) -> str:
    """One sentence: what the quadrant means for the consultant."""
    meanings = {
        "automate": _("AI can take the work over; little relational value is at stake."),
        "augment": _("AI can do much of the work, but the relation matters: AI should assist the people."),
        "relational_core": _("The relation is the value and AI can do little: keep it human, invest in it."),
        "sustain": _("Neither very automatable nor relational: keep it running efficiently."),
    }
    return meanings.get(quadrant, "")


def flag_label(kind: str, *, lower: bool = False) -> str:
    """Short name of a flag (``lower``: in running text)."""
    labels = {
        "bridge_at_risk": _("Human relay at risk"),
        "invisible": _("Invisible relational work"),
        "single_point": _("Single point of failure"),
        "borderline": _("Borderline"),
    }
    return _pick(labels, kind, lower)


def unplaced_label(*, lower: bool = False) -> str:
    """The one name of the reinvestment hours no relational good could take (``ScenarioResult.unallocated``)."""
    text = _("Unplaced hours")
    return text[:1].lower() + text[1:] if lower else text


def source_label(source: str) -> str:
    """Where an automatability or relational score comes from."""
    labels = {
        "value": _("given value"),
        "tasks": _("tasks breakdown"),
        "occupation": _("occupation prior"),
        "archetype": _("archetype prior"),
        "rubric": _("rubric"),
        "word": _("word scale"),
    }
    return labels.get(source, source)


def via_label(via: str) -> str:
    """How hours moved: own, explicit transfer, mobility."""
    labels = {"own": _("own hours"), "transfer": _("explicit transfer"), "mobility": _("mobility policy")}
    return labels.get(via, via)


def mobility_label(mobility: str) -> str:
    """``policy.mobility`` in words."""
    labels = {
        "any": _("any activity"),
        "stage": _("within the same stage"),
        "adjacent": _("within a few flow hops"),
        "role": _("where the people's role, its family or a reskilling path allows"),
    }
    return labels.get(mobility, mobility)


def balance_label(line: str) -> str:
    """The name of a balance line, the same in every output."""
    labels = {
        "kept": _("Kept in relational goods"),
        "reinvested": _("Reinvested in relational goods"),
        "unplaced": unplaced_label(),
        "recognition": _("Funds recognition"),
        "training": _("Training"),
        "community": _("Skills volunteering"),
        "savings": _("Savings"),
    }
    return labels.get(line, line)
