"""Diagrams: goldens on the fixed fixture chain, every name as text, hostile names, determinism, real Graphviz.

The input is the hand-made result of tests/render_fixture.py (8 activities, 3
stages incl. one support stage, 2 actors, 2 scenarios), so the goldens do not
move when the analysis engine changes. Regenerate with ``pytest --update-golden``.
"""

from __future__ import annotations

import json
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from quick import first_quick
from render_fixture import DEFAULT_ACTS, Act, build_result, fixture_result, large_result

from relmap.analysis.result import AnalysisResult
from relmap.errors import RenderError, UsageError
from relmap.render import VIEWS, render_view, write_views
from relmap.render.dot import build_drawing, max_overview, overview_aggregated, value_chain_dot
from relmap.render.layout import split_columns
from relmap.render.matrix import LABEL_CHARS
from relmap.render.reinvest import build_plan
from relmap.render.text import MAX_LABEL_CHARS, dot_html, wrap
from relmap.render.theme import LIGHT

SVG = "{http://www.w3.org/2000/svg}"
ROOT = Path(__file__).resolve().parent.parent
HOSTILE = [
    "<script>alert(1)</script>",
    'a"b\\N\\G',
    "C:\\path\\",
    "Accueil 😀 chaleureux",
    "استقبال الضيوف",
    "קבלת פנים",
    "&amp; co",
    "Cost $x$ and $y^2$",
    "Achats:Logistique -> node [label=x]",
    "Long " + "relational-accompaniment " * 16,
]


@pytest.fixture(scope="module")
def result() -> AnalysisResult:
    return fixture_result()


@pytest.fixture(scope="module")
def svgs(result: AnalysisResult) -> dict[str, bytes]:
    return {view: render_view(result, view) for view in VIEWS}


def squash(text: str) -> str:
    """Text without any whitespace (labels are wrapped over several lines)."""
    return re.sub(r"\s+", "", text)


def all_text(svg: bytes) -> str:
    root = ET.fromstring(svg)
    return "".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))


def names_shown(act_name: str, view: str = "value-chain") -> str:
    """What a label shows of a name: the name, or its beginning and '…' past the view's limit."""
    limit = LABEL_CHARS if view == "matrix" else MAX_LABEL_CHARS
    return squash(" ".join(wrap(act_name, 1000, max_chars=limit)))


# --------------------------------------------------------------------------- goldens


def test_value_chain_dot_golden(result: AnalysisResult, golden: Callable[[str, str], None]) -> None:
    """The DOT text of the fixture, with estimated sizes (the same on every machine)."""
    golden("render/value-chain.dot", value_chain_dot(result))


def test_value_chain_svg_structure_golden(svgs: dict[str, bytes], golden: Callable[[str, str], None]) -> None:
    """Node titles, edge and cluster counts of the real SVG (stable across Graphviz versions)."""
    root = ET.fromstring(svgs["value-chain"])
    groups = {cls: [g for g in root.iter(f"{SVG}g") if g.get("class") == cls] for cls in ("node", "edge", "cluster")}
    summary = {
        "nodes": sorted(g.findtext(f"{SVG}title") or "" for g in groups["node"]),
        "edges": len(groups["edge"]),
        "clusters": len(groups["cluster"]),
    }
    golden("render/value-chain.summary.json", json.dumps(summary, indent=1) + "\n")


# --------------------------------------------------------------------------- content


def test_every_activity_name_is_text_in_value_chain_and_matrix(result: AnalysisResult,
                                                              svgs: dict[str, bytes]) -> None:
    for view in ("value-chain", "matrix"):
        text = squash(all_text(svgs[view]))
        for act in result.activities:
            assert names_shown(act.name, view) in text, (view, act.name)


def test_reinvestment_names_every_source_and_receiver(result: AnalysisResult, svgs: dict[str, bytes]) -> None:
    text = squash(all_text(svgs["reinvestment"]))
    scen = result.scenarios["base"]
    for act in result.activities:
        per = act.by_scenario["base"]
        if per.hours_freed > 0 or scen.received.get(act.id, 0) > 0:
            assert squash(act.name) in text, act.name
    for label in ("Recognition", "Training", "Savings", "10,992"):
        assert label in text


def test_value_chain_shows_marks_and_numbers(svgs: dict[str, bytes]) -> None:
    """Goods are marked by ♥ (not colour alone); flags in words; freed → received hours of 'base'.

    Front desk welcome: 9,642 h × 0.55 × 0.6 = 3,182 h freed; it receives 2,893 h (fixture allocation).
    """
    text = all_text(svgs["value-chain"])
    assert "♥ Front desk welcome" in text
    assert "−3,182\u00a0h → +2,893\u00a0h" in text
    assert "▲ relay at risk" in text
    assert "invisible work" in text
    assert "Hôtel du Lac — relational goods in the value chain" in text
    assert "2026-09" in text


