"""PyYAML's syntax problems in the user's language.

PyYAML writes its problems in English (``mapping values are not allowed
here``, ``while scanning a quoted scalar``). The loader shows them after
"YAML syntax error:"; :func:`translate_problem` passes the ones a person
editing a company file meets through the catalogue, by pattern (English stays
PyYAML's own words), and keeps any other text as it is (then at least the
frame around it is translated).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..i18n import _


def _patterns() -> list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]]:
    """PyYAML's wording is the English message (unchanged in English); French comes from the catalogue."""
    return [
        (re.compile(r"^mapping values are not allowed here$"), lambda m: _("mapping values are not allowed here")),
        (re.compile(r"^found character '(.+)' that cannot start any token$"),
         lambda m: _("found character '{char}' that cannot start any token").format(char=m.group(1))),
        (re.compile(r"^expected ',' or '([\]}])', but got '(.+)'$"),
         lambda m: _("expected ',' or '{close}', but got '{found}'").format(close=m.group(1), found=m.group(2))),
        (re.compile(r"^found unexpected end of stream$"), lambda m: _("found unexpected end of stream")),
        (re.compile(r"^expected <block end>, but found '(.+)'$"),
         lambda m: _("expected <block end>, but found '{found}'").format(found=m.group(1))),
        (re.compile(r"^could not find expected ':'$"), lambda m: _("could not find expected ':'")),
        (re.compile(r"^while scanning for the next token$"), lambda m: _("while scanning for the next token")),
        (re.compile(r"^while scanning a quoted scalar$"), lambda m: _("while scanning a quoted scalar")),
        (re.compile(r"^while parsing a flow sequence$"), lambda m: _("while parsing a flow sequence")),
        (re.compile(r"^while parsing a flow mapping$"), lambda m: _("while parsing a flow mapping")),
        (re.compile(r"^while parsing a block collection$"), lambda m: _("while parsing a block collection")),
        (re.compile(r"^while parsing a block mapping$"), lambda m: _("while parsing a block mapping")),
        (re.compile(r"^while scanning a simple key$"), lambda m: _("while scanning a simple key")),
        (re.compile(r"^while scanning a block scalar$"), lambda m: _("while scanning a block scalar")),
        (re.compile(r"^while scanning a plain scalar$"), lambda m: _("while scanning a plain scalar")),
    ]


def translate_problem(text: str) -> str:
    """``text`` (a PyYAML problem or context) in the current language; unknown texts are kept."""
    for pattern, make in _patterns():
        match = pattern.match(text.strip())
        if match:
            return make(match)
    return text
