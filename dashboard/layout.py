"""The page layout: header with KPI strip, filter column, map with legend."""

from __future__ import annotations

import json
from functools import lru_cache

import dash_leaflet as dl
from dash import dcc, html
from plotly.io.json import to_json_plotly

from dashboard import ids
from dashboard.export_dialog import export_dialog
from dashboard.panel_layout import panel_column, search_box
from dashboard.reload import update_control
from dashboard.settings import Settings
from exports import describe
from geodata.i18n import t
from layers import LAYERS, palette
from layers._base import Legend
from viewmodel.data import AtlasData
from viewmodel.extent import WORLD_BOUNDS, world_center
from viewmodel.filters import FILTERS, Filter, Option, matching_options
from viewmodel.mapview import map_view
from viewmodel.urlstate import LAYER_NAMES, METRICS, MODES, ZOOM_STEP, ViewState


def legend_children(legends: tuple[Legend, ...]) -> list:
    """The legend as HTML: a title per block and one swatch row per entry."""
    blocks = []
    for legend in legends:
        rows = [html.Div(legend.title, className="legend-title")] if legend.title else []
        for entry in legend.entries:
            swatch_style = {"backgroundColor": entry.color}
            if entry.outline:
                swatch_style["borderColor"] = entry.outline
            if entry.size:  # a size key: the marker's own diameter
                swatch_style["width"] = swatch_style["height"] = f"{2 * entry.size:g}px"
            rows.append(
                html.Div(
                    [html.Span(className=f"swatch swatch-{entry.shape}", style=swatch_style),
                     html.Span(entry.label, className="legend-label")],
                    className="legend-row",
                )
            )
        blocks.append(html.Div(rows, className="legend-block"
                               + (" legend-inline" if legend.inline else "")))
    return blocks


def legend_json(legends: tuple[Legend, ...]) -> list[dict]:
    """:func:`legend_children` in the JSON form Dash sends: a filter change then neither builds
    nor serialises its ~25 components (a fifth of the callback's time). The text is built once
    per distinct legend; each call gets its own copy."""
    return json.loads(_legend_text(legends))


@lru_cache(maxsize=512)
def _legend_text(legends: tuple[Legend, ...]) -> str:
    return to_json_plotly(legend_children(legends))


def option_dicts(options: list[Option]) -> list[dict]:
    """Filter options as a Dash dropdown or checklist takes them (a colour swatch where the
    value has one)."""
    result = []
    for option in options:
        label = option.label
        if option.color:
            label = html.Span([html.Span(className="swatch swatch-square",
                                         style={"backgroundColor": option.color}),
                               html.Span(option.label)], className="option")
        result.append({"label": label, "value": option.value,
                       **({"search": option.search} if option.search else {})})
    return result


def year_bounds(data: AtlasData) -> tuple[int, int]:
    """The first and last programme years in the data (for the slider), computed at load."""
    return data.year_bounds


def _field(label: str, control, label_for: str | None = None) -> html.Div:
    return html.Div([html.Label(label, htmlFor=label_for, className="field-label"), control],
                    className="field")


def filter_control(spec: Filter, data: AtlasData, lang: str):
    """The control of one declared filter, at its default value (the URL then sets it)."""
    control_id = ids.control(spec.key)
    if spec.widget == "range":
        first, last = spec.domain(data)
        step = max(1, (last - first + 5) // 6)
        return dcc.RangeSlider(
            id=control_id, min=first, max=last, step=1, value=[first, last],
            marks={y: str(y) for y in range(first, last + 1, step)},
            allowCross=False, tooltip={"placement": "bottom"})
    if spec.widget == "checklist":
        return dcc.Checklist(id=control_id, value=list(spec.default), className="checks",
                             inline=True, options=option_dicts(spec.options(data, lang)))
    options = (matching_options(spec, data, lang, None) if spec.searchable
               else spec.options(data, lang))
    return dcc.Dropdown(id=control_id, multi=True, value=list(spec.default),
                        options=option_dicts(options), placeholder=t("filters.all", lang))


def filter_column(data: AtlasData, lang: str) -> html.Aside:
    """The filter controls (values are set from the URL by the sync callback): how the map is
    drawn, then every declared filter (:data:`viewmodel.filters.FILTERS`)."""
    filters = [_field(t(spec.label, lang), filter_control(spec, data, lang),
                      ids.control(spec.key) if spec.widget == "dropdown" else None)
               for spec in FILTERS]
    return html.Aside(
        [
            html.H2(t("filters.title", lang), className="filters-title"),
            _field(t("filters.mode", lang), dcc.RadioItems(
                id=ids.MODE, value=MODES[0], className="segmented", inline=True,
                options=[{"label": t(f"filters.mode.{m}", lang), "value": m} for m in MODES])),
            _field(t("filters.metric", lang), dcc.RadioItems(
                id=ids.METRIC, value=METRICS[0], className="segmented", inline=True,
                options=[{"label": t(f"filters.metric.{m}", lang), "value": m}
                         for m in METRICS])),
            _field(t("filters.layers", lang), dcc.Checklist(
                id=ids.LAYER_TOGGLES, value=list(LAYER_NAMES), className="checks", inline=True,
                options=[{"label": t(f"filters.layers.{n}", lang), "value": n}
                         for n in LAYER_NAMES])),
            *filters,
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
    base_layers = [dl.AttributionControl(prefix="Leaflet", position="bottomright")]
    if settings.tile_url:
        base_layers.append(dl.TileLayer(url=settings.tile_url,
                                        attribution=settings.tile_attribution or None))
    kpi_labels = ("kpi.posts", "kpi.staff", "kpi.covered", "kpi.programmes", "kpi.budget")
    kpi_ids = ids.KPIS
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
                                    *(layer.component(data.geojson_url(layer.FILE),
                                                      initial.hideouts[layer.LAYER_ID])
                                      for layer in LAYERS),
                                ],
                                # The world fitted to the window: no zoom, so that the bounds
                                # decide it (the centre is what the viewport tracking needs);
                                # a link's own extent comes as centre and zoom from the URL.
                                id=ids.MAP, bounds=WORLD_BOUNDS, center=list(world_center()),
                                zoomSnap=ZOOM_STEP,
                                zoomDelta=0.5, minZoom=0.5, maxZoom=10, worldCopyJump=False,
                                className="map", style={"backgroundColor": palette.SEA},
                                # Leaflet's own prefix carries a flag: credit it in words.
                                attributionControl=False,
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
