"""What an export's key figures count: the countries the page is about.

A page is about (first that applies)

- the selected country (``country``), or the countries the selected post covers (``post``);
- the countries of the selected regions (``regions`` filter);
- the countries whose label point lies in the extent (``bbox``), the page saying so;
- the world, with the world's totals.

The figures of a scope are those of the map for its countries: a country's programme count is
the map's ``counts[iso3]``, the budget is the sum of the map's per-country budget shares, and a
programme running in several countries of the scope counts once (as in the panels,
:func:`viewmodel.panels.area_programmes`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from exports.mapdraw import Frame, frame_for, projected_shapes
from geodata.filters import country_totals, kpis, programme_mask
from geodata.i18n import describe as say
from geodata.i18n import format_money, format_number, t
from geodata.network import localised_column
from viewmodel.data import AtlasData
from viewmodel.panels import bounds_of
from viewmodel.urlstate import ViewState

KPI_KEYS = ("kpi.posts", "kpi.staff", "kpi.covered", "kpi.programmes", "kpi.budget")
#: A country or post map shows this share of its extent again around it (the neighbours),
#: and at least :data:`MIN_SPAN` degrees.
FRAME_PADDING = 0.45
MIN_SPAN = 9.0
REGION_PADDING = 0.06
MIN_LARGE_FOR_FRAMING = 12


@dataclass(frozen=True)
class Scope:
    """The countries a page's figures count (``None``: the world) and the words saying so."""

    kind: str  # world | country | post | regions | extent
    iso3s: frozenset[str] | None
    label: str

    @property
    def world(self) -> bool:
        return self.iso3s is None


@dataclass(frozen=True)
class ScopedFigures:
    """The key figures of a scope, as numbers and as texts in the page's language."""

    posts: int
    staff: int
    covered: int
    programmes: int
    budget: float
    texts: tuple[str, str, str, str, str]

    def pairs(self, lang: str) -> list[tuple[str, str]]:
        """``(value, label)`` per figure, e.g. ``("7", "programmes")``."""
        return [(value, t(key, lang)) for value, key in zip(self.texts, KPI_KEYS, strict=True)]


def matching(data: AtlasData, view: ViewState):
    """The programmes mask of ``view`` and the map's per-country counts and budgets."""
    index = data.filter_index
    mask = programme_mask(index, view.filters, data.regions)
    counts, budgets = country_totals(index, view.filters, data.regions, mask=mask)
    return mask, counts, budgets


def region_countries(data: AtlasData, region_ids) -> frozenset[str]:
    """The iso3 codes of the regions ``region_ids`` (a country may be in several)."""
    found: set[str] = set()
    for region in region_ids:
        found |= set(data.regions.countries(region))
    return frozenset(found)


def region_names(data: AtlasData, region_ids, lang: str) -> list[str]:
    """The regions' labels in ``lang``."""
    return [data.regions.label(region, lang) for region in region_ids]


def post_countries(data: AtlasData, post_id: str) -> frozenset[str]:
    """The countries a post covers (its host country included)."""
    coverage = data.network.coverage
    return frozenset(coverage.loc[coverage["post_id"] == post_id, "country_iso3"])


def post_city(data: AtlasData, post_id: str, lang: str) -> str:
    posts = data.network.posts.set_index("post_id")
    column = localised_column("city", lang)
    return str(posts.at[post_id, column]) if post_id in posts.index else post_id


def countries_in_extent(data: AtlasData, frame: Frame) -> frozenset[str]:
    """The countries whose label point lies inside the frame's limits."""
    shapes = projected_shapes(data, frame.crs)
    x, y = shapes.label_xy[:, 0], shapes.label_xy[:, 1]
    inside = ((frame.xlim[0] <= x) & (x <= frame.xlim[1])
              & (frame.ylim[0] <= y) & (y <= frame.ylim[1]))
    return frozenset(data.countries["iso3"].to_numpy()[inside])


