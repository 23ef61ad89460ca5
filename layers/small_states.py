"""Small states: a clickable marker at the label point of every country too small to see or
click at world zoom, filled and outlined from the countries layer's hideout."""

from __future__ import annotations

import geopandas as gpd

from geodata.network import Network
from layers import countries as countries_layer
from layers._base import PT_PER_PX, country_properties, feature_collection, geojson_component

LAYER_ID = "layer-small-states"
FILE = "small-states"
TOGGLE = None  # always drawn
FOLLOWS_FILTERS = True  # its hideout changes with the filters
LIVE_KEYS = countries_layer.LIVE_KEYS  # restyled in place, as the countries
STYLE = {"radius_px": 5.0, "edge_px": 1.0}
#: The same style values as the country polygons.
hideout = countries_layer.hideout


def features(countries: gpd.GeoDataFrame, network: Network) -> dict:
    """Point features at the label points of the countries flagged ``small``."""
    small = countries[countries["small"].to_numpy()]
    props = country_properties(small, network).to_dict("records")
    return feature_collection(
        [
            {
                "type": "Feature",
                "id": p["id"],
                "properties": {**p, "radius": STYLE["radius_px"]},
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
            }
            for p, lon, lat in zip(props, small["label_lon"], small["label_lat"], strict=True)
        ]
    )


def legend(hideout_value: dict, view) -> None:
    """No legend of its own: the markers take the countries' colours."""
    return None


def component(url: str, hideout_value: dict):
    """The small-state markers; ``hideout_value`` is the countries layer's hideout."""
    return geojson_component(LAYER_ID, url, hideout_value, style="countryStyle",
                             pointToLayer="smallStateMarker",
                             onEachFeature="countryEachFeature", bubblingMouseEvents=False)


def draw(canvas, hideout_value: dict) -> None:
    """The markers on an export's map, at the countries' label points."""
    shapes = canvas.shapes
    small = shapes.small
    if not small.any():
        return
    iso3s = canvas.data.countries["iso3"].to_numpy()[small]
    outlined = set(hideout_value["outlined"])
    canvas.ax.scatter(
        shapes.label_xy[small, 0], shapes.label_xy[small, 1],
        s=(2 * STYLE["radius_px"] * PT_PER_PX) ** 2,
        c=[countries_layer.fill_of(hideout_value, i) for i in iso3s],
        edgecolors=[hideout_value["outline"] if i in outlined else hideout_value["border"]
                    for i in iso3s],
        linewidths=STYLE["edge_px"] * PT_PER_PX, zorder=4)
