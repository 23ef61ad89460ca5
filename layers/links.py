"""Network links: a line from each post to every country it covers regionally (to the
country's label point)."""

from __future__ import annotations

import dash_leaflet as dl
import geopandas as gpd

from geodata.i18n import t
from geodata.network import Network
from layers import palette
from layers._base import JS, Legend, LegendEntry, feature_collection

LAYER_ID = "layer-links"


def features(countries: gpd.GeoDataFrame, network: Network) -> dict:
    """One LineString per regional coverage row, from the post to the country's label point."""
    regional = network.coverage[network.coverage["role"] == "regional"]
    labels = countries.set_index("iso3")[["label_lon", "label_lat"]]
    posts = network.posts.set_index("post_id")[["lon", "lat"]]
    rows = regional.join(posts, on="post_id").join(labels, on="country_iso3")
    return feature_collection(
        [
            {
                "type": "Feature",
                "id": f"{r.post_id}>{r.country_iso3}",
                "properties": {"post": r.post_id, "country": r.country_iso3},
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[float(r.lon), float(r.lat)],
                                    [float(r.label_lon), float(r.label_lat)]],
                },
            }
            for r in rows.itertuples(index=False)
        ]
    )


def hideout(*, show: bool) -> dict:
    """Visibility and line colour."""
    return {"show": bool(show), "color": palette.LINK}


def component(url: str, hideout_value: dict) -> dl.GeoJSON:
    """The links layer (thin dashed lines, not interactive)."""
    return dl.GeoJSON(
        id=LAYER_ID,
        url=url,
        hideout=hideout_value,
        style=JS("linkStyle"),
        filter=JS("layerVisible"),
        interactive=False,
    )


def legend(lang: str) -> Legend:
    """The links' legend row."""
    return Legend(title="", entries=(LegendEntry(color=palette.LINK, label=t("legend.link", lang),
                                                 shape="line"),))
