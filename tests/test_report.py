"""Reports: Markdown and HTML escaping, self-containment, both languages, and write_outputs end to end.

The fixture (tests/report_fixture.py) carries hostile names: ``<script>alert(1)</script>``,
``Café "Ré" & Co`` and ``Billing | [link](javascript:alert(1))``.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from report_fixture import CAFE, HOSTILE, make_result

from relmap.errors import RenderError
from relmap.report import write_outputs
from relmap.report.html import render_html
from relmap.report.markdown import escape, render_markdown
from relmap.report.svg import inline_svg

ROOT = Path(__file__).resolve().parent.parent
OUTPUTS = ("analysis.json", "value-chain.svg", "matrix.svg", "reinvestment.svg", "people.svg", "sensitivity.svg",
           "trajectory.svg", "report.md", "report.html", "deck.pptx", "activities.xlsx")


class Page(HTMLParser):
    """Collects tags, attributes and text of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def assert_self_contained(html: str) -> Page:
    """No script, no event handler, no external src/href, the CSP and charset metas."""
    page = parse(html)
    for tag, attrs in page.tags:
        assert tag not in ("script", "iframe", "object", "embed", "link", "img"), tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in ("src", "href", "xlink:href", "action"):
                assert value is not None and value.startswith("#"), (tag, name, value)
    metas = [a for t, a in page.tags if t == "meta"]
    assert {"charset": "utf-8"} in metas
    csp = [a["content"] for a in metas if a.get("http-equiv") == "Content-Security-Policy"]
    assert csp == ["default-src 'none'; style-src 'unsafe-inline'; img-src data:"]
    return page


def test_markdown_escapes_user_text_in_tables_and_text() -> None:
    md = render_markdown(make_result())
    assert "<script>" not in md
    assert "&lt;script>alert(1)&lt;/script>" in md
    assert not re.search(r"(?<!\\)\]\(", md.replace("](value-chain.svg)", "").replace("](matrix.svg)", "")
                         .replace("](reinvestment.svg)", "").replace("](people.svg)", ""))
    assert "\\[link\\](javascript:alert(1))" in md
    table_lines = [line for line in md.splitlines() if line.startswith("| Billing")]
    assert table_lines and all("Billing \\| \\[link\\]" in line for line in table_lines)
    assert "![Value chain](value-chain.svg)" in md
    assert escape("a\nb|c") == "a b\\|c"
    assert escape("1. x") == "1\\. x" and escape("# x") == "\\# x"


def test_markdown_in_french_formats_numbers() -> None:
    md = render_markdown(make_result(), lang="fr")
    assert "## Synthèse" in md
    assert "24\u00a0120\u00a0€" in md  # value freed in the base scenario
    assert "78\u202f%" in md  # share of hours in relational goods: 3600 / 4600


def test_html_is_escaped_and_self_contained() -> None:
    html = render_html(make_result(), {}, lang="en")
    page = assert_self_contained(html)
    text = "".join(page.text)
    assert HOSTILE in text and CAFE in text  # shown as text…
    assert "<script>alert" not in html  # …never as markup
    assert html.count("Diagram not available") == 4
    sections = [a.get("id") for t, a in page.tags if t == "section"]
    assert sections == ["summary", "value-chain", "matrix", "relational-goods", "automation", "scenarios",
                        "reinvestment", "people", "risks", "method", "appendix"]


def test_html_inlines_svgs_with_prefixed_ids() -> None:
    svg = ('<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd"><svg '
           'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><defs><clipPath '
           'id="c"/></defs><g id="graph0" clip-path="url(#c)" onclick="x()"><a xlink:href="http://evil/">'
           '<text>t</text></a><use xlink:href="#c"/><script>alert(1)</script></g></svg>')
    html = render_html(make_result(), {"matrix": svg, "value-chain": svg, "reinvestment": svg}, lang="en")
    assert_self_contained(html)
    assert "<?xml" not in html and "DOCTYPE svg" not in html and "onclick" not in html
    for view in ("matrix", "value-chain", "reinvestment"):
        assert f'id="{view}-graph0"' in html and f'clip-path="url(#{view}-c)"' in html
    assert inline_svg(svg, "p-").count('id="p-') == 2


