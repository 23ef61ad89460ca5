"""Pieces shared by the layer modules: the client-side function namespace, legends, GeoJSON
helpers and the conversion of screen pixels to export points."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from geodata.filters import coverage_table
from geodata.network import Network

#: The client-side functions of ``assets/atlas.js`` (``window.atlas.layers``).
JS_NAMESPACE = ("atlas", "layers")
#: One export point per screen pixel: a slide at 16:9 is about half the size of a screen map,
#: so this keeps every size in proportion.
PT_PER_PX = 0.5


def js(function: str):
    """A reference to client-side function ``function`` (imported here, not at module level,
    so that the exports and the CLI never load Dash)."""
    from dash_extensions.javascript import Namespace

    return Namespace(*JS_NAMESPACE)(function)


#: A layer's ``LIVE_KEYS`` when the page applies its whole hideout to the layer as drawn.
EVERY_KEY = ("*",)

#: The dash-leaflet GeoJSON options that name a client-side function of ``atlas.layers``.
JS_OPTIONS = ("style", "pointToLayer", "filter", "onEachFeature")


def geojson_component(layer_id: str, url: str | None, hideout_value: dict, *, events=None,
                      **options):
    """A layer's ``dl.GeoJSON`` loading its features from ``url`` (None: its ``data`` is set
    by a callback): options in
    :data:`JS_OPTIONS` (and the ``events`` handlers) name client-side functions, the others
    are passed as they are. dash-leaflet is imported here only."""
    import dash_leaflet as dl

    for name in JS_OPTIONS:
        if name in options:
            options[name] = js(options[name])
    if events:
        options["eventHandlers"] = {event: js(function) for event, function in events.items()}
    if url is not None:
        options["url"] = url
    return dl.GeoJSON(id=layer_id, hideout=hideout_value, **options)


@dataclass(frozen=True)
class LegendEntry:
    """One legend row: a swatch (fill colour, optional outline) and its text."""

    color: str
    label: str
    shape: str = "square"  # square | circle | line
    outline: str = ""
    size: float = 0.0  # a circle's radius in screen pixels (a size key); 0: the default


@dataclass(frozen=True)
class Legend:
    """A legend block: a title and its rows, in display order."""

    title: str
    entries: tuple[LegendEntry, ...]
    inline: bool = False  # rows side by side on screen (a size key), to keep the legend short


@dataclass(frozen=True)
class Figures:
    """The filter results every layer's hideout may use, computed once per view: programme
    count and budget per country (iso3) for the current filters."""

    counts: dict[str, int]
    budgets: dict[str, float]
    #: The changes mode: each changed country's category (layers.changes.CATEGORIES), and
    #: the legend's title ("Changements depuis ...").
    changes: dict[str, str] = field(default_factory=dict)
    changes_title: str = ""


def feature_collection(features: list[dict]) -> dict:
    """Wrap features in a GeoJSON FeatureCollection."""
    return {"type": "FeatureCollection", "features": features}


def country_properties(countries: gpd.GeoDataFrame, network: Network) -> pd.DataFrame:
    """Per country: id (iso3), French/English names, covering post id and its city (French
    and English), and coverage state (``host``, ``regional`` or ``""``). Static for a data
    load."""
    coverage = coverage_table(network)
    posts = network.posts.set_index("post_id")
    frame = pd.DataFrame(
        {
            "id": countries["iso3"].to_numpy(),
            "name_fr": countries["name_fr"].to_numpy(),
            "name_en": countries["name_en"].to_numpy(),
        }
    )
    post = frame["id"].map(coverage["post_id"]).astype(object).fillna("")
    frame["post"] = post
    frame["city"] = post.map(posts["city"]).astype(object).fillna("")
    # The English name only where it differs: every byte here is in the geometry file.
    city_en = post.map(posts["city_en"]).astype(object).fillna("")
    frame["city_en"] = city_en.where(city_en != frame["city"], "")
    frame["cov"] = frame["id"].map(coverage["status"]).astype(object).fillna("")
    return frame


def closed_posts(data) -> list[str]:
    """The posts of the layer files that the network shown does not hold (opened after its
    as-of date, :mod:`geodata.asof`): the posts and links layers hide them."""
    def build() -> list[str]:
        shown = set(data.network.posts["post_id"])
        return sorted(feature["id"] for feature in data.posts["features"]
                      if feature["id"] not in shown)
    return data.memo.get("closed_posts", build)
