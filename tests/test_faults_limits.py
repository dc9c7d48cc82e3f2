"""Issue #17, families 5 and 10: limited sinks, bounds, multi-line texts, integer keys."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import relmap
from relmap.errors import InputError
from relmap.i18n import language
from relmap.report.pptx import CORE_PROPERTY_LIMIT, build_deck, clip
from relmap.vocabulary import note_text

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases" / "faults"


def chain_text(name: str = "Hotel", extra: str = "", fte: str = "3") -> str:
    return (f"relmap: 1\ncompany:\n  name: {json.dumps(name)}\nactivities:\n  - id: a\n    name: Desk\n"
            f"    fte: {fte}\n    automatability: 0.5\n    relational: high\n{extra}")


def problem_of(text: str) -> str:
    with pytest.raises(InputError) as info:
        relmap.loads(text, name="c.yaml")
    return str(info.value)


def test_clip() -> None:
    assert clip("abc", 3) == "abc"
    assert clip("abcd", 3) == "ab…"
    assert len(clip("x" * 500, CORE_PROPERTY_LIMIT)) == CORE_PROPERTY_LIMIT


@pytest.mark.slow  # a whole deck
def test_a_500_character_company_name_gives_a_deck() -> None:
    from pptx import Presentation

    name = "Maison " + "L" * 493
    result = relmap.analyze(relmap.loads(chain_text(name)), draws=10)
    prs = Presentation(io.BytesIO(build_deck(result)))
    assert len(prs.core_properties.title) == CORE_PROPERTY_LIMIT and prs.core_properties.title.endswith("…")
    assert "shortened to 255 characters" in prs.slides[0].notes_slide.notes_text_frame.text
    assert any(name in shape.text_frame.text for shape in prs.slides[0].shapes if shape.has_text_frame)


def test_rubric_weights_are_bounded() -> None:
    text = chain_text(extra="thresholds:\n  rubric_weights: {identity: 1e308}\n")
    assert "c.yaml:11:" in problem_of(text) and "at most 1000" in problem_of(text)
    ok = chain_text(extra="thresholds:\n  rubric_weights: {identity: 1000}\n")
    assert relmap.loads(ok).thresholds.rubric_weights.identity == 1000


def test_multiline_description_is_accepted() -> None:
    chain = relmap.load(CASES / "multiline-description.yaml")
    assert chain.activities[0].description == "Welcomes guests.\nHands over keys.\n"


def test_line_break_in_a_name_is_refused_with_a_hint() -> None:
    message = problem_of(chain_text("a\nb").replace('"a\\nb"', '"a\\nb"'))
    assert "c.yaml:3:" in message and "U+000A" in message and "description: |" in message


def test_other_control_characters_stay_refused_in_descriptions() -> None:
    message = problem_of(chain_text(extra='    description: "bell \\u0007 here"\n').replace(
        "    relational: high\n    description", "    relational: high\n    description"))
    assert "U+0007" in message


def test_integer_key_is_located_at_its_line() -> None:
    with pytest.raises(InputError) as info:
        relmap.load(CASES / "integer-key.yaml")
    assert "integer-key.yaml:7:5:" in str(info.value) and "number 12" in str(info.value)


def test_fte_bounds_are_physical_and_large_ones_noted() -> None:
    """3 million FTE (a national workforce) is analysed, with a note; 1e9 FTE is refused."""
    result = relmap.analyze(relmap.loads(chain_text(fte="3000000")), draws=10)
    big = [n for n in result.notes if n.kind == "unusual_fte"]
    assert [n.evidence for n in big] == [{"activity": "a", "fte": 3_000_000, "limit": 1e6}], result.notes
    assert "3,000,000 FTE" in note_text(result, big[0])
    with language("fr"):
        assert "3\u00a0000\u00a0000 ETP" in note_text(result, big[0])
    assert "at most 1e+08" in problem_of(chain_text(fte="1e9"))
    small = relmap.analyze(relmap.loads(chain_text(fte="300")), draws=10)
    assert not any(n.kind == "unusual_fte" for n in small.notes)
