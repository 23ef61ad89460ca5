"""World regions used by the region filter, derived from Natural Earth's continent fields."""

from __future__ import annotations

import pandas as pd

REGIONS = {
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


def country_regions(countries: pd.DataFrame) -> pd.Series:
    """Region key per country iso3. Natural Earth's "Seven seas" islands take their UN region
    (Mauritius and Seychelles: Africa; Maldives: Asia; Clipperton: North and Central America)."""
    by_continent = countries["continent"].map(_CONTINENT_TO_REGION)
    americas = countries["subregion"].isin(["Central America", "Caribbean", "Northern America"])
    by_un_region = countries["region"].map(
        {"Africa": "africa", "Asia": "asia", "Europe": "europe", "Oceania": "oceania"}
    )
    by_un_region = by_un_region.where(countries["region"] != "Americas",
                                      americas.map({True: "north_america", False: "south_america"}))
    regions = by_continent.fillna(by_un_region).fillna("oceania")
    return pd.Series(regions.to_numpy(), index=countries["iso3"].to_numpy(), name="region")


def region_label(key: str, lang: str = "fr") -> str:
    """The region's name in ``lang`` (fr or en)."""
    fr, en = REGIONS.get(key, (key, key))
    return en if lang == "en" else fr
