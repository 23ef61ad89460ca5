"""The network on a date (URL ``asof``): statuses decided by the programmes' dates, posts open
by then, and everything the user reads (map, KPI strip, panels, search, exports) following it.

The hand-built network (:func:`tests.network_builders.dated_network`) is dated 2025-06-30;
see its docstring for the programmes' dates."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from cli.commands import export as export_command
from dashboard.callbacks.export import export_file
from dashboard.panel_layout import search_options
from exports import describe
from geodata.asof import network_on, statuses_on
from geodata.countries import load_countries
from geodata.network import Network
from layers import links, posts
from tests.network_builders import dated_network, tiny_network
from viewmodel.asof import DATED_KEPT, dated, dated_kept, shown_day, view_day
from viewmodel.data import build_atlas_data
from viewmodel.filters import filter_state
from viewmodel.mapview import map_view
from viewmodel.panels import country_panel_data
from viewmodel.urlstate import ViewState, Vocabulary, parse_query, to_query


@pytest.fixture(scope="module")
def data():
    return build_atlas_data(dated_network(), load_countries())


@pytest.fixture(scope="module")
def vocabulary(data):
    return Vocabulary.of(data)


def view_on(vocabulary, query: str) -> ViewState:
    return parse_query(query, vocabulary)


# --- the rule: dates decide ---------------------------------------------------------------------

@pytest.mark.parametrize(("day", "expected"), [
    ("2018-01-01", ["planned", "planned", "planned", "active", "planned", "planned"]),
    ("2019-12-31", ["planned", "planned", "planned", "active", "planned", "planned"]),
    ("2020-01-01", ["planned", "planned", "planned", "completed", "planned", "planned"]),
    ("2023-03-01", ["planned", "active", "planned", "completed", "active", "planned"]),
    ("2025-06-30", ["active", "active", "planned", "completed", "active", "active"]),
    ("2025-07-01", ["active", "active", "planned", "completed", "active", "completed"]),
    ("2040-01-01", ["completed", "completed", "completed", "completed", "active", "completed"]),
])
def test_statuses_follow_the_dates_boundaries_included(day, expected):
    """Active from the start date to the end date, both days included; no end date: running
    from the start onward."""
    assert list(statuses_on(dated_network().programmes, date.fromisoformat(day))) == expected


def test_posts_opened_after_the_year_are_not_in_the_network_then():
    network = dated_network()
    assert list(network_on(network, date(2023, 12, 31)).posts["post_id"]) == [
        "SSI-DAKAR", "SSI-BAMAKO"]
    assert "NER" not in set(network_on(network, date(2023, 12, 31)).coverage["country_iso3"])
    assert len(network_on(network, date(2024, 1, 1)).posts) == 3
    # The recorded column and the source network are left as they were.
    assert list(network.programmes["status"]) == ["active", "active", "planned", "completed",
                                                  "active", "active"]


# --- the URL key ---------------------------------------------------------------------------------

def test_the_url_reads_and_writes_asof(vocabulary):
    view = view_on(vocabulary, "?asof=2023-12-31&status=all")
    assert view.filters.get("asof") == ("2023-12-31",)
    assert to_query(view) == "?asof=2023-12-31&status=all"
    assert view_on(vocabulary, "?asof=soon").filters.get("asof") == ()
    assert view_on(vocabulary, "?asof=2023-02-30").filters.get("asof") == ()
    assert view_on(vocabulary, "?asof=3023-01-01").filters.get("asof") == ()
    assert to_query(view_on(vocabulary, "?asof=")) == ""


def test_absent_asof_is_the_data_date(data, vocabulary):
    assert view_day(data, ViewState()) == date(2025, 6, 30)
    assert shown_day(data, ViewState()) is None
    assert shown_day(data, view_on(vocabulary, "?asof=2025-06-30")) is None
    assert shown_day(data, view_on(vocabulary, "?asof=2022-06-30")) == date(2022, 6, 30)


def test_undated_data_keeps_the_recorded_statuses():
    data = build_atlas_data(tiny_network(), load_countries())
    assert dated(data, ViewState()) is data
    # ... unless the view names a day.
    on = dated(data, ViewState(filters=filter_state(asof=("2019-06-30",))))
    assert list(on.network.programmes["status"]) == ["planned", "planned", "planned", "active"]


# --- what the user reads -------------------------------------------------------------------------

KPI_CASES = [
    # query, posts, covered countries, active programmes, budget
    ("", "3", "4", "4", "450 k €"),
    ("?asof=2025-06-30", "3", "4", "4", "450 k €"),  # P6 ends that day: still active
    ("?asof=2025-07-01", "3", "4", "3", "440 k €"),
    ("?asof=2023-12-31", "2", "3", "2", "340 k €"),  # Niamey opens in 2024
    ("?asof=2019-12-31", "2", "3", "1", "50 k €"),  # P4's last day
    ("?asof=2020-01-01", "2", "3", "0", "0 €"),
]


@pytest.mark.parametrize(("query", "n_posts", "covered", "programmes", "budget"), KPI_CASES)
def test_kpi_strip_on_each_date(data, vocabulary, query, n_posts, covered, programmes, budget):
    kpis = map_view(data, view_on(vocabulary, query)).kpi_texts
    assert (kpis[0], kpis[2], kpis[3]) == (n_posts, covered, programmes)
    assert kpis[4].replace("\u202f", " ").replace("\xa0", " ") == budget


def test_status_filter_follows_the_date(data, vocabulary):
    """``status=completed`` on 2025-07-01 holds P4 and P6; on the data's date P4 only."""
    completed = map_view(data, view_on(vocabulary, "?asof=2025-07-01&status=completed"))
    assert completed.kpi_texts[3] == "2"
    assert map_view(data, view_on(vocabulary, "?status=completed")).kpi_texts[3] == "1"
    planned = map_view(data, view_on(vocabulary, "?asof=2019-12-31&status=planned"))
    assert planned.kpi_texts[3] == "5"


