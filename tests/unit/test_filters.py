"""Filter logic on a hand-built network with known answers."""

import pandas as pd
import pytest

from geodata.filters import (
    country_aggregates,
    coverage_status,
    coverage_table,
    kpis,
    matching_programmes,
)
from geodata.network import list_items
from geodata.regions import Region, RegionSets
from tests.network_builders import tiny_network
from viewmodel.filters import filter_state

REGIONS = RegionSets((
    Region("africa", "Afrique", "Africa", frozenset({"SEN", "MLI", "GMB"})),
    Region("sahel", "Sahel", "Sahel", frozenset({"MLI"})),
    Region("europe", "Europe", "Europe", frozenset()),
))


@pytest.fixture
def network():
    return tiny_network()


def ids(frame):
    return sorted(frame["programme_id"])


def test_default_state_keeps_active_programmes(network):
    """The default filter is status = active."""
    assert ids(matching_programmes(network, filter_state())) == ["P1", "P2"]


def test_empty_selection_means_no_restriction(network):
    """No status selected: every programme."""
    assert ids(matching_programmes(network, filter_state(status=()))) == ["P1", "P2", "P3", "P4"]


def test_theme_filter_matches_any_selected_theme(network):
    """Themes match when a programme has any of them."""
    state = filter_state(status=(), themes=("drugs",))
    assert ids(matching_programmes(network, state)) == ["P1", "P3", "P4"]


def test_type_and_beneficiary_filters(network):
    """Cooperation type and beneficiary force restrict independently."""
    assert ids(matching_programmes(network, filter_state(status=(), types=("technical",)))) == [
        "P1", "P3"]
    state = filter_state(status=(), beneficiaries=("police",))
    assert ids(matching_programmes(network, state)) == ["P1", "P2"]


def test_year_range_keeps_overlapping_programmes(network):
    """Years keep programmes whose [start, end] overlaps the range."""
    state = filter_state(status=(), years=(2019, 2021))
    assert ids(matching_programmes(network, state)) == ["P4"]
    state = filter_state(status=(), years=(2027, 2027))
    assert ids(matching_programmes(network, state)) == ["P1", "P3"]


def test_region_filter(network):
    """Programmes with a country in the selected regions."""
    state = filter_state(status=(), regions=("europe",))
    assert ids(matching_programmes(network, state, REGIONS)) == []
    state = filter_state(status=(), regions=("africa",))
    assert len(matching_programmes(network, state, REGIONS)) == 4


def test_overlapping_regions_count_each_programme_once(network):
    """A country may be in several regions: choosing both counts its programmes once, and the
    per-country figures keep only the regions' countries."""
    state = filter_state(status=(), regions=("sahel",))
    assert ids(matching_programmes(network, state, REGIONS)) == ["P2", "P3"]
    state = filter_state(status=(), regions=("sahel", "africa"))
    assert ids(matching_programmes(network, state, REGIONS)) == ["P1", "P2", "P3", "P4"]
    result = country_aggregates(network, filter_state(status=(), regions=("sahel",)), REGIONS)
    assert list(result.index) == ["MLI"]


def test_country_aggregates_count_and_split_budget(network):
    """A two-country programme counts in both, its budget split evenly."""
    result = country_aggregates(network, filter_state())
    assert result.loc["SEN", "count"] == 2
    assert result.loc["MLI", "count"] == 1
    assert result.loc["SEN", "budget"] == pytest.approx(100_000 + 150_000)
    assert result.loc["MLI", "budget"] == pytest.approx(150_000)
    assert result.loc["SEN", "themes"] == ("drugs", "terrorism")
    assert "GMB" not in result.index


def test_country_aggregates_empty(network):
    """Nothing matching gives an empty frame with the expected columns."""
    result = country_aggregates(network, filter_state(themes=("none",)))
    assert list(result.columns) == ["count", "budget", "themes"] and result.empty


def test_coverage(network):
    """Host, regional and none."""
    table = coverage_table(network)
    assert table.loc["GMB", "post_id"] == "SSI-DAKAR"
    assert coverage_status(network, "SEN") == "host"
    assert coverage_status(network, "GMB") == "regional"
    assert coverage_status(network, "FRA") == "none"


def test_kpis(network):
    """Headline figures for the default view and a theme filter."""
    figures = kpis(network, filter_state())
    assert (figures.posts, figures.staff, figures.covered_countries) == (2, 9, 3)
    assert (figures.programmes, figures.budget_eur) == (2, 400_000.0)
    figures = kpis(network, filter_state(themes=("drugs",)))
    assert (figures.programmes, figures.budget_eur) == (1, 100_000.0)


def test_open_ended_programme_matches_later_years(network):
    """A programme without an end date runs on: it matches any later year range."""
    programmes = network.programmes.copy()
    programmes.loc[3, "end_date"] = pd.NaT
    open_ended = type(network)(posts=network.posts, coverage=network.coverage,
                               programmes=programmes, themes=network.themes)
    state = filter_state(status=(), years=(2030, 2031))
    assert ids(matching_programmes(open_ended, state)) == ["P4"]


def test_list_items_match_pandas_explode():
    """A list column split by distinct cell gives what ``explode().dropna()`` gives: the
    same (programme, value) pairs in the same order, missing cells and values left out,
    lists and shared tuples alike."""
    shared = ("DRUG", "TERR")
    cells = pd.Series([shared, None, (), ("CYBER",), ["TERR", None, "CYBER"], shared,
                       ("DRUG", float("nan"))], dtype=object)
    items = list_items(cells)
    exploded = cells.explode().dropna()
    assert items.rows.tolist() == exploded.index.tolist() == [0, 0, 3, 4, 4, 5, 5, 6]
    assert items.vocabulary[items.codes].tolist() == exploded.tolist()
    assert items.vocabulary.tolist() == ["CYBER", "DRUG", "TERR"]
    assert items.rows.dtype == items.codes.dtype == "int32"


def test_long_tables_follow_the_programmes_lists(network):
    themes = network.programme_themes
    expected = network.programmes["themes"].explode().dropna()
    assert themes["row"].tolist() == expected.index.tolist()
    assert themes["theme_id"].tolist() == expected.tolist()
