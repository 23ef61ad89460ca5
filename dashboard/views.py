"""Pure functions from (data, view state) to what the map callbacks send: the layers' hideouts,
the KPI texts and the legend. Each is unit-tested without Dash."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from dashboard.data import AtlasData
from geodata.filters import country_totals, kpis, programme_mask
from geodata.i18n import format_money, format_number
from layers import countries, coverage, links, posts, programmes
from layers._base import Legend
from viewmodel.urlstate import ViewState

# Locale formatting (babel) costs more than the filtering; the same figures recur across views.
_number_text = lru_cache(maxsize=4096, typed=True)(format_number)
_money_text = lru_cache(maxsize=4096, typed=True)(format_money)


_LEGENDS: dict[tuple, Legend] = {}
_LEGENDS_MAX = 1024


def _programmes_legend(hideout: dict, metric: str, lang: str) -> Legend:
    """:func:`layers.programmes.legend`, memoised: a legend depends only on the classes (breaks,
    colours, "none" colour), the metric and the language, and formatting its labels is costly."""
    key = (tuple(hideout["breaks"]), tuple(hideout["colors"]), hideout.get("none_color"),
           metric, lang)
    legend = _LEGENDS.get(key)
    if legend is None:
        if len(_LEGENDS) >= _LEGENDS_MAX:
            _LEGENDS.clear()
        legend = _LEGENDS[key] = programmes.legend(hideout, metric, lang)
    return legend


@dataclass(frozen=True)
class MapView:
    """Everything a filter change sends to the browser."""

    countries_hideout: dict
    kpi_texts: tuple[str, str, str, str, str]
    legends: tuple[Legend, ...]


def map_view(data: AtlasData, view: ViewState) -> MapView:
    """Hideout, KPI texts and legends for ``view``."""
    lang = view.lang
    index = data.filter_index
    mask = programme_mask(index, view.filters, data.region_of)
    counts, budgets = country_totals(index, view.filters, data.region_of, mask=mask)
    hideout = countries.hideout(
        mode=view.mode, metric=view.metric, counts=counts, budgets=budgets,
        selected=view.country, lang=lang, selected_post=view.post,
    )
    figures = kpis(index, view.filters, data.region_of, mask=mask)
    kpi_texts = (
        _number_text(figures.posts, lang),
        _number_text(figures.staff, lang),
        _number_text(figures.covered_countries, lang),
        _number_text(figures.programmes, lang),
        _money_text(figures.budget_eur, lang),
    )
    colouring = (
        _programmes_legend(hideout, hideout["metric"], lang)
        if hideout["mode"] == "programmes"
        else coverage.legend(lang)
    )
    extra = []
    if "posts" in view.layers:
        extra.append(posts.legend(lang))
    if "links" in view.layers:
        extra.append(links.legend(lang))
    return MapView(countries_hideout=hideout, kpi_texts=kpi_texts, legends=(colouring, *extra))


def overlay_hideouts(view: ViewState) -> tuple[dict, dict]:
    """Hideouts of the posts and links layers (visibility and tooltip words)."""
    return (
        posts.hideout(show="posts" in view.layers, lang=view.lang),
        links.hideout(show="links" in view.layers),
    )
