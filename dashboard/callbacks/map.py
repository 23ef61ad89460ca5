"""Map callbacks: URL <-> controls, and controls -> hideouts, KPIs, legend.

Thin: each parses its inputs, calls a pure function of ``viewmodel.urlstate`` or
``viewmodel.mapview``, and returns.
"""

from __future__ import annotations

from dataclasses import replace

from dash import Input, Output, State, ctx, no_update

from dashboard import ids
from dashboard.layout import (
    WIDGET_PROPS,
    WORLD_CENTER,
    WORLD_ZOOM,
    changes_children,
    legend_json,
    option_dicts,
)
from geodata.i18n import lang_or_default
from layers import LAYERS, countries, posts, small_states
from viewmodel.asof import dated
from viewmodel.filters import FILTERS, matching_options
from viewmodel.mapview import map_view
from viewmodel.panels import requested_selection
from viewmodel.urlstate import (
    CONTROL_KEYS,
    ViewState,
    control_values,
    parse_query,
    to_query,
    with_lang,
)


def control_prop(key: str) -> str:
    """The property holding a control's value (``date`` for a date picker)."""
    return WIDGET_PROPS.get(next((spec.widget for spec in FILTERS if spec.key == key), ""),
                            "value")


def controls(dependency=Input) -> dict:
    """Every control of the filter column as one group, control key -> dependency on its
    value (callbacks receive it as one dict and build the view once)."""
    return {key: dependency(ids.control(key), control_prop(key)) for key in CONTROL_KEYS}


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


def _offer_matches(app, store, spec) -> None:
    """A searchable filter's choices come from the server as the user types (the best
    matches, the chosen values kept), so the page never carries every value."""
    control_id = ids.control(spec.key)

    @app.callback(
        Output(control_id, "options"),
        inputs=dict(typed=Input(control_id, "search_value"), chosen=Input(control_id, "value"),
                    lang=State(ids.LANG, "data")),
        prevent_initial_call=True,
    )
    def offer(typed, chosen, lang):
        chosen = chosen if isinstance(chosen, list) else []
        return option_dicts(matching_options(spec, store.current(), lang_or_default(lang),
                                             typed if isinstance(typed, str) else None, chosen))


