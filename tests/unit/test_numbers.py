"""Numbers that read well: one rounding rule for money by size of amount, whole steps on count
axes, chart legends listing only what is drawn, the years slider labelling its last year."""

from __future__ import annotations

import pytest

from dashboard.layout import year_marks
from dashboard.panel_layout import count_step, timeline_figure
from geodata.i18n import format_money
from viewmodel.panels import YearCount

NBSP = "\xa0"


@pytest.mark.parametrize(("amount", "fr", "en"), [
    (0, "0 €", "€0"),
    (850, "850 €", "€850"),
    (8_500, "9 k €", "€9K"),
    (850_000, "850 k €", "€850K"),
    (999_600, "1,0 M €", "€1.0M"),
    (2_000_000, "2,0 M €", "€2.0M"),
    (27_940_000, "27,9 M €", "€27.9M"),
    (128_400_000, "128 M €", "€128M"),
    (1_230_000_000, "1,2 Md €", "€1.2B"),
])
def test_money_has_one_rounding_rule_per_size(amount, fr, en):
    """Whole euros, whole thousands, millions with one decimal (always shown) up to 100 M, whole
    millions beyond, billions with one decimal: "2,0 M €" stands beside "27,9 M €"."""
    assert format_money(amount, "fr") == fr.replace(" ", NBSP)
    assert format_money(amount, "en") == en


def test_count_axes_step_by_whole_numbers():
    """The timeline's count axis never steps by a half."""
    assert [count_step(n) for n in (0, 2, 5, 6, 11, 26, 60)] == [1, 1, 1, 2, 5, 10, 20]
    figure = timeline_figure((YearCount(2024, 1, 2, 0), YearCount(2025, 0, 2, 0)), "en")
    assert figure["layout"]["yaxis"]["dtick"] == 1 and figure["layout"]["yaxis"]["tick0"] == 0


def test_timeline_legend_lists_only_the_statuses_drawn():
    """With only active programmes, the legend says "Active" alone."""
    figure = timeline_figure((YearCount(2024, 0, 3, 0), YearCount(2025, 0, 2, 0)), "en")
    assert [trace["name"] for trace in figure["data"]] == ["Active"]


def test_the_slider_labels_its_first_and_last_years():
    """The first and last years are always labelled, with at most six marks."""
    for first, last in ((2010, 2027), (2010, 2026), (2019, 2025), (2024, 2024)):
        marks = year_marks(first, last)
        assert marks[0] == first and marks[-1] == last and len(marks) <= 6
        assert marks == sorted(set(marks))


def test_timeline_budget_axis_speaks_the_language():
    """The budget axis reads 1,5M in French and 1.5M in English, and 0 rather than 0.0."""
    years = (YearCount(2024, 0, 3, 0, budget=1_500_000.0), YearCount(2025, 0, 2, 0))
    french, english = timeline_figure(years, "fr"), timeline_figure(years, "en")
    assert french["layout"]["separators"] == ", " and english["layout"]["separators"] == ".,"
    assert french["layout"]["yaxis2"]["tickformat"] == ".2~s"
