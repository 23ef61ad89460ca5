"""Pure filter functions: from a :class:`Network` and a :class:`FilterState` to the matching
programmes, per-country aggregates, coverage status and headline figures.

Everything is vectorised over the frames and the long tables the Network derives at load time;
nothing here loops over rows in Python.

Conventions (documented in docs/filters.md):

* an empty selection means "no restriction" for themes, types, statuses, regions, beneficiaries;
* themes and beneficiaries match when a programme has *any* of the selected values;
* the year range keeps programmes whose [start, end] years overlap it (no end date: ongoing);
* the region filter keeps programmes with at least one country in the selected regions, and
  per-country figures only for countries in those regions;
* a multi-country programme counts once in each of its countries; its budget is split evenly
  over its countries, so per-country budgets add up to the total.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from geodata.network import Network

COVERAGE_STATES = ("host", "regional", "none")


@dataclass(frozen=True)
class FilterState:
    """The user's filter selection. Tuples of ids; an empty tuple means no restriction."""

    themes: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ("active",)
    regions: tuple[str, ...] = ()
    years: tuple[int, int] | None = None
    beneficiaries: tuple[str, ...] = ()


def _rows_with(long: pd.DataFrame, column: str, values: tuple[str, ...], size: int) -> np.ndarray:
    """Boolean mask over programmes: True where a long-table row has one of ``values``."""
    mask = np.zeros(size, dtype=bool)
    mask[long["row"].to_numpy()[long[column].isin(values).to_numpy()]] = True
    return mask


def _country_mask(network: Network, regions: tuple[str, ...], region_of: pd.Series) -> np.ndarray:
    """Per programme_countries row: True when the country is in the selected regions."""
    if not regions:
        return np.ones(len(network.programme_countries), dtype=bool)
    region = network.programme_countries["country_iso3"].map(region_of)
    return region.isin(regions).to_numpy()


def programme_mask(
    network: Network, state: FilterState, region_of: pd.Series | None = None
) -> np.ndarray:
    """Boolean mask over ``network.programmes``: True for programmes matching ``state``.

    ``region_of`` maps iso3 to region key (see :func:`geodata.regions.country_regions`); it is
    needed only when ``state.regions`` is set.
    """
    programmes = network.programmes
    size = len(programmes)
    mask = np.ones(size, dtype=bool)
    if state.statuses:
        mask &= programmes["status"].isin(state.statuses).to_numpy()
    if state.types:
        mask &= programmes["cooperation_type"].isin(state.types).to_numpy()
    if state.themes:
        mask &= _rows_with(network.programme_themes, "theme_id", state.themes, size)
    if state.beneficiaries:
        mask &= _rows_with(network.programme_beneficiaries, "beneficiary", state.beneficiaries, size)
    if state.years:
        first, last = state.years
        mask &= (programmes["start_date"].dt.year <= last).to_numpy()
        end = programmes["end_date"]
        mask &= (end.isna() | (end.dt.year >= first)).to_numpy()  # no end date: open-ended
    if state.regions:
        in_region = _country_mask(network, state.regions, region_of)
        rows = network.programme_countries["row"].to_numpy()[in_region]
        mask &= np.isin(np.arange(size), rows)
    return mask


def matching_programmes(
    network: Network, state: FilterState, region_of: pd.Series | None = None
) -> pd.DataFrame:
    """The programmes matching ``state`` (a slice of ``network.programmes``)."""
    return network.programmes[programme_mask(network, state, region_of)]


def country_aggregates(
    network: Network,
    state: FilterState,
    region_of: pd.Series | None = None,
    mask: np.ndarray | None = None,
) -> pd.DataFrame:
    """Per country with at least one matching programme: ``count``, ``budget`` (the sum of the
    budget shares) and ``themes`` (sorted tuple of theme ids present), indexed by iso3."""
    if mask is None:
        mask = programme_mask(network, state, region_of)
    long = network.programme_countries
    keep = mask[long["row"].to_numpy()] & _country_mask(network, state.regions, region_of)
    rows = long[keep]
    if rows.empty:
        return pd.DataFrame(
            {"count": pd.Series(dtype="int64"), "budget": pd.Series(dtype=float),
             "themes": pd.Series(dtype=object)}
        ).rename_axis("country_iso3")
    grouped = rows.groupby("country_iso3", sort=True)
    result = pd.DataFrame({"count": grouped.size(), "budget": grouped["budget_share"].sum()})
    themes = network.programme_themes
    theme_rows = rows[["row", "country_iso3"]].merge(themes[["row", "theme_id"]], on="row")
    if state.themes:
        theme_rows = theme_rows[theme_rows["theme_id"].isin(state.themes)]
    present = theme_rows.groupby("country_iso3")["theme_id"].agg(lambda s: tuple(sorted(set(s))))
    result["themes"] = present.reindex(result.index)
    result["themes"] = result["themes"].map(lambda t: t if isinstance(t, tuple) else ())
    return result


def coverage_table(network: Network) -> pd.DataFrame:
    """Covered countries, indexed by iso3: ``post_id`` of the covering post and ``status``
    (``host`` for the post's own country, ``regional`` for a country covered from elsewhere)."""
    coverage = network.coverage.set_index("country_iso3")
    status = coverage["role"].map({"resident": "host", "regional": "regional"})
    return pd.DataFrame({"post_id": coverage["post_id"], "status": status})


def coverage_status(network: Network, iso3: str) -> str:
    """``host``, ``regional`` or ``none`` for one country."""
    table = coverage_table(network)
    return table.at[iso3, "status"] if iso3 in table.index else "none"


@dataclass(frozen=True)
class Kpis:
    """Headline figures for a filter state."""

    posts: int
    staff: int
    covered_countries: int
    programmes: int
    budget_eur: float


def kpis(
    network: Network,
    state: FilterState,
    region_of: pd.Series | None = None,
    mask: np.ndarray | None = None,
) -> Kpis:
    """Posts, staff and covered countries (within the selected regions), and the number and
    total budget of the matching programmes."""
    if mask is None:
        mask = programme_mask(network, state, region_of)
    posts = network.posts
    coverage = network.coverage
    if state.regions:
        posts = posts[posts["country_iso3"].map(region_of).isin(state.regions)]
        coverage = coverage[coverage["country_iso3"].map(region_of).isin(state.regions)]
    budget = network.programmes["budget_eur"].to_numpy(dtype=float)[mask]
    return Kpis(
        posts=len(posts),
        staff=int(posts["staff_total"].sum()),
        covered_countries=int(coverage["country_iso3"].nunique()),
        programmes=int(mask.sum()),
        budget_eur=float(np.nansum(budget)),
    )
