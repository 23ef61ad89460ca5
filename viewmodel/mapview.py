"""Pure functions from (data, view state) to what the map callbacks send: the layers' hideouts,
the KPI texts and the legend. Each is unit-tested without Dash."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from geodata.filters import country_totals, kpis, programme_mask
from geodata.i18n import format_money, format_number
from layers import LAYERS, countries
from layers._base import Figures, Legend
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


def map_view(data: AtlasData, view: ViewState) -> MapView:
    """Hideouts, KPI texts and legends for ``view``."""
    lang = view.lang
    index = data.filter_index
    mask = programme_mask(index, view.filters, data.regions)
    counts, budgets = country_totals(index, view.filters, data.regions, mask=mask)
    hideouts = layer_hideouts(data, view, Figures(counts=counts, budgets=budgets))
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
    return MapView(hideouts=hideouts, kpi_texts=kpi_texts, legends=legends)
