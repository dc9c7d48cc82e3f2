"""Robustness: hostile names through every output, and property tests of every stage on generated chains.

* Hostile text (markup, event handlers, ``javascript:`` URLs, DOT escapes, Windows
  paths, emoji, right-to-left script, 400-character names, spreadsheet formulas,
  template and format syntax) in every free-text field goes through
  ``write_outputs``: ``analysis.json`` parses and keeps the text exactly; every
  SVG parses as XML with no script, no ``on*`` attribute, no external link;
  the HTML has no script, no handler, no external source; the Markdown table
  keeps its columns; the deck and the workbook open back with python-pptx and
  openpyxl, with no user text turned into a formula or a link.
* A hypothesis strategy builds *valid* company files of any size and shape
  (every estimate form, tasks, priors, touches, flows, scenarios, policies);
  each must validate, and the analysis, the diagrams and the reports keep
  their invariants on it.
"""

from __future__ import annotations

import io
import json
import math
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import dump_yaml, examples

import relmap
from relmap.analysis.result import AnalysisResult
from relmap.input.model import RUBRIC_DIMENSIONS, ValueChain

HOSTILE = [
    "<script>alert(1)</script>",
    '" onmouseover="alert(1)',
    "javascript:alert(1)",
    "[click](javascript:alert(1)) | pipe | `code` *em*",
    r"\N \G \l C:\path\ ",
    "=HYPERLINK(\"http://evil.example\",\"x\")",
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "{{ 7*7 }} {% raw %} {0} %s ${x}",
    "Achats:Logistique node edge subgraph",
    "&amp; &lt; &#x3C;script&#x3E;",
    "😀👩‍👩‍👧 café ﬁ",
    "مرحبا بالعالم שלום",
    "L" * 400,
]
ADJECTIVES = ["Welcome", "Care", "Billing", "Advice"]


def hostile_chain() -> dict[str, Any]:
    """A small valid company whose every free-text field is hostile."""
    h = HOSTILE
    acts = []
    for i in range(len(h)):
        acts.append({
            "id": f"a{i}", "name": h[i], "stage": "s0" if i % 2 else "s1", "roles": [h[(i + 1) % len(h)]],
            "touches": ["c0"] if i % 3 == 0 else [], "fte": 1 + i, "hourly_cost": 30,
            "automatability": [0.2, 0.9] if i % 2 else 0.7,
            "relational": ["high", "none", 0.6, {"low": 0.1, "mode": 0.5, "high": 0.9}][i % 4],
            "ai_provider": h[(i + 2) % len(h)][:100], "pain_points": [h[(i + 3) % len(h)]],
            "description": h[(i + 4) % len(h)],
        })
    acts[1].update(keep_human=True, reason=HOSTILE[0])
    flows = [{"from": f"a{i}", "to": f"a{i + 1}", "kind": "service", "label": h[i][:200]} for i in range(len(h) - 1)]
    flows.append({"from": f"a{len(h) - 1}", "to": "c0", "kind": "relationship", "label": h[1]})
    return {
        "relmap": 1,
        "company": {"name": h[0] + " " + h[1], "sector": h[4], "currency": "EUR", "hourly_cost": 25},
        "stages": [{"id": "s0", "name": h[2], "kind": "primary", "description": h[3]},
                   {"id": "s1", "name": h[5], "kind": "support"}],
        "actors": [{"id": "c0", "name": h[6], "kind": "customer"}, {"id": "p0", "name": h[12], "kind": "partner"}],
        "activities": acts,
        "flows": flows,
        "scenarios": [{"id": "base", "name": h[8], "description": h[9], "adoption": [0.4, 0.8],
                       "recognition": 0.1, "training": 0.1},
                      {"id": "bold", "name": h[11], "adoption": 0.9, "reinvest": 0.7}],
        "policy": {"transfers": [{"from": "a2", "to": "a0", "training_hours_per_fte": 10}]},
    }




# --------------------------------------------------------------------------- checkers


