"""Country and post panel data: figures that agree with the map, computed independently here
from the programmes frame, plus search, sorting, selection requests and zoom bounds."""

from __future__ import annotations

import re
import string

import numpy as np
import pytest

from dashboard import ids
from dashboard.callbacks.panel import request_for
from dashboard.panel_layout import country_panel, post_panel, search_options
from dashboard.settings import DEMO_DATA_DIR
from geodata.countries import load_countries
from geodata.filters import FilterState
from geodata.i18n import all_texts
from geodata.loading import load_network
from layers import countries, posts, small_states
from tests.network_builders import tiny_network
from viewmodel.data import build_atlas_data
from viewmodel.extent import bounds_of
from viewmodel.filters import filter_state
from viewmodel.mapview import map_view
from viewmodel.panels import (
    country_panel_data,
    next_sort,
    parse_choice,
    post_panel_data,
    requested_selection,
    search_index,
    sort_rows,
)
from viewmodel.search import SEARCH_LIMIT, normalise, search_matches
from viewmodel.store import DataStore
from viewmodel.urlstate import ViewState, Vocabulary, parse_query, to_query

VIEWS = {
    "default": ViewState(),
    "drugs, any status": ViewState(filters=filter_state(themes=("drugs",), status=())),
    "africa, 2020-2022": ViewState(filters=filter_state(regions=("africa",), years=(2020, 2022))),
    "technical, planned": ViewState(filters=filter_state(types=("technical",),
                                                        status=("planned",))),
}


@pytest.fixture(scope="module")
def demo():
    return build_atlas_data(load_network(DEMO_DATA_DIR), load_countries())


@pytest.fixture(scope="module")
def tiny():
    return build_atlas_data(tiny_network(), load_countries())


def _in_country(programmes, iso3: str) -> np.ndarray:
    return programmes["countries"].map(lambda codes: iso3 in codes).to_numpy()


def _matches(programmes, state: FilterState, regions_of=None) -> np.ndarray:
    """The filter semantics, restated directly on the frame (regions handled by callers)."""
    mask = np.ones(len(programmes), dtype=bool)
    statuses, types, themes, years = (state.get(key) for key in
                                      ("status", "types", "themes", "years"))
    if statuses:
        mask &= programmes["status"].isin(statuses).to_numpy()
    if types:
        mask &= programmes["cooperation_type"].isin(types).to_numpy()
    if themes:
        mask &= programmes["themes"].map(lambda t: bool(set(t) & set(themes))).to_numpy()
    if years:
        mask &= (programmes["start_date"].dt.year <= years[1]).to_numpy()
        mask &= (programmes["end_date"].dt.year >= years[0]).to_numpy()
    return mask


# --- figures -------------------------------------------------------------------------------


def test_mali_count_and_budget_computed_directly(demo):
    """Mali's active programmes and their budget shares, counted straight from the frame."""
    programmes = demo.network.programmes
    rows = programmes[_in_country(programmes, "MLI") & (programmes["status"] == "active")]
    shares = rows["budget_eur"].fillna(0) / rows["countries"].map(len)
    panel = country_panel_data(demo, ViewState(), "MLI")
    assert panel.programmes.count == len(rows) > 0
    assert panel.programmes.budget == pytest.approx(shares.sum())
    assert panel.programmes.outside == int(_in_country(programmes, "MLI").sum()) - len(rows)
    assert {r.programme_id for r in panel.programmes.rows} == set(rows["programme_id"])


@pytest.mark.parametrize("name", list(VIEWS))
def test_country_counts_agree_with_the_map(demo, name):
    """For every covered country, the panel's count is the map hideout's count."""
    view = VIEWS[name]
    counts = map_view(demo, view).countries_hideout["counts"]
    for iso3 in sorted(set(demo.network.coverage["country_iso3"]))[::4]:
        assert country_panel_data(demo, view, iso3).programmes.count == counts.get(iso3, 0), iso3


