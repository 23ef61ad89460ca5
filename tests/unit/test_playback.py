"""Playback frames: the days stepped, the date in words, each frame's figures equal to the
map of that day, one set of class breaks over every frame, the budget per year."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from geodata.countries import load_countries
from layers.classes import classify
from tests.network_builders import dated_network
from viewmodel.data import build_atlas_data
from viewmodel.filters import filter_state
from viewmodel.mapview import map_view
from viewmodel.playback import day_text, frame_days, playback_frames, yearly_budget
from viewmodel.urlstate import ViewState


@pytest.fixture(scope="module")
def data():
    return build_atlas_data(dated_network(), load_countries())


def test_frame_days_are_the_ends_of_each_period():
    assert frame_days(2020, 2021, "year") == [date(2020, 12, 31), date(2021, 12, 31)]
    assert frame_days(2024, 2024, "quarter") == [date(2024, 3, 31), date(2024, 6, 30),
                                                date(2024, 9, 30), date(2024, 12, 31)]
    months = frame_days(2024, 2024, "month")
    assert len(months) == 12 and months[1] == date(2024, 2, 29)


def test_the_date_in_words():
    assert day_text(date(2019, 12, 31), "year", "fr") == "2019"
    assert day_text(date(2019, 6, 30), "quarter", "fr") == "T2 2019"
    assert day_text(date(2019, 6, 30), "quarter", "en") == "Q2 2019"
    assert day_text(date(2019, 6, 30), "month", "fr") == "Juin 2019"


def test_each_frame_is_the_map_of_its_day(data):
    view = ViewState(mode="programmes")
    frames = playback_frames(data, view, "year")
    days = [frame["day"] for frame in frames["frames"]]
    assert days[0] == f"{data.year_bounds[0]}-12-31" and days[-1] == f"{data.year_bounds[1]}-12-31"
    for frame in frames["frames"]:
        on = map_view(data, ViewState(mode="programmes",
                                      filters=filter_state(asof=(frame["day"],))))
        assert frame["kpis"] == list(on.kpi_texts), frame["day"]
        assert frame["values"] == on.countries_hideout["values"], frame["day"]
    by_day = {frame["day"]: frame for frame in frames["frames"]}
    assert by_day["2023-12-31"]["hidden"] == ["SSI-NIAMEY"]
    assert by_day["2024-12-31"]["hidden"] == []


def test_one_set_of_class_breaks_over_every_frame(data):
    frames = playback_frames(data, ViewState(mode="programmes"), "quarter")
    every_value = [v for frame in frames["frames"] for v in frame["values"].values()]
    expected = classify(every_value)
    assert (tuple(frames["lows"]), tuple(frames["highs"])) == (expected.lows, expected.highs)
    for frame in frames["frames"]:
        for iso3, value in frame["values"].items():
            index = frame["classes"][iso3]
            assert frames["lows"][index] <= value <= frames["highs"][index]


def test_budget_per_year_spreads_each_programme_over_its_years(data):
    """P1 (100 k€, 2024-2027) counts 25 k€ a year; P2 (300 k€, 2022-2026) 60 k€; P5 (40 k€,
    from 2023, no end) 40 k€ over its years to the year asked; P6 (10 k€, 2025) 10 k€."""
    programmes = data.network.programmes
    everything = np.ones(len(programmes), dtype=bool)
    assert yearly_budget(programmes, everything, 2025) == pytest.approx(
        25_000 + 60_000 + 40_000 / 3 + 10_000)
    assert yearly_budget(programmes, everything, 2019) == pytest.approx(25_000)  # P4 alone
    frames = playback_frames(data, ViewState(lang="en"), "year")
    by_day = {frame["day"]: frame["budget_year"] for frame in frames["frames"]}
    # P6 ended in June 2025: its budget still counts for 2025, though it is not active on
    # 31 December.
    assert by_day["2025-12-31"].startswith("Budget 2025: €108K")  # the money rule: 3 digits


def test_the_panel_timeline_carries_the_budget_per_year(data):
    """Mali's panel: P2 (300 k€ over SEN and MLI, 2022-2026: 150 k€ here, 30 k€ a year) and
    P6 (10 k€ in 2025) with every status shown."""
    from viewmodel.panels import country_panel_data

    view = ViewState(filters=filter_state(status=()))
    years = {y.year: y.budget for y in country_panel_data(data, view, "MLI").programmes.years}
    assert years[2022] == pytest.approx(30_000)
    assert years[2025] == pytest.approx(40_000)
    assert years[2027] == pytest.approx(0)  # P3 has no budget


def test_the_gif_frames_share_the_playback_classes(data):
    """Every GIF frame is the view on its day, drawn with the classes of the whole playback."""
    from exports.formats.gif_playback import frame_views

    frames = playback_frames(data, ViewState(mode="programmes"), "year")
    views = list(frame_views(data, ViewState(mode="programmes")))
    assert [label for label, _, _, _ in views] == [f["label"] for f in frames["frames"]]
    assert [budget for *_, budget in views] == [f["budget_year"] for f in frames["frames"]]
    for label, frame_data, on, _ in views:
        assert frame_data.class_breaks == (frames["lows"], frames["highs"])
        assert on.filters.get("asof") == (f"{label}-12-31",)
        hideout = map_view(frame_data, on).countries_hideout
        assert (hideout["lows"], hideout["highs"]) == (frames["lows"], frames["highs"])
