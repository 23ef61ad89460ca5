"""The country geometries shipped with the project (``tools/build_countries.py`` says how they
are made): the GeoJSON the exports draw, and the browser's TopoJSON of the same shapes."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
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


def polygonal(geom):
    """Keep only the polygon parts (make_valid may add stray lines or points)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else geom
