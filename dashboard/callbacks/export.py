"""Export callbacks: open/close the dialog (client side), prefill the title, render the file.

The view comes from the same controls as the map (``controls()``), the selected country, the
language and the map's current ``bounds``; the file is written by the format's entry in
:mod:`exports.formats.registry` and sent with ``dcc.Download``. Download triggers: the
dialog's confirm button (the chosen snapshot format) and one button per table format.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import replace
from pathlib import Path

from dash import Input, Output, State, dcc, no_update

from accounts.audit import open_audit, system_clock
from dashboard import ids
from dashboard.access import identity_time, identity_user, scope_tokens
from dashboard.auth import User, auth_enabled
from dashboard.callbacks.map import controls
from dashboard.exportpool import Busy, Cancelled, ExportPool
from dashboard.jobs import JobControl, background_job, jobs_manager, with_baselines
from dashboard.settings import Settings
from exports import describe
from exports.brief import brief_title, render_brief
from exports.deck import WORLD_BBOX, DeckOptions, build_deck, view_pack_pages
from exports.formats.base import ExportOptions, Kind
from exports.formats.registry import lookup, of_kind
from exports.mapdraw import ExportError, leaflet_bbox
from exports.page import SIZES, PageSize, compose, figure_bytes
from exports.trace import ExportTrace, traced
from geodata import limits
from geodata.i18n import describe as say
from geodata.i18n import lang_or_default, ordinal, t
from viewmodel.asof import dated
from viewmodel.data import AtlasData
from viewmodel.urlstate import ViewState, to_query

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
                public_url: str = "", bbox=None) -> tuple[bytes, str]:
    """The file's bytes and name for a registered format id ``fmt`` (a snapshot's options are
    the dialog's; a table holds every programme matching the filters); ``bounds`` is the
    map's Leaflet bounds ``[[S, W], [N, E]]`` (None: the world). The name comes from the
    title and the data's date. Raises :class:`ExportError` for an unknown format or a bad
    option."""
    export_format = lookup(fmt)
    options = ExportOptions(size=size, scale=int(scale or 1), title=title,
                            include=frozenset(include or ()), marking=marking,
                            bbox=bbox if bbox is not None else leaflet_bbox(bounds),
                            subtitle=subtitle or "",
                            notes=notes or "", vector_map=bool(vector_map),
                            public_url=public_url)
    data = dated(data, view)  # statuses and posts on the view's as-of date
    content = export_format.write(data, view, options)
    return content, export_format.file_name(describe.file_stem(data, view, title))


PREVIEW_DPI = 40
#: How often the page asks for the preview job's answer, ms (a warm job draws it in ~0.15 s).
PREVIEW_POLL_MS = 250


def dialog_view(view: ViewState, options) -> ViewState:
    """The view with the dialog's map options: country names off unless "labels" is on."""
    if "labels" in (options or ()):
        return view
    return replace(view, layers=tuple(layer for layer in view.layers if layer != "labels"))


def extent_bbox(extent: str, bounds):
    """The export's extent: the map's bounds ("view"), the selected regions' framing
    ("regions": None, framed by :func:`exports.scope.view_bbox`) or the world."""
    if extent == "world":
        return WORLD_BBOX
    if extent == "regions":
        return None
    return leaflet_bbox(bounds)


def export_request(data: AtlasData, view: ViewState, fmt: str, *, what: str = "page",
                   extent: str = "view", bounds=None, options=("labels",), size: str = "16:9",
                   scale: int = 1, title: str | None = None, subtitle: str = "",
                   notes: str = "", include=(), marking: str = "", public_url: str = "",
                   progress=None) -> tuple[bytes, str, int]:
    """What the dialog's download button makes: one page in ``fmt``, or a briefing pack
    (``what="pack"``: PowerPoint, or PDF when ``fmt`` is pdf; the view, its regions and a
    brief per country in view). Returns the bytes, the file name and the page count."""
    view = dialog_view(view, options)
    data = dated(data, view)
    bbox = extent_bbox(extent, bounds)
    vector = "vector" in (options or ())
    if what != "pack":
        content, name = export_file(data, view, fmt, size=size, scale=scale, title=title,
                                    include=include, marking=marking, subtitle=subtitle,
                                    notes=notes, vector_map=vector, public_url=public_url,
                                    bbox=bbox)
        return content, name, 1
    deck_format = "pdf" if fmt == "pdf" else "pptx"
    pages = view_pack_pages(data, view, bbox)
    first = replace(pages[0], title=describe.clean_text(title) or None,
                    subtitle=subtitle or "", notes=notes or "")
    pages = (first, *pages[1:])
    deck_title = describe.clean_text(title) or describe.default_title(data, view)
    content = build_deck(data, pages, deck_format, DeckOptions(
        size=size, scale=int(scale or 1), lang=view.lang, marking=marking or "",
        public_url=public_url, include=frozenset(include or ()), vector_map=vector,
        title=deck_title), progress=progress)
    return content, f"{describe.title_file_stem(data, deck_title)}.{deck_format}", len(pages)


