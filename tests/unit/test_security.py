"""Security headers, the Content-Security-Policy against the page Dash renders, error answers
without tracebacks, cross-site writes, and bad query strings."""

from __future__ import annotations

import base64
import hashlib
import logging
import re

import dash
import pytest
from dash import Input, Output, html
from flask import abort

from dashboard.app import create_app
from dashboard.security import content_security_policy, install_security, tile_origin
from dashboard.settings import DEMO_DATA_DIR, Settings
from tests.unit.serving import callback_payload, callback_spec

INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S)


@pytest.fixture(scope="module")
def app():
    return create_app(Settings.load(data_dir=DEMO_DATA_DIR, lang="fr"))


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


def _directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("url", [
    "/", "/_dash-layout", "/_dash-dependencies", "/healthz", "/assets/atlas.css",
    "/atlas-data/countries.topojson", "/admin/versions", "/no/such/page",
])
def test_security_headers_on_every_response(client, url):
    """CSP, nosniff, no framing and a same-origin referrer policy, on pages, data and errors."""
    headers = client.get(url).headers
    directives = _directives(headers["Content-Security-Policy"])
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_policy_allows_exactly_the_inline_scripts_dash_renders(client):
    """Every executable inline script of the page has its hash in script-src; no
    'unsafe-inline' or 'unsafe-eval' for scripts."""
    response = client.get("/")
    script_src = _directives(response.headers["Content-Security-Policy"])["script-src"]
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    page = re.sub(r"<!--.*?-->", "", response.data.decode(), flags=re.S)
    inline = [m["body"] for m in INLINE_SCRIPT.finditer(page)
              if "src=" not in m["attrs"] and "application/json" not in m["attrs"]]
    assert inline, "Dash renders at least the renderer's start script inline"
    hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
              + "'" for body in inline}
    assert hashes <= set(script_src)
    assert len(script_src) == 1 + len(hashes)  # 'self' and those hashes, nothing else


def test_policy_adds_the_tile_server_to_images_only():
    policy = _directives(content_security_policy([], tile_url="https://{s}.tiles.example/{z}/{x}/{y}.png"))
    assert policy["img-src"][-1] == "https://*.tiles.example"
    assert policy["connect-src"] == ["'self'"]
    assert tile_origin("javascript:alert(1)") == ""


def _boom():
    raise RuntimeError("secret detail")


def test_server_errors_are_plain_and_logged(caplog):
    """An exception in a route: a plain 500 without traceback or detail; the log has both."""
    app = create_app(Settings.load(data_dir=DEMO_DATA_DIR))
    app.server.add_url_rule("/test-boom", "test_boom", _boom)
    client = app.server.test_client()
    with caplog.at_level(logging.ERROR):
        response = client.get("/test-boom")
    assert response.status_code == 500
    assert response.mimetype == "text/plain"
    assert b"Traceback" not in response.data and b"secret detail" not in response.data
    assert "secret detail" in caplog.text and "Traceback" in caplog.text


def test_callback_errors_have_no_traceback(caplog):
    """A failing Dash callback (debug off): 500, plain message, error in the server log; other
    HTTP errors as plain text in the page language."""
    app = dash.Dash(__name__)
    app.layout = html.Div([html.Button(id="go"), html.Div(id="out")])

    @app.callback(Output("out", "children"), Input("go", "n_clicks"))
    def fail(n_clicks):
        raise ValueError(f"secret detail {n_clicks}")

    @app.server.route("/gone")
    def gone():
        abort(410)

    install_security(app.server, Settings.load(), script_hashes=app.csp_hashes)
    client = app.server.test_client()
    payload = {"output": "out.children", "outputs": {"id": "out", "property": "children"},
               "inputs": [{"id": "go", "property": "n_clicks", "value": 1}],
               "changedPropIds": ["go.n_clicks"], "state": []}
    with caplog.at_level(logging.ERROR):
        response = client.post("/_dash-update-component", json=payload)
    assert response.status_code == 500
    assert b"Traceback" not in response.data and b"secret detail" not in response.data
    assert response.data.decode().startswith("Erreur interne du serveur.")
    assert "secret detail 1" in caplog.text
    response = client.get("/gone?lang=en")
    assert response.status_code == 410
    assert response.data.decode() == "HTTP error 410 (Gone).\n"


def test_cross_site_writes_are_refused(client):
    """A POST that the browser marks as started by another site is refused."""
    response = client.post("/_dash-update-component", json={},
                           headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert client.get("/", headers={"Sec-Fetch-Site": "cross-site"}).status_code == 200


@pytest.mark.parametrize("search", [
    "?themes=nonexistent,<script>alert(1)</script>&years=2030-1900",
    "?country=ZZZZZZ&mode=<img src=x>&status=bogus&regions=nowhere",
    "?years=99999999999999999999-1&zoom=1e400&lat=nan&lon=-1e308&lang=xx",
    "?years=abc&metric=%00&layers=posts,posts,evil&beneficiaries=" + "x," * 5000,
    "?" + "&".join(f"k{i}=v" for i in range(2000)),
])
def test_bad_query_strings_give_a_sane_view(client, search):
    """Unknown ids dropped, years ordered and clamped, junk numbers ignored: a 200 answer."""
    spec = callback_spec(client, "filter-themes.value")
    response = client.post("/_dash-update-component", json=callback_payload(
        spec, {"url.search": search, "lang.data": "fr"}, "url.search"))
    assert response.status_code == 200
    outputs = response.get_json()["response"]
    assert outputs["filter-themes"]["value"] == []
    assert outputs["filter-mode"]["value"] in ("coverage", "programmes")
    first, last = outputs["filter-years"]["value"]
    assert first <= last
