"""Security headers, cross-site request refusal and error pages without tracebacks.

The Content-Security-Policy allows scripts from the app itself plus exactly the inline scripts
Dash renders (by their hashes, from ``app.csp_hashes()``): no ``'unsafe-inline'`` and no
``'unsafe-eval'`` for scripts. Styles need ``'unsafe-inline'`` because React and Leaflet set
``style`` attributes. Images may also come from the optional tile server.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException, InternalServerError

from dashboard.language import plain_response
from dashboard.settings import Settings

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Bodies a page of another site can post without asking first (no CORS preflight).
SIMPLE_BODIES = ("application/x-www-form-urlencoded", "multipart/form-data", "text/plain")
#: The header scripts add to a form-encoded write (a page of another site cannot set it).
CLIENT_HEADER = "X-Atlas-Client"

log = logging.getLogger("atlas.security")


def tile_origin(tile_url: str) -> str:
    """The CSP source of a tile URL template (``{s}`` subdomains become ``*``), or ""."""
    parts = urlsplit(tile_url.replace("{s}", "*"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(script_hashes: Iterable[str], *, tile_url: str = "") -> str:
    """The policy for the app's pages."""
    images = ["'self'", "data:", "blob:"]
    if tile_origin(tile_url):
        images.append(tile_origin(tile_url))
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": images,
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def _host_of(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return parts.netloc.lower()


def cross_site_reason(headers, host: str, mimetype: str) -> str:
    """Why a write with these request headers does not come from the atlas's own pages
    (``host``: the Host it was sent to), or "" when it does:

    - ``Sec-Fetch-Site`` says another site (modern browsers send it with every request);
    - ``Origin`` (sent by browsers with every cross-origin write, and every POST) names
      another host, or is "null" (a sandboxed frame, a redirect);
    - else ``Referer`` names another host;
    - a body another site could post without asking (form, multipart, text) with none of
      these: a browser old enough to send none, or a script, which says so with
      ``X-Atlas-Client``.
    """
    host = host.lower()
    site = headers.get("Sec-Fetch-Site", "")
    if site in ("cross-site", "same-site"):
        return f"Sec-Fetch-Site {site}"
    origin = headers.get("Origin")
    if origin is not None:
        return "" if _host_of(origin) == host else "Origin of another site"
    referer = headers.get("Referer")
    if referer:
        return "" if _host_of(referer) == host else "Referer of another site"
    if site in ("same-origin", "none"):
        return ""
    if mimetype in SIMPLE_BODIES and not headers.get(CLIENT_HEADER):
        return f"a form without Origin, Sec-Fetch-Site or {CLIENT_HEADER}"
    return ""


def install_security(
    server: Flask, settings: Settings, *, script_hashes: Callable[[], Iterable[str]] = tuple
) -> None:
    """Add the security headers to every response, refuse cross-site writes, and answer errors
    with a plain message (the exception goes to the server log).

    ``script_hashes`` returns the CSP sources of the inline scripts (Dash's ``app.csp_hashes``);
    it is called once, at the first request, when every inline script is known.
    """
    policy: list[str] = []

    def current_policy() -> str:
        if not policy:
            policy.append(content_security_policy(script_hashes(), tile_url=settings.tile_url))
        return policy[0]

    @server.before_request
    def _refuse_cross_site_writes():
        # Basic credentials go with every request the browser sends, even one started by another
        # site: a write must come from the atlas's own pages.
        if request.method not in UNSAFE_METHODS:
            return None
        reason = cross_site_reason(request.headers, request.host, request.mimetype)
        if reason:
            log.warning("refused a cross-site %s to %s (%s)", request.method, request.path,
                        reason)
            return plain_response("http.cross_site", 403, settings.lang)
        return None

    @server.after_request
    def _add_headers(response: Response) -> Response:
        headers = response.headers
        headers["Content-Security-Policy"] = current_policy()
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Referrer-Policy"] = "same-origin"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if request.is_secure:
            headers["Strict-Transport-Security"] = "max-age=31536000"
        if server.extensions.get("atlas_auth"):
            cache = headers.get("Cache-Control", "")
            if "public" in cache:  # data behind a login must not sit in shared caches
                headers["Cache-Control"] = cache.replace("public", "private")
            elif not cache:
                headers["Cache-Control"] = "no-store"
        return response

    @server.errorhandler(InternalServerError)
    def _internal_error(error: InternalServerError):
        # Flask has already logged the exception with its traceback.
        return plain_response("http.internal_error", 500, settings.lang)

    @server.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        return plain_response("http.error", error.code, settings.lang, code=error.code,
                              name=error.name)
