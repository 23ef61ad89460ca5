"""Pure functions from (data, view state) to what the map callbacks send: the layers' hideouts,
the KPI texts and the legend. Each is unit-tested without Dash."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from geodata.filters import country_totals, kpis, programme_mask
from geodata.i18n import format_day, format_money, format_number, t
from layers import LAYERS, countries
from layers._base import Figures, Legend
from viewmodel.asof import dated, shown_day
from viewmodel.changes import baseline_for, change_lines, changes_title, period_changes
from viewmodel.data import AtlasData
from viewmodel.urlstate import ViewState

# Locale formatting (babel) costs more than the filtering; the same figures recur across views.
_number_text = lru_cache(maxsize=4096, typed=True)(format_number)
_money_text = lru_cache(maxsize=4096, typed=True)(format_money)


@dataclass(frozen=True)
class MapView:
    """Everything a filter change sends to the browser: every layer's hideout (by layer id),
    the KPI texts and the legend blocks."""

    hideouts: dict[str, dict]
    kpi_texts: tuple[str, str, str, str, str]
    legends: tuple[Legend, ...]
    #: "Au 30 juin 2022" when the view's as-of date is not the data's own, else "".
    asof_text: str = ""
    #: The changes mode: the period's title and its changes in words, country by country.
    changes_title: str = ""
    change_lines: tuple[str, ...] = ()

    @property
    def countries_hideout(self) -> dict:
        """The country layers' hideout (fills, classes, outlines)."""
        return self.hideouts[countries.LAYER_ID]


def layer_hideouts(data: AtlasData, view: ViewState, figures: Figures) -> dict[str, dict]:
    """Every layer's hideout for ``view``, each computed once (layers sharing one hideout
    function, like the small states with the countries, share its result)."""
    computed: dict[object, dict] = {}
    hideouts = {}
    for layer in LAYERS:
        if layer.hideout not in computed:
            computed[layer.hideout] = layer.hideout(data, view, figures)
        hideouts[layer.LAYER_ID] = computed[layer.hideout]
    return hideouts


def map_view(data: AtlasData, view: ViewState, baselines=None) -> MapView:
    """Hideouts, KPI texts and legends for ``view`` (``baselines``: where the changes mode
    finds the view's ``since``, see :mod:`viewmodel.changes`)."""
    baselines = baselines if baselines is not None else data.baselines
    data = dated(data, view)
    lang = view.lang
    index = data.filter_index
    mask = programme_mask(index, view.filters, data.regions)
    counts, budgets = country_totals(index, view.filters, data.regions, mask=mask)
    changes = (period_changes(data, view, baseline_for(view.since, baselines))
               if view.mode == "changes" else None)
    title = changes_title(changes, lang) if changes else (
        t("changes.choose", lang) if view.mode == "changes" else "")
    layer_figures = Figures(counts=counts, budgets=budgets,
                            changes=changes.categories() if changes else {},
                            changes_title=title)
    hideouts = layer_hideouts(data, view, layer_figures)
    figures = kpis(index, view.filters, data.regions, mask=mask)
    kpi_texts = (
        _number_text(figures.posts, lang),
        _number_text(figures.staff, lang),
        _number_text(figures.covered_countries, lang),
        _number_text(figures.programmes, lang),
        _money_text(figures.budget_eur, lang),
    )
    legends = tuple(legend for layer in LAYERS
                    if (legend := layer.legend(hideouts[layer.LAYER_ID], view)) is not None)
    return MapView(hideouts=hideouts, kpi_texts=kpi_texts, legends=legends,
                   asof_text=asof_text(data, view), changes_title=title,
                   change_lines=tuple(change_lines(data, changes, lang)) if changes else ())


def asof_text(data: AtlasData, view: ViewState) -> str:
    """"Au 30 juin 2022" / "As of 30 June 2022" when the view's as-of date differs from the
    data's date, else ""."""
    day = shown_day(data, view)
    return t("asof.on", view.lang).format(date=format_day(day, view.lang)) if day else ""
