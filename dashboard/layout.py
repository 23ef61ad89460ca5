"""The page layout: header with KPI strip, filter column, map with legend."""

from __future__ import annotations

import json
from functools import lru_cache

import dash_leaflet as dl
from dash import dcc, html
from plotly.io.json import to_json_plotly

from dashboard import ids
from dashboard.data import AtlasData
from dashboard.export import describe
from dashboard.export.dialog import export_dialog
from dashboard.panel_layout import panel_column, search_box
from dashboard.reload import update_control
from dashboard.settings import Settings
from dashboard.urlstate import LAYER_NAMES, ViewState
from dashboard.views import map_view, overlay_hideouts
from geodata.i18n import t
from geodata.network import BENEFICIARIES, COOPERATION_TYPES, STATUSES
from geodata.regions import REGIONS, region_label
from layers import countries, links, palette, posts, small_states
from layers._base import Legend

WORLD_CENTER = (20.0, 10.0)
WORLD_ZOOM = 2


def legend_children(legends: tuple[Legend, ...]) -> list:
    """The legend as HTML: a title per block and one swatch row per entry."""
    blocks = []
    for legend in legends:
        rows = [html.Div(legend.title, className="legend-title")] if legend.title else []
        for entry in legend.entries:
            swatch_style = {"backgroundColor": entry.color}
            if entry.outline:
                swatch_style["borderColor"] = entry.outline
            rows.append(
                html.Div(
                    [html.Span(className=f"swatch swatch-{entry.shape}", style=swatch_style),
                     html.Span(entry.label, className="legend-label")],
                    className="legend-row",
                )
            )
        blocks.append(html.Div(rows, className="legend-block"))
    return blocks


@lru_cache(maxsize=512)
def legend_json(legends: tuple[Legend, ...]) -> list[dict]:
    """:func:`legend_children` in the JSON form Dash sends, built once per distinct legend: a
    filter change then neither builds nor serialises its ~25 components (a fifth of the
    callback's time). Shared between requests: never modify the result."""
    return json.loads(to_json_plotly(legend_children(legends)))


def theme_options(data: AtlasData, lang: str) -> list[dict]:
    """Theme choices with their colour swatch."""
    themes = data.network.themes
    label_column = "label_en" if lang == "en" else "label_fr"
    return [
        {
            "label": html.Span([html.Span(className="swatch swatch-square",
                                          style={"backgroundColor": row.color}),
                                html.Span(getattr(row, label_column))], className="option"),
            "value": row.theme_id,
            "search": f"{row.label_fr} {row.label_en} {row.theme_id}",
        }
        for row in themes.itertuples(index=False)
    ]


def _options(values, prefix: str, lang: str) -> list[dict]:
    return [{"label": t(f"{prefix}.{v}", lang), "value": v} for v in values]


def year_bounds(data: AtlasData) -> tuple[int, int]:
    """The first and last programme years in the data (for the slider), computed at load."""
    return data.year_bounds


def _field(label: str, control, label_for: str | None = None) -> html.Div:
    return html.Div([html.Label(label, htmlFor=label_for, className="field-label"), control],
                    className="field")