def test_map_counts_follow_the_date(data, vocabulary):
    """Programmes mode: Mali counts P2 and P6 on the data's date, P2 alone a day later."""
    def mali(query: str) -> int:
        view = view_on(vocabulary, f"?mode=programmes{query}")
        return map_view(data, view).countries_hideout["values"].get("MLI", 0)

    assert mali("") == 2
    assert mali("&asof=2025-07-01") == 1
    assert mali("&asof=2022-05-31") == 0


def test_posts_opened_later_are_not_drawn(data, vocabulary):
    before = dated(data, view_on(vocabulary, "?asof=2023-12-31"))
    view = view_on(vocabulary, "?asof=2023-12-31")
    assert posts.hideout(before, view)["hidden"] == ["SSI-NIAMEY"]
    assert links.hideout(before, view)["hidden"] == ["SSI-NIAMEY"]
    assert posts.hideout(dated(data, ViewState()), ViewState())["hidden"] == []


def test_the_as_of_date_is_shown_large_on_the_map_when_it_is_not_the_data_date(data, vocabulary):
    assert map_view(data, ViewState()).asof_text == ""
    fr = map_view(data, view_on(vocabulary, "?asof=2022-06-30"))
    en = map_view(data, view_on(vocabulary, "?asof=2022-06-30&lang=en"))
    assert (fr.asof_text, en.asof_text) == ("Situation au 30 juin 2022", "As of 30 June 2022")


def test_country_panel_statuses_follow_the_date(data, vocabulary):
    def mali_rows(query: str) -> dict[str, str]:
        panel = country_panel_data(data, view_on(vocabulary, f"?status=all{query}"), "MLI")
        return {row.programme_id: row.status for row in panel.programmes.rows}

    assert mali_rows("") == {"P2": "active", "P3": "planned", "P6": "active"}
    assert mali_rows("&asof=2025-07-01") == {"P2": "active", "P3": "planned",
                                              "P6": "completed"}


def test_search_offers_only_the_posts_open_then(data, vocabulary):
    values = {choice["value"] for choice in
              search_options(dated(data, view_on(vocabulary, "?asof=2023-06-30")), "fr")}
    assert "post:SSI-DAKAR" in values and "post:SSI-NIAMEY" not in values
    assert "post:SSI-NIAMEY" in {c["value"] for c in search_options(dated(data, ViewState()),
                                                                      "fr")}