@pytest.mark.parametrize("name", list(VIEWS))
def test_post_area_counts_each_programme_once(demo, name):
    """A post's count is the number of distinct matching programmes in its area's countries;
    its per-country chips carry the map's counts."""
    view = VIEWS[name]
    programmes = demo.network.programmes
    in_regions = demo.regions.countries_of(view.filters.regions)
    counts = map_view(demo, view).countries_hideout["counts"]
    for post_id in ("SSI-DAKAR", "SSI-ROME", "SSI-NAIROBI"):
        area = set(demo.network.coverage.query("post_id == @post_id")["country_iso3"])
        if view.filters.regions:
            area &= in_regions
        in_area = programmes["countries"].map(lambda codes, a=area: bool(set(codes) & a))
        expected = int((in_area.to_numpy() & _matches(programmes, view.filters)).sum())
        panel = post_panel_data(demo, view, post_id)
        assert panel.programmes.count == expected, post_id
        assert {c.place.iso3: c.count for c in panel.countries} == {
            c.place.iso3: counts.get(c.place.iso3, 0) for c in panel.countries}


def test_tiny_post_panel_figures(tiny):
    """Dakar covers Senegal and the Gambia: P1, P2 and P4 once each, budgets as shares."""
    view = ViewState(filters=filter_state(status=()))
    panel = post_panel_data(tiny, view, "SSI-DAKAR")
    assert panel.programmes.count == 3
    assert panel.programmes.budget == pytest.approx(100_000 + 300_000 / 2 + 50_000)
    assert [(c.place.iso3, c.role, c.count) for c in panel.countries] == [
        ("SEN", "resident", 2), ("GMB", "regional", 1)]
    assert panel.post.staff_total == 6 and panel.post.opened == 2013
    assert panel.post.head_title == "Attaché de sécurité intérieure"
    english = post_panel_data(tiny, ViewState(lang="en"), "SSI-DAKAR").post
    assert (english.head_title, english.city) == ("Internal Security Attaché", "Dakar")
    assert {t.theme_id: t.count for t in panel.programmes.themes} == {"drugs": 2, "terrorism": 1}


def test_tiny_country_coverage_states(tiny):
    """Host, covered from elsewhere (with the post's other countries), and not covered."""
    host = country_panel_data(tiny, ViewState(lang="en"), "SEN")
    assert (host.status, host.post.post_id, host.place.name) == ("host", "SSI-DAKAR", "Senegal")
    assert [p.iso3 for p in host.other_countries] == ["GMB"]
    regional = country_panel_data(tiny, ViewState(), "GMB")
    assert (regional.status, regional.post.city) == ("regional", "Dakar")
    assert [p.iso3 for p in regional.other_countries] == ["SEN"]
    assert regional.region == "Afrique"
    none = country_panel_data(tiny, ViewState(), "FRA")
    assert (none.status, none.post, none.programmes.count, none.programmes.outside) == (
        "none", None, 0, 0)


def _words(component) -> str:
    """Every text of a Dash component tree, in order, one per line (titles included)."""
    if isinstance(component, (str, int, float)):
        return str(component)
    if isinstance(component, (list, tuple)):
        return "\n".join(_words(child) for child in component)
    title = getattr(component, "title", None)
    children = getattr(component, "children", None)
    return "\n".join(part for part in (title, _words(children) if children is not None else "")
                     if part)


def test_post_names_are_elided_by_the_catalogue(demo):
    """Poste d'Abidjan, Siège du poste d'Alger, du Caire and de La Havane from the posts'
    city_fr_of column; English pages say "Algiers post"."""
    sort = {"column": "start", "descending": True}

    def country_words(iso3: str, lang: str = "fr") -> str:
        panel = country_panel_data(demo, ViewState(lang=lang), iso3)
        return _words(country_panel(panel, sort, lang)["body"])

    abidjan = post_panel(post_panel_data(demo, ViewState(), "SSI-ABIDJAN"), sort, "fr")
    assert abidjan["title"] == "Poste d'Abidjan"
    assert post_panel(post_panel_data(demo, ViewState(), "SSI-DAKAR"), sort, "fr")["title"] == (
        "Poste de Dakar")
    algeria = country_words("DZA")
    assert "Siège du poste d'Alger." in algeria and "Ouvrir la fiche du poste d'Alger" in algeria
    assert "Poste d'Alger" in algeria
    egypt = country_words("EGY")
    assert "Siège du poste du Caire." in egypt and "de Le Caire" not in egypt
    cuba = post_panel(post_panel_data(demo, ViewState(), "SSI-LA-HAVANE"), sort, "fr")
    assert cuba["title"] == "Poste de La Havane"
    english = post_panel_data(demo, ViewState(lang="en"), "SSI-ALGER")
    assert post_panel(english, sort, "en")["title"] == "Algiers post"
    assert "Seat of the Cairo post." in country_words("EGY", "en")


