"""Map callbacks: URL <-> controls, and controls -> hideouts, KPIs, legend.

Thin: each parses its inputs, calls a pure function of ``viewmodel.urlstate`` or
``viewmodel.mapview``, and returns.
"""

from __future__ import annotations

import json
from dataclasses import replace

from dash import ClientsideFunction, Input, Output, State, ctx, no_update

from dashboard import ids
from dashboard.access import record_scope_refusal
from dashboard.answers import pure
from dashboard.layout import WIDGET_PROPS, changes_children, legend_json, option_dicts
from geodata.i18n import lang_or_default
from layers import LAYERS, countries
from layers._base import EVERY_KEY
from viewmodel.extent import home_bounds, region_focus
from viewmodel.filters import FILTERS, matching_options
from viewmodel.mapview import map_view
from viewmodel.panels import requested_selection
from viewmodel.urlstate import (
    CONTROL_KEYS,
    ViewState,
    control_values,
    parse_query,
    snapped_zoom,
    to_query,
    with_lang,
)


def control_prop(key: str) -> str:
    """The property holding a control's value (``date`` for a date picker)."""
    return WIDGET_PROPS.get(next((spec.widget for spec in FILTERS if spec.key == key), ""),
                            "value")


def controls(dependency=Input, *, leave_out: tuple[str, ...] = ()) -> dict:
    """Every control of the filter column (but ``leave_out``) as one group, control key ->
    dependency on its value (callbacks receive it as one dict and build the view once)."""
    return {key: dependency(ids.control(key), control_prop(key)) for key in CONTROL_KEYS
            if key not in leave_out}


def clicked_country(click_data) -> str | None:
    """The iso3 id in a GeoJSON layer's ``clickData`` (a feature), if any."""
    if not isinstance(click_data, dict):
        return None
    props = click_data.get("properties") or {}
    value = props.get("id") or click_data.get("id")
    return value if isinstance(value, str) else None


def _extent(extent) -> tuple[float | None, float | None, float | None]:
    """(lat, lon, zoom) of the map's extent store (all None for the world view)."""
    if not isinstance(extent, dict):
        return None, None, None
    values = [extent.get(key) for key in ("lat", "lon", "zoom")]
    if not all(isinstance(value, int | float) for value in values):
        return None, None, None
    return tuple(float(value) for value in values)


def _view_with_extent(store, controls: dict, extent, **selection) -> ViewState:
    """The view of the controls and the selection, with the map's extent (none at the world
    view): the view the URL shows."""
    lat, lon, zoom = _extent(extent)
    at_world_view = lat is None
    return store.view(controls, **selection, lat=None if at_world_view else lat,
                      lon=None if at_world_view else lon,
                      zoom=None if at_world_view else snapped_zoom(zoom))


def language_links(dependency, **options) -> list:
    """The FR and EN links' ``href``: written with the URL by the callbacks that write it."""
    return [dependency(ids.LANG_LINK_FR, "href", **options),
            dependency(ids.LANG_LINK_EN, "href", **options)]


def link_hrefs(search: str | None) -> list[str]:
    """The FR and EN links' targets for the URL ``search``: the same view in each language."""
    return [with_lang(search, "fr"), with_lang(search, "en")]


def _changed(hideout: dict, shown):
    """``hideout``, or no_update when the page shows it already (compared as JSON)."""
    return no_update if json.loads(json.dumps(hideout)) == shown else hideout


def _in_place(hideout: dict, shown, keys: tuple[str, ...]) -> dict | None:
    """``hideout``'s ``keys`` when only they differ from the hideout the page ``shown`` (it
    applies them to the layer as drawn), else None (the new hideout draws the layer again).
    With ``EVERY_KEY`` the whole hideout, always (the page keeps it until the layer is drawn,
    so it needs no hideout sent back)."""
    if keys == EVERY_KEY:
        return hideout
    if not isinstance(shown, dict):
        return None
    sent = json.loads(json.dumps(hideout))
    if {k: v for k, v in sent.items() if k not in keys} != {
            k: v for k, v in shown.items() if k not in keys}:
        return None
    return {key: sent.get(key) for key in keys}


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


