"""The benchmark's pure parts: the synthetic data generator and the baseline figure (no timing
is ever asserted)."""

from __future__ import annotations

import pytest

from benchmarks import browser, loadgen, synthetic
from benchmarks.baseline import baseline_figure, load_geojson
from dashboard import ids
from geodata.countries import load_countries
from geodata.loading import DEMO_DIR, load_network
from viewmodel.data import build_atlas_data
from viewmodel.filters import filter_state
from viewmodel.urlstate import ViewState


@pytest.fixture(scope="module")
def countries():
    return load_countries()


def test_scaled_tables_are_deterministic_and_ten_times_larger():
    """Same seed, same rows; 10x the demo's programmes with unique ids."""
    first = synthetic.scaled_tables(10)
    assert first == synthetic.scaled_tables(10)
    demo_rows = synthetic.read_table("programmes")[1]
    header, rows = first["programmes"]
    assert len(rows) == 10 * len(demo_rows)
    assert rows[: len(demo_rows)] == demo_rows
    assert len({row["programme_id"] for row in rows}) == len(rows)
    assert first["posts"] == (synthetic.read_table("posts"))
    assert synthetic.scaled_tables(10, seed=1)["programmes"] != first["programmes"]


def test_scaled_data_loads_without_errors(tmp_path, countries):
    """The 10x folder passes the validator and holds 10x the programmes."""
    folder = synthetic.write_scaled(10, tmp_path / "data")
    network = load_network(folder, countries)
    assert len(network.programmes) == 10 * len(load_network(DEMO_DIR, countries).programmes)


def test_baseline_figure_has_every_country(countries):
    """The usual choropleth carries all 250 shapes and one value per country."""
    data = build_atlas_data(load_network(DEMO_DIR, countries), countries)
    geojson = load_geojson()
    for view in (ViewState(), ViewState(mode="programmes", metric="budget",
                                        filters=filter_state(themes=("drugs",)))):
        trace = baseline_figure(geojson, data, view).data[0]
        assert len(trace.locations) == 250 == len(trace.z)
        assert trace.featureidkey == "properties.iso3"
        assert len(trace.geojson["features"]) == 250


def test_filter_states_and_payloads_are_reproducible():
    """The filter states come from a fixed seed; a payload carries every callback input."""
    kwargs = {"themes": ["drugs", "terrorism"], "regions": ["africa"], "countries": ["MLI"],
              "year_bounds": (2018, 2027)}
    states = loadgen.filter_states(20, **kwargs)
    assert states == loadgen.filter_states(20, **kwargs)
    spec = {"output": "..a.x...b.y..", "inputs": [{"id": "filter-mode", "property": "value"}]}
    body = loadgen.callback_body(spec, states[0])
    assert b'"filter-mode"' in body and b'"outputs"' in body


def test_asof_states_change_the_date_only():
    """The as-of changes: the same control values on month ends spread over the years (the
    warm-up on mid-months, never a timed date)."""
    base = {"filter-mode": "programmes", "filter-themes": ["drugs"]}
    timed = loadgen.asof_states(base, (2018, 2027), 8)
    warm = loadgen.asof_states(base, (2018, 2027), 4, day=15)
    days = [state[ids.control("asof")] for state in timed]
    assert len(days) == len(set(days)) == 8
    assert days[0] == "2018-01-31" and "2018-02-28" not in days
    assert all("2018-01-01" <= day <= "2027-12-31" for day in days)
    assert all({k: v for k, v in state.items() if k != ids.control("asof")} == base
               for state in timed)
    assert not set(days) & {state[ids.control("asof")] for state in warm}
    assert loadgen.asof_states(base, (2026, 2026), 12)[1][ids.control("asof")] == "2026-02-28"


