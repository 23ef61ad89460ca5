"""Data updates in the web app: the header's upload control (editors, when updates are on), the
status shown after an upload (the new version, or the problems as a table), ``/healthz``, the
``/admin`` routes and the upload callback. The versions themselves are
:mod:`dataversions` (no Dash, no Flask)."""

from __future__ import annotations

import dataclasses
import logging
import re

import pandas as pd
from dash import Input, Output, State, ctx, dcc, html
from dash.exceptions import PreventUpdate
from flask import g, has_request_context, jsonify, request

from dashboard import ids
from dashboard.auth import current_user
from dashboard.settings import Settings
from dataversions.sync import DataSync
from dataversions.uploads import UploadRejected, check_upload, decode_data_url
from dataversions.versions import (
    DataVersions,
    Notice,
    Outcome,
    counts,
    dated_text,
    update_text,
)
from geodata.i18n import count_text, lang_or_default, t
from geodata.network import Problem
from viewmodel.store import DataStore

MAX_PROBLEMS_SHOWN = 50
MAX_VERSION_NAME = 80
MAX_UPLOAD_FILES = 10
# An absolute path in a message (the data root, a staging folder): editors see its last part.
_SERVER_PATH = re.compile(r"(?<![\w.])(?:/[^\s/,;:()'\"\[\]]+){2,}")

log = logging.getLogger("atlas.reload")


def audit_link(settings: Settings, lang: str) -> html.A | None:
    """The header's link to the audit trail, for editors when the trail is on."""
    if not settings.audit_log or not has_request_context() or not current_user().is_editor:
        return None
    return html.A(t("audit.link", lang), href=f"/admin/audit?lang={lang}",
                  className="button audit-link", target="_blank", rel="noopener")


def update_control(settings: Settings) -> html.Div | None:
    """The upload control of the header, for editors when updates are on (always present in
    the layout Dash validates callbacks against, built outside any request)."""
    if not settings.data_root:
        return audit_link(settings, settings.lang)
    if has_request_context() and not current_user().is_editor:
        return None
    lang = settings.lang
    max_bytes = settings.max_upload_mb * 1_000_000
    return html.Div(
        [dcc.Upload(id=ids.DATA_UPLOAD, multiple=True, accept=".xlsx,.csv", max_size=max_bytes,
                    children=html.Button(update_text("upload", lang), className="button",
                                         title=update_text("upload.hint", lang)),
                    className="data-upload"),
         html.Button(update_text("confirm_shrink", lang), id=ids.DATA_CONFIRM_SHRINK,
                     className="button data-confirm-shrink", hidden=True, n_clicks=0),
         html.Div(id=ids.DATA_UPDATE_STATUS, className="data-update-status", role="status",
                  **{"aria-live": "polite"}),
         audit_link(settings, lang)],
        className="data-update",
    )


def without_paths(text: str) -> str:
    """``text`` with every absolute server path cut to its last part."""
    return _SERVER_PATH.sub(lambda match: match.group(0).rsplit("/", 1)[-1], text)


def _plain_problem(problem: Problem) -> Problem:
    params = {name: without_paths(value) if isinstance(value, str) else value
              for name, value in problem.params.items()}
    return dataclasses.replace(problem, file=without_paths(problem.file),
                               message=without_paths(problem.message), params=params)


def for_editors(outcome: Outcome) -> Outcome:
    """``outcome`` as editors see it (API and browser): no server path in any problem."""
    if not outcome.problems:
        return outcome
    return dataclasses.replace(outcome,
                               problems=tuple(_plain_problem(p) for p in outcome.problems))


def outcome_children(outcome: Outcome, lang: str | None, href: str | None = None) -> list:
    """The status shown after an upload: the new version (and its warnings, folded), or the
    problems as a table."""
    outcome = for_editors(outcome)
    if outcome.ok:
        figures = counts(outcome.network)
        posts = count_text("update.count.posts", figures["posts"], lang)
        programmes = count_text("update.count.programmes", figures["programmes"], lang)
        children = [html.Span(update_text("done", lang, version=outcome.version, posts=posts,
                                    programmes=programmes)), " ",
                    html.Span(dated_text(outcome, lang)), " ",
                    html.A(update_text("reload", lang), href=href or "/",
                           className="data-update-reload")]
        if outcome.shrank:
            shrank = ", ".join(f"{table} {before} → {after}"
                               for table, before, after in outcome.shrank)
            children += [" ", html.Span(update_text("shrank", lang, tables=shrank))]
        warnings = outcome.network.warnings
        if warnings:
            summary = html.Summary(update_text("warnings", lang, n=len(warnings)))
            children.append(html.Details([summary, *_problem_table(warnings, lang)]))
        return children
    errors = [problem for problem in outcome.problems if problem.severity == "error"]
    if outcome.needs_confirmation:
        summary = html.Summary(update_text("needs_confirmation", lang, version=outcome.version))
    else:
        summary = html.Summary(update_text("invalid", lang, n=len(errors),
                                           version=outcome.version))
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


