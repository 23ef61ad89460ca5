"""Export callbacks: open/close the dialog (client side), prefill the title, render the file.

The view comes from the same controls as the map (``controls()``), the selected country, the
language and the map's current ``bounds``; the file is written by the format's entry in
:mod:`exports.formats.registry` and sent with ``dcc.Download``. Download triggers: the
dialog's confirm button (the chosen snapshot format) and one button per table format.
"""

from __future__ import annotations

import logging

from dash import Input, Output, State, ctx, dcc, no_update

from dashboard import ids
from dashboard.callbacks.map import controls
from exports import describe
from exports.formats.base import ExportOptions, Kind
from exports.formats.registry import lookup, of_kind
from exports.mapdraw import ExportError, leaflet_bbox
from geodata.i18n import lang_or_default, t
from viewmodel.data import AtlasData
from viewmodel.urlstate import ViewState

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


def current_view(store, view_inputs: dict) -> ViewState:
    """The view the map shows, from :func:`view_states`' values (the controls, the selected
    country or post, the language)."""
    post = view_inputs["post"]
    return store.view(view_inputs["controls"],
                      country=None if post else view_inputs["country"], post=post or None,
                      lang=lang_or_default(view_inputs["lang"]))


def view_states() -> dict:
    """What an export reads of the page's view, as one group (see :func:`current_view`)."""
    return dict(controls=controls(State), country=State(ids.SELECTED_COUNTRY, "data"),
                post=State(ids.SELECTED_POST, "data"), lang=State(ids.LANG, "data"))


def export_file(data: AtlasData, view: ViewState, fmt: str, *, size: str = "16:9",
                scale: int = 1, title: str | None = None, include=(), marking: str = "",
                bounds=None, subtitle: str = "", notes: str = "", vector_map: bool = False,
                public_url: str = "") -> tuple[bytes, str]:
    """The file's bytes and name for a registered format id ``fmt`` (a snapshot's options are
    the dialog's; a table holds every programme matching the filters); ``bounds`` is the
    map's Leaflet bounds ``[[S, W], [N, E]]`` (None: the world). The name comes from the
    title and the data's date. Raises :class:`ExportError` for an unknown format or a bad
    option."""
    export_format = lookup(fmt)
    options = ExportOptions(size=size, scale=int(scale or 1), title=title,
                            include=frozenset(include or ()), marking=marking,
                            bbox=leaflet_bbox(bounds), subtitle=subtitle or "",
                            notes=notes or "", vector_map=bool(vector_map),
                            public_url=public_url)
    content = export_format.write(data, view, options)
    return content, export_format.file_name(describe.file_stem(data, view, title))


def register(app, store) -> None:
    """Register the export callbacks; ``store.current()`` gives the AtlasData being served."""
    table_buttons = {ids.export_table_button(fmt.id): fmt.id for fmt in of_kind(Kind.TABLE)}

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
        inputs=dict(_clicks=Input(ids.EXPORT_OPEN, "n_clicks"), view=view_states()),
        prevent_initial_call=True,
    )
    def prefill_title(_clicks, view):
        return describe.default_title(store.current(), current_view(store, view))

    @app.callback(
        output=[Output(ids.EXPORT_DOWNLOAD, "data"), Output(ids.EXPORT_STATUS, "children")],
        inputs=dict(
            _confirm=Input(ids.EXPORT_CONFIRM, "n_clicks"),
            _tables=[Input(button, "n_clicks") for button in table_buttons],
            fmt=State(ids.EXPORT_FORMAT, "value"), size=State(ids.EXPORT_SIZE, "value"),
            scale=State(ids.EXPORT_SCALE, "value"), title=State(ids.EXPORT_TITLE, "value"),
            include=State(ids.EXPORT_INCLUDE, "value"),
            marking=State(ids.EXPORT_MARKING, "value"), bounds=State(ids.MAP, "bounds"),
            view=view_states()),
        prevent_initial_call=True,
    )
    def download(_confirm, _tables, fmt, size, scale, title, include, marking, bounds, view):
        view = current_view(store, view)
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