def check_svg(text: str, where: str) -> None:
    """Well-formed XML; no script element, no event handler, no link other than an in-document '#…'."""
    root = ET.fromstring(text)
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1].lower()
        assert tag not in ("script", "foreignobject", "iframe"), f"{where}: <{tag}>"
        for name, value in el.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            assert not local.startswith("on"), f"{where}: attribute {name}"
            if local in ("href", "src"):
                assert value.startswith(("#", "data:image/")), f"{where}: {name}={value[:60]}"
            assert "javascript:" not in value.lower(), f"{where}: {name}={value[:60]}"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def check_html(text: str) -> None:
    """No script, no handler, no external source or link; a CSP meta tag; inline SVGs well-formed."""
    parser = _Tags()
    parser.feed(text)
    tags = parser.tags
    assert not any(tag == "script" for tag, _ in tags)
    assert any(tag == "meta" and ("http-equiv", "Content-Security-Policy") in attrs for tag, attrs in tags)
    for tag, attrs in tags:
        for name, value in attrs:
            assert not name.lower().startswith("on"), f"<{tag} {name}>"
            if name.lower() in ("src", "href", "xlink:href", "action", "formaction"):
                assert (value or "").startswith(("#", "data:image/")), f"<{tag} {name}={value!r}>"
            assert "javascript:" not in (value or "").lower()
    for svg in re.findall(r"<svg\b.*?</svg>", text, flags=re.S):
        check_svg(svg, "report.html")


def check_markdown(text: str) -> None:
    """No raw HTML tag, no link to javascript:, every table row with its header's column count."""
    assert "<script" not in text
    assert not re.search(r"(?<!\\)\]\(\s*javascript:", text), "a live javascript: link"
    table: int | None = None
    for line in text.splitlines():
        if line.startswith("|"):
            cells = len(re.findall(r"(?<!\\)\|", line))
            table = cells if table is None else table
            assert cells == table, f"broken table row: {line[:120]}"
        else:
            table = None


# --------------------------------------------------------------------------- hostile names, every output


@pytest.fixture(scope="module")
def hostile_outputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ValueChain, AnalysisResult]:
    from relmap.report import write_outputs

    base = tmp_path_factory.mktemp("hostile")
    src = base / "company.yaml"
    src.write_text(dump_yaml(hostile_chain()), encoding="utf-8")
    chain = relmap.load(src)
    result = relmap.analyze(chain, draws=200)
    write_outputs(result, base / "out", source=src, chain=chain)
    return base / "out", chain, result


@pytest.mark.slow  # every output of a chain of hostile names (its five tests share one run)
def test_hostile_names_analysis_json(hostile_outputs: tuple[Path, ValueChain, AnalysisResult]) -> None:
    out, chain, _result = hostile_outputs
    data = json.loads((out / "analysis.json").read_text(encoding="utf-8"), parse_constant=pytest.fail)
    assert [a["name"] for a in data["activities"]] == [a.name for a in chain.sorted_activities()]
    assert data["company"]["name"] == chain.company.name


@pytest.mark.slow  # every output of a chain of hostile names (its five tests share one run)
def test_hostile_names_svgs(hostile_outputs: tuple[Path, ValueChain, AnalysisResult]) -> None:
    out, _chain, _result = hostile_outputs
    svgs = sorted(out.glob("*.svg"))
    assert {p.name for p in svgs} == {"value-chain.svg", "matrix.svg", "reinvestment.svg", "people.svg",
                                      "sensitivity.svg", "trajectory.svg"}
    for path in svgs:
        check_svg(path.read_text(encoding="utf-8"), path.name)


