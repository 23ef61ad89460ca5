"""The page layout: header with KPI strip, filter column, map with legend."""

from __future__ import annotations

import json
from dataclasses import replace
from functools import lru_cache

import dash_leaflet as dl
from dash import dcc, html
from plotly.io.json import to_json_plotly

from dashboard import ids
from dashboard.export_dialog import export_dialog
from dashboard.panel_layout import (
    close_children,
    country_list,
    panel_column,
    panel_content,
    search_box,
)
from dashboard.reload import update_control
from dashboard.settings import Settings
from exports import describe
from geodata.i18n import format_day, t
from layers import LAYERS, palette
from layers._base import Legend
from viewmodel.data import AtlasData
from viewmodel.extent import home_bounds, home_view, mercator_middle
from viewmodel.filters import FILTERS, Filter, Option, matching_options
from viewmodel.mapview import map_view
from viewmodel.playback import FRAME_MS
from viewmodel.playback import STEPS as PLAY_STEPS
from viewmodel.urlstate import (
    LAYER_NAMES,
    METRICS,
    MODES,
    ZOOM_STEP,
    ViewState,
    Vocabulary,
    control_values,
    parse_query,
)


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


def year_marks(first: int, last: int, most: int = 6) -> list[int]:
    """The years labelled under the slider: the first, the last, and evenly spaced ones
    between (at most ``most``), none closer to the last than half a step."""
    step = max(1, -(-(last - first) // (most - 1)))
    marks = list(range(first, last, step))
    if marks and last - marks[-1] < step / 2 and len(marks) > 1:
        marks.pop()
    return [*marks, last] if last not in marks else marks


def year_bounds(data: AtlasData) -> tuple[int, int]:
    """The first and last programme years in the data (for the slider), computed at load."""
    return data.year_bounds


def dropdown_labels(lang: str) -> dict:
    """The words a Dash dropdown shows of its own (search, select all, "2 selected"...), in
    ``lang``: every dropdown of the page takes them (``labels=``)."""
    keys = ("select_all", "deselect_all", "selected_count", "search", "clear_search",
            "clear_selection", "no_options_found")
    return {key: t(f"dropdown.{key}", lang) for key in keys}


def date_picker_texts(lang: str) -> dict:
    """The props giving a Dash date picker the page's words and calendar: its placeholder, the
    date and month formats, the week's first day. Its month and day names come from the
    vendored date-fns locale of the page's language (``assets/datepicker-locale.js``)."""
    return {"placeholder": t("datepicker.placeholder", lang),
            "display_format": t("datepicker.display_format", lang),
            "month_format": t("datepicker.month_format", lang),
            "first_day_of_week": 1}


def _field(label: str, control, label_for: str | None = None) -> html.Div:
    return html.Div([html.Label(label, htmlFor=label_for, className="field-label"), control],
                    className="field")


#: The property holding a control's value, by widget, where it is not ``value``.
WIDGET_PROPS = {"date": "date"}
#: How a date picker writes the date, by language.
DATE_FORMATS = {"fr": "DD/MM/YYYY", "en": "D MMM YYYY"}


def filter_control(spec: Filter, data: AtlasData, lang: str, value=None):
    """The control of one declared filter, showing ``value`` (its widget value for the page's
    view; None: the filter's default)."""
    control_id = ids.control(spec.key)
    if spec.widget == "date":
        first, last = spec.domain(data)
        day = data.network.data_date
        placeholder = (t("filters.asof.data_date", lang).format(date=format_day(day, lang))
                       if day else t("filters.asof.none", lang))
        lowest, highest = f"{first}-01-01", f"{last}-12-31"
        picker = dcc.DatePickerSingle(
            id=control_id, date=value, clearable=True, placeholder=placeholder,
            min_date_allowed=lowest, max_date_allowed=highest,
            initial_visible_month=day.isoformat() if day else f"{last}-01-01",
            display_format=DATE_FORMATS.get(lang, DATE_FORMATS["fr"]), first_day_of_week=1,
            className="asof-picker")
        # The bounds again for assets/asof.js, which commits a date typed and confirmed with
        # Enter without the picker's calendar.
        return html.Div(picker, className="asof-field",
                        **{"data-min": lowest, "data-max": highest})
    if spec.widget == "range":
        first, last = spec.domain(data)
        return dcc.RangeSlider(
            id=control_id, min=first, max=last, step=1,
            value=list(value) if value else [first, last],
            marks={y: str(y) for y in year_marks(first, last)},
            allowCross=False, tooltip={"placement": "bottom"})
    chosen = list(spec.default) if value is None else list(value)
    if spec.widget == "checklist":
        return dcc.Checklist(id=control_id, value=chosen, className="checks",
                             inline=True, options=option_dicts(spec.options(data, lang)))
    options = (matching_options(spec, data, lang, None, chosen) if spec.searchable
               else spec.options(data, lang))
    return dcc.Dropdown(id=control_id, multi=True, value=chosen,
                        options=option_dicts(options), placeholder=t("filters.all", lang),
                        labels=dropdown_labels(lang))


def since_options(baselines, lang: str) -> list[dict]:
    """The changes mode's baselines for the control: every earlier version (the demo's earlier
    snapshot when the demo is served)."""
    if baselines is None:
        return []
    return [{"label": label, "value": key} for key, label in baselines.options(lang)]


def changes_children(result) -> list:
    """The changes box: the period's title and its changes, one line per country."""
    if not result.changes_title:
        return []
    return [html.Div(result.changes_title, className="changes-title"),
            html.Ul([html.Li(line) for line in result.change_lines], className="changes-list")]


def playback_bar(lang: str) -> html.Div:
    """The playback's controls on the map: play or pause, a step back or on, the step; its
    frames arrive in one piece (``ids.PLAY_FRAMES``) and the page steps through them."""
    return html.Div(
        [
            html.Button("▶", id=ids.PLAY, n_clicks=0, className="play-button",
                        title=t("playback.play", lang), **{"aria-label": t("playback.play", lang)}),
            html.Button("‹", id=ids.PLAY_PREVIOUS, n_clicks=0, className="play-step-button",
                        title=t("playback.previous", lang),
                        **{"aria-label": t("playback.previous", lang)}),
            html.Button("›", id=ids.PLAY_NEXT, n_clicks=0, className="play-step-button",
                        title=t("playback.next", lang),
                        **{"aria-label": t("playback.next", lang)}),
            dcc.RadioItems(id=ids.PLAY_STEP, value="year", inline=True, className="play-steps",
                           options=[{"label": t(f"playback.step.{step}", lang), "value": step}
                                    for step in PLAY_STEPS]),
            html.Div(id=ids.PLAY_BUDGET, className="play-budget"),
            dcc.Store(id=ids.PLAY_FRAMES, data=None),
            dcc.Store(id=ids.PLAY_STATE, data={"index": -1}),
            dcc.Store(id=ids.PLAY_STALE, data=0),
            dcc.Interval(id=ids.PLAY_TICK, interval=FRAME_MS, disabled=True, n_intervals=0),
        ],
        className="playback", role="group", **{"aria-label": t("playback.label", lang)},
    )


def filter_column(data: AtlasData, lang: str, values: dict | None = None,
                  baselines=None) -> html.Aside:
    """The filter controls showing ``values`` (control key -> widget value, as
    :func:`viewmodel.urlstate.control_values` gives them; None: the defaults): how the map is
    drawn, then every declared filter (:data:`viewmodel.filters.FILTERS`)."""
    values = values or {}
    filters = [_field(t(spec.label, lang), filter_control(spec, data, lang, values.get(spec.key)),
                      ids.control(spec.key) if spec.widget == "dropdown" else None)
               for spec in FILTERS]
    return html.Aside(
        [
            html.Div([html.H2(t("filters.title", lang), className="filters-title"),
                      html.Button(close_children(lang, "filters.close"), id=ids.FILTERS_CLOSE,
                                  className="panel-close filters-close",
                                  title=t("filters.close", lang))],
                     className="filters-head"),
            _field(t("filters.mode", lang), dcc.RadioItems(
                id=ids.MODE, value=values.get("mode", MODES[0]), className="segmented",
                inline=True,
                options=[{"label": t(f"filters.mode.{m}", lang), "value": m} for m in MODES])),
            _field(t("filters.since", lang), dcc.Dropdown(
                id=ids.SINCE, value=values.get("since"), options=since_options(baselines, lang),
                placeholder=t("filters.since.none", lang), clearable=True), ids.SINCE),
            _field(t("filters.metric", lang), dcc.RadioItems(
                id=ids.METRIC, value=values.get("metric", METRICS[0]), className="segmented",
                inline=True,
                options=[{"label": t(f"filters.metric.{m}", lang), "value": m}
                         for m in METRICS])),
            _field(t("filters.layers", lang), dcc.Checklist(
                id=ids.LAYER_TOGGLES, value=list(values.get("layers", LAYER_NAMES)),
                className="checks", inline=True,
                options=[{"label": t(f"filters.layers.{n}", lang), "value": n}
                         for n in LAYER_NAMES])),
            *filters,
            html.Button(t("filters.reset", lang), id=ids.RESET, className="button", n_clicks=0),
            country_list(data, lang),
        ],
        id=ids.FILTERS, className="filters", **{"aria-label": t("filters.title", lang)},
    )


def filters_toggle(lang: str) -> html.Button:
    """The button showing the filter column as a drawer, on screens too narrow for it to stay
    (``assets/layout.js`` opens and closes it; hidden on wide screens by ``layouts.css``)."""
    return html.Button(
        [html.Span("☰", className="filters-toggle-icon", **{"aria-hidden": "true"}),
         html.Span(t("filters.toggle", lang))],
        id=ids.FILTERS_TOGGLE, className="button filters-toggle",
        **{"aria-expanded": "false", "aria-controls": ids.FILTERS})


def page_title(lang: str) -> html.H1:
    """The title, with a short form that narrow or short screens show instead."""
    return html.H1([html.Span(t("app.title", lang), className="title-long"),
                    html.Span(t("app.title.short", lang), className="title-short")],
                   className="title")


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


def initial_view(data: AtlasData, lang: str, query: str = "",
                 vocabulary: Vocabulary | None = None) -> ViewState:
    """The view the page's URL query asks for (a shared link draws its own view first, not the
    default one corrected a moment later), in the page's language."""
    if not query:
        return ViewState(lang=lang)
    vocabulary = vocabulary or Vocabulary.of(data)
    return replace(parse_query(query, vocabulary), lang=lang)


def build_layout(data: AtlasData, settings: Settings, baselines=None, notice: str = "",
                 query: str = "", vocabulary: Vocabulary | None = None) -> html.Div:
    """The whole page for the view of the URL's ``query`` (the default view without one):
    controls, KPI strip, legend, map position and open panel; the URL callback then only
    confirms it. ``baselines``: the changes mode's (:class:`dataversions.baselines.Baselines`);
    ``notice`` says why the data served is a fallback (a banner), when it is one."""
    lang = settings.lang
    vocabulary = vocabulary or (Vocabulary.of(data) if query else None)
    view = initial_view(data, lang, query, vocabulary)
    values = control_values(view, vocabulary) if query else None
    initial = map_view(data, view)
    # A link's own extent from the first paint; else the home view (the world, or a scoped
    # user's countries) fitted to the window (no zoom, so that the bounds decide it; the
    # centre is what the viewport tracking needs).
    has_position = view.zoom is not None and view.lat is not None and view.lon is not None
    home = home_bounds(data)
    position = ({"center": [view.lat, view.lon], "zoom": view.zoom} if has_position
                else {"bounds": home, "center": list(mercator_middle(home))})
    base_layers = [dl.AttributionControl(prefix="Leaflet", position="bottomright")]
    if settings.tile_url:
        base_layers.append(dl.TileLayer(url=settings.tile_url,
                                        attribution=settings.tile_attribution or None))
    kpi_labels = ("kpi.posts", "kpi.staff", "kpi.covered", "kpi.programmes", "kpi.budget")
    kpi_ids = ids.KPIS
    banner = (html.Div([html.Span(t("app.demo_banner", lang), className="banner-long"),
                        html.Span(t("app.demo_banner.short", lang), className="banner-short")],
                       id=ids.DEMO_BANNER, className="demo-banner", role="note",
                       title=t("app.demo_banner", lang))
              if data.network.is_demo else None)
    fallback = (html.Div(notice, id=ids.FALLBACK_BANNER, className="demo-banner fallback-banner",
                         role="alert") if notice else None)
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.SELECTED_COUNTRY, data=view.country),
            dcc.Store(id=ids.COUNTRY_SHAPES, data=data.countries_url),
            dcc.Store(id=ids.SELECTED_POST, data=view.post),
            dcc.Store(id=ids.LANG, data=lang),
            html.Header(
                [
                    html.Div([filters_toggle(lang), page_title(lang), banner, fallback,
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
                    filter_column(data, lang, values, baselines),
                    html.Div(
                        [
                            dl.Map(
                                [
                                    *base_layers,
                                    *(layer.component(data.geojson_url(layer.FILE),
                                                      initial.hideouts[layer.LAYER_ID])
                                      for layer in LAYERS),
                                ],
                                id=ids.MAP, **position, zoomSnap=ZOOM_STEP,
                                zoomDelta=0.5, minZoom=0.5, maxZoom=10, worldCopyJump=False,
                                className="map", style={"backgroundColor": palette.SEA},
                                # Leaflet's own prefix carries a flag: credit it in words.
                                attributionControl=False,
                            ),
                            html.Div(legend_children(initial.legends), id=ids.LEGEND,
                                     className="legend"),
                            html.Div(initial.asof_text, id=ids.ASOF_BADGE,
                                     className="asof-badge", **{"aria-live": "polite"}),
                            html.Div(changes_children(initial), id=ids.CHANGES_BOX,
                                     className="changes-box", **{"aria-live": "polite"}),
                            playback_bar(lang),
                            html.Div(describe.footer_text(data, lang), className="map-source",
                                     id=ids.MAP_SOURCE),
                        ],
                        className="map-wrap", role="region",
                        **{"aria-label": t("map.label", lang),
                           "data-map-label": t("map.keyboard", lang),
                           "data-zoom-in": t("map.zoom_in", lang),
                           "data-zoom-out": t("map.zoom_out", lang),
                           "data-attribution-title": t("map.attribution_title", lang)},
                    ),
                    panel_column(lang, panel_content(data, view, None) if query else None,
                                 home=home_view(data)),
                ],
                className="main",
            ),
        ],
        className="page",
    )