def test_support_stage_is_dashed_and_below_primary(result: AnalysisResult) -> None:
    dot = value_chain_dot(result)
    assert 'style="rounded,dashed,filled"' in dot
    drawing = build_drawing(result)
    assert len(drawing.primary) == 2 and len(drawing.support) == 1


def test_scenario_changes_the_numbers(result: AnalysisResult) -> None:
    """Bold scenario: Front desk frees 9,642 h × 0.55 × 0.8 = 4,242.5 h, shown as 4,242 h.

    The header names the other scenario's totals too (base: 10,992 h freed).
    """
    assert "“Base case” (60%): 10,992\u00a0h freed" in value_chain_dot(result, scenario="bold")
    assert "−4,242\u00a0h" in value_chain_dot(result, scenario="bold")
    assert "−4,242\u00a0h" not in value_chain_dot(result, scenario="base")


def test_reinvestment_bands_add_up_to_hours_freed(result: AnalysisResult) -> None:
    """Every source's bands sum to its freed hours, so the right column sums to the scenario's hours_freed."""
    for scen in result.scenarios.values():
        plan = build_plan(result, scen, LIGHT, "en")
        assert sum(plan.bands.values()) == pytest.approx(scen.hours_freed, rel=1e-9)
        assert sum(s.hours for s in plan.sources) == pytest.approx(scen.hours_freed, rel=1e-9)
        placed = sum(h for (_s, d), h in plan.bands.items() if d in result.relational_goods)
        assert placed == pytest.approx(scen.hours_reinvested, rel=1e-9)


def test_french_numbers(result: AnalysisResult) -> None:
    text = all_text(render_view(result, "value-chain", lang="fr"))
    assert "10\u00a0992\u00a0h" in text


@pytest.mark.parametrize("theme", first_quick(["dark", "print"], 1))
def test_themes(result: AnalysisResult, theme: str) -> None:
    for view in VIEWS:
        root = ET.fromstring(render_view(result, view, theme=theme))
        assert root.tag == f"{SVG}svg"


# --------------------------------------------------------------------------- SVG hygiene


@pytest.mark.parametrize("view", VIEWS)
def test_svg_is_clean_for_slides(svgs: dict[str, bytes], view: str) -> None:
    data = svgs[view]
    text = data.decode("utf-8")
    root = ET.fromstring(data)
    assert "<!DOCTYPE" not in text and "<!--" not in text and "<?xml" not in text
    assert 'stroke="transparent"' not in text and 'fill="transparent"' not in text
    assert "Times" not in text
    ids = set()
    for elem in root.iter():
        assert "style" not in elem.attrib, (view, elem.tag)
        assert elem.tag not in (f"{SVG}script", f"{SVG}style", f"{SVG}foreignObject")
        for key, value in elem.attrib.items():
            assert not key.lower().startswith("on")
            if key.endswith("href"):
                assert value.startswith("#")
        if "id" in elem.attrib:
            assert elem.attrib["id"].startswith(view + "-")
            ids.add(elem.attrib["id"])
    for ref in re.findall(r"url\(#([^)]+)\)", text) + re.findall(r'href="#([^"]+)"', text):
        assert ref in ids, (view, ref)
    fonts = {e.get("font-family") for e in root.iter(f"{SVG}text")}
    assert fonts and all(f and "Arial" in f for f in fonts)


def test_id_prefix_keeps_inline_svgs_apart(result: AnalysisResult) -> None:
    one = ET.fromstring(render_view(result, "value-chain", id_prefix="a"))
    two = ET.fromstring(render_view(result, "value-chain", id_prefix="b"))
    ids_one = {e.get("id") for e in one.iter() if e.get("id")}
    ids_two = {e.get("id") for e in two.iter() if e.get("id")}
    assert ids_one and not ids_one & ids_two
    with pytest.raises(UsageError):
        render_view(result, "matrix", id_prefix='x" onload="alert(1)')


@pytest.mark.parametrize("view", VIEWS)
def test_deterministic(result: AnalysisResult, svgs: dict[str, bytes], view: str) -> None:
    assert render_view(result, view) == svgs[view]


# --------------------------------------------------------------------------- hostile text


def hostile_result() -> AnalysisResult:
    acts = [Act(**{**vars(a), "name": HOSTILE[i % len(HOSTILE)] if i < len(HOSTILE) else a.name})
            for i, a in enumerate(DEFAULT_ACTS)]
    extra = [Act(f"h{i}", name, "stay", 1.0, 0.6, 0.6) for i, name in enumerate(HOSTILE[len(DEFAULT_ACTS):])]
    return build_result(acts + extra, stages=[("acquire", "<b>Acquire</b> & \\N", "primary"),
                                              ("stay", "Séjour \"ré\"", "primary"),
                                              ("support", "Support\\l", "support")],
                        actors=[("guests", "Guests <img src=x onerror=alert(1)>", "customer"),
                                ("producers", "C:\\suppliers\\", "supplier")],
                        company='Evil "Co" <svg onload=alert(1)> \\G')


