"""Catalogues and locale formatting: the shipped French catalogue is complete and compiled."""

from __future__ import annotations

from relmap.i18n import _, build, format_money, format_number, format_percent, language, ngettext


def test_catalogue_is_fresh_and_complete() -> None:
    """Fails when a _() string has no French translation or the .pot/.po/.mo are stale: run 'make i18n'."""
    problems = build.stale()
    assert not problems, "run 'make i18n' and translate the empty msgstr:\n" + "\n".join(problems)


def test_numbers_per_locale() -> None:
    """12345.5 → 12,345.5 / 12 345,5; 0.24 → 24% / 24 %; money with the sign where the locale puts it."""
    with language("en"):
        assert format_number(12345.5, 1) == "12,345.5"
        assert format_percent(0.24) == "24%"
        assert format_money(12345.5, "EUR") == "€12,346"
    with language("fr"):
        assert format_number(12345.5, 1) == "12\u00a0345,5"
        assert format_percent(0.24) == "24\u00a0%"
        assert format_money(12345.5, "EUR") == "12\u00a0346\u00a0€"


def test_translation_and_plural() -> None:
    with language("fr"):
        assert _("Executive summary") == "Synthèse"
        assert ngettext("{n} activity", "{n} activities", 1).format(n=1) == "1 activité"
        assert ngettext("{n} activity", "{n} activities", 2).format(n=2) == "2 activités"
    assert _("Executive summary") == "Executive summary"