def scope_for(data: AtlasData, view: ViewState, bbox=None) -> Scope:
    """The scope of a page showing ``view`` over ``bbox`` (None: the world)."""
    lang = view.lang
    colon = " : " if lang == "fr" else ": "
    lead = t("export.scope", lang) + colon
    if view.country:
        return Scope("country", frozenset({view.country}),
                     lead + data.name(view.country, lang))
    if view.post:
        return Scope("post", post_countries(data, view.post),
                     lead + t("export.scope.post", lang).format(
                         city=post_city(data, view.post, lang)))
    if view.filters.regions:
        return Scope("regions", region_countries(data, view.filters.regions),
                     lead + ", ".join(region_names(data, view.filters.regions, lang)))
    frame = frame_for(bbox, data)
    if frame.world:
        if data.scope is not None:  # a scoped user's world is their scope
            return Scope("world", None, lead + t("export.scope.user", lang))
        return Scope("world", None, lead + t("export.scope.world", lang))
    iso3s = countries_in_extent(data, frame)
    return Scope("extent", iso3s, lead + say("export.scope.extent", lang, {"n": len(iso3s)}))


def scoped_figures(data: AtlasData, view: ViewState, scope: Scope) -> ScopedFigures:
    """Posts, staff, covered countries, programmes and budget of ``scope`` for ``view``."""
    index = data.filter_index
    mask = programme_mask(index, view.filters, data.regions)
    if scope.world:
        figures = kpis(index, view.filters, data.regions, mask=mask)
        values = (figures.posts, figures.staff, figures.covered_countries, figures.programmes,
                  figures.budget_eur)
    else:
        in_scope = np.isin(index.country_ids, np.array(sorted(scope.iso3s), dtype=object))
        pairs = mask[index.pair_rows] & in_scope[index.pair_countries]
        if scope.kind == "post":
            posts_in = (data.network.posts["post_id"] == view.post).to_numpy()
            covered = len(scope.iso3s & set(data.network.coverage["country_iso3"]))
        else:
            posts_in = in_scope[index.post_countries]
            covered = int(np.unique(
                index.coverage_countries[in_scope[index.coverage_countries]]).size)
        values = (int(posts_in.sum()), int(index.post_staff[posts_in].sum()), covered,
                  int(np.unique(index.pair_rows[pairs]).size),
                  float(np.nansum(index.pair_budget[pairs])))
    lang = view.lang
    texts = (*(format_number(v, lang) for v in values[:4]), format_money(values[4], lang))
    return ScopedFigures(*values, texts=texts)


def framing_bbox(data: AtlasData, iso3s, padding: float = FRAME_PADDING,
                 ) -> tuple[float, float, float, float] | None:
    """An extent (W, S, E, N) framing the countries ``iso3s`` and, with ``padding`` (a share
    of the countries' span on each side), their neighbours."""
    bounds = bounds_of(data, list(iso3s))
    if bounds is None:
        return None
    (south, west), (north, east) = bounds
    pad_x = max((east - west) * padding, (MIN_SPAN - (east - west)) / 2, 0.0)
    pad_y = max((north - south) * padding, (MIN_SPAN - (north - south)) / 2, 0.0)
    west, east = west - pad_x, east + pad_x
    if east > 180 and west < 180:  # across the antimeridian: keep the larger side
        west, east = (west, 180.0) if 180 - west >= east - 180 else (-180.0, east - 360)
    return (max(west, -180.0), max(south - pad_y, -80.0), min(east, 180.0),
            min(north + pad_y, 84.0))


def view_bbox(data: AtlasData, view: ViewState, bbox=None):
    """The extent a page shows: ``bbox`` when given, else the selected country's or post's
    framing, else the selected regions', else the world (None)."""
    if bbox is not None:
        return bbox
    if view.country:
        return framing_bbox(data, [view.country])
    if view.post:
        return framing_bbox(data, post_countries(data, view.post))
    if view.filters.regions:
        members = region_countries(data, view.filters.regions)
        small = set(data.countries.loc[data.countries["small"].astype(bool), "iso3"])
        large = sorted(members - small)
        # On a continent, far islands (the French Southern Lands for Africa) would stretch the
        # frame; a grouping of islands (the Caribbean) keeps them all.
        framed = large if len(large) >= MIN_LARGE_FOR_FRAMING else sorted(members)
        return framing_bbox(data, framed, padding=REGION_PADDING)
    return None
