"""The text catalogue and the formats of each language."""

import string
from datetime import date

import pytest

from geodata.i18n import LANGS, TEXTS, describe, format_day, format_money, format_number, t


def test_every_key_exists_in_both_languages():
    """A key present in one catalogue and missing from the other is a defect."""
    french, english = set(TEXTS["fr"]), set(TEXTS["en"])
    assert sorted(french - english) == [] and sorted(english - french) == []


def test_both_languages_fill_the_same_placeholders():
    """A message with parameters (``{row}``, ``{column}``...) names the same ones in each
    language, so a problem found once can be shown in either."""
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    differing = [key for key in TEXTS["fr"] if fields(TEXTS["fr"][key]) != fields(TEXTS["en"][key])]
    assert differing == []


def test_problem_messages_in_each_language():
    """Parameters in place; a suggestion with alternatives joined in each language."""
    params = {"written": "Guinee", "suggestion": [{"fr": "GIN (Guinée)", "en": "GIN (Guinea)"},
                                                  {"fr": "GNB (Guinée-Bissau)",
                                                   "en": "GNB (Guinea-Bissau)"}]}
    assert describe("problem.unknown.country", "fr", params) == (
        "code pays inconnu «\u00a0Guinee\u00a0» ; "
        "vouliez-vous dire GIN (Guinée) ou GNB (Guinée-Bissau)\u00a0?"
    )
    assert describe("problem.unknown.country", "en", params) == (
        "unknown country code 'Guinee'; did you mean GIN (Guinea) or GNB (Guinea-Bissau)?"
    )
    range_params = {"minimum": 0.5, "maximum": 1500.0}
    assert describe("problem.value.range", "fr", range_params) == (
        "valeur attendue entre 0,5 et 1\u202f500"
    )
    assert describe("problem.value.range", "en", range_params) == (
        "expected a value between 0.5 and 1,500"
    )


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
