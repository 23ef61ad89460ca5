"""What the app serves for one data load, computed once: the network, the countries, the static
GeoJSON of every layer (countries gzip-compressed, ready to send) and lookup tables."""

from __future__ import annotations

import gzip
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import geopandas as gpd

from geodata.filters import FilterIndex
from geodata.network import Network
from geodata.regions import RegionSets, region_sets
from layers import LAYERS
from viewmodel.filters import FILTERS


class Memo:
    """Values derived from one data load, each built once on first use (thread-safe: a value
    is built by one thread while the others asking for it wait)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[Hashable, Any] = {}
        self._building: dict[Hashable, threading.Lock] = {}

    def _kept(self, key: Hashable) -> tuple[bool, Any]:
        """(True, the value) when ``key`` is kept, else (False, None); under ``_lock``."""
        if key in self._values:
            return True, self._values[key]
        return False, None

    def _keep(self, key: Hashable, value: Any) -> None:
        """Keep ``value`` for ``key``; under ``_lock``."""
        self._values[key] = value

    def find(self, key: Hashable) -> tuple[bool, Any]:
        """(True, the value) when ``key`` is kept, else (False, None); nothing is built."""
        with self._lock:
            return self._kept(key)

    def keep(self, key: Hashable, value: Any) -> None:
        """Keep ``value`` for ``key``, made elsewhere (an answer sent)."""
        with self._lock:
            self._keep(key, value)

    def get(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """The value of ``key``, built with ``build()`` when it is not kept."""
        with self._lock:
            found, value = self._kept(key)
            if found:
                return value
            key_lock = self._building.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                found, value = self._kept(key)
            if found:
                return value
            try:
                value = build()
                with self._lock:
                    self._keep(key, value)
            finally:
                with self._lock:
                    self._building.pop(key, None)
            return value


class Bounded(Memo):
    """A :class:`Memo` keeping only the ``size`` values used last, for values derived per
    request parameter (the network on each as-of date) that must not grow without bound; it
    lives in a load's :class:`Memo` and goes away with it. Requests asking for the same new
    date at once wait for one build."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size
        self._values: OrderedDict[Hashable, Any] = OrderedDict()

    def _kept(self, key: Hashable) -> tuple[bool, Any]:
        if key in self._values:
            self._values.move_to_end(key)
            return True, self._values[key]
        return False, None

    def _keep(self, key: Hashable, value: Any) -> None:
        self._values[key] = value
        self._values.move_to_end(key)
        while len(self._values) > self.size:
            self._values.popitem(last=False)

    def __len__(self) -> int:
        return len(self._values)


@dataclass(frozen=True)
class AtlasData:
    """Immutable bundle of one data load; a reload builds a new one and swaps it in one step."""

    network: Network
    countries: gpd.GeoDataFrame
    #: The region sets (the data's ``regions`` table, else the continents).
    regions: RegionSets
    names: dict[str, tuple[str, str]]
    geojson_gzip: dict[str, bytes]  # layer file name -> gzip-compressed GeoJSON
    version: str
    features: dict[str, dict]  # layer file name -> its GeoJSON (what the exports draw)
    year_bounds: tuple[int, int]
    #: The numpy codes the filters run on, owned by this load (shared by the threads).
    filter_index: FilterIndex
    #: Values derived from this load on first use (the search choices of each language, the
    #: country shapes projected for exports); they go away with the load.
    memo: Memo = field(default_factory=Memo, compare=False, repr=False)
    #: The day this bundle's network is dated on (:func:`viewmodel.asof.dated`), None for the
    #: load as recorded.
    as_of: date | None = None
    #: Where the changes mode finds its baselines when no other source is given (an export
    #: of the changes: ``dataversions.baselines.Baselines``); None: none.
    baselines: Any = field(default=None, compare=False, repr=False)
    #: The programmes classes to draw with instead of each view's own (``(lows, highs)``):
    #: a playback's frames share the classes computed over all of them.
    class_breaks: tuple | None = field(default=None, compare=False, repr=False)
    #: The countries (ISO3) a scoped user may see (:mod:`viewmodel.access`): the network
    #: holds nothing else, the others are drawn out of scope. None: unscoped.
    scope: frozenset[str] | None = None
    #: Who is exporting this data and when (:class:`exports.trace.ExportTrace`), set by an
    #: export's entry point; every exported page and file names them. None: no trace.
    export_trace: Any = field(default=None, compare=False, repr=False)

    @property
    def posts(self) -> dict:
        """The posts' GeoJSON (markers with their radius)."""
        return self.features["posts"]

    @property
    def links(self) -> dict:
        """The links' GeoJSON."""
        return self.features["links"]

    @property
    def small_states(self) -> dict:
        """The small-state markers' GeoJSON."""
        return self.features["small-states"]

    @property
    def labels(self) -> dict:
        """The country names' GeoJSON (label points, names, size rank)."""
        return self.features["labels"]

    @property
    def countries_geojson_gzip(self) -> bytes:
        """The country shapes, gzip-compressed."""
        return self.geojson_gzip["countries"]

    @property
    def countries_url(self) -> str:
        """URL of the country shapes, versioned so browsers may cache it for good."""
        return self.geojson_url("countries")

    def geojson_url(self, name: str) -> str:
        """URL of a layer's file (``GEOJSON_FILES``: ``.geojson``, or ``.topojson`` for the
        country shapes, :data:`FILE_TYPES`), versioned by the data load."""
        return f"{GEOJSON_ROOT}/{name}.{FILE_TYPES[name]}?v={self.version}"

    def name(self, iso3: str, lang: str) -> str:
        """A country's name in ``lang``."""
        fr, en = self.names.get(iso3, (iso3, iso3))
        return en if lang == "en" else fr


