"""Small states: a clickable marker at the label point of every country too small to see or
click at world zoom, styled by the same function as the polygons."""

from __future__ import annotations

import dash_leaflet as dl
import geopandas as gpd

from geodata.network import Network
from layers._base import JS, country_properties, feature_collection

LAYER_ID = "layer-small-states"


def features(countries: gpd.GeoDataFrame, network: Network) -> dict:
    """Point features at the label points of the countries flagged ``small``."""
    small = countries[countries["small"].to_numpy()]
    props = country_properties(small, network).to_dict("records")
    return feature_collection(
        [
            {
                "type": "Feature",
                "id": p["id"],
                "properties": p,
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
            }
            for p, lon, lat in zip(props, small["label_lon"], small["label_lat"], strict=True)
        ]
    )


def component(url: str, hideout_value: dict) -> dl.GeoJSON:
    """The small-state markers; ``hideout_value`` is the countries layer's hideout."""
    return dl.GeoJSON(
        id=LAYER_ID,
        url=url,
        hideout=hideout_value,
        style=JS("countryStyle"),
        pointToLayer=JS("smallStateMarker"),
        onEachFeature=JS("countryEachFeature"),
        bubblingMouseEvents=False,
    )
