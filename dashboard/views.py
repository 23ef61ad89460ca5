"""Pure functions from (data, view state) to what the map callbacks send: the layers' hideouts,
the KPI texts and the legend. Each is unit-tested without Dash."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.data import AtlasData
from dashboard.urlstate import ViewState
from geodata.filters import country_aggregates, kpis, programme_mask
from geodata.i18n import format_money, format_number
from layers import countries, coverage, links, posts, programmes
from layers._base import Legend


@dataclass(frozen=True)
class MapView:
    """Everything a filter change sends to the browser."""

    countries_hideout: dict
    kpi_texts: tuple[str, str, str, str, str]
    legends: tuple[Legend, ...]


def map_view(data: AtlasData, view: ViewState) -> MapView:
    """Hideout, KPI texts and legends for ``view``."""
    network, lang = data.network, view.lang
    mask = programme_mask(network, view.filters, data.region_of)
    per_country = country_aggregates(network, view.filters, data.region_of, mask=mask)
    counts = {k: int(v) for k, v in per_country["count"].items()}
    budgets = {k: float(v) for k, v in per_country["budget"].items() if v > 0}
    hideout = countries.hideout(
        mode=view.mode, metric=view.metric, counts=counts, budgets=budgets,
        selected=view.country, lang=lang,
    )
    figures = kpis(network, view.filters, data.region_of, mask=mask)
    kpi_texts = (
        format_number(figures.posts, lang),
        format_number(figures.staff, lang),
        format_number(figures.covered_countries, lang),
        format_number(figures.programmes, lang),
        format_money(figures.budget_eur, lang),
    )
    colouring = (
        programmes.legend(hideout, hideout["metric"], lang)
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
