"""The text catalogue and the formats of each language."""

import io
import shutil
import string
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from geodata import i18n
from geodata.i18n import (
    LANGS,
    Catalogue,
    all_texts,
    count_text,
    describe,
    format_day,
    format_money,
    format_number,
    has_text,
    of_place,
    t,
    use_catalogue,
)


def fields(text: str) -> set[str]:
    """The ``{placeholders}`` of a text."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_exists_in_both_languages():
    """A key present in one catalogue and missing from the other is a defect."""
    french, english = set(all_texts("fr")), set(all_texts("en"))
    assert sorted(french - english) == [] and sorted(english - french) == []


def test_both_languages_fill_the_same_placeholders():
    """A message with parameters (``{row}``, ``{column}``...) names the same ones in each
    language, and in each of its plural forms, so a problem found once can be shown in
    either."""
    french, english = all_texts("fr"), all_texts("en")
    differing = [key for key, forms in french.items()
                 if {frozenset(fields(form)) for form in (*forms, *english[key])}
                 != {frozenset(fields(forms[0]))}]
    assert differing == []


@pytest.mark.parametrize("lang", LANGS)
def test_po_files_are_complete_gettext_catalogues(lang):
    """Each .po file reads back with Babel: its language, the plural rule of the language,
    every entry translated (none fuzzy or empty), plural entries with both forms; written
    again by a gettext tool (Babel's writer), it gives the same texts."""
    path = Path(i18n.LOCALE_DIR) / lang / "LC_MESSAGES" / "atlas.po"
    with path.open("rb") as po_file:
        catalog = read_po(po_file)
    assert str(catalog.locale) == lang
    assert catalog.plural_forms == {"fr": "nplurals=2; plural=(n > 1);",
                                    "en": "nplurals=2; plural=(n != 1);"}[lang]
    messages = [message for message in catalog if message.id]
    assert [m.id for m in messages if m.fuzzy] == []
    strings = [m.string if m.pluralizable else (m.string,) for m in messages]
    assert all(len(forms) == (2 if m.pluralizable else 1) and all(f.strip() for f in forms)
               for m, forms in zip(messages, strings, strict=True))
    keys = {m.id[0] if m.pluralizable else m.id for m in messages}
    assert keys == set(all_texts(lang)) and len(keys) == len(messages)
    rewritten = io.BytesIO()
    write_po(rewritten, catalog)
    rewritten.seek(0)
    again = read_po(rewritten)
    assert [(m.id, m.string) for m in again if m.id] == [(m.id, m.string) for m in messages]
    assert again.plural_forms == catalog.plural_forms


def test_no_text_says_s_in_brackets():
    """Plurals are catalogue plural forms: no text reads "programme(s)"."""
    assert [key for lang in LANGS for key, forms in all_texts(lang).items()
            if any("(s)" in form for form in forms)] == []


@pytest.mark.parametrize(("lang", "one", "seven"), [
    ("fr", "1 programme correspondant aux filtres", "7 programmes correspondant aux filtres"),
    ("en", "1 programme matching the filters", "7 programmes matching the filters"),
])
def test_counts_pick_the_plural_form(lang, one, seven):
    """1 programme, 7 programmes: the count picks the form and is written in the language."""
    assert describe("panel.count.programmes", lang, {"n": 1}) == one
    assert describe("panel.count.programmes", lang, {"n": 7}) == seven
    assert describe("tooltip.programmes", lang, {"n": 7}) == seven


def test_zero_is_singular_in_french_and_plural_in_english():
    """French says "0 autre programme", English "0 more programmes"; big counts are grouped."""
    assert describe("panel.outside", "fr", {"n": 0}) == "0 autre programme hors filtres."
    assert describe("panel.outside", "fr", {"n": 2}) == "2 autres programmes hors filtres."
    assert describe("panel.outside", "en", {"n": 0}) == "0 more programmes outside the filters."
    assert describe("panel.outside", "en", {"n": 1}) == "1 more programme outside the filters."
    assert count_text("update.count.programmes", 1234, "fr") == "1\u202f234 programmes"
    assert count_text("update.count.posts", 1, "fr") == "1 poste"
    assert count_text("problem.count.errors", 2, "en") == "2 errors"


def test_plural_entries_need_their_count():
    """A plural entry without a count (or through ``t``) is a programming error, said early."""
    with pytest.raises(ValueError, match="plural"):
        t("panel.outside", "fr")
    with pytest.raises(ValueError, match="integer"):
        describe("panel.outside", "fr", {"n": "3"})


def test_french_elides_of_before_a_vowel_or_mute_h():
    """Poste d'Abidjan, Siège du poste d'Alger, Poste de Dakar; English keeps the name."""
    assert describe("panel.post.title", "fr", {"of_city": of_place("Abidjan", "fr")}) == (
        "Poste d'Abidjan")
    assert describe("panel.coverage.host", "fr", {"of_city": of_place("Alger", "fr")}) == (
        "Siège du poste d'Alger.")
    assert describe("panel.post.title", "fr", {"of_city": of_place("Dakar", "fr")}) == (
        "Poste de Dakar")
    assert [of_place(city, "fr") for city in ("Athènes", "Ouagadougou", "Hanoï", "Yaoundé",
                                              "N'Djamena", "Islamabad", "<i>Oran</i>")] == [
        "d'Athènes", "d'Ouagadougou", "d'Hanoï", "de Yaoundé", "de N'Djamena", "d'Islamabad",
        "de <i>Oran</i>"]
    assert describe("panel.post.title", "en", {"of_city": of_place("Algiers", "en")}) == (
        "Algiers post")


def test_the_posts_french_form_wins_over_the_rule():
    """Where the article cannot be derived (posts column city_fr_of): du Caire, de La Havane."""
    assert of_place("Le Caire", "fr", "du Caire") == "du Caire"
    assert describe("panel.coverage.regional", "fr", {
        "of_city": of_place("Le Caire", "fr", "du Caire"), "country": "Égypte"}) == (
        "Couvert depuis le poste du Caire (Égypte).")
    assert of_place("La Havane", "fr", "de La Havane") == "de La Havane"
    assert of_place("Cairo", "en", "du Caire") == "Cairo"  # a French form only
    assert of_place("Abidjan", "fr", "  ") == "d'Abidjan"  # blank: the rule


def test_a_replaced_catalogue_is_read_lazily_and_can_be_reset(tmp_path):
    """The catalogue reads its files on first use; another one (here an edited copy) can
    stand in, and ``reset`` rereads the files."""
    shutil.copytree(i18n.LOCALE_DIR, tmp_path / "locale")
    edited = Catalogue(tmp_path / "locale")
    missing = Catalogue(tmp_path / "nowhere")  # built without reading anything
    with pytest.raises(FileNotFoundError):
        missing.keys()
    previous = use_catalogue(edited)
    try:
        assert t("kpi.posts", "fr") == "postes" and has_text("kpi.posts")
        french = tmp_path / "locale" / "fr" / "LC_MESSAGES" / "atlas.po"
        french.write_text(french.read_text(encoding="utf-8").replace(
            'msgstr "postes"', 'msgstr "bureaux"'), encoding="utf-8")
        assert t("kpi.posts", "fr") == "postes"  # read once
        edited.reset()
        assert t("kpi.posts", "fr") == "bureaux"
    finally:
        use_catalogue(previous)
    assert t("kpi.posts", "fr") == "postes"


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
    assert [k for k, forms in all_texts(lang).items() if not all(f.strip() for f in forms)] == []


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
    assert t("kpi.posts", "xx") == all_texts("fr")["kpi.posts"][0] == "postes"