def register(app, store) -> None:
    """Register the map callbacks; ``store.current()`` gives the AtlasData being served."""

    @app.callback(
        output=dict(controls=controls(Output), country=Output(ids.SELECTED_COUNTRY, "data"),
                    lang=Output(ids.LANG, "data"), search=Output(ids.URL, "search"),
                    viewport=Output(ids.MAP, "viewport"),
                    post=Output(ids.SELECTED_POST, "data")),
        inputs=dict(search=Input(ids.URL, "search"), controls=controls(Input),
                    reset=Input(ids.RESET, "n_clicks"),
                    click=Input(countries.LAYER_ID, "clickData"),
                    small_click=Input(small_states.LAYER_ID, "clickData"),
                    post_click=Input(posts.LAYER_ID, "clickData"),
                    request=Input(ids.PANEL_REQUEST, "data"),
                    center=Input(ids.MAP, "center"), zoom=Input(ids.MAP, "zoom")),
        state=dict(selected=State(ids.SELECTED_COUNTRY, "data"), lang=State(ids.LANG, "data"),
                   selected_post=State(ids.SELECTED_POST, "data")),
    )
    def sync_url_and_controls(search, controls, reset, click, small_click, post_click, request,
                              center, zoom, selected, lang, selected_post):
        vocabulary = store.vocabulary()
        trigger = ctx.triggered_id
        if trigger in (None, ids.URL, ids.RESET) or f"{ids.URL}.search" in ctx.triggered_prop_ids:
            view = (ViewState(lang=lang) if trigger == ids.RESET
                    else parse_query(search, vocabulary))
            viewport = ({"center": [view.lat, view.lon], "zoom": view.zoom}
                        if view.zoom is not None and view.lat is not None and view.lon is not None
                        else {"center": list(WORLD_CENTER), "zoom": WORLD_ZOOM}
                        if trigger == ids.RESET else no_update)
            return dict(controls=control_values(view, vocabulary), country=view.country,
                        lang=view.lang, search=to_query(view) if trigger == ids.RESET
                        else no_update, viewport=viewport, post=view.post)
        clicked = {countries.LAYER_ID: click, small_states.LAYER_ID: small_click}.get(trigger)
        if clicked_country(clicked):
            selected, selected_post = clicked_country(clicked), None
        elif trigger == posts.LAYER_ID and clicked_country(post_click) in vocabulary.posts:
            selected, selected_post = None, clicked_country(post_click)
        elif trigger == ids.PANEL_REQUEST and request:
            selected, selected_post = requested_selection(request, vocabulary)
        lat, lon = _center(center)
        at_world_view = (lat is None or zoom is None or
                         (round(lat, 2), round(lon, 2), zoom) == (*WORLD_CENTER, WORLD_ZOOM))
        view = store.view(
            controls, country=selected, post=selected_post, lang=lang,
            lat=None if at_world_view else lat, lon=None if at_world_view else lon,
            zoom=None if at_world_view else int(zoom),
        )
        outputs = {key: no_update for key in CONTROL_KEYS}
        if trigger == ids.SINCE and view.since and view.mode != "changes":
            # Choosing a baseline asks for the changes: show them.
            view = replace(view, mode="changes")
            outputs["mode"] = "changes"
        return dict(controls=outputs, country=selected,
                    lang=no_update, search=to_query(view), viewport=no_update,
                    post=selected_post)

    filtered = [layer for layer in LAYERS if layer.FOLLOWS_FILTERS]
    overlays = [layer for layer in LAYERS if not layer.FOLLOWS_FILTERS]

    @app.callback(
        output=dict(hideouts={layer.LAYER_ID: Output(layer.LAYER_ID, "hideout")
                              for layer in filtered},
                    kpis=[Output(kpi, "children") for kpi in ids.KPIS],
                    legend=Output(ids.LEGEND, "children"),
                    asof=Output(ids.ASOF_BADGE, "children"),
                    changes=Output(ids.CHANGES_BOX, "children")),
        inputs=dict(controls=controls(Input), country=Input(ids.SELECTED_COUNTRY, "data"),
                    lang=Input(ids.LANG, "data"), post=Input(ids.SELECTED_POST, "data")),
        prevent_initial_call=True,
    )
    def update_map(controls, country, lang, post):
        view = store.view(controls, country=country, post=post, lang=lang)
        result = map_view(store.current(), view, store.baselines)
        return dict(hideouts={layer.LAYER_ID: result.hideouts[layer.LAYER_ID]
                              for layer in filtered},
                    kpis=list(result.kpi_texts), legend=legend_json(result.legends),
                    asof=result.asof_text, changes=changes_children(result))

    @app.callback(
        output={layer.LAYER_ID: Output(layer.LAYER_ID, "hideout") for layer in overlays},
        inputs=dict(layers=Input(ids.LAYER_TOGGLES, "value"), mode=Input(ids.MODE, "value"),
                    lang=Input(ids.LANG, "data"),
                    asof=Input(ids.control("asof"), control_prop("asof"))),
        prevent_initial_call=True,
    )
    def update_overlays(layers, mode, lang, asof):
        view = store.view({"layers": layers, "mode": mode, "asof": asof},
                          lang=lang_or_default(lang))
        data = dated(store.current(), view)  # the posts open on the as-of date
        return {layer.LAYER_ID: layer.hideout(data, view, None) for layer in overlays}

    for spec in FILTERS:
        if spec.searchable:
            _offer_matches(app, store, spec)

    @app.callback(
        Output(ids.LANG_LINK_FR, "href"),
        Output(ids.LANG_LINK_EN, "href"),
        Input(ids.URL, "search"),
    )
    def update_language_links(search):
        return with_lang(search, "fr"), with_lang(search, "en")