def preview_src(data: AtlasData, view: ViewState, *, extent: str = "view", bounds=None,
                options=("labels",), size: str = "16:9", title: str | None = None,
                subtitle: str = "", include=(), marking: str = "") -> str:
    """A small PNG of the page being exported, as a data URI (the dialog's live preview)."""
    paper = PageSize(*_paper(size), PREVIEW_DPI)
    data = dated(data, view)
    snapshot = compose(data, dialog_view(view, options), title=title, include=include,
                       marking=marking, bbox=extent_bbox(extent, bounds), page_size=paper,
                       subtitle=subtitle, size=size)
    try:
        png = figure_bytes(snapshot.page, "png", {"Software": "Atlas"})
    finally:
        snapshot.page.fig.clear()
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _paper(size: str) -> tuple[float, float]:
    paper = SIZES.get(size) or SIZES["16:9"]
    return paper.width, paper.height


def brief_file(data: AtlasData, view: ViewState, *, marking: str = "",
               public_url: str = "") -> tuple[bytes, str]:
    """The PowerPoint brief of the selected country or post and its file name."""
    content = render_brief(data, view, ExportOptions(marking=marking, public_url=public_url),
                           "pptx")
    return content, f"{describe.title_file_stem(data, brief_title(data, view))}.pptx"


def dialog_states() -> dict:
    """The dialog's own fields besides the format, size, scale, title, parts and marking."""
    return dict(what=State(ids.EXPORT_WHAT, "value"), extent=State(ids.EXPORT_EXTENT, "value"),
                options=State(ids.EXPORT_OPTIONS, "value"),
                subtitle=State(ids.EXPORT_SUBTITLE, "value"),
                notes=State(ids.EXPORT_NOTES, "value"))


def _bounded_text(value, field: str, lang: str) -> str | None:
    """A typed text within its maximum length; raises ExportError saying the maximum."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ExportError(t("export.bad_option", lang))
    if len(value) > limits.MAX_TITLE_CHARS:
        raise ExportError(t(f"export.too_long.{field}", lang).format(n=limits.MAX_TITLE_CHARS))
    return value


TABLE_BUTTONS = {ids.export_table_button(fmt.id): fmt.id for fmt in of_kind(Kind.TABLE)}


def export_pool(settings: Settings) -> ExportPool:
    """The host's export slots and queue (``ATLAS_EXPORT_WORKERS``, ``ATLAS_EXPORT_QUEUE``),
    in ``ATLAS_DATA_ROOT/.exports``, else ``ATLAS_JOBS_DIR/exports``, else a temporary folder."""
    if settings.data_root:
        folder = Path(settings.data_root) / ".exports"
    else:
        folder = Path(settings.jobs_dir) / "exports" if settings.jobs_dir else None
    return ExportPool(settings.export_workers, folder, queue=settings.export_queue)


def queue_text(place: int, lang: str) -> str:
    """The dialog's words for an export waiting its turn ("2nd in line")."""
    return t("export.queued", lang).format(place=ordinal(place, lang))


def for_export(data: AtlasData, user: User | None, trail, trace_on: bool) -> AtlasData:
    """``data`` naming who exports it and when (with access control on, unless
    ``ATLAS_EXPORT_TRACE=0``), the time from the audit trail's clock."""
    if not trace_on:
        return data
    return traced(data, ExportTrace(user.name if user else "?", trail.now()))


def audit_export(trail, user: User | None, action: str, view: ViewState, fmt: str,
                 content: bytes, name: str, what: str, **more) -> None:
    """One event in the audit trail for a file sent (from a web worker or a job)."""
    try:
        trail.record(action, user.name if user else "", format=fmt, what=what,
                     view=to_query(view), size=len(content), file=name, source="web", **more)
    except OSError as error:
        log.error("could not write the audit trail: %s", error)


