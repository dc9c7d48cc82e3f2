"""Catalogues and locale formatting: the shipped French catalogue is complete and compiled."""

from __future__ import annotations

import io

import i18n_build as build

from relmap.i18n import _, format_money, format_number, format_percent, language, ngettext


def test_catalogue_is_fresh_and_complete() -> None:
    """Fails when a _() string has no French translation or the .pot/.po/.mo are stale: run 'make i18n'."""
    problems = build.stale()
    assert not problems, "run 'make i18n' and translate the empty msgstr:\n" + "\n".join(problems)


def test_freshness_compares_messages_not_the_babel_version() -> None:
    """The header line where Babel writes its version is not content; a translation, a message or a plural rule is."""
    po = build.po_path("fr")
    mo = po.with_suffix(".mo")
    shipped_po, shipped_mo = po.read_bytes(), mo.read_bytes()
    assert b"Generated-By: Babel " in shipped_po
    newer = shipped_po.replace(b"Generated-By: Babel ", b"Generated-By: Babel 99.0 (was ")
    assert newer != shipped_po and build.content(po, newer) == build.content(po, shipped_po)

    retranslated = shipped_po.replace('msgstr "Synthèse"'.encode(), 'msgstr "Résumé"'.encode())
    assert retranslated != shipped_po and build.content(po, retranslated) != build.content(po, shipped_po)
    one_plural = shipped_po.replace(b"nplurals=2; plural=(n > 1);", b"nplurals=1; plural=0;")
    assert one_plural != shipped_po and build.content(po, one_plural) != build.content(po, shipped_po)

    from babel.messages.mofile import read_mo, write_mo

    catalog = read_mo(io.BytesIO(shipped_mo))
    message = catalog.get("Executive summary")
    assert message is not None
    message.string = "Résumé"
    changed = io.BytesIO()
    write_mo(changed, catalog)
    assert build.content(mo, changed.getvalue()) != build.content(mo, shipped_mo)
    del catalog["Executive summary"]
    fewer = io.BytesIO()
    write_mo(fewer, catalog)
    assert build.content(mo, fewer.getvalue()) != build.content(mo, shipped_mo)


def test_numbers_per_locale() -> None:
    """12345.5 → 12,345.5 / 12 345,5; 0.24 → 24% / 24 %; money with the sign where the locale puts it."""
    with language("en"):
        assert format_number(12345.5, 1) == "12,345.5"
        assert format_percent(0.24) == "24%"
        assert format_money(12345.5, "EUR") == "€12,346"
    with language("fr"):
        assert format_number(12345.5, 1) == "12\u00a0345,5"
        assert format_percent(0.24) == "24\u202f%"
        assert format_money(12345.5, "EUR") == "12\u00a0346\u00a0€"


def test_translation_and_plural() -> None:
    with language("fr"):
        assert _("Executive summary") == "Synthèse"
        assert ngettext("{n} activity", "{n} activities", 1).format(n=1) == "1 activité"
        assert ngettext("{n} activity", "{n} activities", 2).format(n=2) == "2 activités"
    assert _("Executive summary") == "Executive summary"


def test_every_enumeration_value_has_words_in_both_languages() -> None:
    """Quadrants, flags and sources of analysis.json: a label in English, another in French, lower-case on demand."""
    from typing import get_args

    from relmap.analysis.result import AutomatabilitySource, FlagKind, Quadrant, RelationalSource
    from relmap.i18n import language
    from relmap.vocabulary import flag_label, quadrant_label, source_label

    cases = [(quadrant_label, q) for q in get_args(Quadrant)] + [(flag_label, k) for k in get_args(FlagKind)]
    cases += [(source_label, s) for s in {*get_args(AutomatabilitySource), *get_args(RelationalSource)}]
    for label, value in cases:
        with language("en"):
            english = label(value)
        with language("fr"):
            french = label(value)
        assert english and french != english, (value, english, french)
    with language("fr"):
        assert quadrant_label("relational_core") == "Cœur relationnel"
        assert quadrant_label("relational_core", lower=True) == "cœur relationnel"