def _allow_shrink() -> bool:
    value = request.args.get("allow_shrink") or request.form.get("allow_shrink") or ""
    return value.strip().lower() in ("1", "true", "yes", "on")


def register(app, store: DataStore, versions: DataVersions, countries: pd.DataFrame,
             served: str | None, notice: Notice | None = None) -> DataSync:
    """Follow the current version in this worker; add ``/healthz``, the ``/admin`` routes and,
    when updates are on, the upload callback."""
    server = app.server
    settings = versions.settings
    sync = DataSync(versions, store, countries, served, notice)
    server.extensions["atlas_sync"] = sync
    max_bytes = settings.max_upload_mb * 1_000_000
    # dcc.Upload sends files base64-encoded (4/3 larger) inside a JSON callback request.
    server.config["MAX_CONTENT_LENGTH"] = max_bytes * 4 // 3 + 1_000_000

    @server.before_request
    def _follow_current_version():
        sync.check()

    @server.get("/healthz")
    def healthz():
        health = sync.health()
        if server.extensions.get("atlas_auth"):
            # open to all: the figures only to a signed-in user, those of their scope
            health = {key: value for key, value in health.items() if key != "counts"}
            if g.get("atlas_user") is not None:
                health["counts"] = counts(store.current().network)
        response = jsonify(health)
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
        return jsonify(for_editors(outcome).as_dict()), 200 if outcome.ok else 422

    @server.get("/admin/versions")
    def admin_versions():
        if not current_user().is_editor:
            return jsonify({"ok": False, "error": "only editors may see the versions"}), 403
        listing = [{key: value for key, value in row.items() if key != "source"}
                   for row in versions.listing()]
        return jsonify({"served": sync.served, "versions": listing,
                        "fallback": sync.notice.as_dict() if sync.notice else None})

    @server.post("/admin/reload")
    def admin_reload():
        return guarded(lambda user: versions.publish_seed(countries, user=user,
                                                          allow_shrink=_allow_shrink()))

    @server.post("/admin/upload")
    def admin_upload():
        def upload(user):
            sent = request.files.getlist("files")
            if len(sent) > MAX_UPLOAD_FILES:
                raise UploadRejected("problem.upload.too_many", n=MAX_UPLOAD_FILES)
            items = [(f.filename, f.read(max_bytes + 1)) for f in sent]
            files = check_upload(items, max_bytes)
            return versions.publish(files, countries, user=user, action="upload",
                                    allow_shrink=_allow_shrink())
        return guarded(upload)

    @server.post("/admin/restore")
    def admin_restore():
        if request.is_json:
            payload = request.get_json(silent=True)
        else:
            payload = request.form
        name = payload.get("version") if hasattr(payload, "get") else None
        if not isinstance(name, str) or not 0 < len(name) <= MAX_VERSION_NAME:
            return jsonify({"ok": False, "error": 'expected {"version": "<version name>"}'}), 400
        return guarded(lambda user: versions.restore(name, countries, user=user))

    if versions.enabled:
        @app.callback(
            Output(ids.DATA_UPDATE_STATUS, "children"),
            Output(ids.DATA_CONFIRM_SHRINK, "hidden"),
            Input(ids.DATA_UPLOAD, "contents"),
            Input(ids.DATA_CONFIRM_SHRINK, "n_clicks"),
            State(ids.DATA_UPLOAD, "filename"),
            State(ids.LANG, "data"),
            State(ids.URL, "href"),
            prevent_initial_call=True,
        )
        def upload_data(contents, _confirmed, filenames, lang, href):
            if not contents:
                raise PreventUpdate
            lang = lang_or_default(lang if isinstance(lang, str) else None)
            href = href if isinstance(href, str) and len(href) < 4000 else None
            user = current_user()
            if not user.is_editor:
                log.warning("refused an upload by %s (not an editor)", user.name)
                return update_text("not_editor", lang), True
            contents = contents if isinstance(contents, list) else [contents]
            filenames = filenames if isinstance(filenames, list) else [filenames]
            if (len(contents) > MAX_UPLOAD_FILES or len(filenames) != len(contents)
                    or not all(isinstance(item, str) for item in contents + filenames)):
                reason = UploadRejected("problem.upload.damaged").text(lang)
                return update_text("rejected", lang, reason=reason), True
            try:
                files = check_upload(
                    ((name, decode_data_url(data))
                     for name, data in zip(filenames, contents, strict=True)), max_bytes)
            except UploadRejected as error:
                return update_text("rejected", lang, reason=error.text(lang)), True
            allow_shrink = ctx.triggered_id == ids.DATA_CONFIRM_SHRINK
            outcome = versions.publish(files, countries, user=user.name, action="upload",
                                       allow_shrink=allow_shrink)
            if outcome.ok:
                sync.adopt(outcome.version, outcome.network)
            return outcome_children(outcome, lang, href), not outcome.needs_confirmation

    return sync
