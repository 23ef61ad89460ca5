"""Country polygons, coloured by coverage or by programmes (layers 1 and 2 share the shapes).

The shapes are sent once per page load, by URL (``GEOJSON_URL``), gzip-compressed; a filter
change only writes :func:`hideout`, which the client-side ``atlas.layers.countryStyle`` reads.
"""

from __future__ import annotations

import json

import dash_leaflet as dl
import geopandas as gpd

from geodata.build_countries import round_shapes
from geodata.i18n import describe, t
from geodata.network import Network
from layers import coverage, programmes
from layers._base import JS, country_properties, feature_collection

#: Decimals of the coordinates sent to the browser: 0.01 degree (about 1 km) is a tenth of the
#: 0.1 degree simplification tolerance, and 20 % lighter than the 3 decimals kept for exports.
BROWSER_DECIMALS = 2
LAYER_ID = "layer-countries"
GEOJSON_URL = "/atlas-data/countries.geojson"
MODES = ("coverage", "programmes")
METRICS = ("count", "budget")


def features(countries: gpd.GeoDataFrame, network: Network) -> dict:
    """The country FeatureCollection sent to the browser: geometry plus id, names, covering
    post and city, coverage state. Built once per data load."""
    props = country_properties(countries, network).to_dict("records")
    shapes = gpd.GeoSeries(round_shapes(countries.geometry.values, BROWSER_DECIMALS),
                           crs=countries.crs)
    geometries = json.loads(shapes.to_json())["features"]
    return feature_collection(
        [
            {"type": "Feature", "id": p["id"], "properties": p, "geometry": g["geometry"]}
            for p, g in zip(props, geometries, strict=True)
        ]
    )


def hideout(
    *,
    mode: str,
    metric: str,
    counts: dict[str, int],
    budgets: dict[str, float],
    selected: str | None,
    lang: str,
    selected_post: str | None = None,
) -> dict:
    """The per-view style inputs of the country layers (polygons and small-state markers).

    ``counts`` and ``budgets`` are the per-country figures for the current filters; the class
    breaks and colours come from :mod:`layers.programmes`, the coverage colours from
    :mod:`layers.coverage`. ``selected`` (an iso3) is outlined, and so is every country covered
    by ``selected_post`` (a post id).

    >>> h = hideout(mode="programmes", metric="count", counts={"MLI": 3}, budgets={},
    ...             selected="MLI", lang="en")
    >>> h["mode"], h["values"], h["selected"]
    ('programmes', {'MLI': 3}, 'MLI')
    """
    values = budgets if metric == "budget" else counts
    style = programmes.hideout(values) if mode == "programmes" else coverage.hideout()
    return {
        "mode": mode if mode in MODES else "coverage",
        "metric": metric if metric in METRICS else "count",
        "counts": counts,
        "values": {k: round(v) for k, v in values.items()},
        "selected": selected,
        "selected_post": selected_post,
        "lang": lang,
        "text": {k: t(f"tooltip.{k}", lang) for k in ("host_of", "covered_from", "not_covered")},
        # "1 programme ...", "7 programmes ...": the tooltip's line for each count on the map
        "programmes_text": {str(n): describe("tooltip.programmes", lang, {"n": n})
                            for n in sorted({0, *map(int, counts.values())})},
        **style,
    }


def component(hideout_value: dict, url: str = GEOJSON_URL) -> dl.GeoJSON:
    """The polygons layer, loading its shapes from ``url``."""
    return dl.GeoJSON(
        id=LAYER_ID,
        url=url,
        hideout=hideout_value,
        style=JS("countryStyle"),
        onEachFeature=JS("countryEachFeature"),
        eventHandlers={"mouseover": JS("highlightPost"), "mouseout": JS("unhighlightPost")},
        bubblingMouseEvents=False,
    )
