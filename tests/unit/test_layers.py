"""Layer builders and the map view: GeoJSON, hideouts and legends from known data."""

import json

import pytest
from plotly.io.json import to_json_plotly

from dashboard.layout import legend_children, legend_json
from dashboard.settings import DEMO_DATA_DIR
from geodata.countries import TOPOLOGY_OBJECT, load_countries, load_topology
from geodata.loading import load_network
from layers import (
    LAYERS,
    TOGGLED,
    countries,
    coverage,
    labels,
    links,
    palette,
    posts,
    programmes,
    small_states,
)
from tests.network_builders import tiny_network
from viewmodel.data import GEOJSON_ROOT, build_atlas_data
from viewmodel.filters import filter_state
from viewmodel.mapview import map_view
from viewmodel.urlstate import LAYER_NAMES, ViewState


@pytest.fixture(scope="module")
def data():
    return build_atlas_data(tiny_network(), load_countries())


def test_registry_lists_every_layer_with_an_id():
    """Every registered layer has a unique id, a file, the protocol's functions, and the
    toggled ones are the URL's layer names."""
    layer_ids = [layer.LAYER_ID for layer in LAYERS]
    assert len(set(layer_ids)) == len(layer_ids) == 5
    assert len({layer.FILE for layer in LAYERS}) == 5
    for layer in LAYERS:
        for function in ("features", "hideout", "legend", "component", "draw"):
            assert callable(getattr(layer, function)), (layer.LAYER_ID, function)
    assert set(TOGGLED) == set(LAYER_NAMES)


def test_fills_and_outlines_are_computed_in_python(data):
    """The countries' hideout holds every fill and the outlined countries: the browser and
    the export read them, they derive nothing."""
    hideout = map_view(data, ViewState(mode="programmes", post="SSI-DAKAR",
                                       filters=filter_state(status=()))).countries_hideout
    assert {iso3: countries.fill_of(hideout, iso3) for iso3 in ("SEN", "MLI", "GMB")} == {
        "SEN": palette.SEQUENTIAL[-1], "MLI": palette.SEQUENTIAL[-1], "GMB": palette.SEQUENTIAL[0]}
    assert hideout["classes"] == {"SEN": 1, "MLI": 1, "GMB": 0, "FRA": 2}
    assert countries.fill_of(hideout, "FRA") == palette.HOME  # home, in every mode
    assert hideout["outlined"] == ["GMB", "SEN"]
    coverage_view = map_view(data, ViewState()).countries_hideout
    assert {iso3: countries.fill_of(coverage_view, iso3) for iso3 in ("SEN", "MLI", "GMB")} == {
        "SEN": palette.COVERAGE["host"], "MLI": palette.COVERAGE["host"],
        "GMB": palette.COVERAGE["regional"]}
    assert countries.fill_of(coverage_view, "FRA") == palette.HOME
    assert countries.fill_of(coverage_view, "DEU") == palette.NONE


def test_label_order_puts_the_selection_then_the_figures_first(data):
    """Names are placed selection first, then by what the map shows, then by size; the
    layer off keeps only the selection's name."""
    view = ViewState(mode="programmes", country="GMB", filters=filter_state(status=()))
    hideout = map_view(data, view).hideouts[labels.LAYER_ID]
    assert hideout["order"][:4] == ["GMB", "MLI", "SEN", "RUS"]  # SEN, MLI: 2 each; larger first
    assert hideout["selected"] == ["GMB"] and hideout["show"] is True
    assert len(hideout["order"]) == labels.SENT_ORDER  # the rest by the features' size rank
    full = labels.priority(data, view, {"SEN": 2, "MLI": 2, "GMB": 1}, ["GMB"])
    small = set(data.countries.loc[data.countries["small"], "iso3"])
    assert full[:3] == ["GMB", "MLI", "SEN"] and "GMB" in small  # small, but it has a figure
    assert len(full) == 250 - len(small) + 1 and not (set(full[3:]) & small)
    off = map_view(data, ViewState(layers=("posts",), country="MLI")).hideouts[labels.LAYER_ID]
    assert off["show"] is False and off["selected"] == ["MLI"]
    coverage_order = map_view(data, ViewState()).hideouts[labels.LAYER_ID]["order"]
    assert coverage_order[:3] == ["MLI", "SEN", "GMB"]  # covered countries, larger first


