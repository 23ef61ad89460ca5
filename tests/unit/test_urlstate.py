"""URL query <-> view state: readable, restorable, and safe with junk."""

import pytest

from dashboard.urlstate import (
    Controls,
    ViewState,
    Vocabulary,
    from_controls,
    parse_query,
    to_controls,
    to_query,
)
from geodata.filters import FilterState

VOCAB = Vocabulary(themes=frozenset({"drugs", "terrorism"}), regions=frozenset({"africa"}),
                   countries=frozenset({"MLI", "SEN"}))


def test_issue_example_round_trips():
    """The documented example parses and prints back identically."""
    query = "?mode=programmes&themes=drugs,terrorism&years=2020-2026&country=MLI&lang=en"
    view = parse_query(query, VOCAB)
    assert view.mode == "programmes"
    assert view.filters.themes == ("drugs", "terrorism")
    assert view.filters.statuses == ("active",)
    assert view.filters.years == (2020, 2026)
    assert (view.country, view.lang) == ("MLI", "en")
    assert to_query(view) == query


def test_defaults_give_an_empty_query():
    """The default view has no query string."""
    assert parse_query("", VOCAB) == ViewState()
    assert to_query(ViewState()) == ""


@pytest.mark.parametrize(
    "query",
    ["?themes=<script>,drugs", "?years=2030-2010", "?country=ZZZ&lang=xx&mode=evil",
     "?zoom=1e309&lat=nan&lon=-9999", "?status=bogus", "?years=abc", "?" + "themes=x," * 5000],
)
def test_junk_gives_a_sane_view(query):
    """Unknown values are dropped, inverted years swapped, numbers clamped; nothing raises."""
    view = parse_query(query, VOCAB)
    assert view.mode in ("coverage", "programmes") and view.lang in ("fr", "en")
    assert set(view.filters.themes) <= {"drugs"}
    assert view.country in (None, "MLI", "SEN")
    if view.filters.years:
        assert view.filters.years[0] <= view.filters.years[1]
    if view.lon is not None:
        assert -180 <= view.lon <= 180


def test_inverted_years_are_swapped_and_status_all():
    """``years=2026-2020`` means 2020-2026; ``status=all`` lifts the status filter."""
    view = parse_query("?years=2026-2020&status=all&layers=posts", VOCAB)
    assert view.filters.years == (2020, 2026)
    assert view.filters.statuses == ()
    assert view.layers == ("posts",)
    assert to_query(view) == "?layers=posts&status=all&years=2020-2026"


def test_controls_round_trip():
    """Controls show a view and read back the same view; the full year range is no filter."""
    view = ViewState(filters=FilterState(themes=("drugs",), years=(2020, 2022)), mode="programmes")
    controls = to_controls(view, (2018, 2027))
    assert controls.years == [2020, 2022]
    assert from_controls(controls, (2018, 2027), VOCAB) == view
    full = Controls("coverage", "count", ["posts", "links"], [], [], ["active"], [], [2018, 2027],
                    [])
    assert from_controls(full, (2018, 2027), VOCAB).filters.years is None


def test_language_links_keep_the_view():
    """The language links change only ``lang`` and keep every other key."""
    from dashboard.urlstate import query_lang, with_lang

    assert with_lang("?mode=programmes&themes=drugs,terrorism", "en") == (
        "?mode=programmes&themes=drugs,terrorism&lang=en")
    assert with_lang("?mode=programmes&lang=en", "fr") == "?mode=programmes"
    assert with_lang("", "fr") == "?"
    assert query_lang("?lang=en") == "en" and query_lang("?lang=de") is None