def filter_column(data: AtlasData, lang: str) -> html.Aside:
    """The filter controls (values are set from the URL by the sync callback)."""
    first, last = year_bounds(data)
    present = sorted(set(data.region_of.reindex(data.network.coverage["country_iso3"]).dropna()))
    regions = [r for r in REGIONS if r in present]
    return html.Aside(
        [
            html.H2(t("filters.title", lang), className="filters-title"),
            _field(t("filters.mode", lang), dcc.RadioItems(
                id=ids.MODE, value="coverage", className="segmented", inline=True,
                options=[{"label": t(f"filters.mode.{m}", lang), "value": m}
                         for m in ("coverage", "programmes")])),
            _field(t("filters.metric", lang), dcc.RadioItems(
                id=ids.METRIC, value="count", className="segmented", inline=True,
                options=[{"label": t(f"filters.metric.{m}", lang), "value": m}
                         for m in ("count", "budget")])),
            _field(t("filters.layers", lang), dcc.Checklist(
                id=ids.LAYER_TOGGLES, value=list(LAYER_NAMES), className="checks", inline=True,
                options=[{"label": t(f"filters.layers.{n}", lang), "value": n}
                         for n in LAYER_NAMES])),
            _field(t("filters.themes", lang), dcc.Dropdown(
                id=ids.THEMES, multi=True, value=[], options=theme_options(data, lang),
                placeholder=t("filters.all", lang)), ids.THEMES),
            _field(t("filters.types", lang), dcc.Dropdown(
                id=ids.TYPES, multi=True, value=[],
                options=_options(COOPERATION_TYPES, "type", lang),
                placeholder=t("filters.all", lang)), ids.TYPES),
            _field(t("filters.status", lang), dcc.Checklist(
                id=ids.STATUS, value=["active"], className="checks", inline=True,
                options=_options(STATUSES, "status", lang))),
            _field(t("filters.regions", lang), dcc.Dropdown(
                id=ids.REGIONS, multi=True, value=[],
                options=[{"label": region_label(r, lang), "value": r} for r in regions],
                placeholder=t("filters.all", lang)), ids.REGIONS),
            _field(t("filters.years", lang), dcc.RangeSlider(
                id=ids.YEARS, min=first, max=last, step=1, value=[first, last],
                marks={y: str(y) for y in range(first, last + 1, max(1, (last - first + 5) // 6))},
                allowCross=False, tooltip={"placement": "bottom"})),
            _field(t("filters.beneficiaries", lang), dcc.Dropdown(
                id=ids.BENEFICIARIES, multi=True, value=[],
                options=_options(BENEFICIARIES, "beneficiary", lang),
                placeholder=t("filters.all", lang)), ids.BENEFICIARIES),
            html.Button(t("filters.reset", lang), id=ids.RESET, className="button", n_clicks=0),
        ],
        className="filters",
    )


def language_switch(lang: str) -> html.Nav:
    """FR | EN links; following one reloads the page in that language, view unchanged."""
    links = []
    for code, link_id in (("fr", ids.LANG_LINK_FR), ("en", ids.LANG_LINK_EN)):
        current = code == lang
        links.append(html.A(code.upper(), id=link_id, href=f"?lang={code}", lang=code,
                            className="lang-link" + (" lang-current" if current else ""),
                            title=t(f"lang.{code}", lang),
                            **({"aria-current": "true"} if current else {})))
    return html.Nav(links, className="lang-switch", **{"aria-label": t("lang.switch", lang)})


def _kpi(kpi_id: str, value: str, label: str) -> html.Div:
    return html.Div([html.Span(value, id=kpi_id, className="kpi-value"),
                     html.Span(label, className="kpi-label")], className="kpi")


def build_layout(data: AtlasData, settings: Settings) -> html.Div:
    """The whole page for the default view; the URL then restores the shared view."""
    lang = settings.lang
    view = ViewState(lang=lang)
    initial = map_view(data, view)
    posts_hideout, links_hideout = overlay_hideouts(view)
    base_layers = []
    if settings.tile_url:
        base_layers.append(dl.TileLayer(url=settings.tile_url,
                                        attribution=settings.tile_attribution or None))
    kpi_labels = ("kpi.posts", "kpi.staff", "kpi.covered", "kpi.programmes", "kpi.budget")
    kpi_ids = (ids.KPI_POSTS, ids.KPI_STAFF, ids.KPI_COVERED, ids.KPI_PROGRAMMES, ids.KPI_BUDGET)
    banner = (html.Div(t("app.demo_banner", lang), id=ids.DEMO_BANNER, className="demo-banner",
                       role="note") if data.network.is_demo else None)
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.SELECTED_COUNTRY, data=None),
            dcc.Store(id=ids.SELECTED_POST, data=None),
            dcc.Store(id=ids.LANG, data=lang),
            html.Header(
                [
                    html.Div([html.H1(t("app.title", lang), className="title"), banner,
                              language_switch(lang),
                              search_box(lang),
                              export_dialog(lang, settings.export_marking),
                              update_control(settings)],
                             className="title-row"),
                    html.Div([_kpi(i, v, t(k, lang)) for i, v, k in
                              zip(kpi_ids, initial.kpi_texts, kpi_labels, strict=True)],
                             className="kpis", role="status", **{"aria-live": "polite"}),
                ],
                className="header",
            ),
            html.Main(
                [
                    filter_column(data, lang),
                    html.Div(
                        [
                            dl.Map(
                                [
                                    *base_layers,
                                    countries.component(initial.countries_hideout,
                                                        url=data.countries_url),
                                    links.component(data.geojson_url("links"),
                                                    links_hideout),
                                    small_states.component(data.geojson_url("small-states"),
                                                           initial.countries_hideout),
                                    posts.component(data.geojson_url("posts"), posts_hideout),
                                ],
                                id=ids.MAP, center=WORLD_CENTER, zoom=WORLD_ZOOM, minZoom=1,
                                maxZoom=10, worldCopyJump=False, className="map",
                                style={"backgroundColor": palette.SEA},
                                attributionControl=True,
                            ),
                            html.Div(legend_children(initial.legends), id=ids.LEGEND,
                                     className="legend"),
                            html.Div(describe.footer_text(data, lang), className="map-source",
                                     id=ids.MAP_SOURCE),
                        ],
                        className="map-wrap", role="region", **{"aria-label": t("map.label", lang)},
                    ),
                    panel_column(lang),
                ],
                className="main",
            ),
        ],
        className="page",
    )
