"""The language of the current request, and plain-text answers written in it."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response, has_request_context, request

from dashboard.edge import LAYOUT_PATH
from geodata.i18n import describe
from viewmodel.urlstate import query_lang


def request_lang(default: str) -> str:
    """The page's language: ``?lang=`` of the page itself, or of the page that asks for the
    layout (its Referer), else ``default``. A language switch reloads the page, so every text,
    server-rendered or not, follows it."""
    if not has_request_context():
        return default
    if request.path.endswith(LAYOUT_PATH):  # the renderer's fetch: the page is the Referer
        lang = query_lang(urlsplit(request.referrer or "").query)
    else:
        lang = query_lang("?" + request.query_string.decode("latin-1"))
    return lang or default


def request_query() -> str:
    """The query string of the page being drawn (``?...``): of the request itself, or, for the
    renderer's fetch of the layout, of its Referer; "" outside a request."""
    if not has_request_context():
        return ""
    if request.path.endswith(LAYOUT_PATH):
        query = urlsplit(request.referrer or "").query
    else:
        query = request.query_string.decode("latin-1")
    return "?" + query if query else ""


def plain_response(
    key: str, status: int, default_lang: str, headers: dict | None = None, **params: object
) -> Response:
    """A ``text/plain`` answer: catalogue entry ``key`` in the request's language."""
    text = describe(key, request_lang(default_lang), params)
    return Response(text + "\n", status=status, mimetype="text/plain", headers=headers)
