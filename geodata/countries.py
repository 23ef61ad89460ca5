"""The country geometries shipped with the project (``tools/build_countries.py`` says how they
are made), and the rounding of their coordinates shared by that build and the map layer."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

COUNTRIES_FILE = Path(__file__).parent / "data" / "countries.geojson"


@lru_cache(maxsize=4)
def load_countries(path: Path = COUNTRIES_FILE) -> gpd.GeoDataFrame:
    """Load the country frame: id, iso3, name_fr, name_en, continent, region, subregion,
    label_lon, label_lat, small, geometry (EPSG:4326), indexed by nothing, sorted by id.

    The frame is cached; treat it as read-only.
    """
    frame = gpd.read_file(path)
    frame["small"] = frame["small"].astype(bool)
    return frame


def round_shapes(geoms: np.ndarray, decimals: int) -> np.ndarray:
    """Polygons snapped to a grid of ``decimals`` decimal places, kept valid (GEOS
    ``set_precision``) and written with the shortest decimals; a shape that would vanish (a
    tiny island) keeps its given form. Neighbours snap their shared vertices alike, so shared
    borders stay shared."""
    geoms = np.asarray(geoms)
    snapped = shapely.set_precision(geoms, 10.0 ** -decimals)
    rounded = shapely.transform(snapped, lambda xy: np.round(xy, decimals))
    rounded = np.array([polygonal(g) for g in rounded], dtype=object)
    return np.where(shapely.is_empty(rounded), geoms, rounded)


def polygonal(geom):
    """Keep only the polygon parts (make_valid may add stray lines or points)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else geom