def test_hostile_names_render_as_text() -> None:
    """Every activity drawn in detail (``max_overview``: the names are long enough to trigger the overview)."""
    hostile = hostile_result()
    for view in VIEWS:
        with max_overview(1000):
            data = render_view(hostile, view)
        root = ET.fromstring(data)  # well-formed
        assert not [e for e in root.iter() if e.tag.endswith("script")]
        assert not [k for e in root.iter() for k in e.attrib if k.lower().startswith("on")]
        text = squash(all_text(data))
        for act in hostile.activities:
            if view not in ("reinvestment", "sensitivity", "trajectory"):  # these show no activity list
                assert names_shown(act.name, view) in text, (view, act.name)
        if view == "value-chain":
            assert squash("<script>alert(1)</script>") in text
            assert 'a"b\\N\\G' in text  # \N and \G not expanded
            assert "C:\\path\\" in text
            assert squash("Guests <img src=x onerror=alert(1)>") in text
            assert "…" in text  # the 400-character name is cut visibly, past 200 characters


def test_dot_never_carries_user_text_outside_labels() -> None:
    dot = value_chain_dot(hostile_result(), aggregate=False)
    for line in dot.splitlines():
        head = line.split("label=")[0]
        assert "script" not in head and "Evil" not in head and "C:" not in head
    for attr in ("URL", "href", "tooltip", "target", "FACE"):
        assert attr not in dot
    assert "\\\\N" in dot and "&lt;script&gt;" in dot


def test_dot_html_escapes() -> None:
    assert dot_html('<a href="x">&amp;\\N</a>') == "&lt;a href=&quot;x&quot;&gt;&amp;amp;\\\\N&lt;/a&gt;"
    assert dot_html("bell\x07tab\tnul\x00") == "bell tab nul "


# --------------------------------------------------------------------------- formats and Graphviz


