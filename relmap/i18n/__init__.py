"""English and French texts: gettext catalogues shipped in the package.

Every sentence a user reads goes through :func:`_` (or :func:`ngettext`). The
language is a context variable set once per command (``--lang`` or the file's
``company.language``), so library calls made from a notebook can also choose.

Catalogues live in ``relmap/i18n/<lang>/LC_MESSAGES/relmap.po`` and are
compiled to ``.mo`` with Babel (``make i18n``); a test fails when a ``.mo`` is
older than its ``.po``.
"""

from __future__ import annotations

import gettext as _gettext
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from importlib import resources
from collections.abc import Iterator

LANGUAGES: tuple[str, ...] = ("en", "fr")
DOMAIN = "relmap"

_current: ContextVar[str] = ContextVar("relmap_language", default="en")


@lru_cache(maxsize=None)
def _translations(lang: str) -> _gettext.NullTranslations:
    if lang == "en":
        return _gettext.NullTranslations()
    localedir = resources.files(__package__)
    mo = localedir / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not mo.is_file():
        return _gettext.NullTranslations()
    with mo.open("rb") as fh:
        return _gettext.GNUTranslations(fh)


def normalize_language(lang: str | None) -> str:
    """``"fr_FR.UTF-8"`` → ``"fr"``; anything unknown → ``"en"``."""
    if not lang:
        return "en"
    short = lang.replace("-", "_").split("_")[0].split(".")[0].lower()
    return short if short in LANGUAGES else "en"


def get_language() -> str:
    """The language of the current context."""
    return _current.get()


def set_language(lang: str | None) -> None:
    """Set the language for the current context (``en`` or ``fr``)."""
    _current.set(normalize_language(lang))


@contextmanager
def language(lang: str | None) -> Iterator[str]:
    """Temporarily switch language: ``with language("fr"): ...``."""
    token = _current.set(normalize_language(lang))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate with a plural form chosen by ``n``."""
    return _translations(_current.get()).ngettext(singular, plural, n)