@pytest.mark.slow  # every output of a chain of hostile names (its five tests share one run)
def test_hostile_names_html_and_markdown(hostile_outputs: tuple[Path, ValueChain, AnalysisResult]) -> None:
    out, _chain, _result = hostile_outputs
    html = (out / "report.html").read_text(encoding="utf-8")
    check_html(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or "&lt;script&gt;" in html
    check_markdown((out / "report.md").read_text(encoding="utf-8"))


@pytest.mark.slow  # every output of a chain of hostile names (its five tests share one run)
def test_hostile_names_deck_and_workbook(hostile_outputs: tuple[Path, ValueChain, AnalysisResult]) -> None:
    from openpyxl import load_workbook
    from pptx import Presentation

    out, _chain, _result = hostile_outputs
    deck = Presentation(str(out / "deck.pptx"))
    text = []

    def every(shapes: Any) -> list[Any]:  # the native value chain's shapes are in groups
        return [x for sh in shapes for x in ([sh, *every(sh.shapes)] if sh.shape_type == 6 else [sh])]

    for slide in deck.slides:
        for shape in every(slide.shapes):
            if shape.shape_type == 6:  # a group has no click action of its own; its shapes are checked
                continue
            address = shape.click_action.hyperlink.address if hasattr(shape, "click_action") else None
            assert address is None or not address.lower().startswith("javascript:")
            if shape.has_text_frame:
                text.append(shape.text_frame.text)
                for para in shape.text_frame.paragraphs:
                    for run in para.runs:
                        link = run.hyperlink.address
                        assert link is None or not link.lower().startswith("javascript:")
    assert len(deck.slides) >= 3 and any("<script>" in t for t in text)
    book = load_workbook(io.BytesIO((out / "activities.xlsx").read_bytes()))
    user_text = [h for h in HOSTILE if h.startswith(("=", "@"))]
    found = False
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert not any(h[1:12] in str(cell.value) for h in user_text), f"formula from user text: {cell}"
                if isinstance(cell.value, str) and "cmd|" in cell.value:
                    found = True
                    assert cell.data_type == "s"
    assert found, "the formula-like name should be in the workbook, as text"


@pytest.mark.slow  # every output of a chain of hostile names (its five tests share one run)
def test_hostile_names_portfolio_summary(hostile_outputs: tuple[Path, ValueChain, AnalysisResult]) -> None:
    from relmap.batch.markdown import render_portfolio_md
    from relmap.batch.summary import PortfolioResult, summarise

    _out, _chain, result = hostile_outputs
    summary = summarise(result, "x|y.yaml", "x_y")
    md = render_portfolio_md(PortfolioResult(companies=[summary]))
    check_markdown(md)
    json.loads(PortfolioResult(companies=[summary]).to_json())


# --------------------------------------------------------------------------- generated valid chains

_ID = st.from_regex(r"\A[a-z][a-z0-9_]{0,6}\Z")
_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cf")), min_size=1, max_size=30).filter(
    lambda s: s.strip() != "")
_SHARE = st.floats(0, 1, allow_nan=False).map(lambda x: round(x, 3))


@st.composite
def estimate(draw: st.DrawFn) -> Any:
    """A 0..1 estimate in any form: number, [low, high] or {low, mode, high}."""
    kind = draw(st.sampled_from(["number", "range", "triangle"]))
    a, b = sorted((draw(_SHARE), draw(_SHARE)))
    if kind == "number":
        return a
    if kind == "range":
        return [a, b]
    return {"low": a, "mode": round(draw(st.floats(a, b)), 6) if b > a else a, "high": b}


@st.composite
def relational(draw: st.DrawFn) -> Any:
    kind = draw(st.sampled_from(["rubric", "word", "estimate"]))
    if kind == "rubric":
        return {d: draw(st.integers(0, 4)) for d in RUBRIC_DIMENSIONS}
    if kind == "word":
        return draw(st.sampled_from(["none", "low", "medium", "high", "very_high"]))
    return draw(estimate())


