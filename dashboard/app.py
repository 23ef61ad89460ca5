"""The Dash app factory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import dash
from flask import Response, request
from flask_compress import Compress

from accounts.audit import open_audit, system_clock
from dashboard import reload
from dashboard.access import install_access
from dashboard.answers import LAYOUTS_KEPT, install_answers, install_kept_layouts
from dashboard.auditpage import install_audit_page
from dashboard.auth import current_user, install_auth, install_client_address
from dashboard.callbacks import export as export_callbacks
from dashboard.callbacks import map as map_callbacks
from dashboard.callbacks import panel as panel_callbacks
from dashboard.callbacks import playback as playback_callbacks
from dashboard.edge import callback_error_handler, install_edge
from dashboard.language import request_lang, request_query
from dashboard.layout import build_layout
from dashboard.security import install_security
from dashboard.settings import Settings
from dataversions.baselines import Baselines
from dataversions.versions import DataVersions
from geodata.countries import load_countries
from geodata.i18n import t
from geodata.network import Network
from viewmodel.data import FILE_TYPES, GEOJSON_ROOT, build_atlas_data
from viewmodel.store import DataStore

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"
#: The component code Dash loads on demand (async chunks) that the first screen needs: the
#: filter column's dropdowns, date picker and slider. Preloaded with the page's scripts, they
#: are ready when the layout renders instead of fetched one after the other; the others (the
#: panel's chart, the upload) still load when first needed.
FIRST_SCREEN_CHUNKS = "".join(
    f'<link rel="preload" as="script" href="/_dash-component-suites/{path}">'
    for path in ("dash/dcc/async-dropdown.js", "dash/dcc/async-datepicker.js",
                 "dash/dcc/async-slider.js"))
#: dash-leaflet's GeoJSON layer (an async chunk too) is run with the page's scripts: the layers
#: are then ready at the first render and the country shapes are drawn as soon as they are
#: decoded, not after the chunk's script is added, loaded and run behind the rest of the page
#: (about 0.3 s on the benchmark machine).
MAP_CHUNK = '<script src="/_dash-component-suites/dash_leaflet/async-GeoJSON.js"></script>'


#: How long a browser keeps a file whose URL names its version (Dash's ``?m=`` fingerprint of
#: an asset, the data version of a layer file): a year, never asked again.
FOREVER = "public, max-age=31536000, immutable"


#: The media type of each kind of layer file (TopoJSON has no registered one).
FILE_MIMETYPES = {"geojson": "application/geo+json", "topojson": "application/json"}


def _serve_geojson(store: DataStore, name: str, kind: str) -> Response:
    """A layer's file of the data this request may see, compressed once per load (behind a
    login, ``dashboard.security`` makes its long cache private)."""
    data = store.current()
    if name not in data.geojson_gzip or FILE_TYPES.get(name) != kind:
        return Response("not found\n", status=404, mimetype="text/plain")
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response = Response(data.geojson_gzip[name], mimetype=FILE_MIMETYPES[kind])
        response.headers["Content-Encoding"] = "gzip"
    else:
        import gzip

        response = Response(gzip.decompress(data.geojson_gzip[name]),
                            mimetype=FILE_MIMETYPES[kind])
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = FOREVER
    response.headers["ETag"] = data.version
    return response


def install_asset_headers(server, assets_path: str) -> None:
    """Our own scripts and styles (under ``assets_path``) compressed like every other text
    response, and kept for good by the browser when the page names them with Dash's ``?m=``
    fingerprint (the file's modification time, so a changed file gets a new URL). Flask sends
    them as streamed files, which Flask-Compress does not gzip: the file (a few KB) is read
    here so that it does. Registered after the security headers, so that it runs before them
    (a long cache behind a login becomes private there)."""

    @server.after_request
    def _asset_headers(response: Response) -> Response:
        if not request.path.startswith(assets_path) or response.status_code != 200:
            return response
        if response.is_streamed:
            response.direct_passthrough = False
            response.set_data(response.get_data())
        if request.args.get("m"):
            response.headers["Cache-Control"] = FOREVER
        return response


def create_app(settings: Settings | None = None, *, network: Network | None = None,
               clock: Callable[[], datetime] = system_clock) -> dash.Dash:
    """Build the app on the data named by ``settings`` (default: ``Settings.load()``), or on an
    already loaded ``network`` (tests). ``clock`` gives the time of the audit trail's events
    and of the exports' trace line (the one place the app reads the time of day).

    Raises :class:`geodata.network.NetworkInvalid` when the data does not validate.
    """
    settings = settings or Settings.load()
    countries = load_countries()
    audit = open_audit(settings.audit_log, clock)
    versions = DataVersions(settings, audit=audit)
    versions.source = "web"
    served = versions.current_name() if network is not None else None
    notice = None
    if network is None:
        current = versions.serve(countries)
        served, network, notice = current.name, current.network, current.notice
    store = DataStore(build_atlas_data(network, countries))
    store.baselines = Baselines(versions, countries, demo=network.is_demo)

    app = dash.Dash(
        __name__,
        assets_folder=str(ASSETS_DIR),
        title=t("app.title", settings.lang),
        update_title=None,
        serve_locally=True,
        suppress_callback_exceptions=False,
        on_error=callback_error_handler(),
    )
    app.index_string = app.index_string.replace("<html>", '<html lang="{%lang%}">', 1)
    base_interpolate = app.interpolate_index

    def interpolate_index(**kwargs):
        lang = request_lang(settings.lang)
        kwargs["title"] = t("app.title", lang)
        # Start the country shapes' download with the scripts instead of after the first render
        # (assets/shapes.js decodes them from this link), and the code of the first screen's
        # components that Dash loads only when they render; run the map layers' code at once.
        kwargs["metas"] += (f'<link rel="preload" href="{store.current().countries_url}" '
                            'as="fetch" crossorigin="anonymous" data-atlas-shapes>'
                            + FIRST_SCREEN_CHUNKS)
        kwargs["scripts"] += MAP_CHUNK
        return base_interpolate(**kwargs).replace("{%lang%}", lang, 1)

    app.interpolate_index = interpolate_index
    app.server.config["COMPRESS_MIMETYPES"] = [
        "text/html", "text/css", "application/javascript", "text/javascript",
        "application/json", "image/svg+xml",
    ]
    Compress(app.server)
    app.server.extensions["atlas_store"] = store
    app.server.extensions["atlas_audit"] = audit
    app.server.add_url_rule(f"{GEOJSON_ROOT}/<name>.<kind>", "geojson",
                            lambda name, kind: _serve_geojson(store, name, kind))
    syncs = []  # the worker's DataSync, made below: the banner says when it serves a fallback

    def page_request() -> tuple[str, str, str]:
        """The page's language, URL query and banner (a fallback's notice) for this request."""
        lang = request_lang(settings.lang)
        notice = syncs[0].notice if syncs else None
        return lang, request_query(), notice.banner(lang) if notice else ""

    def page():
        lang, query, notice = page_request()
        return build_layout(store.current(), replace(settings, lang=lang), store.baselines,
                            notice=notice, query=query, vocabulary=store.vocabulary())

    def page_key() -> tuple:
        """Everything ``page`` draws from besides the data served: the request's language,
        query and banner, its user's scope and role (an editor gets the update control), the
        changes mode's baselines."""
        lang, query, notice = page_request()
        baselines = tuple(store.baselines.options(lang)) if store.baselines else ()
        return (lang, query, notice, store.scope_of_request(), current_user().is_editor,
                baselines)

    app.layout = page
    # Setting a layout function built and checked one layout (ids, types) for Dash to validate
    # the callbacks against in the browser; it would be sent in every page (a second copy of
    # the layout, ~60 KB) and walked again before the first callbacks. The browser checks them
    # against the page's own layout instead.
    app.validation_layout = None
    map_callbacks.register(app, store)
    panel_callbacks.register(app, store)
    playback_callbacks.register(app, store)
    install_client_address(app.server, settings)
    install_security(app.server, settings, script_hashes=app.csp_hashes)
    install_asset_headers(app.server, app.get_asset_url(""))
    install_auth(app.server, settings)
    install_audit_page(app.server, settings)
    install_access(app, store)
    syncs.append(reload.register(app, store, versions, countries, served, notice))
    export_callbacks.register(app, store, settings)
    install_edge(app)
    # After every other before-request hook; ATLAS_ANSWERS_KEPT=0 keeps no layout either.
    install_answers(app, store, settings.answers_kept)
    install_kept_layouts(app, store, page_key, LAYOUTS_KEPT if settings.answers_kept else 0)
    # Dash finishes its setup on the first request; with threaded workers two first requests
    # race and one may get a 500 for a script bundle. Finish it now, once, in this process.
    app._setup_server()
    return app