def _changed_controls(values: dict, shown: dict) -> dict:
    """``values`` for the controls, with no update for those already showing their value when
    the call was made: a choice made while the answer was on its way (the first read of the
    URL on a slow line, say) is not undone by the page's own state coming back."""
    def same(a, b) -> bool:
        return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)

    return {key: no_update if same(value, shown.get(key)) else value
            for key, value in values.items()}


def register(app, store) -> None:
    """Register the map callbacks; ``store.current()`` gives the AtlasData being served.

    A filter change goes straight to ``update_map``, which also writes the URL: the URL
    callback does not take the controls as inputs, so that the map never waits for it (the
    renderer holds a callback until those writing its inputs have answered). The URL callback
    reads the URL (a link, back and forward, reset), and turns map clicks, panel requests, map
    moves and the changes baseline into the selection and the URL; a URL the page wrote
    itself (the same view as the controls) changes nothing."""

    @app.callback(
        output=dict(controls=controls(Output), country=Output(ids.SELECTED_COUNTRY, "data"),
                    lang=Output(ids.LANG, "data"), search=Output(ids.URL, "search"),
                    written=Output(ids.URL_WRITTEN, "data"),
                    viewport=Output(ids.MAP_TARGET, "data"),
                    post=Output(ids.SELECTED_POST, "data"),
                    ready=Output(ids.URL_READ, "data"),
                    handled=Output(ids.REQUEST_HANDLED, "data"), links=language_links(Output)),
        inputs=dict(search=Input(ids.URL, "search"), since=Input(ids.SINCE, "value"),
                    reset=Input(ids.RESET, "n_clicks"),
                    request=Input(ids.PANEL_REQUEST, "data"),
                    extent=Input(ids.MAP_EXTENT, "data")),
        state=dict(controls=controls(State, leave_out=("since",)),
                   selected=State(ids.SELECTED_COUNTRY, "data"), lang=State(ids.LANG, "data"),
                   selected_post=State(ids.SELECTED_POST, "data"),
                   ready=State(ids.URL_READ, "data"), written=State(ids.URL_WRITTEN, "data"),
                   handled=State(ids.REQUEST_HANDLED, "data")),
    )
    def sync_url_and_controls(search, since, reset, request, extent, controls, selected, lang,
                              selected_post, ready, written, handled):
        vocabulary = store.vocabulary()
        # A panel request or a reset is acted on by whichever call first sees it, not only by
        # the call it triggered: the renderer drops a call still on its way when the same
        # callback is triggered again (a map move ending while a close was being sent), and
        # with it that call's trigger.
        handled = handled if isinstance(handled, dict) else {}
        pending = (request if isinstance(request, dict)
                   and request.get("n") != handled.get("request") else None)
        resetting = (reset or 0) != (handled.get("reset") or 0)
        now_handled = ({"request": request.get("n") if isinstance(request, dict) else None,
                        "reset": reset} if pending or resetting else no_update)
        controls = {**controls, "since": since}
        trigger = ids.RESET if resetting else ctx.triggered_id
        url_prop = f"{ids.URL}.search"
        from_url = trigger in (None, ids.URL, ids.RESET) or url_prop in ctx.triggered_prop_ids
        if (ready and url_prop in ctx.triggered_prop_ids and trigger != ids.RESET
                and (search == written or to_query(parse_query(search, vocabulary)) == to_query(
                    _view_with_extent(store, controls, extent, country=selected,
                                      post=selected_post, lang=lang)))):
            # The URL the page wrote itself (the last it wrote, or one for what it shows: a
            # map that has moved since a filter change wrote the URL does not make that URL
            # a link to read): nothing to read there. A click or a panel request that came in
            # the same call (the renderer merges inputs that change while a call is under way)
            # still counts.
            others = [value for prop, value in ctx.triggered_prop_ids.items() if prop != url_prop]
            if not others and now_handled is no_update:
                return dict(controls={key: no_update for key in CONTROL_KEYS},
                            country=no_update, lang=no_update, search=no_update,
                            written=no_update, viewport=no_update, post=no_update,
                            ready=no_update, handled=no_update, links=[no_update, no_update])
            trigger, from_url = (others or [ids.PANEL_REQUEST])[0], False
        # Until the page has read its URL (a map move may come first: the world fitted on
        # arrival), the URL decides, rather than controls that do not show it yet.
        if from_url or not ready:
            view = (ViewState(lang=lang) if trigger == ids.RESET
                    else parse_query(search, vocabulary))
            if trigger != ids.RESET and isinstance(search, str):
                asked = parse_query(search, store.vocabulary_of_all())
                if (asked.country, asked.post) != (view.country, view.post):
                    record_scope_refusal(app.server, store, country=asked.country,
                                         post=asked.post, route="link")
            # The link's extent, else the home view (the world, a scope) fitted to the window.
            viewport = ({"center": [view.lat, view.lon], "zoom": view.zoom}
                        if None not in (view.lat, view.lon, view.zoom)
                        else {"bounds": home_bounds(store.current())})
            # A reset writes the default view's URL; a URL read leaves the URL as it is.
            written = to_query(view) if trigger == ids.RESET else no_update
            # A request on its way when a link, back, forward or a reset is read gives way
            # to it.
            return dict(controls=_changed_controls(control_values(view, vocabulary), controls),
                        country=view.country, lang=view.lang, search=written, written=written,
                        viewport=viewport, post=view.post, ready=True,
                        handled=now_handled,
                        links=link_hrefs(search if written is no_update else written))
        before = (selected, selected_post)
        if pending:
            selected, selected_post = requested_selection(pending, vocabulary)
        view = _view_with_extent(store, controls, extent, country=selected, post=selected_post,
                                 lang=lang)
        outputs = {key: no_update for key in CONTROL_KEYS}
        if trigger == ids.SINCE and view.since and view.mode != "changes":
            # Choosing a baseline asks for the changes: show them.
            view = replace(view, mode="changes")
            outputs["mode"] = "changes"
        # The selection is sent only when it changed (a map move or a filter change leaves the
        # panel alone, rather than drawing it again).
        same = (selected, selected_post) == before
        search = to_query(view)
        return dict(controls=outputs,
                    country=no_update if same else selected, lang=no_update,
                    search=search, written=search, viewport=no_update,
                    post=no_update if same else selected_post, ready=no_update,
                    handled=now_handled, links=link_hrefs(search))

    filtered = [layer for layer in LAYERS if layer.FOLLOWS_FILTERS]
    live = [layer for layer in filtered if getattr(layer, "LIVE_KEYS", ())]
    overlays = [layer for layer in LAYERS if not layer.FOLLOWS_FILTERS]

    @app.callback(
        output=dict(hideouts={layer.LAYER_ID: Output(layer.LAYER_ID, "hideout")
                              for layer in filtered},
                    overlays={layer.LAYER_ID: Output(layer.LAYER_ID, "hideout")
                              for layer in overlays},
                    kpis=[Output(kpi, "children") for kpi in ids.KPIS],
                    legend=Output(ids.LEGEND, "children"),
                    asof=Output(ids.ASOF_BADGE, "children"),
                    changes=Output(ids.CHANGES_BOX, "children"),
                    search=Output(ids.URL, "search", allow_duplicate=True),
                    written=Output(ids.URL_WRITTEN, "data", allow_duplicate=True),
                    links=language_links(Output, allow_duplicate=True),
                    live=Output(ids.LIVE_HIDEOUTS, "data")),
        inputs=dict(controls=controls(Input), country=Input(ids.SELECTED_COUNTRY, "data"),
                    lang=Input(ids.LANG, "data"), post=Input(ids.SELECTED_POST, "data")),
        state=dict(extent=State(ids.MAP_EXTENT, "data"),
                   shown={layer.LAYER_ID: State(layer.LAYER_ID, "hideout")
                          for layer in [*live, *overlays]
                          if getattr(layer, "LIVE_KEYS", ()) != EVERY_KEY}),
        prevent_initial_call=True,
    )
    @pure
    def update_map(controls, country, lang, post, extent, shown):
        view = store.view(controls, country=country, post=post, lang=lang)
        result = map_view(store.current(), view, store.baselines)
        # A control the user changed: the URL follows. A new selection or language comes from
        # the URL callback (a link read, a map click), which has the URL already.
        triggered = set(ctx.triggered_prop_ids.values())
        by_control = bool(triggered) and triggered.isdisjoint(
            {ids.SELECTED_COUNTRY, ids.LANG, ids.SELECTED_POST})
        search = (to_query(_view_with_extent(store, controls, extent, country=country,
                                             post=post, lang=lang))
                  if by_control else no_update)
        hideouts = {layer.LAYER_ID: result.hideouts[layer.LAYER_ID] for layer in filtered}
        applied = {}
        for layer in live:
            in_place = _in_place(hideouts[layer.LAYER_ID], shown.get(layer.LAYER_ID),
                                 layer.LIVE_KEYS)
            if in_place is not None:
                hideouts[layer.LAYER_ID], applied[layer.LAYER_ID] = no_update, in_place
        # The posts and links follow the display only (toggles, mode, regions, as-of date,
        # language): sent in the same answer, and only when they changed (the page draws a
        # layer again for a new hideout; a filter leaves them as they are).
        sent_overlays = {layer.LAYER_ID: _changed(result.hideouts[layer.LAYER_ID],
                                                  shown.get(layer.LAYER_ID))
                         for layer in overlays}
        return dict(hideouts=hideouts, overlays=sent_overlays,
                    kpis=list(result.kpi_texts), legend=legend_json(result.legends),
                    asof=result.asof_text, changes=changes_children(result), search=search,
                    written=search,
                    links=[no_update, no_update] if search is no_update else link_hrefs(search),
                    live=applied or no_update)

    # A layer's keys the page applies in place (a new placing order of the names).
    app.clientside_callback(
        ClientsideFunction(namespace="atlasLayers", function_name="applyLive"),
        Input(ids.LIVE_HIDEOUTS, "data"),
        prevent_initial_call=True,
    )

    # The country shapes arrive as a TopoJSON topology, decoded in the browser into the layer.
    app.clientside_callback(
        ClientsideFunction(namespace="atlasShapes", function_name="load"),
        Output(countries.LAYER_ID, "data"),
        Input(ids.COUNTRY_SHAPES, "data"),
    )

    # The URL's extent reaches the map once the map is drawn (before, Leaflet would drop it).
    app.clientside_callback(
        ClientsideFunction(namespace="atlasPanel", function_name="whenDrawn"),
        Output(ids.MAP, "viewport", allow_duplicate=True),
        Input(ids.MAP_TARGET, "data"),
        prevent_initial_call=True,
    )

    # Map moves reach the URL through this gate: the world view (the fit on arrival, a reset)
    # records nothing, so it never calls the server while a click or a link is on its way.
    app.clientside_callback(
        ClientsideFunction(namespace="atlasPanel", function_name="mapExtent"),
        Output(ids.MAP_EXTENT, "data"),
        Input(ids.MAP, "center"), Input(ids.MAP, "zoom"), State(ids.MAP_WORLD, "data"),
        State(ids.MAP_EXTENT, "data"),
        prevent_initial_call=True,
    )

    @app.callback(Output(ids.REGION_FOCUS, "data"), Input(ids.control("regions"), "value"),
                  prevent_initial_call=True)
    def focus_regions(regions):
        return region_focus(store.current(), regions if isinstance(regions, list) else [])

    app.clientside_callback(
        ClientsideFunction(namespace="atlasPanel", function_name="bringIntoView"),
        Output(ids.MAP, "viewport", allow_duplicate=True),
        Input(ids.PANEL_BOUNDS, "data"), Input(ids.REGION_FOCUS, "data"),
        State(ids.MAP, "bounds"),
        prevent_initial_call=True,
    )

    for spec in FILTERS:
        if spec.searchable:
            _offer_matches(app, store, spec)
