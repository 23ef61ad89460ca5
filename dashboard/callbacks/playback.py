"""Playback callbacks: the server computes every frame once (``viewmodel.playback``) when
play is pressed; the page steps through them itself (``assets/playback.js``), so a frame costs
no round trip. Pausing writes the frame's date to the as-of picker: the URL then holds it and
the map is the ordinary view of that day. Any other control change drops the frames: the page
tells the server only when there are frames to drop (``atlasPlayback.stale``), so that a filter
change sends no playback request, and the map callback never waits for this one."""

from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State, ctx, no_update

from dashboard import ids
from dashboard.callbacks.map import control_prop, controls
from dashboard.layout import legend_json
from geodata.i18n import lang_or_default, t
from layers import countries, links, posts, small_states
from viewmodel.playback import playback_frames

PLAY_TEXT, PAUSE_TEXT = "▶", "❚❚"


def _legends(data, view, frames: dict) -> list:
    """The legend of the playback: the countries' block from the classes shared by every
    frame, then the other layers' blocks."""
    from viewmodel.mapview import map_view

    hideout = {"mode": frames["mode"], "metric": view.metric, "lows": frames.get("lows", []),
               "highs": frames.get("highs", []),
               "colors": frames["fill_colors"][:frames.get("class_count", -1)],
               "none_color": frames.get("none_color"), "legend_title": frames["legend_title"],
               "scoped": frames.get("scoped", False),
               "home_shown": frames.get("home_shown", True)}
    rest = map_view(data, view).legends[1:]
    return legend_json((countries.legend(hideout, view), *rest))


def register(app, store) -> None:
    """Register the playback callbacks."""

    @app.callback(
        output=dict(frames=Output(ids.PLAY_FRAMES, "data"),
                    tick=Output(ids.PLAY_TICK, "disabled"),
                    button=Output(ids.PLAY, "children"),
                    title=Output(ids.PLAY, "title"),
                    legend=Output(ids.LEGEND, "children", allow_duplicate=True),
                    asof=Output(ids.control("asof"), control_prop("asof"),
                                allow_duplicate=True)),
        inputs=dict(play=Input(ids.PLAY, "n_clicks"),
                    previous=Input(ids.PLAY_PREVIOUS, "n_clicks"),
                    following=Input(ids.PLAY_NEXT, "n_clicks"),
                    stale=Input(ids.PLAY_STALE, "data")),
        state=dict(controls=controls(State), shown=State(ids.PLAY, "children"),
                   step=State(ids.PLAY_STEP, "value"),
                   frames=State(ids.PLAY_FRAMES, "data"), position=State(ids.PLAY_STATE, "data"),
                   lang=State(ids.LANG, "data")),
        prevent_initial_call=True,
    )
    def play_or_pause(play, previous, following, stale, controls, shown, step, frames, position,
                      lang):
        playing_now = shown == PAUSE_TEXT  # the button offers a pause while playing
        lang = lang_or_default(lang)
        trigger = ctx.triggered_id
        unchanged = dict(frames=no_update, tick=no_update, button=no_update, title=no_update,
                         legend=no_update, asof=no_update)
        if trigger not in (ids.PLAY, ids.PLAY_PREVIOUS, ids.PLAY_NEXT):
            # A control changed: the frames no longer show this view.
            if frames is None:
                return unchanged
            return {**unchanged, "frames": None, "tick": True, "button": PLAY_TEXT,
                    "title": t("playback.play", lang)}
        if trigger != ids.PLAY and frames is not None:
            return unchanged  # stepping through loaded frames: the page does it
        if trigger == ids.PLAY and playing_now:
            index = (position or {}).get("index", -1)
            shown = (frames or {}).get("frames") or []
            day = shown[index]["day"] if 0 <= index < len(shown) else no_update
            return {**unchanged, "tick": True, "button": PLAY_TEXT,
                    "title": t("playback.play", lang), "asof": day}
        data = store.current()
        view = store.view({**controls, "asof": None}, lang=lang)
        computed = playback_frames(data, view, step)
        playing = trigger == ids.PLAY
        return dict(frames=computed, tick=not playing,
                    button=PAUSE_TEXT if playing else PLAY_TEXT,
                    title=t("playback.pause" if playing else "playback.play", lang),
                    legend=_legends(data, view, computed), asof=no_update)

    app.clientside_callback(
        ClientsideFunction(namespace="atlasPlayback", function_name="stale"),
        Output(ids.PLAY_STALE, "data"),
        *controls(Input).values(),
        State(ids.PLAY_FRAMES, "data"), State(ids.PLAY_STALE, "data"),
        prevent_initial_call=True,
    )

    app.clientside_callback(
        ClientsideFunction(namespace="atlasPlayback", function_name="step"),
        Output(ids.PLAY_STATE, "data"),
        Output(countries.LAYER_ID, "hideout", allow_duplicate=True),
        Output(small_states.LAYER_ID, "hideout", allow_duplicate=True),
        Output(posts.LAYER_ID, "hideout", allow_duplicate=True),
        Output(links.LAYER_ID, "hideout", allow_duplicate=True),
        Output(ids.ASOF_BADGE, "children", allow_duplicate=True),
        *[Output(kpi, "children", allow_duplicate=True) for kpi in ids.KPIS],
        Output(ids.PLAY_BUDGET, "children"),
        Output(ids.PLAY_TICK, "disabled", allow_duplicate=True),
        Output(ids.PLAY, "children", allow_duplicate=True),
        Input(ids.PLAY_TICK, "n_intervals"),
        Input(ids.PLAY_PREVIOUS, "n_clicks"),
        Input(ids.PLAY_NEXT, "n_clicks"),
        Input(ids.PLAY_FRAMES, "data"),
        State(ids.PLAY_STATE, "data"),
        State(countries.LAYER_ID, "hideout"),
        State(posts.LAYER_ID, "hideout"),
        State(links.LAYER_ID, "hideout"),
        State(ids.PLAY_TICK, "disabled"),
        prevent_initial_call=True,
    )