@pytest.mark.parametrize("view", first_quick(sorted(VIEWS, key=lambda v: v not in ("matrix", "value-chain")), 2))
def test_png_and_pdf(result: AnalysisResult, view: str) -> None:
    png = render_view(result, view, fmt="png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width = int.from_bytes(png[16:20], "big")
    svg_pt = float(ET.fromstring(render_view(result, view)).get("width", "0").removesuffix("pt"))
    assert width == pytest.approx(svg_pt * 96 / 72 * 2, abs=4)  # 2× the SVG's CSS pixels
    assert render_view(result, view, fmt="pdf").startswith(b"%PDF")


@pytest.mark.slow  # every PNG view drawn for the deck
def test_deck_png_is_at_most_2000_pixels(result: AnalysisResult) -> None:
    """The matrix is 14 × 6.6 in: at 2× (192 dpi) 2,688 px wide; for a deck picture 2,000 / 14 = 142.86 dpi,
    so 2,000 × 942 px (6.6 × 142.86 = 942.9, cut to whole pixels). A figure already under 2,000 px keeps its
    2×: 5 in → 192 dpi."""
    from relmap.render.charts import deck_pngs, png_dpi

    assert png_dpi(14.0, 6.6, None) == 192
    assert png_dpi(14.0, 6.6, 2000) == pytest.approx(142.857, abs=1e-3)
    assert png_dpi(5.0, 3.0, 2000) == 192
    with deck_pngs():
        png = render_view(result, "matrix", fmt="png")
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (2000, 942)
    assert int.from_bytes(render_view(result, "matrix", fmt="png")[16:20], "big") == 2688  # outside: 2× again


def test_write_views_without_graphviz_still_writes_the_rest(result: AnalysisResult, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-graphviz-here"))
    with pytest.raises(RenderError, match="install Graphviz"):
        write_views(result, tmp_path / "out")
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == ["matrix.svg", "people.svg", "reinvestment.svg", "sensitivity.svg", "trajectory.svg",
                       "value-chain.dot"]
    assert (tmp_path / "out" / "value-chain.dot").read_text(encoding="utf-8").count(" -> ") == len(result.flows)


def test_write_views_protects_the_input(result: AnalysisResult, tmp_path: Path) -> None:
    victim = tmp_path / "matrix.svg"
    victim.write_text("input", encoding="utf-8")
    with pytest.raises(UsageError):
        write_views(result, tmp_path, views=("matrix",), protect=(victim,))
    assert victim.read_text(encoding="utf-8") == "input"


def test_unknown_choices_say_did_you_mean(result: AnalysisResult) -> None:
    with pytest.raises(UsageError, match="did you mean 'bold'"):
        render_view(result, "value-chain", scenario="bolt")
    with pytest.raises(UsageError, match="did you mean 'matrix'"):
        render_view(result, "matrx")
    with pytest.raises(UsageError, match="stay"):
        render_view(result, "value-chain", stage="sta")


# --------------------------------------------------------------------------- large chains


def test_large_chain_aggregates_by_stage_and_details_one_stage() -> None:
    """120 activities are unreadable in detail on a slide: one box per stage; --stage draws one in detail."""
    big = large_result(120)
    assert overview_aggregated(big)
    start = time.perf_counter()
    overview = ET.fromstring(render_view(big, "value-chain"))
    detail = ET.fromstring(render_view(big, "value-chain", stage="s1"))
    elapsed = time.perf_counter() - start
    nodes = [g for g in overview.iter(f"{SVG}g") if g.get("class") == "node"]
    assert len(nodes) == 1 + 6 + 2  # header, six stages, two actors
    text = squash(all_text(ET.tostring(detail)))
    for act in big.activities:
        if act.stage == "s1":
            assert squash(act.name) in text
    assert "Activity0" not in text.replace("Activity0s", "")  # s0 activities are not drawn one by one
    assert elapsed < 10


def test_split_columns_orders_by_flow_and_caps_rows() -> None:
    ids = [f"n{i}" for i in range(8)]
    links = [("n3", "n1"), ("n1", "n0"), ("n0", "n3")]  # a cycle must not loop
    cols = split_columns(ids, links, max_rows=3)
    assert [len(c) for c in cols] == [3, 3, 2]
    assert sorted(n for col in cols for n in col) == sorted(ids)


def test_cli_render_equals_library(tmp_path: Path) -> None:
    from click.testing import CliRunner

    import relmap
    from relmap.cli import main

    example = ROOT / "tests" / "cases" / "analysis" / "tiny.yaml"  # small: the check is the plumbing
    runner = CliRunner()
    out = tmp_path / "out"
    done = runner.invoke(main, ["render", str(example), "-o", str(out), "--view", "matrix", "--lang", "en"])
    assert done.exit_code == 0, done.output
    expected = render_view(relmap.analyze(relmap.load(example)), "matrix", lang="en")
    assert (out / "matrix.svg").read_bytes() == expected
    bad = runner.invoke(main, ["render", str(example), "-o", str(out), "--scenario", "pusj"])
    assert bad.exit_code == 2 and "did you mean 'push'" in bad.output


def test_degenerate_chains_still_render() -> None:
    """No stages, no actors, no flows, no scenario; or every activity kept human (nothing freed)."""
    bare = build_result([Act("a", "Alone", None, 1.0, 0.9, 0.1), Act("b", "Also alone", None, 2.0, 0.1, 0.9)],
                        stages=[], actors=[], flows=[], scenarios=[])
    for view in VIEWS:
        text = squash(all_text(render_view(bare, view)))
        assert "Alone" in text or view in ("reinvestment", "people", "sensitivity", "trajectory")
    assert "Nohoursarefreed" in squash(all_text(render_view(bare, "reinvestment")))
    assert bare.scenario_or_none() is None and bare.scenario_or_none("any") is None
    with pytest.raises(KeyError):
        bare.scenario_result()
    kept = build_result([Act(a.id, a.name, a.stage, a.fte, a.a, a.r, keep_human=True) for a in DEFAULT_ACTS])
    assert "Nohoursarefreed" in squash(all_text(render_view(kept, "reinvestment")))
    assert ET.fromstring(render_view(kept, "value-chain")) is not None


def test_flow_labels_are_drawn_escaped(result: AnalysisResult) -> None:
    flows = [f.model_copy(update={"label": "<b>50,000</b> stays \\N"}) if i == 1 else f
             for i, f in enumerate(result.flows)]
    labelled = result.model_copy(update={"flows": flows})
    text = all_text(render_view(labelled, "value-chain"))
    assert "<b>50,000</b> stays \\N" in text


def test_graphviz_png_is_capped_at_the_pixel_limit() -> None:
    """A drawing 100 inches wide would be 19,200 px at 2×: it is scaled down to PNG_MAX_PIXELS, keeping its shape."""
    import io

    from PIL import Image

    from relmap.render.svg import PNG_MAX_PIXELS, run_dot

    png = run_dot('digraph { a [shape=box, width=100, height=20, label="wide"] }', "png")
    width, height = Image.open(io.BytesIO(png)).size
    assert width <= PNG_MAX_PIXELS and width >= PNG_MAX_PIXELS - 10
    assert abs(width / height - 5) < 0.1
    small = run_dot('digraph { a [shape=box, width=2, height=1, label="small"] }', "png")
    assert Image.open(io.BytesIO(small)).size[0] < 600  # small drawings keep their 2× scale
