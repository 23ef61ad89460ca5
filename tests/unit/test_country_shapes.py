"""The browser's copy of the country shapes (``geodata/data/countries.topojson``): every
country with its properties, under the wire budget, and the same shapes as the geometry table
the exports draw."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import shapely

from geodata.countries import (
    TOPOLOGY_FILE,
    TOPOLOGY_OBJECT,
    TOPOLOGY_PROPERTIES,
    load_countries,
    load_topology,
    topology_shapes,
)
from geodata.loading import DEMO_DIR, load_network
from layers import countries as countries_layer
from viewmodel.data import build_atlas_data

REPO = Path(__file__).resolve().parents[2]
#: The issue's budget for the shapes on the wire (gzip), with the data's properties added
#: (150 KB, as the benchmark counts: 1 KB = 1,000 bytes).
WIRE_BUDGET = 150_000


@pytest.fixture(scope="module")
def countries():
    return load_countries()


def test_every_country_is_in_the_shapes_file_with_its_properties(countries):
    """One geometry per country of the geometry table, its iso3 as id, its names as
    properties, and a polygon each (none lost to the quantisation)."""
    geometries = load_topology()["objects"][TOPOLOGY_OBJECT]["geometries"]
    table = countries.set_index("iso3")
    assert sorted(g["id"] for g in geometries) == sorted(table.index)
    for geometry in geometries:
        assert set(geometry["properties"]) == set(TOPOLOGY_PROPERTIES)
        assert geometry["properties"]["id"] == geometry["id"]
        assert geometry["properties"]["name_fr"] == table.loc[geometry["id"], "name_fr"]
        assert geometry["properties"]["name_en"] == table.loc[geometry["id"], "name_en"]
        assert geometry["type"] in ("Polygon", "MultiPolygon") and geometry["arcs"]


def test_shapes_decode_to_the_geometry_tables_countries(countries):
    """Decoded, the topology gives back every country of the table at its place: each shape
    lies within the table's extent, a country larger than a square degree keeps its area,
    and only islets smaller than the grid are left out (today about 6 % of the parts, fewer
    than the 2-decimal GeoJSON the page loaded before)."""
    shapes = topology_shapes(load_topology())
    table = dict(zip(countries["iso3"], countries.geometry, strict=True))
    assert set(shapes) == set(table)
    grid = max(load_topology()["transform"]["scale"])
    for iso3, shape in shapes.items():
        source = table[iso3]
        west, south, east, north = source.bounds
        assert shapely.box(west, south, east, north).buffer(2 * grid).contains(shape), iso3
        if source.area > 1:  # large enough for the grid not to matter
            assert shape.area == pytest.approx(source.area, rel=0.03), iso3
            assert shapely.area(shapely.intersection(shape.buffer(0), source)) > (
                0.95 * source.area), iso3
    parts = shapely.get_num_geometries
    assert sum(parts(s) for s in shapes.values()) > 0.9 * sum(parts(s) for s in table.values())


def test_shared_borders_are_stored_once():
    """France and Spain's border is one arc that both shapes use (one forwards, one
    backwards), as for every pair of neighbours."""
    topology = load_topology()
    used = {}
    for geometry in topology["objects"][TOPOLOGY_OBJECT]["geometries"]:
        rings = geometry["arcs"] if geometry["type"] == "Polygon" else [
            ring for polygon in geometry["arcs"] for ring in polygon]
        used[geometry["id"]] = {i if i >= 0 else ~i for ring in rings for i in ring}
    assert used["FRA"] & used["ESP"]
    shared = sum(1 for i in range(len(topology["arcs"]))
                 if sum(i in arcs for arcs in used.values()) == 2)
    assert shared > 300


def test_served_shapes_are_under_the_wire_budget(countries):
    """With the data's properties (covering post, city, coverage), the shapes a page loads are
    under 150 KB gzip-compressed, as the server sends them, and name every country."""
    data = build_atlas_data(load_network(DEMO_DIR, countries), countries)
    wire = data.geojson_gzip[countries_layer.FILE]
    assert len(wire) < WIRE_BUDGET
    served = json.loads(gzip.decompress(wire))
    geometries = served["objects"][TOPOLOGY_OBJECT]["geometries"]
    assert len(geometries) == len(countries)
    by_id = {g["id"]: g["properties"] for g in geometries}
    assert by_id["MLI"]["cov"] in ("host", "regional") and by_id["MLI"]["post"]
    assert served["arcs"] == load_topology()["arcs"]


def test_shapes_file_lacking_a_country_is_refused(countries):
    """A topology without one of the table's countries is a clear error naming it."""
    topology = load_topology()
    objects = topology["objects"][TOPOLOGY_OBJECT]
    partial = {**topology, "objects": {TOPOLOGY_OBJECT: {
        **objects, "geometries": [g for g in objects["geometries"] if g["id"] != "MLI"]}}}
    network = load_network(DEMO_DIR, countries)
    with pytest.raises(ValueError, match="MLI"):
        countries_layer.features(countries, network, topology=partial)


def test_vendored_decoder_is_the_locked_package():
    """``assets/vendor/topojson-client`` holds the file of the version package-lock.json
    pins (npm ci installs it for the tests)."""
    lock = json.loads((REPO / "package-lock.json").read_text())
    version = lock["packages"]["node_modules/topojson-client"]["version"]
    vendored = REPO / "assets" / "vendor" / "topojson-client" / "topojson-client.min.js"
    installed = REPO / "node_modules" / "topojson-client"
    assert json.loads((installed / "package.json").read_text())["version"] == version
    assert vendored.read_bytes() == (installed / "dist" / "topojson-client.min.js").read_bytes()
    assert f"v{version}" in vendored.read_text().splitlines()[0]
    assert TOPOLOGY_FILE.exists()