GEOJSON_ROOT = "/atlas-data"
#: The static GeoJSON of each map layer, served by URL once per data load (never inside the
#: layout or a callback): the shapes, and the overlays, which would otherwise make the layout
#: three times larger and slow the first draw.
GEOJSON_FILES = tuple(layer.FILE for layer in LAYERS)
#: The kind of each layer's file, its URL's extension: a layer declares ``FILE_TYPE =
#: "topojson"`` when its ``features`` give a TopoJSON topology (the country shapes).
FILE_TYPES = {layer.FILE: getattr(layer, "FILE_TYPE", "geojson") for layer in LAYERS}
DEFAULT_YEARS = (2018, 2027)
#: The coverage state (``cov``) of a country outside the user's scope.
OUT_OF_SCOPE = "out"


def programme_years(network: Network) -> tuple[int, int]:
    """The first start year and the last end (or start) year of the programmes."""
    programmes = network.programmes
    if programmes.empty:
        return DEFAULT_YEARS
    first = int(programmes["start_date"].dt.year.min())
    last = max(programmes["start_date"].dt.year.max(), programmes["end_date"].dt.year.max())
    return (first, int(last))


def build_atlas_data(network: Network, countries: gpd.GeoDataFrame,
                     scope: frozenset[str] | None = None, *, served: bool = True) -> AtlasData:
    """Precompute everything static for ``network`` on ``countries`` (``scope``: the
    countries a scoped user may see, the network already cut to them; the others' shapes
    say ``cov: "out"``). ``served=False`` (an export job, which serves no layer file) leaves
    ``geojson_gzip`` empty: compressing the files is 0.2 s of each job otherwise."""
    names = {
        iso3: (fr, en)
        for iso3, fr, en in zip(countries["iso3"], countries["name_fr"], countries["name_en"],
                                strict=True)
    }
    files = {layer.FILE: layer.features(countries, network) for layer in LAYERS}
    if scope is not None:  # the country layers' tooltips say "out of scope"
        for file in files.values():
            for feature in _items(file):
                if "cov" in feature["properties"] and feature["id"] not in scope:
                    feature["properties"]["cov"] = OUT_OF_SCOPE
    encoded = {name: json.dumps(files[name], ensure_ascii=False, separators=(",", ":"))
               .encode("utf-8") for name in GEOJSON_FILES}
    return AtlasData(
        network=network,
        countries=countries,
        regions=region_sets(countries, network.regions),
        names=names,
        geojson_gzip={name: gzip.compress(text, compresslevel=9, mtime=0)
                      for name, text in encoded.items()} if served else {},
        version=hashlib.sha256(b"\0".join(encoded.values())).hexdigest()[:12],
        features={name: files[name] for name in GEOJSON_FILES if name != "countries"},
        year_bounds=programme_years(network),
        filter_index=prepared_index(network),
        scope=scope,
    )


def _items(file: dict) -> list[dict]:
    """The features of a GeoJSON collection, or the geometries of a TopoJSON topology's
    objects (each with its id and properties)."""
    if "features" in file:
        return file["features"]
    return [geometry for collection in file.get("objects", {}).values()
            for geometry in collection.get("geometries", ())]


def prepared_index(network: Network, source: FilterIndex | None = None,
                   changed: tuple[str, ...] = ()) -> FilterIndex:
    """The filter index with the columns of every declared filter built now, so that the
    first filter change of a worker costs no more than the next. ``source``: the index of
    the same programmes, whose columns but ``changed`` are taken rather than built again."""
    index = FilterIndex(network, programmes_of=source)
    if source is not None:
        index.share_columns(source, changed)
    for spec in FILTERS:
        if spec.match in ("in", "any"):
            index.column(spec.column)
    return index
