"""The text catalogue and the formats of each language."""

from datetime import date

import pytest

from geodata.i18n import LANGS, TEXTS, format_day, format_money, format_number, t


def test_every_key_exists_in_both_languages():
    """A key present in one catalogue and missing from the other is a defect."""
    french, english = set(TEXTS["fr"]), set(TEXTS["en"])
    assert sorted(french - english) == [] and sorted(english - french) == []


@pytest.mark.parametrize("lang", LANGS)
def test_no_text_is_empty(lang):
    """Every text has words."""
    assert [k for k, v in TEXTS[lang].items() if not v.strip()] == []


def test_formats_follow_the_language():
    """Numbers, money and dates in each language's format."""
    assert format_number(1234.5, "fr") == "1\u202f234,5"
    assert format_number(1234.5, "en") == "1,234.5"
    assert format_money(48_200_000, "fr") == "48,2\xa0M\xa0€"
    assert format_money(48_200_000, "en") == "€48.2M"
    assert format_day(date(2026, 3, 15), "fr") == "15 mars 2026"
    assert format_day(date(2026, 3, 15), "en") == "15 March 2026"


def test_unknown_language_falls_back_to_french():
    """A bad language code never fails."""
    assert t("kpi.posts", "xx") == TEXTS["fr"]["kpi.posts"]