def test_html_in_french() -> None:
    html = render_html(make_result(), {}, lang="fr")
    assert '<html lang="fr">' in html
    assert "Synthèse" in html and "Hypothèses et méthode" in html
    assert "24\u00a0120\u00a0€" in html


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every output of the fixture analysis, with the real renderer."""
    out = tmp_path_factory.mktemp("out")
    written = write_outputs(make_result(), out)
    assert [p.name for p in written] == list(OUTPUTS)
    return out


def test_write_outputs_files_open_back(outputs: Path) -> None:
    data = json.loads((outputs / "analysis.json").read_text(encoding="utf-8"))
    assert data["relational_goods"] == ["welcome", "mentoring"]
    assert_self_contained((outputs / "report.html").read_text(encoding="utf-8"))
    html = (outputs / "report.html").read_text(encoding="utf-8")
    assert html.count("<svg") >= 3 and "Diagram not available" not in html
    for name in ("deck.pptx", "activities.xlsx"):
        assert zipfile.ZipFile(outputs / name).testzip() is None
    assert not list(outputs.glob(".*.tmp"))


def test_write_outputs_protects_the_input_and_updates_in_place(tmp_path: Path) -> None:
    source = tmp_path / "report.md"
    source.write_text("input", encoding="utf-8")
    with pytest.raises(Exception, match="refusing to overwrite"):
        write_outputs(make_result(), tmp_path, source=source, deck=False, xlsx=False)
    assert source.read_text(encoding="utf-8") == "input"


def test_render_failure_still_writes_everything_else(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without Graphviz on PATH the value chain fails; every other file is written, the HTML says why."""
    (tmp_path / "value-chain.svg").write_text("stale", encoding="utf-8")
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    with pytest.raises(RenderError, match="value-chain"):
        write_outputs(make_result(), tmp_path, deck=False)
    assert not (tmp_path / "value-chain.svg").exists()
    for name in ("analysis.json", "matrix.svg", "reinvestment.svg", "report.md", "report.html", "activities.xlsx"):
        assert (tmp_path / name).is_file(), name
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert html.count("Diagram not available") == 1


@pytest.mark.slow  # every output of an example
@pytest.mark.skipif(not os.environ.get("PATH"), reason="needs PATH")
def test_real_pipeline_on_an_example(tmp_path: Path) -> None:
    """examples/industrial-sme through load → analyze → write_outputs (no deck: its PNGs are slow)."""
    import relmap

    source = ROOT / "examples" / "industrial-sme" / "company.yaml"
    chain = relmap.load(source)
    result = relmap.analyze(chain)
    written = write_outputs(result, tmp_path, source=source, deck=False, lang="fr")
    assert {p.name for p in written} == set(OUTPUTS) - {"deck.pptx"}
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    page = assert_self_contained(html)
    text = "".join(page.text)
    for act in chain.activities:
        assert act.name in text
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert md.count("| ") > len(chain.activities)
    assert json.loads((tmp_path / "analysis.json").read_text(encoding="utf-8"))["company"]["name"] == \
        chain.company.name


def test_drawing_finish_gives_the_same_diagrams_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """The deck asks for the drawings midway and the files after: the second finish collects nothing again, and
    abandoning after finish stops nothing."""
    from relmap.report.drawing import Drawing

    drawing = Drawing(make_result(), lang="en", scenario=None, theme="light", png=False, worker=None)
    drawing.out.svg["matrix"] = "<svg/>"
    first = drawing.finish()
    assert first.svg == {"matrix": "<svg/>"}
    monkeypatch.setattr(drawing, "_pending", None)  # a second collection would iterate it and fail
    assert drawing.finish() is first
    drawing.abandon()
    assert drawing.finish() is first