def test_country_features_carry_coverage(data):
    """Every Natural Earth feature is there with its coverage state and covering post."""
    topology = countries.features(data.countries, data.network)
    props = {g["id"]: g["properties"]
             for g in topology["objects"][TOPOLOGY_OBJECT]["geometries"]}
    assert len(props) == 250
    assert props["SEN"]["cov"] == "host" and props["SEN"]["city"] == "Dakar"
    assert props["SEN"]["city_en"] == ""  # the same name in English: not repeated
    assert props["GMB"]["cov"] == "regional" and props["GMB"]["post"] == "SSI-DAKAR"
    assert props["FRA"]["cov"] == "" and props["FRA"]["name_fr"] == "France"


def test_small_states_are_points_at_label_points(data):
    """Small states get a point each; Gambia (small) is among them, Mali (large) is not."""
    ids = {f["id"]: f for f in data.small_states["features"]}
    assert "GMB" in ids and "MLI" not in ids
    assert ids["GMB"]["geometry"]["type"] == "Point"
    assert ids["GMB"]["properties"]["cov"] == "regional"


def test_posts_and_links(data):
    """One marker per post with staff by corps; one line per regional coverage row."""
    features = {f["id"]: f["properties"] for f in data.posts["features"]}
    assert features["SSI-DAKAR"]["staff"] == 6 and features["SSI-DAKAR"]["covered"] == 2
    assert features["SSI-DAKAR"]["country_fr"] == "Sénégal"
    assert (features["SSI-DAKAR"]["title_fr"], features["SSI-DAKAR"]["title_en"]) == (
        "Poste de Dakar", "Dakar post")
    assert [f["id"] for f in data.links["features"]] == ["SSI-DAKAR>GMB"]


def test_post_tooltips_name_the_post_with_the_catalogue():
    """The demo's markers read "Poste d'Abidjan", "Poste du Caire" (posts column city_fr_of)."""
    network = load_network(DEMO_DATA_DIR)
    titles = {f["id"]: (f["properties"]["title_fr"], f["properties"]["title_en"])
              for f in posts.features(load_countries(), network)["features"]}
    assert titles["SSI-ABIDJAN"] == ("Poste d'Abidjan", "Abidjan post")
    assert titles["SSI-LE-CAIRE"] == ("Poste du Caire", "Cairo post")
    assert titles["SSI-ALGER"] == ("Poste d'Alger", "Algiers post")


def test_programmes_hideout_and_legend(data):
    """Programmes mode: per-country counts, classes and a legend with "none" last."""
    view = ViewState(mode="programmes", filters=filter_state(status=()), lang="en")
    result = map_view(data, view)
    hideout = result.countries_hideout
    assert hideout["values"] == {"SEN": 2, "MLI": 2, "GMB": 1}
    assert (hideout["lows"], hideout["highs"]) == ([1.0, 2.0], [1.0, 2.0])
    assert hideout["colors"] == [palette.SEQUENTIAL[0], palette.SEQUENTIAL[-1]]
    legend = result.legends[0]
    assert legend.title == "Programmes per country"  # every status: no filter to name
    assert [e.label for e in legend.entries] == ["1", "2", "None", "France — headquarters"]
    assert result.kpi_texts[3] == "4"
    assert hideout["programmes_text"] == {"0": "0 programmes matching the filters",
                                          "1": "1 programme matching the filters",
                                          "2": "2 programmes matching the filters"}


def test_a_view_matching_nothing_has_no_class(data):
    """No programme matches: no class, every country "none" but home, a legend all the same."""
    view = ViewState(mode="programmes", filters=filter_state(themes=("cybercrime",)), lang="en")
    result = map_view(data, view)
    hideout = result.countries_hideout
    assert (hideout["lows"], hideout["highs"], hideout["colors"]) == ([], [], [])
    assert hideout["classes"] == {"FRA": 0}
    assert [e.label for e in result.legends[0].entries] == ["None", "France — headquarters"]


def test_theme_filter_changes_values_and_kpis(data):
    """A theme filter changes the per-country values and the KPI figures."""
    view = ViewState(mode="programmes", filters=filter_state(themes=("terrorism",)), lang="fr")
    result = map_view(data, view)
    assert result.countries_hideout["values"] == {"MLI": 1, "SEN": 1}
    assert result.countries_hideout["programmes_text"]["0"] == (
        "0 programme correspondant aux filtres")
    assert result.kpi_texts == ("2", "9", "3", "1", "300\xa0k\xa0€")


def test_budget_metric_uses_budget_shares(data):
    """The budget switch colours by the split budgets; the legend speaks of euros."""
    view = ViewState(mode="programmes", metric="budget", lang="en")
    result = map_view(data, view)
    assert result.countries_hideout["values"] == {"SEN": 250_000, "MLI": 150_000}
    assert result.legends[0].title == "Programme budget per country (€) — active"
    assert [e.label for e in result.legends[0].entries] == ["€150K", "€250K", "None",
                                                            "France — headquarters"]