def test_frame_rate_counts_the_dates_painted():
    """Five dates painted 250 ms apart: 4 frames per second; one held a second: fewer."""
    assert browser.frame_rate([0, 250, 500, 750, 1000]) == 4.0
    assert browser.frame_rate([0, 250, 1250, 1500]) == 2.0
    played = browser.Playback(times_ms=[0, 250, 1250], labels=["2018", "2019", "2020"])
    assert played.longest_gap_ms == 1000
    assert browser.frame_rate([100]) != browser.frame_rate([100])  # NaN: not measured


def test_the_pack_benchmark_holds_the_world_its_regions_and_country_briefs(countries):
    """The issue's pack: the world, 6 regions, 20 country briefs (the quick run's: 2 and 3)."""
    from benchmarks.run import FULL, QUICK, pack_pages

    data = build_atlas_data(load_network(DEMO_DIR, countries), countries)
    pages = pack_pages(data, FULL.pack_regions, FULL.pack_briefs)
    assert len(pages) == 27
    assert pages[0].view == "" and not pages[0].brief
    assert [page.view.split("regions=")[1] for page in pages[1:7]] == list(data.regions.ids[:6])
    assert all(page.brief and "country=" in page.view for page in pages[7:])
    assert len(pack_pages(data, QUICK.pack_regions, QUICK.pack_briefs)) == 6


def test_the_p95_budgets_are_read_from_each_scales_runs():
    """The filter and as-of p95 rows: measured where a scale ran, "not run" elsewhere, and a
    run with an error fails its budget (no timing is asserted: the times are given)."""
    from benchmarks.run import FilterRun, ScaleResult, budget_rows

    one = ScaleResult(scale=1, programmes=497, load_seconds=0.0, build_seconds=0.0,
                      compute=FilterRun(), client=FilterRun(seconds=[0.001] * 20),
                      asof_client=FilterRun(seconds=[0.005] * 20, errors=1))
    rows = {row[0]: row for row in budget_rows({"results": [one], "baseline": {},
                                                "exports": None, "pack": None})}
    assert rows["filter change p95 server time at 1x"][2].startswith("1.00 ms in-process")
    assert "PASS" in rows["filter change p95 server time at 1x"][3]
    assert rows["filter change p95 server time at 100x"][2] == "not run"
    assert "FAIL" in rows["as-of change p95 server time at 1x"][3]
    assert rows["as-of change p95 server time at 100x"][2] == "not run"


def test_the_bare_filter_changes_every_fill():
    """The bare page's two hideouts give every country another fill (a click there changes
    the whole map, as a change of mode does on the atlas)."""
    from benchmarks.bare import FILTER_VALUES, bare_hideout

    ids_ = ["FRA", "MLI", "SEN", "NER", "TCD"]
    first, second = (bare_hideout(value, ids_) for value in FILTER_VALUES)
    assert all(first["fill_colors"][first["classes"][iso3]]
               != second["fill_colors"][second["classes"][iso3]] for iso3 in ids_)


def test_the_felt_rows_compare_with_the_bare_page():
    """A change as felt passes when its median is within 1.3x of the bare page's and its
    p95 under 100 ms; a change that never painted fails the row."""
    from benchmarks.run import Served, felt_rows

    def changes(*times):
        return [browser.Felt(ms=ms, fill_changes=250, requests=[], nodes=0) for ms in times]

    served = Served(1, 0.0, None, None, [])
    served.felt = {"atlas": changes(60, 62, 64, 70), "bare": changes(50, 52, 54, 56),
                   "atlas as-of": changes(80, 90, 95, None)}
    rows = {row[0]: row for row in felt_rows({1: served})}
    mode = rows["filter change (mode radio) as felt at 1x, headless Chromium"]
    assert mode[3] == "PASS" and "(1.19x)" in mode[2]  # nearest-rank medians 62, 52
    asof = rows["as-of date change as felt at 1x, headless Chromium"]
    assert asof[3] == "FAIL" and "1 change(s) not painted" in asof[2]
    assert rows["filter change (mode radio) as felt at 100x, headless Chromium"][3] == "n/a"
