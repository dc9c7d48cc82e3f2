"""Jupyter display of an analysis: its summary and the value-chain SVG inline.

``AnalysisResult._repr_mimebundle_`` calls :func:`mimebundle`; Jupyter picks
``text/html``, a terminal ``text/plain``.
"""

from __future__ import annotations

import html

from ..analysis.result import AnalysisResult
from ..errors import RelmapError
from ..i18n import _, get_language
from .content import build_content
from .svg import inline_svg


def summary_text(result: AnalysisResult) -> str:
    """The executive summary as plain text lines (current language)."""
    content = build_content(result)
    lines = [content.title, content.subtitle, ""]
    lines += [_("{label}: {text}").format(label=k.label, text=k.value) for k in content.key_figures]
    lines.append("")
    lines += [f"- {i.label + ': ' if i.label else ''}{i.text}" for i in content.section("summary").items]
    return "\n".join(lines)


def mimebundle(result: AnalysisResult) -> dict[str, str]:
    """``text/plain`` (the summary) and ``text/html`` (the summary, escaped, and the value-chain SVG)."""
    content = build_content(result)
    parts = [f"<h3>{html.escape(content.title)}</h3>", f"<p><em>{html.escape(content.subtitle)}</em></p>",
             "<table>"]
    parts += [f"<tr><th style='text-align:left'>{html.escape(k.label)}</th><td style='text-align:right'>"
              f"{html.escape(k.value)}</td><td><small>{html.escape(k.source)}</small></td></tr>"
              for k in content.key_figures]
    parts.append("</table><ul>")
    parts += [f"<li>{'<b>' + html.escape(i.label) + '</b> — ' if i.label else ''}{html.escape(i.text)}</li>"
              for i in content.section("summary").items]
    parts.append("</ul>")
    try:
        from ..render import render_view

        svg = render_view(result, "value-chain", fmt="svg", lang=get_language(), id_prefix="nb-value-chain-")
        parts.append(f"<div style='max-width:100%;overflow:auto'>{inline_svg(svg, 'nb-value-chain-')}</div>")
    except (RelmapError, ImportError) as exc:
        parts.append("<p>" + html.escape(_("Diagram not available: {reason}").format(reason=exc)) + "</p>")
    return {"text/plain": summary_text(result), "text/html": "\n".join(parts)}
