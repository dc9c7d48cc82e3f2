"""Regenerate the message catalogues: ``python scripts/i18n_build.py`` (``make i18n``).

1. extract every ``_()`` / ``ngettext()`` string of the ``relmap`` package
   into ``relmap/i18n/relmap.pot`` (Babel's Python extractor);
2. merge it into ``relmap/i18n/fr/LC_MESSAGES/relmap.po`` (new strings appear
   untranslated, strings gone from the code are dropped);
3. compile every ``.po`` to ``.mo`` (what :mod:`relmap.i18n` loads).

Output is deterministic: no creation dates, no source line numbers (so moving
code does not churn the catalogue), messages sorted.

``python scripts/i18n_build.py --check`` changes nothing and exits 1 when the
catalogue or a ``.mo`` is stale or a French translation is missing. Stale
means other messages, not other bytes: the header line where Babel writes its
own version is not compared (see :func:`content`), so a newer Babel neither
fails the check nor rewrites the files.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

from relmap.i18n import DOMAIN

PACKAGE = Path(__file__).resolve().parent.parent / "relmap"
I18N = PACKAGE / "i18n"
LOCALES: tuple[str, ...] = ("fr",)
KEYWORDS = {"_": None, "ngettext": (1, 2)}
FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def _skip(path: str) -> bool:
    return "__pycache__" in path or path.startswith("seeds/build_")


def extract() -> Catalog:
    """Every translatable string of the package (no line numbers, sorted)."""
    catalog = Catalog(project="relmap", domain=DOMAIN, creation_date=FIXED_DATE, revision_date=FIXED_DATE,
                      fuzzy=False, charset="utf-8")
    found: Iterable[tuple[str, int, str | tuple[str, ...], list[str], str | None]] = extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",), strip_comment_tags=True)
    for filename, _lineno, message, comments, context in found:
        if _skip(filename):
            continue
        catalog.add(message, locations=[(f"relmap/{filename}", None)],  # type: ignore[list-item]
                    auto_comments=comments, context=context)
    return catalog


def _po_bytes(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_po(buf, catalog, width=100, sort_output=True, omit_header=False, include_lineno=False)
    return buf.getvalue()


def _mo_bytes(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def po_path(lang: str) -> Path:
    """``relmap/i18n/<lang>/LC_MESSAGES/relmap.po``."""
    return I18N / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def merged(lang: str, template: Catalog) -> Catalog:
    """The ``lang`` catalogue updated to ``template`` (obsolete strings dropped, no fuzzy guesses)."""
    path = po_path(lang)
    if path.is_file():
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=lang, domain=DOMAIN)
    else:
        catalog = Catalog(locale=lang, domain=DOMAIN, project="relmap")
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
    catalog.obsolete.clear()
    catalog.creation_date = catalog.revision_date = FIXED_DATE
    catalog.fuzzy = False
    catalog.language_team = "relmap <https://example.invalid/relmap>"
    catalog.last_translator = "relmap"
    return catalog


def missing(catalog: Catalog) -> list[str]:
    """Message ids with no (or only a fuzzy) translation."""
    out = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            out.append(message.id if isinstance(message.id, str) else message.id[0])
    return out


def plan(template: Catalog | None = None) -> dict[Path, bytes]:
    """Every file the build writes, with its bytes (``template``: :func:`extract`, when already done)."""
    template = template or extract()
    files = {I18N / f"{DOMAIN}.pot": _po_bytes(template)}
    for lang in LOCALES:
        catalog = merged(lang, template)
        files[po_path(lang)] = _po_bytes(catalog)
        files[po_path(lang).with_suffix(".mo")] = _mo_bytes(catalog)
    return files


Content = tuple[str | None, str, frozenset[tuple[Any, ...]]]


def content(path: Path, data: bytes) -> Content:
    """What a catalogue file says, whatever the Babel version that wrote it.

    Why: Babel writes its own version into the header (``Generated-By``) and
    may change how it lays out or flags a message; a catalogue is stale only
    when its messages differ. Compared: per message its context, id,
    translation, translator comments, source files and fuzzy flag (for a
    ``.mo``: context, id and translation, what gettext reads), and the
    language and plural rule of the header. Everything else in the header is
    not compared.
    """
    messages: frozenset[tuple[Any, ...]]
    if path.suffix == ".mo":
        catalog = read_mo(io.BytesIO(data))
        messages = frozenset((m.context, _hashable(m.id), _hashable(m.string)) for m in catalog if m.id)
    else:
        catalog = read_po(io.BytesIO(data))
        messages = frozenset(
            (m.context, _hashable(m.id), _hashable(m.string), tuple(m.auto_comments),
             tuple(sorted({file for file, _line in m.locations})), m.fuzzy)
            for m in catalog if m.id)
    plural = catalog.plural_forms if catalog.locale is not None else None
    return (str(catalog.locale) if catalog.locale is not None else None), plural or "", messages


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list | tuple) else value


def _is_stale(path: Path, data: bytes) -> bool:
    """True when ``path`` is missing or says something else than ``data`` (see :func:`content`)."""
    return not path.is_file() or content(path, path.read_bytes()) != content(path, data)


def stale() -> list[str]:
    """Problems of the shipped catalogues: stale files, missing translations (empty when all is well)."""
    template = extract()
    problems = [f"{path.relative_to(PACKAGE.parent)} is stale" for path, data in plan(template).items()
                if _is_stale(path, data)]
    for lang in LOCALES:
        catalog = merged(lang, template)
        problems += [f"{lang}: no translation for {msg!r}" for msg in missing(catalog)]
    return problems


def main(argv: list[str] | None = None) -> int:
    """Build (default) or ``--check``."""
    args = sys.argv[1:] if argv is None else argv
    if "--check" in args:
        problems = stale()
        for line in problems:
            print(line, file=sys.stderr)
        if problems:
            print("run 'make i18n' (python scripts/i18n_build.py) and translate the empty msgstr", file=sys.stderr)
        return 1 if problems else 0
    for path, data in plan().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if _is_stale(path, data):  # a newer Babel alone (another Generated-By) rewrites nothing
            path.write_bytes(data)
            print(f"wrote {path.relative_to(PACKAGE.parent)}")
    todo = [m for lang in LOCALES for m in missing(merged(lang, extract()))]
    if todo:
        print(f"{len(todo)} strings still need a French translation in {po_path('fr').relative_to(PACKAGE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
