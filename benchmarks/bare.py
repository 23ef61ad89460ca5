"""The reference for the first draw: a bare Dash page with one dash-leaflet GeoJSON of the
same country shapes the atlas draws, and nothing else.

The shapes are the atlas's topology decoded on the server into plain GeoJSON (coordinates at
2 decimals, about the topology's grid), served by URL the way dash-leaflet loads a
GeoJSON (gzip-compressed, versioned, cached for good), with Flask-Compress and gunicorn like
the atlas; each path carries the ``atlas-country`` class the benchmark's probe counts::

    gunicorn -w 2 'benchmarks.bare:wsgi_server()'

It is also the reference for a filter change as felt: ``filter_wsgi_server()`` serves the same
page with radio items whose server callback returns only the layer's new ``hideout``.
"""

from __future__ import annotations

import gzip
import hashlib
import json

import dash
import dash_leaflet as dl
import numpy as np
import shapely
from flask import Response, request
from flask_compress import Compress

from geodata.countries import load_topology, topology_shapes
from layers import palette

SHAPES_PATH = "/bare-data/countries.geojson"
DECIMALS = 2


def shapes_geojson(topology: dict | None = None) -> dict:
    """The topology's countries as a GeoJSON FeatureCollection (id and ``id`` property)."""
    shapes = topology_shapes(topology or load_topology())
    features = []
    for iso3, shape in shapes.items():
        rounded = shapely.transform(shape, lambda xy: np.round(xy, DECIMALS))
        features.append({"type": "Feature", "id": iso3, "properties": {"id": iso3},
                         "geometry": shapely.geometry.mapping(rounded)})
    return {"type": "FeatureCollection", "features": features}


def create_bare_app() -> dash.Dash:
    """The bare page: a full-window map with one GeoJSON layer loading its shapes by URL."""
    body = json.dumps(shapes_geojson(), separators=(",", ":")).encode("utf-8")
    wire = gzip.compress(body, compresslevel=9, mtime=0)
    version = hashlib.sha256(body).hexdigest()[:12]
    app = dash.Dash(__name__, serve_locally=True, update_title=None, title="Bare map")
    app.server.config["COMPRESS_MIMETYPES"] = ["text/html", "text/css", "application/javascript",
                                               "text/javascript", "application/json"]
    Compress(app.server)

    def serve_shapes() -> Response:
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            response = Response(wire, mimetype="application/geo+json")
            response.headers["Content-Encoding"] = "gzip"
        else:
            response = Response(body, mimetype="application/geo+json")
        response.headers["Vary"] = "Accept-Encoding"
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response

    app.server.add_url_rule(SHAPES_PATH, "bare_shapes", serve_shapes)
    style = {"className": "atlas-country", "color": palette.BORDER, "weight": 0.6,
             "fillColor": palette.NONE, "fillOpacity": 1}
    app.layout = dl.Map(
        [dl.GeoJSON(id="bare-countries", url=f"{SHAPES_PATH}?v={version}", style=style)],
        center=[20, 0], zoom=2, style={"height": "100vh"},
        attributionControl=False,
    )
    return app


def wsgi_server():
    """Gunicorn factory: ``gunicorn 'benchmarks.bare:wsgi_server()'``."""
    return create_bare_app().server


#: The bare page's filter: two values, each a hideout of its own (the fills change everywhere).
FILTER_ID = "bare-mode"
FILTER_VALUES = ("a", "b")
FILL_COLORS = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"]
# The style function, inline (the bare page has no assets folder): the atlas's rule, a class
# per country in the hideout, its colour from the hideout's list.
STYLE_SCRIPT = """<script>
window.bare = {style: function (feature, context) {
  var h = context.hideout || {}, index = (h.classes || {})[feature.id];
  return {className: 'atlas-country', color: 'BORDER', weight: 0.6, fillOpacity: 1,
          fillColor: index === undefined ? 'NONE' : h.fill_colors[index]};
}};
</script>""".replace("BORDER", palette.BORDER).replace("NONE", palette.NONE)


def bare_hideout(value: str, ids: list[str]) -> dict:
    """The hideout for ``value``: every country a class, shifted by the value."""
    shift = FILTER_VALUES.index(value) * 2
    return {"classes": {iso3: (i + shift) % len(FILL_COLORS) for i, iso3 in enumerate(ids)},
            "fill_colors": FILL_COLORS}


def create_bare_filter_app() -> dash.Dash:
    """The bare page with a filter: radio items whose server callback returns only the
    layer's new ``hideout`` (the reference of a filter change as felt)."""
    from dash import Input, Output, dcc

    app = create_bare_app()
    country_ids = [feature["id"] for feature in shapes_geojson()["features"]]
    layer = app.layout.children[0]
    layer.style = {"variable": "bare.style"}
    layer.hideout = bare_hideout(FILTER_VALUES[0], country_ids)
    app.layout = dash.html.Div([
        dcc.RadioItems(id=FILTER_ID, value=FILTER_VALUES[0], options=list(FILTER_VALUES),
                       inline=True),
        app.layout,
    ])
    app.index_string = app.index_string.replace("{%scripts%}", STYLE_SCRIPT + "{%scripts%}")

    @app.callback(Output(layer.id, "hideout"), Input(FILTER_ID, "value"),
                  prevent_initial_call=True)
    def refill(value):
        return bare_hideout(value if value in FILTER_VALUES else FILTER_VALUES[0], country_ids)

    # As the atlas does: Dash finishes its setup on the first request, and two first requests
    # on threaded workers race (a 500 for a script bundle, a page that never draws).
    app._setup_server()
    return app


def filter_wsgi_server():
    """Gunicorn factory of the page with a filter: ``'benchmarks.bare:filter_wsgi_server()'``."""
    return create_bare_filter_app().server
