"""The components' own words follow the page's language: no "Search", "Select All", "2 selected",
"Loading...", "Zoom in" on the French page, none of their French forms on the English page."""

from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from geodata.i18n import t
from tests.browser.conftest import count, set_screen

#: Words the components bring of their own, in English, and their French forms (the catalogue's).
ENGLISH = ("Search", "Select All", "Select all", "Deselect All", "Deselect all", "selected",
           "Loading", "Zoom in", "Zoom out", "No options found", "Clear search",
           "Clear selection", "A JavaScript library", "Select Date", "Drag and Drop")
FRENCH = ("Rechercher", "Tout sélectionner", "Tout désélectionner", "sélectionnés",
          "Chargement", "Zoom avant", "Zoom arrière", "Aucun choix", "Effacer la",
          "Bibliothèque JavaScript")

#: Every text a user can read or hear: what shows, and the titles, labels and placeholders.
PAGE_TEXT = """
var parts = [document.body.innerText];
document.querySelectorAll('[title], [aria-label], [placeholder]').forEach(function (el) {
  ['title', 'aria-label', 'placeholder'].forEach(function (name) {
    if (el.getAttribute(name)) { parts.push(el.getAttribute(name)); }
  });
});
return parts.join('\\n');
"""


def _text(dash_duo) -> str:
    return dash_duo.driver.execute_script(PAGE_TEXT)


def _foreign(text: str, words: tuple[str, ...]) -> list[str]:
    return [w for w in words if re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", text)]


def _open_themes_with_two_chosen(dash_duo, lang: str) -> None:
    """Choose two themes, then leave the themes' list open with its search field."""
    dash_duo.find_element("#filter-themes").click()
    options = "//div[contains(@class,'dash-dropdown-content')]//*[@role='option']"
    dash_duo._wait_for(lambda d: len(d.find_elements(By.XPATH, options)) > 3, timeout=10,
                       msg="no theme offered")
    for index in (2, 3):
        dash_duo.driver.find_elements(By.XPATH, options)[index].click()
    dash_duo.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    dash_duo.wait_for_contains_text(
        "#filter-themes", t("dropdown.selected_count", lang).format(num_selected=2), timeout=10)
    dash_duo.find_element("#filter-themes").click()
    dash_duo._wait_for(lambda d: d.find_elements(By.XPATH, options), timeout=10,
                       msg="the list did not open again")


@pytest.mark.parametrize(("lang", "foreign"), [("fr", ENGLISH), ("en", FRENCH)])
def test_no_component_word_in_the_other_language(dash_duo, demo_app, lang, foreign):
    """On first paint, with a filter list open (two themes chosen) and with a panel open, the
    page shows none of the components' words in the other language, and shows its own."""
    dash_duo.start_server(demo_app)
    set_screen(dash_duo, 1366, 768)
    dash_duo.driver.get(dash_duo.server_url + f"/?lang={lang}")
    dash_duo.wait_for_element(".map", timeout=20)
    first = _text(dash_duo)
    dash_duo.wait_for_element("path.atlas-country-FRA", timeout=20)
    dash_duo._wait_for(lambda _: count(dash_duo, "path.atlas-country") >= 250, timeout=20,
                       msg="map not drawn")
    assert _foreign(first, foreign) == []
    assert _foreign(_text(dash_duo), foreign) == []
    assert t("map.zoom_in", lang) in _text(dash_duo)

    _open_themes_with_two_chosen(dash_duo, lang)
    shown = _text(dash_duo)
    assert _foreign(shown, foreign) == []
    assert t("dropdown.selected_count", lang).format(num_selected=2) in shown
    assert t("dropdown.search", lang) in shown
    dash_duo.driver.switch_to.active_element.send_keys(Keys.ESCAPE)

    dash_duo.driver.get(dash_duo.server_url + f"/?lang={lang}&country=MLI&mode=programmes")
    dash_duo.wait_for_text_to_equal("#panel-title", "Mali", timeout=20)
    assert _foreign(_text(dash_duo), foreign) == []
