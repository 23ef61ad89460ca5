"""Long theme names get an optional short form (themes ``short_fr`` / ``short_en``, checked by
the validator) for narrow places; programmes an optional English description
(``description_en``), shown on English pages and exports."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.panel_layout import programme_table, theme_bars
from dashboard.settings import DEMO_DATA_DIR
from exports.tables import programmes_table
from geodata.countries import load_countries
from geodata.loading import load_network
from geodata.network import NetworkInvalid
from tests.unit.test_validate import TODAY, find
from viewmodel.data import build_atlas_data
from viewmodel.panels import ProgrammeRow, ThemeCount, country_panel_data
from viewmodel.urlstate import ViewState


@pytest.fixture(scope="module")
def demo_data():
    """The demo data as the app serves it."""
    countries = load_countries()
    return build_atlas_data(load_network(DEMO_DATA_DIR, countries), countries)


def _texts(component) -> list[str]:
    """Every string in a component tree."""
    if isinstance(component, str):
        return [component]
    children = getattr(component, "children", None)
    if children is None:
        return []
    if not isinstance(children, list | tuple):
        children = [children]
    return [text for child in children for text in _texts(child)]


def test_short_forms_are_read_and_default_to_the_name(csv_folder, tables):
    """A theme's short forms load as written; a blank or missing one is the name itself."""
    tables["themes"][0]["short_fr"] = "Stups"
    tables["themes"][0]["short_en"] = ""
    network = load_network(csv_folder(tables), today=TODAY)
    first = network.themes.iloc[0]
    assert first["short_fr"] == "Stups" and first["short_en"] == first["label_en"]
    second = network.themes.iloc[1]
    assert (second["short_fr"], second["short_en"]) == (second["label_fr"], second["label_en"])


@pytest.mark.parametrize(("short", "message"), [
    ("Une forme courte beaucoup trop longue", "24 characters at most"),
    ("Stupéfiants (drogue)", "longer than the name it shortens"),
])
def test_a_short_form_must_be_short(csv_folder, tables, short, message):
    """A short form over 24 characters, or longer than its name, is an error at its cell."""
    tables["themes"][0]["label_fr"] = "Stupéfiants"
    tables["themes"][0]["short_fr"] = short
    with pytest.raises(NetworkInvalid) as caught:
        load_network(csv_folder(tables), today=TODAY)
    problem = find(caught.value.problems, "themes.csv", 2, "short_fr")
    assert message in problem.message and problem.value == short
    assert "caractères" in problem.text("fr") or "abrège" in problem.text("fr")


def test_the_demo_shortens_civil_protection(demo_data):
    """The demo's longest names have short forms that fit a chip."""
    themes = demo_data.network.themes.set_index("theme_id")
    assert themes.at["civil_protection", "short_en"] == "Civil protection"
    assert themes.at["civil_protection", "short_fr"] == "Sécurité civile"
    assert (themes["short_fr"].str.len() <= 24).all() and (themes["short_en"].str.len() <= 24).all()


def test_panel_bars_and_chips_show_the_short_form_with_the_name_as_title():
    """The bars and the table's theme chips show the short form; the full name is the title."""
    theme = ThemeCount("civil_protection", "Civil protection and crisis management", "#6a3d9a",
                       3, short="Civil protection")
    bars = theme_bars((theme,), "en")
    label = bars.children[0].children[0]
    assert label.children == "Civil protection" and label.title == theme.label
    row = ProgrammeRow("P1", "Title", (theme,), "technical", "active", date(2024, 1, 1),
                       date(2025, 1, 1), None, (), "A description.")
    table = programme_table((row,), {}, "en")
    texts = _texts(table)
    assert "Civil protection" in texts and "A description." in texts


def test_english_pages_and_exports_describe_programmes_in_english(demo_data):
    """Mali's panel and the programmes export give the English description on English pages
    and the French one on French pages."""
    programmes = demo_data.network.programmes.set_index("programme_id")
    for lang, column in (("en", "description_en"), ("fr", "description")):
        panel = country_panel_data(demo_data, ViewState(lang=lang), "MLI")
        row = panel.programmes.rows[0]
        assert row.description == programmes.at[row.programme_id, column]
        table = programmes_table(demo_data, ViewState(lang=lang), lang, country="MLI")
        first = table.iloc[0]
        expected = programmes.at[first.iloc[0], column]
        assert expected in list(first)