def test_post_panel_counts_read_as_plurals(tiny):
    """The area's chips say "2 programmes correspondant aux filtres", "1 programme ..."."""
    sort = {"column": "start", "descending": True}
    view = ViewState(filters=filter_state(status=()))
    body = _words(post_panel(post_panel_data(tiny, view, "SSI-DAKAR"), sort, "fr")["body"])
    assert "Sénégal — 2 programmes correspondant aux filtres" in body
    assert "Gambie — 1 programme correspondant aux filtres" in body
    default_view = post_panel_data(tiny, ViewState(lang="en"), "SSI-DAKAR")
    outside = _words(post_panel(default_view, sort, "en")["body"])
    assert "1 more programme outside the filters." in outside
    assert "(s)" not in body + outside


def test_outside_the_filters_is_counted(tiny):
    """The Gambia's only programme is completed: none match the default filter, one outside."""
    panel = country_panel_data(tiny, ViewState(), "GMB")
    assert (panel.programmes.count, panel.programmes.outside) == (0, 1)
    assert panel.programmes.rows == () and panel.programmes.years == ()


def test_years_and_rows(tiny):
    """Mali under every status: P2 (2022-2026, active) and P3 (2027, planned)."""
    panel = country_panel_data(tiny, ViewState(filters=filter_state(status=())), "MLI")
    years = {y.year: (y.planned, y.active, y.completed) for y in panel.programmes.years}
    assert years == {2022: (0, 1, 0), 2023: (0, 1, 0), 2024: (0, 1, 0), 2025: (0, 1, 0),
                     2026: (0, 1, 0), 2027: (1, 0, 0)}
    first = panel.programmes.rows[0]  # newest first
    assert (first.programme_id, first.title, first.budget) == ("P3", "Stups Mali", None)
    assert [t.theme_id for t in first.themes] == ["drugs", "terrorism"]


def test_english_titles_fall_back_to_french(tiny):
    """Titles follow the language; a missing English title shows the French one."""
    view = ViewState(lang="en", filters=filter_state(status=()))
    rows = country_panel_data(tiny, view, "SEN").programmes.rows
    titles = {r.programme_id: r.title for r in rows}
    assert titles == {"P1": "Drugs Senegal", "P2": "Sahel terrorism"}


# --- sorting, requests, selection ----------------------------------------------------------


def test_sort_rows(tiny):
    """Budget sorts keep missing budgets last either way; titles ignore accents and case."""
    every_status = ViewState(filters=filter_state(status=()))
    rows = (country_panel_data(tiny, every_status, "SEN").programmes.rows
            + country_panel_data(tiny, every_status, "MLI").programmes.rows)
    by_budget = [r.programme_id for r in sort_rows(rows, "budget", True)]
    assert by_budget[:3] == ["P2", "P2", "P1"] and by_budget[-1] == "P3"
    assert [r.programme_id for r in sort_rows(rows, "budget", False)][-1] == "P3"
    assert [r.title for r in sort_rows(rows, "title", False)][0] == "Stups Mali"
    assert [r.programme_id for r in sort_rows(rows, "start", False)][0] == "P2"
    assert sort_rows(rows, "evil", False) == sort_rows(rows, "start", True)


def test_next_sort():
    """The same column flips; a new one starts descending for dates and budgets."""
    assert next_sort({"column": "start", "descending": True}, "start") == {
        "column": "start", "descending": False}
    assert next_sort({"column": "start", "descending": True}, "title") == {
        "column": "title", "descending": False}
    assert next_sort(None, "budget") == {"column": "budget", "descending": True}
    assert next_sort({"column": "title", "descending": False}, "junk")["column"] == "title"


