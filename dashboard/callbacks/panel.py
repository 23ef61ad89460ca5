"""Panel callbacks: what opens or closes a panel, its contents, the table's sort, the search
box's language, and the zoom-to button (client side, in ``assets/panel.js``).

Opening and closing go through ``ids.PANEL_REQUEST``, whatever asked (a click on the map, the
search box, an open or close button, the list of countries): the URL callback of
:mod:`dashboard.callbacks.map` turns a request it has not handled yet into the selection and
the ``country=`` or ``post=`` of the URL, and the panel follows the selection.
"""

from __future__ import annotations

from dash import ALL, ClientsideFunction, Input, Output, State, ctx, no_update

from dashboard import ids
from dashboard.access import record_scope_refusal
from dashboard.callbacks.map import clicked_country, control_prop, controls
from dashboard.panel_layout import close_children, panel_content, search_labels, search_options
from geodata.i18n import t
from layers import countries, posts, small_states
from viewmodel.asof import dated
from viewmodel.panels import next_sort, parse_choice
from viewmodel.search import search_matches

MAP_CLICKS = (countries.LAYER_ID, small_states.LAYER_ID)  # layers whose click opens a country


def request_for(trigger, value, previous: dict | None) -> dict | None:
    """The panel request a user action makes, or None for no action: the close button (any
    click) closes; a click on a country's shape or marker (its feature), or on a post's
    marker, opens it; the search box (a chosen value) or an open button (a click; ``trigger``
    is its ``{"type": ..., "target": ...}`` id) opens. ``n`` counts requests, so that asking
    twice for the same panel still reaches the URL callback, and so that a request the URL
    callback has not handled yet is known as such."""
    count = (previous or {}).get("n", 0) + 1
    if trigger == ids.PANEL_CLOSE and value:
        return {"country": None, "post": None, "n": count}
    if trigger in MAP_CLICKS and clicked_country(value):
        return {"country": clicked_country(value), "post": None, "n": count}
    if trigger == posts.LAYER_ID and clicked_country(value):
        return {"country": None, "post": clicked_country(value), "n": count}
    if trigger == ids.PANEL_SEARCH and value:
        country, post = parse_choice(value)
    elif isinstance(trigger, dict) and value and trigger.get("target"):
        country, post = parse_choice(trigger["target"])
    else:
        return None
    return {"country": country, "post": post, "n": count}


def register(app, store) -> None:
    """Register the panel callbacks; ``store.current()`` gives the AtlasData being served."""

    @app.callback(
        Output(ids.PANEL_REQUEST, "data"),
        Output(ids.PANEL_SEARCH, "value"),
        Input(ids.PANEL_SEARCH, "value"),
        Input({"type": ids.PANEL_OPEN, "target": ALL}, "n_clicks"),
        Input(ids.PANEL_CLOSE, "n_clicks"),
        *[Input(layer_id, "clickData") for layer_id in (*MAP_CLICKS, posts.LAYER_ID)],
        State(ids.PANEL_REQUEST, "data"),
        prevent_initial_call=True,
    )
    def request_panel(_search, _opens, _close, *clicks_and_previous):
        previous = clicks_and_previous[-1]
        value = ctx.triggered[0]["value"] if ctx.triggered else None
        request = request_for(ctx.triggered_id, value, previous)
        if request is None:
            return no_update, no_update
        return request, None

    @app.callback(
        Output(ids.PANEL, "className"),
        Output(ids.PANEL_KICKER, "children"),
        Output(ids.PANEL_TITLE, "children"),
        Output(ids.PANEL_SUBTITLE, "children"),
        Output(ids.PANEL_BODY, "children"),
        Output(ids.PANEL_BOUNDS, "data"),
        Output(ids.PANEL_ZOOM, "children"),
        Output(ids.PANEL_CLOSE, "children"),
        Output(ids.PANEL_CLOSE, "title"),
        inputs=dict(country=Input(ids.SELECTED_COUNTRY, "data"),
                    post=Input(ids.SELECTED_POST, "data"), controls=controls(Input),
                    lang=Input(ids.LANG, "data"), sort=Input(ids.PANEL_SORT, "data")),
    )
    def render_panel(country, post, controls, lang, sort):
        data = store.current()
        view = store.view(controls, country=country, post=post, lang=lang)
        if (view.country, view.post) != (country, post):
            record_scope_refusal(app.server, store, country=country, post=post, route="panel")
        content = panel_content(data, view, sort)
        if content is None:
            return ("panel", no_update, no_update, no_update, no_update, None,
                    *[no_update] * 3)
        return ("panel panel-open", content["kicker"], content["title"], content["subtitle"],
                content["body"], content["focus"], content["zoom"], close_children(lang),
                t("panel.close", lang))

    @app.callback(
        Output(ids.PANEL_SORT, "data"),
        Input({"type": ids.PANEL_SORT_BY, "column": ALL}, "n_clicks"),
        State(ids.PANEL_SORT, "data"),
        prevent_initial_call=True,
    )
    def sort_table(_clicks, sort):
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict) or not ctx.triggered[0]["value"]:
            return no_update
        return next_sort(sort, trigger["column"])

    @app.callback(
        Output(ids.PANEL_SEARCH, "options"),
        Input(ids.PANEL_SEARCH, "search_value"),
        State(ids.LANG, "data"),
        State(ids.control("asof"), control_prop("asof")),
        prevent_initial_call=True,
    )
    def offer_search(typed, lang, asof):
        if not typed:
            return no_update
        data = dated(store.current(), store.view({"asof": asof}))  # posts open on the date
        return search_matches(search_options(data, lang), typed)

    @app.callback(
        Output(ids.PANEL_SEARCH, "placeholder"),
        Output(ids.PANEL_SEARCH, "labels"),
        Input(ids.LANG, "data"),
        State(ids.PANEL_SEARCH, "placeholder"),
        prevent_initial_call=True,
    )
    def translate_search(lang, placeholder):
        if placeholder == t("panel.search.placeholder", lang):
            return no_update, no_update
        return t("panel.search.placeholder", lang), search_labels(lang)

    app.clientside_callback(
        ClientsideFunction(namespace="atlasPanel", function_name="zoomTo"),
        Output(ids.MAP, "viewport", allow_duplicate=True),
        Input(ids.PANEL_ZOOM, "n_clicks"),
        State(ids.PANEL_BOUNDS, "data"),
        prevent_initial_call=True,
    )
