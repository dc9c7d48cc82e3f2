"""Every sentence a user reads goes through the catalogue: a scan of the sources for text handed straight to
an error, a problem or the terminal.

What it checks: a string literal (or an f-string with words in it) given to
``UsageError``, ``RenderError``, ``InputError``, ``RelmapError``,
``Problem``, ``click.ClickException``, ``click.echo``, ``console.print`` or
``print`` — these reach the user as they are, so they must be ``_()`` calls
instead. What it leaves: click's ``help=`` texts and command docstrings
(``--help`` stays English, documented in the README), text in a ``_()``
call, and strings with no words (numbers, separators, markup).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "relmap"
SINKS = {"UsageError", "RenderError", "InputError", "RelmapError", "Problem", "ClickException", "echo", "print"}
WORDS = re.compile(r"[A-Za-z]{3,}\s+[A-Za-z]{2,}")


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _literal_words(node: ast.expr) -> str | None:
    """The words of a literal given as is (not through ``_()``), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and WORDS.search(node.value):
        return node.value
    if isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
        return text if WORDS.search(text) else None
    if isinstance(node, ast.BinOp):
        return _literal_words(node.left) or _literal_words(node.right)
    return None


def untranslated(package: Path = PACKAGE) -> list[str]:
    found = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) in SINKS:
                for arg in node.args:
                    words = _literal_words(arg)
                    if words is not None:
                        found.append(f"{path.relative_to(package.parent)}:{node.lineno}: {words!r}")
    return found


def test_no_user_text_outside_the_catalogue() -> None:
    problems = untranslated()
    assert not problems, "wrap these in _() and translate them (make i18n):\n" + "\n".join(problems)


def test_the_scan_finds_a_bare_message(tmp_path: Path) -> None:
    """The scan is not blind: a bare message in a module is reported, a translated one is not."""
    fake = tmp_path / "relmap"
    fake.mkdir()
    (fake / "bad.py").write_text('raise UsageError("this file is broken")\nprint(_("fine text"))\n'
                                 'click.echo(f"{n} rows written")\n', encoding="utf-8")
    assert [p.split(": ", 1)[1] for p in untranslated(fake)] == ["'this file is broken'", "' rows written'"]