def preview_job(_set_progress, control: JobControl, stores, settings: Settings, *, _open=None,
                size=None, title=None, include=None, marking=None, subtitle=None, extent=None,
                options=None, bounds=None, view=None):
    """The dialog's live preview, as a background job: a page drawn (about 0.15 s of CPU in a
    warm process), kept off the web workers. It takes one of the host's export slots without
    waiting, so that dialogs opened at once never starve the downloads; with every slot taken
    it is left out (None; the download works)."""
    user, trail = job_requester(control, settings)
    try:
        with export_pool(settings).queued(max_wait_s=0.0):
            store = stores().with_scope(scope_tokens(user, auth_enabled(settings)))
            view = current_view(store, view if isinstance(view, dict) else {})
            served = for_export(with_baselines(store), user, trail,
                                settings.export_trace and auth_enabled(settings))
            return preview_src(served, view, extent=extent, bounds=bounds, options=options,
                               size=size, title=title, subtitle=subtitle or "",
                               include=include, marking=marking or "")
    except Busy:
        return None
    except ExportError:
        return no_update


def job_requester(control: JobControl, settings: Settings):
    """Who asked for a job, and the audit trail on the clock of the request."""
    # A job process has no app: its clock is the time of the request, on the app's clock.
    asked = identity_time(control.identity)
    trail = open_audit(settings.audit_log, (lambda: asked) if asked else system_clock)
    return identity_user(control.identity), trail


def export_job(set_progress, control: JobControl, stores, settings: Settings, *, _confirm=None,
               _tables=(), fmt=None, size=None, scale=None, title=None, include=None,
               marking=None, bounds=None, dialog=None, view=None):
    """The dialog's download, as a background job: wait for a slot of the host's export queue
    (saying the place in line), then write the chosen page, table or briefing pack.
    ``stores()`` gives the data being served; ``control`` says when the request is abandoned
    (checked while waiting and between a pack's pages). Returns the download and the status."""
    dialog = dialog if isinstance(dialog, dict) else {}
    view = view if isinstance(view, dict) else {}
    lang = lang_or_default(view.get("lang"))
    table = control.trigger in TABLE_BUTTONS
    fmt = TABLE_BUTTONS.get(control.trigger, fmt)
    pack = not table and dialog.get("what") == "pack"

    def on_place(place):
        set_progress(("0", "1", queue_text(place, lang)))

    def on_page(done, total):
        control.check()
        set_progress((str(done), str(total), ""))

    user, trail = job_requester(control, settings)
    auth_on = auth_enabled(settings)
    try:
        with export_pool(settings).queued(on_place=on_place, should_stop=control.stopped):
            set_progress(("0", "1", ""))
            store = stores().with_scope(scope_tokens(user, auth_on))
            view = current_view(store, view)
            title = _bounded_text(title, "title", view.lang)
            marking = _bounded_text(marking, "marking", view.lang)
            subtitle = _bounded_text(dialog.get("subtitle"), "title", view.lang)
            if not isinstance(fmt, str) or (scale is not None and not isinstance(scale, int)):
                raise ExportError(t("export.bad_option", view.lang))
            served = for_export(with_baselines(store), user, trail,
                                settings.export_trace and auth_on)
            if table:
                content, name = export_file(served, view, fmt, marking=marking or "")
                pages = 1
            else:
                control.check()
                content, name, pages = export_request(
                    served, view, fmt, what="pack" if pack else "page",
                    extent=dialog.get("extent") or "view", bounds=bounds,
                    options=dialog.get("options"), size=size, scale=scale, title=title,
                    subtitle=subtitle or "", notes=dialog.get("notes") or "",
                    include=include, marking=marking or "", public_url=settings.public_url,
                    progress=on_page)
    except Busy as busy:
        return no_update, say("export.busy", lang, {"n": busy.running})
    except Cancelled:
        log.info("export stopped: its request was abandoned (%s)", control.key)
        return no_update, t("export.cancelled", lang)
    except ExportError as error:
        return no_update, t("export.failed", lang).format(error=error)
    except Exception:  # noqa: BLE001 - the user gets a message, the log the traceback
        log.exception("export failed (%s)", fmt)
        return no_update, t("export.failed", lang).format(error=str(fmt).upper())
    if pack:
        audit_export(trail, user, "pack", view, "pdf" if fmt == "pdf" else "pptx", content,
                     name, "pack", pages=pages)
    else:
        audit_export(trail, user, "export", view, fmt, content, name,
                     "table" if table else "page")
    if pack:
        return dcc.send_bytes(content, name), say("export.pack.ready", lang,
                                                  {"n": pages, "name": name})
    return dcc.send_bytes(content, name), t("export.ready", lang).format(name=name)


