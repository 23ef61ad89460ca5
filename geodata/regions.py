"""Region sets: the named groups of countries the region filter, the URL's ``regions`` key,
scopes and briefing packs use.

A data set may define them in its optional ``regions`` table (region_id, label_fr, label_en,
countries ``|``-separated; a country may belong to several regions); without that table the
regions are Natural Earth's continents. The demo ships the continents plus the groupings used
in briefings (Sahel, West Africa, Maghreb and Middle East, Western Balkans, Caribbean).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

#: The continents (from Natural Earth's fields) and their names: the regions of a data set
#: without a ``regions`` table.
CONTINENTS = {
    "africa": ("Afrique", "Africa"),
    "europe": ("Europe", "Europe"),
    "asia": ("Asie", "Asia"),
    "north_america": ("Amérique du Nord et centrale", "North and Central America"),
    "south_america": ("Amérique du Sud", "South America"),
    "oceania": ("Océanie", "Oceania"),
    "antarctica": ("Antarctique", "Antarctica"),
}

_CONTINENT_TO_REGION = {
    "Africa": "africa",
    "Europe": "europe",
    "Asia": "asia",
    "North America": "north_america",
    "South America": "south_america",
    "Oceania": "oceania",
    "Antarctica": "antarctica",
}


@dataclass(frozen=True)
class Region:
    """One region: its id, its names and the ISO3 codes of its countries."""

    region_id: str
    label_fr: str
    label_en: str
    countries: frozenset[str]

    def label(self, lang: str) -> str:
        """The region's name in ``lang``."""
        return self.label_en if lang == "en" else self.label_fr


@dataclass(frozen=True)
class RegionSets:
    """The regions of one data load, in their table's order. Immutable."""

    regions: tuple[Region, ...]
    _by_id: Mapping[str, Region] = field(init=False, repr=False, compare=False)
    _by_country: Mapping[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {region.region_id: region for region in self.regions})
        by_country: dict[str, list[str]] = {}
        for region in self.regions:
            for iso3 in region.countries:
                by_country.setdefault(iso3, []).append(region.region_id)
        object.__setattr__(self, "_by_country",
                           {iso3: tuple(ids) for iso3, ids in by_country.items()})

    @property
    def ids(self) -> tuple[str, ...]:
        """Every region id, in table order."""
        return tuple(region.region_id for region in self.regions)

    def __contains__(self, region_id: object) -> bool:
        return region_id in self._by_id

    def label(self, region_id: str, lang: str = "fr") -> str:
        """The region's name in ``lang`` (the id itself for an unknown region)."""
        region = self._by_id.get(region_id)
        return region.label(lang) if region else region_id

    def countries(self, region_id: str) -> frozenset[str]:
        """The ISO3 codes of the region's countries (empty for an unknown region)."""
        region = self._by_id.get(region_id)
        return region.countries if region else frozenset()

    def countries_of(self, region_ids: Iterable[str]) -> frozenset[str]:
        """The countries of any of ``region_ids``."""
        return frozenset().union(*(self.countries(region_id) for region_id in region_ids))

    def of(self, iso3: str) -> tuple[str, ...]:
        """Every region holding the country, in table order (the continent first in the demo)."""
        return self._by_country.get(iso3, ())


def continent_of(countries: pd.DataFrame) -> pd.Series:
    """Continent region id per country iso3. Natural Earth's "Seven seas" islands take their
    UN region (Mauritius and Seychelles: Africa; Maldives: Asia; Clipperton: North and Central
    America)."""
    by_continent = countries["continent"].map(_CONTINENT_TO_REGION)
    americas = countries["subregion"].isin(["Central America", "Caribbean", "Northern America"])
    by_un_region = countries["region"].map(
        {"Africa": "africa", "Asia": "asia", "Europe": "europe", "Oceania": "oceania"}
    )
    by_un_region = by_un_region.where(countries["region"] != "Americas",
                                      americas.map({True: "north_america", False: "south_america"}))
    regions = by_continent.fillna(by_un_region).fillna("oceania")
    return pd.Series(regions.to_numpy(), index=countries["iso3"].to_numpy(), name="region")


def continent_sets(countries: pd.DataFrame) -> RegionSets:
    """The continents as region sets (the regions of data without a ``regions`` table)."""
    continent = continent_of(countries)
    return RegionSets(tuple(
        Region(key, fr, en, frozenset(continent.index[continent == key]))
        for key, (fr, en) in CONTINENTS.items()
    ))


def region_sets(countries: pd.DataFrame, table: pd.DataFrame | None) -> RegionSets:
    """The data set's regions: its ``regions`` table when it has one (validated: region_id,
    label_fr, label_en, countries as tuples), else the continents."""
    if table is None or table.empty:
        return continent_sets(countries)
    return RegionSets(tuple(
        Region(row.region_id, row.label_fr, row.label_en, frozenset(row.countries))
        for row in table.itertuples(index=False)
    ))
