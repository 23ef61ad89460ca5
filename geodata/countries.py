"""The country geometries shipped with the project (``build_countries`` says how they are
made)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import geopandas as gpd

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
