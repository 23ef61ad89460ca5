"""URL query <-> view state: readable, restorable, and safe with junk."""

import pytest

from viewmodel.filters import filter_state
from viewmodel.urlstate import (
    CONTROL_KEYS,
    ViewState,
    Vocabulary,
    control_values,
    parse_query,
    to_query,
    view_from_controls,
)

VOCAB = Vocabulary(
    countries=frozenset({"MLI", "SEN"}),
    domains={"themes": frozenset({"drugs", "terrorism"}), "regions": frozenset({"africa"}),
             "types": frozenset({"technical", "operational"}),
             "status": frozenset({"planned", "active", "completed"}),
             "beneficiaries": frozenset({"police"}),
             "partners": frozenset({"EU", "Interpol", "Expertise France"})},
    year_bounds=(2018, 2027),
)


def test_issue_example_round_trips():
    """The documented example parses and prints back identically."""
    query = "?mode=programmes&themes=drugs,terrorism&years=2020-2026&country=MLI&lang=en"
    view = parse_query(query, VOCAB)
    assert view.mode == "programmes"
    assert view.filters.get("themes") == ("drugs", "terrorism")
    assert view.filters.get("status") == ("active",)
    assert view.filters.get("years") == (2020, 2026)
    assert (view.country, view.lang) == ("MLI", "en")
    assert to_query(view) == query


def test_defaults_give_an_empty_query():
    """The default view has no query string."""
    assert parse_query("", VOCAB) == ViewState()
    assert to_query(ViewState()) == ""


@pytest.mark.parametrize(
    "query",
    ["?themes=<script>,drugs", "?years=2030-2010", "?country=ZZZ&lang=xx&mode=evil",
     "?zoom=1e309&lat=nan&lon=-9999", "?status=bogus", "?years=abc", "?" + "themes=x," * 5000,
     "?partners=Nobody,EU"],
)
def test_junk_gives_a_sane_view(query):
    """Unknown values are dropped, inverted years swapped, numbers clamped; nothing raises."""
    view = parse_query(query, VOCAB)
    assert view.mode in ("coverage", "programmes") and view.lang in ("fr", "en")
    assert set(view.filters.get("themes")) <= {"drugs"}
    assert set(view.filters.get("partners")) <= {"EU"}
    assert view.country in (None, "MLI", "SEN")
    years = view.filters.get("years")
    if years:
        assert years[0] <= years[1]
    if view.lon is not None:
        assert -180 <= view.lon <= 180


def test_inverted_years_are_swapped_and_status_all():
    """``years=2026-2020`` means 2020-2026; ``status=all`` lifts the status filter."""
    view = parse_query("?years=2026-2020&status=all&layers=posts", VOCAB)
    assert view.filters.get("years") == (2020, 2026)
    assert view.filters.get("status") == ()
    assert view.layers == ("posts",)
    assert to_query(view) == "?layers=posts&status=all&years=2020-2026"


def test_partners_in_the_url():
    """``partners`` takes the data's names, comma-separated, spaces and accents kept."""
    view = parse_query("?partners=Expertise%20France,EU&status=all", VOCAB)
    assert view.filters.get("partners") == ("Expertise France", "EU")
    assert to_query(view) == "?status=all&partners=Expertise+France,EU"
    assert parse_query(to_query(view), VOCAB) == view


def test_controls_round_trip():
    """Controls show a view and read back the same view; the full year range is no filter."""
    view = ViewState(filters=filter_state(themes=("drugs",), years=(2020, 2022)),
                     mode="programmes")
    controls = control_values(view, VOCAB)
    assert set(controls) == set(CONTROL_KEYS)
    assert controls["years"] == [2020, 2022]
    assert view_from_controls(controls, VOCAB) == view
    full = {"mode": "coverage", "metric": "count", "layers": ["posts", "links", "labels"],
            "themes": [],
            "types": [], "status": ["active"], "regions": [], "years": [2018, 2027],
            "beneficiaries": [], "partners": []}
    assert view_from_controls(full, VOCAB).filters.get("years") == ()
    assert view_from_controls(full, VOCAB) == ViewState()


def test_malformed_controls_read_as_empty():
    """A control value of the wrong type (a hostile callback payload) is no filter."""
    junk = {"mode": ["x"], "metric": 3, "layers": "posts", "themes": "drugs",
            "years": ["a", "b"], "status": {"a": 1}, "partners": [None, 7, "EU"]}
    view = view_from_controls(junk, VOCAB)
    assert (view.mode, view.metric, view.layers) == ("coverage", "count", ())
    assert view.filters.get("themes") == () and view.filters.get("years") == ()
    assert view.filters.get("partners") == ("EU",)


def test_language_links_keep_the_view():
    """The language links change only ``lang`` and keep every other key."""
    from viewmodel.urlstate import query_lang, with_lang

    assert with_lang("?mode=programmes&themes=drugs,terrorism", "en") == (
        "?mode=programmes&themes=drugs,terrorism&lang=en")
    assert with_lang("?mode=programmes&lang=en", "fr") == "?mode=programmes"
    assert with_lang("", "fr") == "?"
    assert query_lang("?lang=en") == "en" and query_lang("?lang=de") is None