def test_dated_networks_are_kept_per_day_and_bounded(data, vocabulary):
    view = view_on(vocabulary, "?asof=2023-12-31")
    assert dated(data, view) is dated(data, view)
    assert dated(dated(data, view), view) is dated(data, view)
    for day in range(1, DATED_KEPT + 5):
        dated(data, ViewState(filters=filter_state(asof=(date.fromordinal(
            date(2020, 1, 1).toordinal() + day).isoformat(),))))
    assert len(data.memo.get("dated", lambda: None)) == DATED_KEPT


def test_a_large_load_keeps_fewer_dated_networks():
    """The dated networks kept are bounded by their rows: all 48 days for the demo's few
    hundred programmes, 5 at 100x (49,700), 2 at the least (a worker's memory stays flat
    whatever dates its users ask for)."""
    assert dated_kept(497) == DATED_KEPT == 48
    assert dated_kept(49_700) == 5
    assert dated_kept(497_000) == 2
    assert dated_kept(0) == DATED_KEPT


# --- exports --------------------------------------------------------------------------------------

def test_an_export_names_the_date_in_its_file_and_on_its_page(data, vocabulary):
    view = view_on(vocabulary, "?asof=2022-06-30&mode=programmes")
    _content, name = export_file(data, view, "csv")
    assert name == "programmes-en-cours-2025-06-30-au-2022-06-30.csv"
    _content, name = export_file(data, view_on(vocabulary, "?mode=programmes"), "csv")
    assert name == "programmes-en-cours-2025-06-30.csv"
    english = view_on(vocabulary, "?asof=2022-06-30&lang=en")
    assert describe.file_stem(data, english) == "network-coverage-2025-06-30-asof-2022-06-30"
    assert describe.data_date_text(dated(data, english), "en") == (
        "As of 30 June 2022 · Data as of 30 June 2025")
    assert describe.data_date_text(dated(data, ViewState()), "fr") == "Données au 30 juin 2025"


def test_an_export_table_holds_the_statuses_of_the_date(data, vocabulary):
    def statuses(query: str) -> dict[str, str]:
        content, _ = export_file(data, view_on(vocabulary, f"?status=all&lang=en{query}"),
                                 "csv")
        rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
        return {row[next(iter(row))]: row["Status"] for row in rows}

    assert statuses("")["P6"] == "Active"
    assert statuses("&asof=2025-07-01")["P6"] == "Completed"


def test_atlas_export_asof(tmp_path, capsys):
    """``atlas export --asof`` names the date in the file; a bad date exits 2, naming it."""
    assert export_command.main(["--format", "csv", "--out", f"{tmp_path}/out/",
                                "--asof", "2022-06-30"]) == 0
    [written] = capsys.readouterr().out.split()
    assert written.endswith("-au-2022-06-30.csv")
    assert export_command.main(["--format", "csv", "--out", str(tmp_path / "x"),
                                "--asof", "30/06/2022"]) == 2
    assert "--asof must be a date like 2022-06-30, got '30/06/2022'" in capsys.readouterr().err


@pytest.mark.parametrize("day", ["2019-06-30", "2023-06-30", "2025-06-30", "2027-06-30"])
def test_a_dated_view_counts_as_a_network_built_on_that_day(data, day):
    """The dated network reuses the programmes' long tables and the filter index's columns
    (the statuses aside); its map figures are those of a network built from scratch with the
    same statuses and posts, for every mode and filter."""
    dated_data = dated(data, ViewState(filters=filter_state(asof=(day,))))
    on = dated_data.network
    fresh = build_atlas_data(Network(posts=on.posts, coverage=on.coverage,
                                     programmes=on.programmes, themes=on.themes,
                                     data_date=on.data_date), load_countries())
    for query in ("?mode=programmes", "?mode=programmes&status=planned,completed&themes=drugs",
                  "?mode=coverage", "?mode=programmes&metric=budget&status=all"):
        view = parse_query(f"{query}&asof={day}", Vocabulary.of(data))
        assert map_view(dated_data, view).kpi_texts == map_view(fresh, view).kpi_texts
        assert (map_view(dated_data, view).countries_hideout
                == map_view(fresh, view).countries_hideout)


def test_a_restated_network_keeps_its_programmes_rows():
    network = dated_network()
    with pytest.raises(ValueError, match="keep the network's rows"):
        network.restated(programmes=network.programmes.iloc[::-1], posts=network.posts,
                         coverage=network.coverage)
