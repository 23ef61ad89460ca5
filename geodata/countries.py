"""The country geometries shipped with the project (``tools/build_countries.py`` says how they
are made): the GeoJSON the exports draw, and the browser's TopoJSON of the same shapes."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

COUNTRIES_FILE = Path(__file__).parent / "data" / "countries.geojson"
#: The browser's copy of the same shapes: a TopoJSON topology (shared borders stored once,
#: quantised), one geometry per country with its iso3 as ``id``.
TOPOLOGY_FILE = COUNTRIES_FILE.with_suffix(".topojson")
#: The topology's one object, and the properties each of its geometries carries.
TOPOLOGY_OBJECT = "countries"
TOPOLOGY_PROPERTIES = ("id", "name_fr", "name_en")


@lru_cache(maxsize=4)
def load_countries(path: Path = COUNTRIES_FILE) -> gpd.GeoDataFrame:
    """Load the country frame: id, iso3, name_fr, name_en, continent, region, subregion,
    label_lon, label_lat, small, geometry (EPSG:4326), indexed by nothing, sorted by id.

    The frame is cached; treat it as read-only.
    """
    frame = gpd.read_file(path)
    frame["small"] = frame["small"].astype(bool)
    return frame


@lru_cache(maxsize=4)
def load_topology(path: Path = TOPOLOGY_FILE) -> dict:
    """The browser's TopoJSON of the countries, as written by ``tools.build_countries``.

    The dict is cached; treat it as read-only.
    """
    return json.loads(path.read_text("utf-8"))


def topology_shapes(topology: dict) -> dict[str, shapely.Geometry]:
    """The shapes of a topology of :data:`TOPOLOGY_OBJECT` by id, decoded as the TopoJSON
    specification says (quantised, delta-encoded arcs; index ``~i`` reads arc ``i``
    backwards): what the browser draws, for the tests and the benchmark's bare page."""
    scale = np.array(topology["transform"]["scale"])
    translate = np.array(topology["transform"]["translate"])
    arcs = [np.cumsum(np.array(arc, dtype=float), axis=0) * scale + translate
            for arc in topology["arcs"]]

    def ring(indexes: list[int]) -> np.ndarray:
        parts = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in indexes]
        return np.concatenate([parts[0], *(part[1:] for part in parts[1:])])

    def polygon(rings: list[list[int]]) -> shapely.Polygon:
        return shapely.Polygon(ring(rings[0]), [ring(r) for r in rings[1:]])

    shapes = {}
    for geometry in topology["objects"][TOPOLOGY_OBJECT]["geometries"]:
        if geometry["type"] == "Polygon":
            shapes[geometry["id"]] = polygon(geometry["arcs"])
        else:
            shapes[geometry["id"]] = shapely.MultiPolygon(
                [polygon(rings) for rings in geometry["arcs"]])
    return shapes


def polygonal(geom):
    """Keep only the polygon parts (make_valid may add stray lines or points)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else geom
