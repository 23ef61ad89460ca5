"""Network links: a line from each post to every country it covers regionally (to the
country's label point)."""

from __future__ import annotations

import geopandas as gpd

from geodata.i18n import t
from geodata.network import Network
from layers import palette
from layers._base import (
    PT_PER_PX,
    Legend,
    LegendEntry,
    closed_posts,
    feature_collection,
    geojson_component,
)

LAYER_ID = "layer-links"
FILE = "links"
TOGGLE = "links"
FOLLOWS_FILTERS = False  # its hideout follows the display (toggles, mode, language, regions)
STYLE = {"weight_px": 1.2, "opacity": 0.7, "dash_px": (4, 3), "dimmed_opacity": 0.12}


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


def hideout(data, view, figures=None) -> dict:
    """Visibility, the line's style, and the countries outside the chosen regions (their
    lines dimmed on screen, left out of exports)."""
    regions = tuple(sorted(set(view.filters.regions)))
    outside = list(data.memo.get(("links-outside", regions),
                                 lambda: _outside(data, regions))) if regions else []
    return {"show": TOGGLE in view.layers, "color": palette.LINK, "outside": outside,
            "dimmed_opacity": STYLE["dimmed_opacity"],
            "weight_px": STYLE["weight_px"], "opacity": STYLE["opacity"],
            "dash": " ".join(str(n) for n in STYLE["dash_px"]), "hidden": closed_posts(data)}


def _outside(data, regions: tuple[str, ...]) -> tuple[str, ...]:
    """The covered countries outside ``regions`` that a line leads to."""
    linked = {feature["properties"]["country"] for feature in data.links["features"]}
    return tuple(sorted(linked - data.regions.countries_of(regions)))


def legend(hideout_value: dict, view) -> Legend | None:
    """The links' legend row, when they are shown."""
    if not hideout_value["show"]:
        return None
    return Legend(title="", entries=(LegendEntry(color=hideout_value["color"],
                                                 label=t("legend.link", view.lang),
                                                 shape="line"),))


def component(url: str, hideout_value: dict):
    """The links layer (thin dashed lines, not interactive)."""
    return geojson_component(LAYER_ID, url, hideout_value, style="linkStyle",
                             filter="layerVisible", interactive=False)


def draw(canvas, hideout_value: dict) -> None:
    """The lines on an export's map (great-circle-like in Equal Earth, straight in Mercator),
    projected once per data load and projection."""
    from matplotlib.collections import LineCollection

    if not hideout_value["show"]:
        return
    hidden = set(hideout_value.get("hidden", ()))
    outside = set(hideout_value.get("outside", ()))
    lines = canvas.projected("links", lambda: [canvas.line(*feature["geometry"]["coordinates"])
                                               for feature in canvas.data.links["features"]])
    segments = [line for feature, line in zip(canvas.data.links["features"], lines, strict=True)
                if feature["properties"]["post"] not in hidden
                and feature["properties"]["country"] not in outside]
    canvas.ax.add_collection(LineCollection(
        segments, colors=hideout_value["color"], linewidths=STYLE["weight_px"] * PT_PER_PX,
        alpha=hideout_value["opacity"], linestyles=[(0, STYLE["dash_px"])], zorder=3,
        capstyle="butt",
    ))
