"""Data updates in the web app: the header's upload control (editors, when updates are on), the
status shown after an upload (the new version, or the problems as a table), ``/healthz``, the
``/admin`` routes and the upload callback. The versions themselves are
:mod:`dataversions` (no Dash, no Flask)."""

from __future__ import annotations

import logging

import pandas as pd
from dash import Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate
from flask import has_request_context, jsonify, request

from dashboard import ids
from dashboard.auth import current_user
from dashboard.settings import Settings
from dataversions.sync import DataSync
from dataversions.uploads import UploadRejected, check_upload, decode_data_url
from dataversions.versions import DataVersions, Outcome, counts, dated_text, update_text
from geodata.i18n import count_text, lang_or_default
from geodata.network import Problem
from viewmodel.store import DataStore

MAX_PROBLEMS_SHOWN = 50

log = logging.getLogger("atlas.reload")


def update_control(settings: Settings) -> html.Div | None:
    """The upload control of the header, for editors when updates are on (always present in
    the layout Dash validates callbacks against, built outside any request)."""
    if not settings.data_root:
        return None
    if has_request_context() and not current_user().is_editor:
        return None
    lang = settings.lang
    max_bytes = settings.max_upload_mb * 1_000_000
    return html.Div(
        [dcc.Upload(id=ids.DATA_UPLOAD, multiple=True, accept=".xlsx,.csv", max_size=max_bytes,
                    children=html.Button(update_text("upload", lang), className="button",
                                         title=update_text("upload.hint", lang)),
                    className="data-upload"),
         html.Div(id=ids.DATA_UPDATE_STATUS, className="data-update-status", role="status",
                  **{"aria-live": "polite"})],
        className="data-update",
    )


def outcome_children(outcome: Outcome, lang: str | None, href: str | None = None) -> list:
    """The status shown after an upload: the new version (and its warnings, folded), or the
    problems as a table."""
    if outcome.ok:
        figures = counts(outcome.network)
        posts = count_text("update.count.posts", figures["posts"], lang)
        programmes = count_text("update.count.programmes", figures["programmes"], lang)
        children = [html.Span(update_text("done", lang, version=outcome.version, posts=posts,
                                    programmes=programmes)), " ",
                    html.Span(dated_text(outcome, lang)), " ",
                    html.A(update_text("reload", lang), href=href or "/",
                           className="data-update-reload")]
        warnings = outcome.network.warnings
        if warnings:
            summary = html.Summary(update_text("warnings", lang, n=len(warnings)))
            children.append(html.Details([summary, *_problem_table(warnings, lang)]))
        return children
    errors = [problem for problem in outcome.problems if problem.severity == "error"]
    summary = html.Summary(update_text("invalid", lang, n=len(errors), version=outcome.version))
    return [html.Details([summary, *_problem_table(outcome.problems, lang)], open=True)]


def _problem_table(problems: tuple[Problem, ...], lang: str | None) -> list:
    """The first problems as a table (file, row, column, value, message in ``lang``), and how
    many more there are."""
    lang = lang_or_default(lang)
    shown = problems[:MAX_PROBLEMS_SHOWN]
    header = html.Tr([html.Th(update_text(f"column.{c}", lang))
                      for c in ("file", "row", "column", "value", "problem")])
    rows = [html.Tr([html.Td(problem.file), html.Td("" if problem.row is None else problem.row),
                     html.Td(problem.column or ""), html.Td(problem.value or ""),
                     html.Td(problem.text(lang))], className=f"problem-{problem.severity}")
            for problem in shown]
    children = [html.Table([html.Thead(header), html.Tbody(rows)], className="problems")]
    if len(problems) > len(shown):
        children.append(html.P(update_text("more", lang, n=len(problems) - len(shown))))
    return children


def register(app, store: DataStore, versions: DataVersions, countries: pd.DataFrame,
             served: str | None) -> DataSync:
    """Follow the current version in this worker; add ``/healthz``, the ``/admin`` routes and,
    when updates are on, the upload callback."""
    server = app.server
    settings = versions.settings
    sync = DataSync(versions, store, countries, served)
    server.extensions["atlas_sync"] = sync
    max_bytes = settings.max_upload_mb * 1_000_000
    # dcc.Upload sends files base64-encoded (4/3 larger) inside a JSON callback request.
    server.config["MAX_CONTENT_LENGTH"] = max_bytes * 4 // 3 + 1_000_000

    @server.before_request
    def _follow_current_version():
        sync.check()

    @server.get("/healthz")
    def healthz():
        response = jsonify(sync.health())
        response.headers["Cache-Control"] = "no-store"
        return response

    def guarded(action):
        if not current_user().is_editor:
            return jsonify({"ok": False, "error": "only editors may update the data"}), 403
        if not versions.enabled:
            return jsonify({"ok": False, "error": "data updates need ATLAS_DATA_ROOT"}), 409
        try:
            outcome = action(current_user().name)
        except UploadRejected as error:
            return jsonify({"ok": False, "error": str(error)}), 400
        if outcome.ok:
            sync.adopt(outcome.version, outcome.network)
        return jsonify(outcome.as_dict()), 200 if outcome.ok else 422

    @server.get("/admin/versions")
    def admin_versions():
        if not current_user().is_editor:
            return jsonify({"ok": False, "error": "only editors may see the versions"}), 403
        return jsonify({"served": sync.served, "versions": versions.listing()})

    @server.post("/admin/reload")
    def admin_reload():
        return guarded(lambda user: versions.publish_seed(countries, user=user))

    @server.post("/admin/upload")
    def admin_upload():
        def upload(user):
            items = [(f.filename, f.read(max_bytes + 1)) for f in request.files.getlist("files")]
            files = check_upload(items, max_bytes)
            return versions.publish(files, countries, user=user, action="upload")
        return guarded(upload)

    @server.post("/admin/restore")
    def admin_restore():
        payload = request.get_json(silent=True) or request.form
        name = str(payload.get("version", ""))
        return guarded(lambda user: versions.restore(name, countries, user=user))

    if versions.enabled:
        @app.callback(
            Output(ids.DATA_UPDATE_STATUS, "children"),
            Input(ids.DATA_UPLOAD, "contents"),
            State(ids.DATA_UPLOAD, "filename"),
            State(ids.LANG, "data"),
            State(ids.URL, "href"),
            prevent_initial_call=True,
        )
        def upload_data(contents, filenames, lang, href):
            if not contents:
                raise PreventUpdate
            user = current_user()
            if not user.is_editor:
                log.warning("refused an upload by %s (not an editor)", user.name)
                return update_text("not_editor", lang)
            contents = contents if isinstance(contents, list) else [contents]
            filenames = filenames if isinstance(filenames, list) else [filenames]
            try:
                files = check_upload(
                    ((name, decode_data_url(data))
                     for name, data in zip(filenames, contents, strict=False)), max_bytes)
            except UploadRejected as error:
                return update_text("rejected", lang, reason=error.text(lang))
            outcome = versions.publish(files, countries, user=user.name, action="upload")
            if outcome.ok:
                sync.adopt(outcome.version, outcome.network)
            return outcome_children(outcome, lang, href)

    return sync
