"""The page's first layout shows the view of its URL (a shared link draws its own view first),
and its components carry their own words in the page's language."""

from __future__ import annotations

import json

import pytest

from dashboard import ids
from dashboard.layout import build_layout, dropdown_labels
from dashboard.settings import DEMO_DATA_DIR, Settings
from geodata.countries import load_countries
from geodata.i18n import t
from geodata.loading import load_network
from viewmodel.access import scope_countries, scoped_data
from viewmodel.data import build_atlas_data
from viewmodel.extent import WORLD_BOUNDS, world_view
from viewmodel.mapview import map_view
from viewmodel.urlstate import Vocabulary, parse_query


@pytest.fixture(scope="module")
def demo():
    countries = load_countries()
    return build_atlas_data(load_network(DEMO_DATA_DIR, countries), countries)


def _find(component, component_id):
    """The component of ``component_id`` in a layout tree."""
    if getattr(component, "id", None) == component_id:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            found = _find(child, component_id)
            if found is not None:
                return found
    return None


def _components(component) -> int:
    """How many components the browser renders for a layout tree."""
    children = getattr(component, "children", None)
    return 1 + sum(_components(child)
                   for child in (children if isinstance(children, list | tuple) else [children])
                   if child is not None and not isinstance(child, str | int | float))


def test_the_first_screen_is_light_to_render(demo):
    """Before the map is drawn the browser renders the whole first layout, so it holds no
    more than the first screen shows: the list of countries carries their names (in the
    page's language, A to Z), not its 250 buttons, which the page writes when the list is
    first unfolded. The page is then under 400 components (about 770 with the buttons)."""
    layout = build_layout(demo, Settings.load(data_dir=DEMO_DATA_DIR, lang="en"))
    assert _components(layout) < 400
    items = _find(layout, ids.COUNTRY_LIST).children[1]
    assert not items.children and items.to_plotly_json()["props"]["data-request"] == \
        ids.PANEL_REQUEST
    names = dict(json.loads(items.to_plotly_json()["props"]["data-countries"]))
    assert len(names) == 250 and (names["DEU"], names["CIV"]) == ("Germany", "Ivory Coast")


def test_a_shared_link_builds_its_own_view(demo):
    """?mode=programmes&themes=drugs&country=MLI&zoom=4&lat=15&lon=0: the layout's controls,
    KPI strip, map position and panel are the link's, not the default view's."""
    query = "?mode=programmes&themes=drugs&country=MLI&zoom=4&lat=15&lon=0&lang=en"
    layout = build_layout(demo, Settings.load(data_dir=DEMO_DATA_DIR, lang="en"), query=query)
    view = parse_query(query, Vocabulary.of(demo))
    assert _find(layout, ids.MODE).value == "programmes"
    assert _find(layout, ids.control("themes")).value == ["drugs"]
    assert _find(layout, ids.KPI_PROGRAMMES).children == map_view(demo, view).kpi_texts[3]
    assert _find(layout, ids.SELECTED_COUNTRY).data == "MLI"
    assert _find(layout, ids.PANEL).className == "panel panel-open"
    assert _find(layout, ids.PANEL_TITLE).children == "Mali"
    the_map = _find(layout, ids.MAP)
    assert (tuple(the_map.center), the_map.zoom) == ((15.0, 0.0), 4)


def test_without_a_query_the_default_view(demo):
    """No query: the default view, the panel closed."""
    layout = build_layout(demo, Settings.load(data_dir=DEMO_DATA_DIR, lang="fr"))
    assert _find(layout, ids.MODE).value == "coverage"
    assert _find(layout, ids.PANEL).className == "panel"
    assert _find(layout, ids.SELECTED_COUNTRY).data is None


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_dropdown_speaks_the_pages_language(demo, lang):
    """Each filter dropdown carries the catalogue's words for its own texts; the map's zoom
    buttons and name are the catalogue's too."""
    layout = build_layout(demo, Settings.load(data_dir=DEMO_DATA_DIR, lang=lang))
    labels = dropdown_labels(lang)
    assert labels["select_all"] == t("dropdown.select_all", lang)
    assert "{num_selected}" in labels["selected_count"]
    for key in ("themes", "types", "regions", "beneficiaries", "partners"):
        assert _find(layout, ids.control(key)).labels == labels
    search = _find(layout, ids.PANEL_SEARCH)
    assert search.labels["deselect_all"] == t("dropdown.deselect_all", lang)
    text = str(layout.to_plotly_json())
    assert t("map.zoom_in", lang) in text and t("map.keyboard", lang) in text


def test_a_scoped_users_map_opens_on_the_scope(demo):
    """A desk limited to Africa, or to the Dakar post, opens on its countries, not the world;
    at home its map writes no position in the URL (the browser checks the home view)."""
    settings = Settings.load(data_dir=DEMO_DATA_DIR, lang="fr")

    def opening(tokens):
        data = scoped_data(demo, scope_countries(tokens, demo)) if tokens else demo
        layout = build_layout(data, settings)
        return _find(layout, ids.MAP).bounds, _find(layout, ids.MAP_WORLD).data

    (south, west), (north, east) = opening(["region:africa"])[0]
    # the Cape to the Mediterranean, Cabo Verde to the Horn and the Indian Ocean's islands
    assert -36 < south < -33 and 33 < north < 38 and -26 < west < -16 and 50 < east < 64
    bounds, home = opening(["post:SSI-DAKAR"])
    (south, west), (north, east) = bounds
    assert set(scope_countries(["post:SSI-DAKAR"], demo)) == {"SEN", "GMB", "CPV", "GNB"}
    # Dakar's four countries (Cabo Verde to Guinea-Bissau, about 14 by 6 degrees), opened on
    # their neighbourhood: at least 36 by 24 degrees about their middle.
    assert (round(east - west), round(north - south)) == (36, 24)
    assert -37 < west < -35 and -1 < east < 1 and 1 < south < 3 and 25 < north < 27
    assert south < home["center"][0] < north and west < home["center"][1] < east
    assert 5 < home["max_zoom"] < 7
    assert opening(None) == (WORLD_BOUNDS, world_view())
