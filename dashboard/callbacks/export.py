"""Export callbacks: open/close the dialog (client side), prefill the title, render the file.

The view comes from the same controls as the map (``CONTROL_IDS``), the selected country, the
language and the map's current ``bounds``; the file is written by the format's entry in
:mod:`dashboard.export.formats.registry` and sent with ``dcc.Download``. Download triggers: the
dialog's confirm button (the chosen snapshot format) and one button per table format.
"""

from __future__ import annotations

import logging

from dash import Input, Output, State, ctx, dcc, no_update

from dashboard import ids
from dashboard.callbacks.map import CONTROL_IDS
from dashboard.data import AtlasData
from dashboard.export import describe
from dashboard.export.formats.base import ExportOptions, Kind
from dashboard.export.formats.registry import lookup, of_kind
from dashboard.export.mapdraw import ExportError, leaflet_bbox
from dashboard.urlstate import Controls, ViewState
from geodata.i18n import lang_or_default, t

log = logging.getLogger(__name__)

TOGGLE_DIALOG_JS = """
function (openClicks, closeClicks, cancelClicks) {
    var dialog = document.getElementById("DIALOG_ID");
    var triggered = (window.dash_clientside.callback_context.triggered || [])[0];
    if (!dialog || !triggered) { return window.dash_clientside.no_update; }
    if (triggered.prop_id.indexOf("OPEN_ID.") === 0) {
        if (!dialog.open) { dialog.showModal(); }
        var first = dialog.querySelector("input:checked") || dialog.querySelector("input");
        if (first) { first.focus(); }
    } else if (dialog.open) {
        dialog.close();
    }
    return window.dash_clientside.no_update;
}
""".replace("DIALOG_ID", ids.EXPORT_DIALOG).replace("OPEN_ID", ids.EXPORT_OPEN)


def current_view(store, control_values, selected, post, lang) -> ViewState:
    """The view the map shows, from the controls' values, selected country or post, language."""
    return store.view(Controls(*control_values), country=None if post else selected,
                      post=post or None, lang=lang_or_default(lang))


def export_file(data: AtlasData, view: ViewState, fmt: str, *, size: str = "16:9",
                scale: int = 1, title: str | None = None, include=(), marking: str = "",
                bounds=None) -> tuple[bytes, str]:
    """The file's bytes and name for a registered format id ``fmt`` (a snapshot's options are
    the dialog's; a table holds every programme matching the filters); ``bounds`` is the
    map's Leaflet bounds ``[[S, W], [N, E]]`` (None: the world). Raises :class:`ExportError`
    for an unknown format or a bad option."""
    export_format = lookup(fmt)
    options = ExportOptions(size=size, scale=int(scale or 1), title=title,
                            include=frozenset(include or ()), marking=marking,
                            bbox=leaflet_bbox(bounds))
    content = export_format.write(data, view, options)
    return content, export_format.file_name(describe.file_stem(data, view))


def register(app, store) -> None:
    """Register the export callbacks; ``store.current()`` gives the AtlasData being served."""
    table_buttons = {ids.export_table_button(fmt.id): fmt.id for fmt in of_kind(Kind.TABLE)}
    view_states = [*(State(i, "value") for i in CONTROL_IDS), State(ids.SELECTED_COUNTRY, "data"),
                   State(ids.SELECTED_POST, "data"), State(ids.LANG, "data")]

    app.clientside_callback(
        TOGGLE_DIALOG_JS,
        Output(ids.EXPORT_DIALOG, "className"),
        Input(ids.EXPORT_OPEN, "n_clicks"),
        Input(ids.EXPORT_CLOSE, "n_clicks"),
        Input(ids.EXPORT_CANCEL, "n_clicks"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.EXPORT_TITLE, "value"),
        Input(ids.EXPORT_OPEN, "n_clicks"),
        *view_states,
        prevent_initial_call=True,
    )
    def prefill_title(_clicks, *args):
        view = current_view(store, args[: len(CONTROL_IDS)], *args[len(CONTROL_IDS):])
        return describe.default_title(store.current(), view)

    @app.callback(
        Output(ids.EXPORT_DOWNLOAD, "data"),
        Output(ids.EXPORT_STATUS, "children"),
        Input(ids.EXPORT_CONFIRM, "n_clicks"),
        *(Input(button, "n_clicks") for button in table_buttons),
        State(ids.EXPORT_FORMAT, "value"),
        State(ids.EXPORT_SIZE, "value"),
        State(ids.EXPORT_SCALE, "value"),
        State(ids.EXPORT_TITLE, "value"),
        State(ids.EXPORT_INCLUDE, "value"),
        State(ids.EXPORT_MARKING, "value"),
        State(ids.MAP, "bounds"),
        *view_states,
        prevent_initial_call=True,
    )
    def download(_confirm, *values):
        fmt, size, scale, title, include, marking, bounds, *args = values[len(table_buttons):]
        view = current_view(store, args[: len(CONTROL_IDS)], *args[len(CONTROL_IDS):])
        fmt = table_buttons.get(ctx.triggered_id, fmt)
        try:
            content, name = export_file(store.current(), view, fmt, size=size, scale=scale,
                                        title=title, include=include, marking=marking or "",
                                        bounds=bounds)
        except ExportError as error:
            return no_update, t("export.failed", view.lang).format(error=error)
        except Exception:  # noqa: BLE001 - the user gets a message, the log the traceback
            log.exception("export failed (%s)", fmt)
            return no_update, t("export.failed", view.lang).format(error=fmt.upper())
        return dcc.send_bytes(content, name), t("export.ready", view.lang).format(name=name)