@st.composite
def chains(draw: st.DrawFn, max_activities: int = 30, min_activities: int = 1) -> dict[str, Any]:
    """A valid company file (plain data) of any size and shape."""
    stage_ids = draw(st.lists(_ID, max_size=4, unique=True))
    actor_ids = draw(st.lists(_ID.map(lambda s: "x" + s), max_size=4, unique=True))
    n = draw(st.integers(min_activities, max_activities))
    act_ids = [f"act{i}" for i in range(n)]
    acts = []
    for aid in act_ids:
        act: dict[str, Any] = {"id": aid, "name": draw(_TEXT), "relational": draw(relational())}
        if stage_ids and draw(st.booleans()):
            act["stage"] = draw(st.sampled_from(stage_ids))
        if draw(st.booleans()):
            act["fte"] = draw(st.floats(0, 50).map(lambda x: round(x, 2)))
        else:
            act["hours"] = draw(st.floats(0, 80_000).map(lambda x: round(x, 1)))
        source = draw(st.sampled_from(["value", "tasks", "occupation", "archetype"]))
        if source == "value":
            act["automatability"] = draw(estimate())
        elif source == "tasks":
            k = draw(st.integers(1, 3))
            act["tasks"] = [{"name": f"t{j}", "share": round(1 / k - 0.001, 3), "automatability": draw(estimate())}
                            for j in range(k)]
        elif source == "occupation":
            act["occupation"] = draw(st.sampled_from(["43-4051.00", "31-1131.00", "11-1021.00", "15-1252.00"]))
        else:
            act["archetype"] = draw(st.sampled_from(["processing_data", "managing_others", "predictable_physical"]))
        if draw(st.booleans()):
            act["hourly_cost"] = draw(st.floats(0, 200).map(lambda x: round(x, 2)))
        if actor_ids and draw(st.booleans()):
            act["touches"] = draw(st.lists(st.sampled_from(actor_ids), max_size=2, unique=True))
        if draw(st.integers(0, 9)) == 0:
            act.update(keep_human=True, reason="valued for itself")
        if draw(st.booleans()):
            act["ai_provider"] = draw(st.sampled_from(["A", "B", "C"]))
        acts.append(act)
    nodes = act_ids + actor_ids
    pairs = draw(st.lists(st.tuples(st.sampled_from(nodes), st.sampled_from(nodes)), max_size=2 * n))
    flows = [{"from": a, "to": b, "kind": draw(st.sampled_from(["information", "material", "service",
                                                                 "relationship"]))}
             for a, b in pairs if a != b]
    scenarios = []
    for sid in draw(st.lists(_ID, min_size=1, max_size=3, unique=True)):
        shares = [draw(_SHARE) for _ in range(4)]
        total = sum(shares)
        if total > 1:
            shares = [math.floor(s / total * 1000) / 1000 for s in shares]
        scenarios.append({"id": sid, "adoption": draw(estimate()), "reinvest": shares[0], "recognition": shares[1],
                          "training": shares[2], "community": shares[3]})
    transfers = [{"from": draw(st.sampled_from(act_ids)), "to": draw(st.sampled_from(act_ids)),
                  "training_hours_per_fte": draw(st.integers(0, 50))} for _ in range(draw(st.integers(0, 2)))]
    return {
        "relmap": 1,
        "company": {"name": draw(_TEXT), "hourly_cost": draw(st.one_of(st.none(), st.floats(1, 100))),
                    "hours_per_fte": draw(st.sampled_from([1607, 1760, 2080]))},
        "stages": [{"id": s, "name": s.upper(), "kind": draw(st.sampled_from(["primary", "support"]))}
                   for s in stage_ids],
        "actors": [{"id": x, "name": x, "kind": draw(st.sampled_from(["customer", "supplier", "partner", "community",
                                                                      "regulator"]))} for x in actor_ids],
        "activities": acts,
        "flows": flows,
        "scenarios": scenarios,
        "policy": {"max_increase": draw(st.sampled_from([0.0, 0.1, 0.3, 2.0])),
                   "mobility": draw(st.sampled_from(["any", "stage", "adjacent"])),
                   "max_distance": draw(st.integers(1, 3)), "transfers": transfers},
        "thresholds": {"automatable": draw(_SHARE), "relational": draw(_SHARE)},
    }


PROPERTY = settings(max_examples=examples(25), deadline=timedelta(seconds=10), derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
TOL = 1e-6


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=TOL * max(1.0, abs(a), abs(b)))