def test_requests():
    """Search values, map clicks, open buttons and the close button make numbered requests."""
    assert parse_choice("MLI") == ("MLI", None)
    assert parse_choice("post:SSI-DAKAR") == (None, "SSI-DAKAR")
    assert request_for(ids.PANEL_SEARCH, "CIV", None) == {"country": "CIV", "post": None, "n": 1}
    opened = request_for({"type": ids.PANEL_OPEN, "target": "post:SSI-DAKAR"}, 1, {"n": 4})
    assert opened == {"country": None, "post": "SSI-DAKAR", "n": 5}
    assert request_for(ids.PANEL_CLOSE, 2, {"n": 5}) == {"country": None, "post": None, "n": 6}
    assert request_for({"type": ids.PANEL_OPEN, "target": "MLI"}, 0, None) is None  # rendered
    assert request_for(ids.PANEL_SEARCH, None, None) is None  # the box cleared
    mali = {"type": "Feature", "properties": {"id": "MLI"}}
    assert request_for(countries.LAYER_ID, mali, {"n": 6}) == {"country": "MLI", "post": None,
                                                               "n": 7}
    dakar = {"type": "Feature", "properties": {"id": "SSI-DAKAR"}}
    assert request_for(posts.LAYER_ID, dakar, None) == {"country": None, "post": "SSI-DAKAR",
                                                        "n": 1}
    assert request_for(small_states.LAYER_ID, None, None) is None


def test_requested_selection_is_validated():
    """Only ids of the data are selected; a post wins over a country."""
    vocabulary = Vocabulary(countries=frozenset({"MLI"}), posts=frozenset({"SSI-DAKAR"}))
    assert requested_selection({"country": "MLI", "post": None}, vocabulary) == ("MLI", None)
    assert requested_selection({"country": "MLI", "post": "SSI-DAKAR"}, vocabulary) == (
        None, "SSI-DAKAR")
    assert requested_selection({"country": "<x>", "post": "SSI-X"}, vocabulary) == (None, None)
    assert requested_selection(None, vocabulary) == (None, None)


def test_post_in_the_url(demo):
    """``post=`` round-trips, is validated, accepts lower case and wins over ``country=``."""
    vocabulary = DataStore(demo).vocabulary()
    view = parse_query("?post=SSI-DAKAR", vocabulary)
    assert (view.post, view.country) == ("SSI-DAKAR", None)
    assert to_query(view) == "?post=SSI-DAKAR"
    assert parse_query("?post=ssi-dakar", vocabulary).post == "SSI-DAKAR"
    assert parse_query("?post=SSI-NOWHERE&country=MLI", vocabulary).post is None
    assert parse_query("?post=SSI-NOWHERE&country=MLI", vocabulary).country == "MLI"
    both = parse_query("?country=MLI&post=SSI-DAKAR", vocabulary)
    assert (both.country, both.post) == (None, "SSI-DAKAR")


# --- search --------------------------------------------------------------------------------


def _offered(options: list[dict], typed: str) -> list[str]:
    """What Dash's dropdown offers: every space-separated token of the typed text, lower-cased,
    is a substring of the option's value or search text (js-search, all-substrings index)."""
    tokens = typed.lower().split()
    return [o["value"] for o in options
            if all(tok in f"{o['value']} {o['search']}".lower() for tok in tokens)]


def test_normalise():
    """Accents, case and typographic apostrophes do not matter."""
    assert normalise("Côte d’Ivoire") == "cote d'ivoire"
    assert normalise("  PÉKIN ") == "pekin"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("cote d'ivoire", "CIV"), ("Côte d’Ivoire", "CIV"), ("IVORY", "CIV"), ("pekin", "CHN"),
     ("Pékin", "post:SSI-PEKIN"), ("allemagne", "DEU"), ("germany", "DEU"),
     ("bamako", "post:SSI-BAMAKO"), ("BAMAKO", "MLI"), ("royaume", "GBR"), ("etats-unis", "USA"),
     ("london", "post:SSI-LONDRES"), ("LONDON", "GBR"), ("beijing", "post:SSI-PEKIN"),
     ("la havane", "post:SSI-LA-HAVANE"), ("havana", "CUB")],
)
def test_search_finds_french_and_english_names_and_cities(demo, typed, expected):
    """Country names in both languages and post cities, with or without accents: the server
    offers the choice, and the dropdown's own filter keeps it."""
    offered = search_matches(search_options(demo, "fr"), typed)
    assert expected in [choice["value"] for choice in offered]
    assert expected in _offered(offered, typed)


