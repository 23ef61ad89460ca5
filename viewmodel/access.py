"""Scoped data: what a user limited to some regions or posts may see, cut on the server.

A scope's tokens (:mod:`accounts.scopes`) are resolved once per request into a set of
countries (ISO3), and the :class:`AtlasData` served to that request is cut to it before any
layer, panel, search, figure or export is built from it (:func:`scoped_data`): no route can
forget the scope, since none sees anything else.

What the cut keeps:

- the posts whose host country is in scope, and the coverage of the countries in scope by
  those posts (a country of the scope covered from a post outside it shows as not covered:
  the post is out of scope);
- the programmes with at least one country in scope, with their other countries and the
  budget shares of those countries left out (the budget shown is the scope's share); a lead
  post out of scope is left out;
- the region sets cut to the scope (the regions with no country in it are left out);
- no validation warnings (they may name rows out of scope).

The countries' shapes stay (the map is the world), those out of scope drawn in a neutral
tone, without figures. The scoped data is kept per scope on the served data's memo (a few
scopes at a time) and goes away with the load.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from geodata.network import Network
from geodata.regions import RegionSets
from viewmodel.data import AtlasData, Bounded, build_atlas_data

#: Scoped data kept per served load (one per scope in use on a worker).
SCOPES_KEPT = 16


def scope_countries(tokens: Iterable[str], data: AtlasData) -> frozenset[str]:
    """The countries (ISO3) of a scope's tokens on ``data`` (the served, unscoped data); a
    token naming nothing there adds nothing."""
    return countries_of_scope(tokens, known=frozenset(data.countries["iso3"]),
                              regions=data.regions, coverage=data.network.coverage)


def countries_of_scope(tokens: Iterable[str], *, known: frozenset[str], regions: RegionSets,
                       coverage) -> frozenset[str]:
    """The countries of a scope's tokens among ``known``, with these region sets and this
    coverage table (post_id, country_iso3)."""
    countries: set[str] = set()
    for token in tokens:
        kind, _, ident = token.partition(":")
        if kind == "region":
            countries |= regions.countries(ident)
        elif kind == "post":
            countries |= set(coverage.loc[coverage["post_id"] == ident, "country_iso3"])
        elif kind == "country" and ident.upper() in known:
            countries.add(ident.upper())
    return frozenset(countries & known)


def scope_network(network: Network, keep: frozenset[str]) -> Network:
    """``network`` cut to the countries ``keep`` (see the module's docstring)."""
    posts = network.posts[network.posts["country_iso3"].isin(keep)].reset_index(drop=True)
    kept_posts = set(posts["post_id"])
    coverage = network.coverage[network.coverage["country_iso3"].isin(keep)
                                & network.coverage["post_id"].isin(kept_posts)]
    programmes = network.programmes
    inside = programmes["countries"].map(lambda codes: tuple(c for c in codes if c in keep))
    shown = (inside.map(len) > 0).to_numpy()
    programmes = programmes[shown].copy()
    inside = inside[shown]
    share = (inside.map(len) / programmes["countries"].map(len).clip(lower=1)).to_numpy()
    programmes["budget_eur"] = programmes["budget_eur"].to_numpy(dtype=float) * share
    programmes["countries"] = inside
    programmes["lead_post_id"] = programmes["lead_post_id"].where(
        programmes["lead_post_id"].isin(kept_posts), "")
    regions = network.regions
    if regions is not None:
        cut = regions["countries"].map(lambda codes: tuple(c for c in codes if c in keep))
        regions = regions.assign(countries=cut)[cut.map(len) > 0].reset_index(drop=True)
    return replace(network, posts=posts, coverage=coverage.reset_index(drop=True),
                   programmes=programmes.reset_index(drop=True), regions=regions, warnings=())


def _cut_regions(regions: RegionSets, keep: frozenset[str]) -> RegionSets:
    return RegionSets(tuple(replace(region, countries=region.countries & keep)
                            for region in regions.regions if region.countries & keep))


def scoped_data(data: AtlasData, keep: frozenset[str] | None) -> AtlasData:
    """``data`` as a user limited to the countries ``keep`` sees it (``data`` itself when
    ``keep`` is None), built once per scope and kept on ``data``'s memo."""
    if keep is None:
        return data
    kept = data.memo.get("scoped", lambda: Bounded(SCOPES_KEPT))

    def build() -> AtlasData:
        network = scope_network(data.network, keep)
        scoped = replace(build_atlas_data(network, data.countries, scope=keep,
                                          served=bool(data.geojson_gzip)),
                         regions=_cut_regions(data.regions, keep), as_of=data.as_of)
        return replace(scoped, baselines=scoped_source(data.baselines, scoped))

    return kept.get(keep, build)


def in_scope(data: AtlasData, iso3: str | None) -> bool:
    """True when ``data`` may show the country ``iso3`` (always, unscoped)."""
    return data.scope is None or (iso3 is not None and iso3 in data.scope)


class ScopedBaselines:
    """The changes mode's baselines as a scoped user sees them: each earlier version cut to
    the same countries as the data (so that a diff names nothing out of scope)."""

    def __init__(self, source, data: AtlasData):
        self.source = source
        self.data = data

    def options(self, lang: str) -> list[tuple[str, str]]:
        """The baselines offered (their names and dates say nothing about the network)."""
        return self.source.options(lang)

    def baseline(self, key: str):
        """The baseline ``key`` names, cut to the scope (None: unknown)."""
        found = self.source.baseline(key)
        if found is None or found.network is None or self.data.scope is None:
            return found
        kept = self.data.memo.get("scoped_baselines", lambda: Bounded(4))
        network = kept.get((key, id(found.network)),
                           lambda: scope_network(found.network, self.data.scope))
        return replace(found, network=network)


def scoped_source(source, data: AtlasData):
    """``source`` (the baselines) for ``data``: cut to its scope when it has one."""
    if source is None or data.scope is None:
        return source
    return ScopedBaselines(source, data)