@PROPERTY
@given(chains())
def test_generated_chains_validate_and_analysis_invariants_hold(data: dict[str, Any]) -> None:
    """Quadrants follow the thresholds; freed ≤ h × a; allocated + unallocated = pool; received ≤ capacity."""
    chain = relmap.loads(dump_yaml(data))
    result = relmap.analyze(chain, draws=50, seed=3)
    parsed = json.loads(result.to_json(), parse_constant=pytest.fail)
    assert len(parsed["activities"]) == len(chain.activities)
    ta, tr = result.thresholds["automatable"], result.thresholds["relational"]
    goods = set(result.relational_goods)
    for act in result.activities:
        a, r = act.automatability, act.relational_index
        assert 0 <= a <= 1 and 0 <= r <= 1 and act.hours >= 0
        assert act.relational_good == (act.id in goods)
        if not (close(a, ta) or close(r, tr)):
            expected = {(True, False): "automate", (True, True): "augment", (False, True): "relational_core",
                        (False, False): "sustain"}[(a >= ta, r >= tr)]
            assert act.quadrant == expected, act.id
        for row in act.by_scenario.values():
            assert -TOL <= row.hours_freed <= act.hours * a + TOL
            if act.keep_human:
                assert row.hours_freed == 0
            assert row.hours_received <= row.capacity + TOL * max(1.0, row.capacity)
            assert row.confidence is None or 0 <= row.confidence <= 1
    for sc in result.scenarios.values():
        assert close(sc.hours_freed, sum(a.by_scenario[sc.id].hours_freed for a in result.activities))
        assert close(sc.hours_reinvested + sc.unallocated, sc.reinvest_pool)
        assert close(sum(m.hours for m in sc.allocation), sc.hours_reinvested)
        assert all(m.hours > 0 for m in sc.allocation)
        assert all(m.to in goods for m in sc.allocation)
        assert close(sum(sc.shares.values()), 1.0)
        for pct in (sc.uncertainty or {}).values():
            assert pct.p10 <= pct.p50 + TOL and pct.p50 <= pct.p90 + TOL


@pytest.mark.slow  # every view and report of random chains
@settings(PROPERTY, max_examples=examples(3))
@given(chains(max_activities=25))
def test_generated_chains_render_and_report(data: dict[str, Any]) -> None:
    """Every diagram is well-formed safe SVG; the HTML, the Markdown and the workbook parse."""
    from openpyxl import load_workbook

    from relmap.render import VIEWS, render_view
    from relmap.report.html import render_html
    from relmap.report.markdown import render_markdown
    from relmap.report.xlsx import build_workbook

    chain = relmap.loads(dump_yaml(data))
    result = relmap.analyze(chain, draws=50)
    svgs = {}
    for view in VIEWS:
        svgs[view] = render_view(result, view, fmt="svg").decode("utf-8")
        check_svg(svgs[view], view)
    check_html(render_html(result, svgs))
    check_markdown(render_markdown(result))
    book = load_workbook(io.BytesIO(build_workbook(result, chain=chain)))
    assert book.worksheets


@pytest.mark.slow  # two analyses and every view of 81-140 activities
@settings(PROPERTY, max_examples=examples(2), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(chains(min_activities=81, max_activities=140))
def test_generated_large_chains_render_aggregated(data: dict[str, Any]) -> None:
    """81-140 activities: the overview is drawn by stage: still well-formed safe SVG, every view, and the HTML."""
    from relmap.render import VIEWS, render_view
    from relmap.render.dot import overview_aggregated
    from relmap.report.html import render_html

    chain = relmap.loads(dump_yaml(data))
    result = relmap.analyze(chain, draws=20)
    assert overview_aggregated(result)
    svgs = {view: render_view(result, view, fmt="svg").decode("utf-8") for view in VIEWS}
    for view, svg in svgs.items():
        check_svg(svg, view)
    check_html(render_html(result, svgs))
