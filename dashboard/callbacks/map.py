"""Map callbacks: URL <-> controls, and controls -> hideouts, KPIs, legend.

Thin: each parses its inputs, calls a pure function of ``dashboard.urlstate`` or
``dashboard.views``, and returns.
"""

from __future__ import annotations

from dash import Input, Output, State, ctx, no_update

from dashboard import ids
from dashboard.layout import WORLD_CENTER, WORLD_ZOOM, legend_json, year_bounds
from dashboard.panels import requested_selection
from dashboard.urlstate import (
    Controls,
    ViewState,
    parse_query,
    to_controls,
    to_query,
    with_lang,
)
from dashboard.views import map_view, overlay_hideouts
from layers import countries, links, posts, small_states

CONTROL_IDS = (ids.MODE, ids.METRIC, ids.LAYER_TOGGLES, ids.THEMES, ids.TYPES, ids.STATUS,
               ids.REGIONS, ids.YEARS, ids.BENEFICIARIES)


def clicked_country(click_data) -> str | None:
    """The iso3 id in a GeoJSON layer's ``clickData`` (a feature), if any."""
    if not isinstance(click_data, dict):
        return None
    props = click_data.get("properties") or {}
    value = props.get("id") or click_data.get("id")
    return value if isinstance(value, str) else None


def _center(center) -> tuple[float | None, float | None]:
    if isinstance(center, dict):
        return center.get("lat"), center.get("lng", center.get("lon"))
    if isinstance(center, list | tuple) and len(center) == 2:
        return center[0], center[1]
    return None, None


def register(app, store) -> None:
    """Register the map callbacks; ``store.current()`` gives the AtlasData being served."""

    @app.callback(
        *[Output(i, "value") for i in CONTROL_IDS],
        Output(ids.SELECTED_COUNTRY, "data"),
        Output(ids.LANG, "data"),
        Output(ids.URL, "search"),
        Output(ids.MAP, "viewport"),
        Output(ids.SELECTED_POST, "data"),
        Input(ids.URL, "search"),
        *[Input(i, "value") for i in CONTROL_IDS],
        Input(ids.RESET, "n_clicks"),
        Input(countries.LAYER_ID, "clickData"),
        Input(small_states.LAYER_ID, "clickData"),
        Input(posts.LAYER_ID, "clickData"),
        Input(ids.PANEL_REQUEST, "data"),
        Input(ids.MAP, "center"),
        Input(ids.MAP, "zoom"),
        State(ids.SELECTED_COUNTRY, "data"),
        State(ids.LANG, "data"),
        State(ids.SELECTED_POST, "data"),
    )
    def sync_url_and_controls(search, *args):
        data = store.current()
        bounds = year_bounds(data)
        controls = Controls(*args[: len(CONTROL_IDS)])
        (_reset, click, small_click, post_click, request, center, zoom, selected, lang,
         selected_post) = args[len(CONTROL_IDS):]
        trigger = ctx.triggered_id
        n_outputs = len(CONTROL_IDS) + 5
        if trigger in (None, ids.URL, ids.RESET) or f"{ids.URL}.search" in ctx.triggered_prop_ids:
            view = (ViewState(lang=lang) if trigger == ids.RESET
                    else parse_query(search, store.vocabulary()))
            viewport = ({"center": [view.lat, view.lon], "zoom": view.zoom}
                        if view.zoom is not None and view.lat is not None and view.lon is not None
                        else {"center": list(WORLD_CENTER), "zoom": WORLD_ZOOM}
                        if trigger == ids.RESET else no_update)
            url = to_query(view) if trigger == ids.RESET else no_update
            return (*vars(to_controls(view, bounds)).values(), view.country, view.lang, url,
                    viewport, view.post)
        clicked = {countries.LAYER_ID: click, small_states.LAYER_ID: small_click}.get(trigger)
        if clicked_country(clicked):
            selected, selected_post = clicked_country(clicked), None
        elif trigger == posts.LAYER_ID and clicked_country(post_click) in store.vocabulary().posts:
            selected, selected_post = None, clicked_country(post_click)
        elif trigger == ids.PANEL_REQUEST and request:
            selected, selected_post = requested_selection(request, store.vocabulary())
        lat, lon = _center(center)
        at_world_view = (lat is None or zoom is None or
                         (round(lat, 2), round(lon, 2), zoom) == (*WORLD_CENTER, WORLD_ZOOM))
        view = store.view(
            controls, country=selected, post=selected_post, lang=lang,
            lat=None if at_world_view else lat, lon=None if at_world_view else lon,
            zoom=None if at_world_view else int(zoom),
        )
        result = [no_update] * n_outputs
        result[len(CONTROL_IDS)] = selected
        result[len(CONTROL_IDS) + 2] = to_query(view)
        result[-1] = selected_post
        return tuple(result)

    @app.callback(
        Output(countries.LAYER_ID, "hideout"),
        Output(small_states.LAYER_ID, "hideout"),
        Output(ids.KPI_POSTS, "children"),
        Output(ids.KPI_STAFF, "children"),
        Output(ids.KPI_COVERED, "children"),
        Output(ids.KPI_PROGRAMMES, "children"),
        Output(ids.KPI_BUDGET, "children"),
        Output(ids.LEGEND, "children"),
        *[Input(i, "value") for i in CONTROL_IDS],
        Input(ids.SELECTED_COUNTRY, "data"),
        Input(ids.LANG, "data"),
        Input(ids.SELECTED_POST, "data"),
        prevent_initial_call=True,
    )
    def update_map(*args):
        data = store.current()
        controls = Controls(*args[: len(CONTROL_IDS)])
        selected, lang, selected_post = args[len(CONTROL_IDS):]
        view = store.view(controls, country=selected, post=selected_post, lang=lang)
        result = map_view(data, view)
        return (result.countries_hideout, result.countries_hideout, *result.kpi_texts,
                legend_json(result.legends))

    @app.callback(
        Output(ids.LANG_LINK_FR, "href"),
        Output(ids.LANG_LINK_EN, "href"),
        Input(ids.URL, "search"),
    )
    def update_language_links(search):
        return with_lang(search, "fr"), with_lang(search, "en")

    @app.callback(
        Output(posts.LAYER_ID, "hideout"),
        Output(links.LAYER_ID, "hideout"),
        Input(ids.LAYER_TOGGLES, "value"),
        Input(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def update_overlays(layer_names, lang):
        return overlay_hideouts(ViewState(layers=tuple(layer_names or ()), lang=lang))