def test_coverage_legend_and_overlays(data):
    """Coverage legend has the three states; overlays follow the layer toggles."""
    legend = coverage.legend("fr")
    assert [e.color for e in legend.entries] == [palette.COVERAGE[s]
                                                 for s in ("host", "regional", "none")]
    result = map_view(data, ViewState(layers=("links",), lang="en"))
    posts_hideout = result.hideouts[posts.LAYER_ID]
    links_hideout = result.hideouts[links.LAYER_ID]
    assert posts_hideout["show"] is False and links_hideout["show"] is True
    assert posts_hideout["text"]["staff"] == "staff"
    assert [legend.entries[0].shape for legend in result.legends] == ["square", "line"]


def test_class_labels_for_budget():
    """Budget classes read as money ranges."""
    classes = programmes.Classes((1_000.0, 100_000.0), (90_000.0, 350_000.0))
    labels = programmes.class_labels(classes, "budget", "en")
    assert labels == ["€1K – €90K", "€100K – €350K"]


def test_components_reference_client_functions(data):
    """Layers style themselves in the browser from ``hideout``; shapes load by URL (the
    countries' topology through the client-side decoder, which sets their ``data``)."""
    assert data.countries_url.startswith(f"{GEOJSON_ROOT}/countries.topojson?v=")
    component = countries.component(data.countries_url, {"mode": "coverage"})
    assert getattr(component, "data", None) is None
    assert getattr(component, "url", None) is None
    for layer in (small_states, posts, links, labels):
        component = layer.component(data.geojson_url(layer.FILE), {})
        assert component.id == layer.LAYER_ID and component.url.endswith(data.version)


def test_legend_sent_by_a_filter_change_is_built_once(data):
    """The callback's legend is the serialised HTML legend, built once for the same legend
    (each request gets its own copy, so none can change another's), and shows the title and
    the row labels."""
    from dashboard.layout import _legend_text

    legends = map_view(data, ViewState(mode="programmes", lang="en")).legends
    sent = legend_json(legends)
    assert sent == json.loads(to_json_plotly(legend_children(legends)))
    hits = _legend_text.cache_info().hits
    again = legend_json(legends)
    assert _legend_text.cache_info().hits == hits + 1 and again == sent and again is not sent
    sent[0]["props"]["children"] = "changed by one request"
    assert legend_json(legends) == again
    rows = again[0]["props"]["children"]
    assert rows[0]["props"]["children"] == "Programmes per country — active"
    assert [row["props"]["children"][1]["props"]["children"] for row in rows[1:]] == [
        "1", "2", "None", "France — headquarters"]


def test_browser_shapes_are_the_built_topology_none_lost(data):
    """The shapes sent to the browser are the shipped topology's, one polygon for each of the
    250 countries (those smaller than the grid keep a ring at their place)."""
    topology = countries.features(data.countries, data.network)
    geometries = topology["objects"][TOPOLOGY_OBJECT]["geometries"]
    assert len(geometries) == 250
    assert all(g["type"] in ("Polygon", "MultiPolygon") and g["arcs"] for g in geometries)
    assert topology["arcs"] == load_topology()["arcs"]
    assert topology["transform"] == load_topology()["transform"]


@pytest.fixture(scope="module")
def demo():
    return build_atlas_data(load_network(DEMO_DATA_DIR), load_countries())


def test_posts_and_links_outside_the_chosen_regions(demo):
    """With the Sahel chosen, a post stays when it covers a Sahel country; the others and the
    lines to countries outside the Sahel are marked as outside (dimmed on screen, left out of
    exports); with no region nothing is."""
    view = ViewState(filters=filter_state(regions=("sahel",)))
    outside_posts = set(posts.hideout(demo, view)["outside"])
    coverage = demo.network.coverage
    sahel = demo.regions.countries("sahel")
    inside = set(coverage.loc[coverage["country_iso3"].isin(sahel), "post_id"])
    assert {"SSI-BAMAKO", "SSI-NIAMEY", "SSI-NOUAKCHOTT"} <= inside
    assert outside_posts == set(demo.network.posts["post_id"]) - inside
    assert "SSI-ROME" in outside_posts and "SSI-BAMAKO" not in outside_posts
    outside_links = set(links.hideout(demo, view)["outside"])
    linked = {f["properties"]["country"] for f in demo.links["features"]}
    assert outside_links == linked - sahel and outside_links
    assert posts.hideout(demo, ViewState())["outside"] == []
    assert links.hideout(demo, ViewState())["outside"] == []