def test_search_offers_the_best_matches_first_and_at_most_forty(demo):
    choices = search_options(demo, "en")
    assert [c["label"] for c in search_matches(choices, "bur")[:2]] == [
        "Burkina Faso · country", "Burundi · country"]
    assert len(search_matches(choices, "a")) == SEARCH_LIMIT
    assert search_matches(choices, "  ") == []
    assert search_matches(choices, "atlantis") == []


def test_search_index_lists_every_country_and_post(demo):
    """One choice per country and per post, labelled in the chosen language."""
    options = search_index(demo, "en")
    assert len(options) == len(demo.names) + len(demo.network.posts)
    labels = {o["value"]: o["label"] for o in options}
    assert labels["DEU"] == "Germany" and labels["post:SSI-DAKAR"] == "Dakar · SSI-DAKAR"
    assert labels["post:SSI-LONDRES"] == "London · SSI-LONDRES"
    assert {o["value"]: o["label"] for o in search_index(demo, "fr")}[
        "post:SSI-LONDRES"] == "Londres · SSI-LONDRES"
    assert {o["kind"] for o in options} == {"country", "post"}


# --- zoom bounds ---------------------------------------------------------------------------


def test_bounds_leave_far_territories_out(demo):
    """France's box is metropolitan France; the United States' leaves Hawaii out; Russia's
    stays within 180°."""
    (south, west), (north, east) = bounds_of(demo, ["FRA"])
    assert -6 < west < -4 and 8 < east < 10 and 41 < south < 42
    assert bounds_of(demo, ["USA"])[0][0] > 23
    assert bounds_of(demo, ["RUS"])[1][1] <= 180
    assert bounds_of(demo, ["ZZZ"]) is None


def test_post_bounds_cover_its_area(demo):
    """Dakar's area runs from Cape Verde (west of 22°W) to Senegal's eastern border."""
    (south, west), (north, east) = bounds_of(demo, ["SEN", "GMB", "GNB", "CPV"])
    assert post_panel_data(demo, ViewState(), "SSI-DAKAR").bounds == [[south, west], [north, east]]
    assert west < -22 and -12 < east < -11 and south < 11 and north > 16


# --- texts ---------------------------------------------------------------------------------


def test_panel_texts_exist_in_both_languages_with_the_same_placeholders():
    """Every panel text is in French and English, with the same ``{fields}``."""
    keys = {k for k in all_texts("fr") if k.startswith("panel.")}
    assert keys == {k for k in all_texts("en") if k.startswith("panel.")}
    for key in keys:
        fields = [{f for _, f, _, _ in string.Formatter().parse(form) if f}
                  for lang in ("fr", "en") for form in all_texts(lang)[key]]
        assert all(names == fields[0] for names in fields), key


def test_no_markup_in_panel_texts():
    """The catalogue's panel texts are plain text."""
    for lang in ("fr", "en"):
        for key, forms in all_texts(lang).items():
            if key.startswith("panel."):
                assert not any(re.search(r"<[a-z/]", form) for form in forms), key


def test_no_panel_dates_no_network(monkeypatch):
    """With no country or post chosen, an as-of date draws no panel and leaves the network
    undated (the map's own request dates it; the panel's would do the same work for nothing)."""
    from dashboard import panel_layout

    data = build_atlas_data(load_network(DEMO_DATA_DIR), load_countries())
    on = ViewState(filters=filter_state(asof=("2015-06-30",)))
    asked = []
    real = panel_layout.dated
    monkeypatch.setattr(panel_layout, "dated", lambda d, v: asked.append(v) or real(d, v))
    assert panel_layout.panel_content(data, on, None) is None
    assert asked == []
    mali = panel_layout.panel_content(data, ViewState(filters=on.filters, country="MLI"), None)
    assert mali is not None and len(asked) == 1
