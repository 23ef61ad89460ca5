"""Answers of pure callbacks, kept: a filter state asked for again is answered without Dash's
dispatch, the callback or the JSON encoding.

A callback is pure (marked with :func:`pure`, under its ``@app.callback``) when its answer
depends on nothing but its request (body and query string), the data being served and the
user's scope: no clock, no audit event, no other side effect. Its answers are kept in the data
load's memo, so that a new version starts with none, at most ``ATLAS_ANSWERS_KEPT`` of them
(the last used; 0 keeps none), keyed by the user's scope tokens and the request.

The page's layout (``/_dash-layout``) is kept the same way, at most :data:`LAYOUTS_KEPT` per
data load, keyed by everything it is drawn from (:func:`install_kept_layouts`): every page load
of every user asked the server to build and encode the same page again (20-40 ms of a worker's
CPU, more than any filter change).

The check runs after every other before-request hook (the callback's edge checks, sign-in,
rate limits, the version check), so that a request they refuse never gets a kept answer; the
after-request hooks (security headers, gzip) run on a kept answer as on any other.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from flask import Response, g, request

from dashboard.edge import LAYOUT_PATH, UPDATE_PATH
from viewmodel.data import Bounded
from viewmodel.store import DataStore

_MEMO_KEY = "kept answers"
_LAYOUTS_KEY = "kept layouts"
GZIP_LEVEL = 6  # Flask-Compress's default
#: Layouts kept per data load: one per language, scope, role and shared link's view asked for
#: last (about 60 KB each).
LAYOUTS_KEPT = 32


@dataclass
class KeptAnswer:
    """An answer's JSON, and the same gzipped once it is asked for again."""

    raw: bytes
    gzipped: bytes | None = None


def pure(func):
    """Mark a callback function as pure (see the module's doc); Dash's wrapper keeps the mark."""
    func.atlas_pure = True
    return func


def pure_outputs(app) -> frozenset[str]:
    """The ``output`` keys of the app's pure callbacks, as the page sends them."""
    return frozenset(key for key, spec in app.callback_map.items()
                     if getattr(spec.get("callback"), "atlas_pure", False))


def install_answers(app, store: DataStore, kept_at_most: int) -> None:
    """Answer a pure callback's request from the answers kept (at most ``kept_at_most`` per
    data load; 0: none), else keep its answer. Install it after every other before-request
    hook."""
    if kept_at_most <= 0:
        return
    server = app.server
    outputs = pure_outputs(app)

    @server.before_request
    def _answer_kept():
        if request.method != "POST" or not request.path.endswith(UPDATE_PATH):
            return None
        body = request.get_json()  # parsed by the edge check already (the same cached value)
        if not isinstance(body, dict) or body.get("output") not in outputs:
            return None
        kept = store.served().memo.get(_MEMO_KEY, lambda: Bounded(kept_at_most))
        key = (store.scope_of_request(), request.query_string, request.get_data(cache=True))
        return _kept_or_pending(kept, key)

    _install_keeper(server)


def install_kept_layouts(app, store: DataStore, key_of_request: Callable[[], Hashable],
                         kept_at_most: int = LAYOUTS_KEPT) -> None:
    """Answer a request for the page's layout from the layouts kept for the data being served
    (at most ``kept_at_most``; 0: none), else keep the layout built. ``key_of_request`` names
    everything the layout of the current request is drawn from besides the data (language,
    URL query, the user's scope and role, a banner...): two requests with the same key must
    get the same layout. Install it after every other before-request hook."""
    if kept_at_most <= 0:
        return
    server = app.server

    @server.before_request
    def _layout_kept():
        if request.method != "GET" or not request.path.endswith(LAYOUT_PATH):
            return None
        kept = store.served().memo.get(_LAYOUTS_KEY, lambda: Bounded(kept_at_most))
        return _kept_or_pending(kept, key_of_request())

    _install_keeper(server)


def _install_keeper(server) -> None:
    """Keep each noted answer after its request (once per server, whichever installs it)."""
    if _keep_pending not in server.after_request_funcs.get(None, []):
        server.after_request(_keep_pending)


def _kept_or_pending(kept: Bounded, key: Hashable) -> Response | None:
    """The kept answer for ``key`` (gzipped when the client takes it), or None after noting
    the key, so that the answer built for this request is kept (:func:`_keep_pending`)."""
    found, answer = kept.find(key)
    if not found:
        g.atlas_answer_key = (kept, key)
        return None
    if "gzip" not in request.headers.get("Accept-Encoding", ""):
        return Response(answer.raw, mimetype="application/json")
    # Compressed once, on its first reuse (Flask-Compress leaves an encoded answer alone).
    answer.gzipped = answer.gzipped or gzip.compress(answer.raw, GZIP_LEVEL, mtime=0)
    response = Response(answer.gzipped, mimetype="application/json")
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    return response


def _keep_pending(response: Response) -> Response:
    """Keep the answer of a request noted by :func:`_kept_or_pending`, when it succeeded."""
    pending = g.pop("atlas_answer_key", None)
    if (pending is not None and response.status_code == 200
            and response.mimetype == "application/json" and not response.is_streamed
            and "Content-Encoding" not in response.headers):
        kept, key = pending
        kept.keep(key, KeptAnswer(response.get_data()))
    return response