def brief_job(_set_progress, control: JobControl, stores, settings: Settings, *, _brief=None,
              view=None):
    """The panel's brief (PowerPoint) of the selected country or post, as a background job:
    it waits its turn in the host's export queue like a download, and no web worker draws
    it. Returns the download and the status."""
    view = view if isinstance(view, dict) else {}
    lang = lang_or_default(view.get("lang"))
    user, trail = job_requester(control, settings)
    auth_on = auth_enabled(settings)
    try:
        with export_pool(settings).queued(should_stop=control.stopped):
            store = stores().with_scope(scope_tokens(user, auth_on))
            view = current_view(store, view)
            if not (view.country or view.post):
                # Nothing to brief (none selected, or out of the user's scope): an answer all
                # "no update" would leave the job's last poll without one.
                return no_update, ""
            content, name = brief_file(
                for_export(with_baselines(store), user, trail, settings.export_trace and auth_on),
                view, marking=settings.export_marking, public_url=settings.public_url)
    except Busy as busy:
        return no_update, say("export.busy", lang, {"n": busy.running})
    except Cancelled:
        log.info("brief stopped: its request was abandoned (%s)", control.key)
        return no_update, no_update
    except Exception:  # noqa: BLE001 - the user gets a message, the log the traceback
        log.exception("brief failed")
        return no_update, t("export.failed", lang).format(error="PPTX")
    audit_export(trail, user, "export", view, "pptx", content, name, "brief")
    return dcc.send_bytes(content, name), t("export.ready", view.lang).format(name=name)


def register(app, store, settings: Settings | None = None) -> None:
    """Register the export callbacks; ``store.current()`` gives the AtlasData being served;
    the dialog's downloads run as background jobs (:mod:`dashboard.jobs`), at most
    ``settings.export_workers`` at once on the host, the others queued."""
    settings = settings or Settings.load()
    manager = jobs_manager(settings)
    app.server.extensions["atlas_jobs"] = manager

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

    def stores():
        sync = app.server.extensions.get("atlas_sync")
        if sync is not None:
            sync.check()  # a Celery worker has no request to follow the current version with
        return store

    app.callback(
        output=[Output(ids.EXPORT_DOWNLOAD, "data"), Output(ids.EXPORT_STATUS, "children")],
        inputs=dict(
            _confirm=Input(ids.EXPORT_CONFIRM, "n_clicks"),
            _tables=[Input(button, "n_clicks") for button in TABLE_BUTTONS],
            fmt=State(ids.EXPORT_FORMAT, "value"), size=State(ids.EXPORT_SIZE, "value"),
            scale=State(ids.EXPORT_SCALE, "value"), title=State(ids.EXPORT_TITLE, "value"),
            include=State(ids.EXPORT_INCLUDE, "value"),
            marking=State(ids.EXPORT_MARKING, "value"), bounds=State(ids.MAP, "bounds"),
            dialog=dialog_states(), view=view_states()),
        background=True, manager=manager,
        progress=[Output(ids.EXPORT_PROGRESS, "value"), Output(ids.EXPORT_PROGRESS, "max"),
                  Output(ids.EXPORT_QUEUE, "children")],
        running=[(Output(ids.EXPORT_PROGRESS, "hidden"), False, True),
                 (Output(ids.EXPORT_QUEUE, "hidden"), False, True),
                 (Output(ids.EXPORT_CONFIRM, "disabled"), True, False)],
        cancel=[Input(ids.EXPORT_CANCEL, "n_clicks")],
        prevent_initial_call=True,
    )(background_job(manager, stores, settings, export_job))

    # The preview is a page drawn: a job like a download, so that no web worker draws it.
    app.callback(
        Output(ids.EXPORT_PREVIEW, "src"),
        inputs=dict(
            _open=Input(ids.EXPORT_OPEN, "n_clicks"), size=Input(ids.EXPORT_SIZE, "value"),
            title=Input(ids.EXPORT_TITLE, "value"), include=Input(ids.EXPORT_INCLUDE, "value"),
            marking=Input(ids.EXPORT_MARKING, "value"),
            subtitle=Input(ids.EXPORT_SUBTITLE, "value"),
            extent=Input(ids.EXPORT_EXTENT, "value"), options=Input(ids.EXPORT_OPTIONS, "value"),
            bounds=State(ids.MAP, "bounds"), view=view_states()),
        background=True, manager=manager, interval=PREVIEW_POLL_MS,
        prevent_initial_call=True,
    )(background_job(manager, stores, settings, preview_job))

    # The panel's brief: a job as well (a PowerPoint drawn is 0.2 s of CPU or more).
    app.callback(
        output=[Output(ids.EXPORT_DOWNLOAD, "data", allow_duplicate=True),
                Output(ids.EXPORT_STATUS, "children", allow_duplicate=True)],
        inputs=dict(_brief=Input(ids.PANEL_BRIEF, "n_clicks"), view=view_states()),
        background=True, manager=manager, interval=PREVIEW_POLL_MS,
        prevent_initial_call=True,
    )(background_job(manager, stores, settings, brief_job))
