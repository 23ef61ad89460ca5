"""Pure filter functions: from a :class:`Network` and a :class:`FilterState` to the matching
programmes, per-country aggregates, coverage status and headline figures.

A :class:`FilterState` is a set of named :class:`Criterion` objects, each saying which
programmes column it tests and how (:data:`MATCHES`); the filters themselves (their URL keys,
widgets, labels) are declared once in :mod:`viewmodel.filters`, which builds the state. This
module knows no filter by name: a new filter on an existing column needs nothing here.

Everything is vectorised: a :class:`FilterIndex` turns the frames and long tables of one
Network into numpy codes and value-to-programmes lists (built per column on first use, under a
lock), so a filter change is a few array look-ups and ``np.bincount`` calls; nothing here loops
over rows in Python. The app's index is owned by the data being served
(``AtlasData.filter_index``); the functions also accept a bare Network (a fresh index).

Conventions (documented in docs/decisions.md):

* an empty selection means "no restriction";
* list columns (themes, beneficiaries, partners) match when a programme has *any* of the
  selected values;
* the year range keeps programmes whose [start, end] years overlap it (no end date: ongoing);
* the region filter keeps programmes with at least one country in the selected regions, and
  per-country figures only for countries in those regions;
* a multi-country programme counts once in each of its countries; its budget is split evenly
  over its countries, so per-country budgets add up to the total.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geodata.network import FACTORIZE_START, LIST_COLUMNS, Network, list_items, ranges
from geodata.regions import RegionSets

COVERAGE_STATES = ("host", "regional", "none")
#: How a criterion tests its column: ``in`` (a one-value column is one of the values), ``any``
#: (a list column shares a value with them), ``years`` (the [start, end] years overlap the
#: (first, last) range; no end date: open-ended), ``regions`` (one of the programme's
#: countries lies in the regions; per-country figures then keep those countries only),
#: ``asof`` (the date the network is shown on: it selects nothing here, the network given is
#: already dated, see :mod:`geodata.asof`).
MATCHES = ("in", "any", "years", "regions", "asof")


@dataclass(frozen=True)
class Criterion:
    """One filter as the programmes see it: the column tested, how, and the chosen values (an
    empty tuple restricts nothing)."""

    column: str
    match: str
    values: tuple = ()

    def __post_init__(self) -> None:
        if self.match not in MATCHES:
            raise ValueError(f"unknown match {self.match!r}; one of {', '.join(MATCHES)}")


@dataclass(frozen=True)
class FilterState:
    """The user's filter selection: ``(name, Criterion)`` pairs, hashable. Built from the filter
    registry (:func:`viewmodel.filters.filter_state`); an empty state keeps every programme."""

    criteria: tuple[tuple[str, Criterion], ...] = ()

    def get(self, name: str) -> tuple:
        """The values chosen for filter ``name`` (``()`` when it is absent or empty)."""
        return next((c.values for key, c in self.criteria if key == name), ())

    def active(self) -> tuple[Criterion, ...]:
        """The criteria that restrict something."""
        return tuple(c for _, c in self.criteria if c.values)

    @property
    def regions(self) -> tuple[str, ...]:
        """The chosen regions (they also limit the per-country figures)."""
        return next((c.values for c in self.active() if c.match == "regions"), ())

    def on_column(self, column: str) -> tuple:
        """The values chosen on programmes column ``column`` (``()`` when none)."""
        return next((c.values for c in self.active() if c.column == column), ())


class FilterIndex:
    """The filter inputs of one :class:`Network` as numpy codes.

    Text columns become integer codes into sorted vocabularies, so a filter is a table look-up
    per row instead of a string comparison; the programme-country pairs and their themes are
    precomputed, so per-country figures are ``np.bincount`` calls. Per-column codes and
    value-to-programmes lists (:class:`Membership`) are built on first use, under a lock
    (threads share the index).
    """

    #: What an index derives from the programmes' dates, budgets and long tables alone: the
    #: same for a network restated on a date (:meth:`Network.restated`), so shared with it.
    PROGRAMME_ARRAYS = ("start_year", "end_year", "budget", "theme_rows", "theme_codes",
                        "theme_ids", "pair_rows", "pair_budget", "theme_pair_pairs",
                        "theme_pair_themes")

    def __init__(self, network: Network, programmes_of: FilterIndex | None = None):
        """The index of ``network``; ``programmes_of``: the index of a network with the same
        programmes' dates, budgets and lists (the undated one of a dated network), whose
        arrays of :data:`PROGRAMME_ARRAYS` are shared rather than built again."""
        self.network = network
        programmes = network.programmes
        self.size = len(programmes)
        self._lock = threading.Lock()
        self._columns: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        if programmes_of is not None:
            for name in self.PROGRAMME_ARRAYS:
                setattr(self, name, getattr(programmes_of, name))
        else:
            self.start_year = _years(programmes["start_date"])
            self.end_year = _years(programmes["end_date"])
            self.budget = programmes["budget_eur"].to_numpy(dtype=float)
            themes = network.programme_themes
            self.theme_rows = themes["row"].to_numpy()
            self.theme_codes, self.theme_ids = _codes(themes["theme_id"])
            pairs = network.programme_countries
            self.pair_rows = pairs["row"].to_numpy()
            self.pair_budget = pairs["budget_share"].to_numpy(dtype=float)
            self.theme_pair_pairs, self.theme_pair_themes = _theme_pairs(
                self.pair_rows, self.theme_rows, self.theme_codes, self.size)
        pairs = network.programme_countries
        posts, coverage = network.posts, network.coverage
        countries = pd.concat([pairs["country_iso3"], posts["country_iso3"],
                               coverage["country_iso3"]], ignore_index=True)
        all_codes, self.country_ids = _codes(countries)
        n_pairs, n_posts = len(pairs), len(posts)
        self.pair_countries = all_codes[:n_pairs]
        self.post_countries = all_codes[n_pairs:n_pairs + n_posts]
        self.coverage_countries = all_codes[n_pairs + n_posts:]
        self.post_staff = posts["staff_total"].to_numpy()
        self.staff_total = int(posts["staff_total"].sum())
        self.covered_total = int(coverage["country_iso3"].nunique())
        self._in_regions: dict[tuple, tuple[RegionSets | None, np.ndarray]] = {}

    @classmethod
    def of(cls, source: Network | FilterIndex) -> FilterIndex:
        """``source`` itself when it is an index, else a new index of the network."""
        return source if isinstance(source, FilterIndex) else cls(source)

    def share_columns(self, other: FilterIndex, changed: tuple[str, ...]) -> None:
        """Take the columns ``other`` has built, but ``changed``: for an index of the same
        programmes (same rows) whose other columns hold the same values (a dated network)."""
        with other._lock:
            built = dict(other._columns)
        with self._lock:
            for name, value in built.items():
                if name not in changed:
                    self._columns.setdefault(name, value)

    def column(self, column: str) -> tuple[np.ndarray | Membership, np.ndarray]:
        """``(codes, vocabulary)`` of a one-value programmes column, or ``(membership,
        vocabulary)`` of a list column (tuples of values), built once."""
        with self._lock:
            built = self._columns.get(column)
            if built is None:
                built = self._columns[column] = self._build(column)
            return built

    def _build(self, column: str) -> tuple[np.ndarray | Membership, np.ndarray]:
        values = self.network.programmes[column].reset_index(drop=True)
        if column not in LIST_COLUMNS:
            return _codes(values)
        items = list_items(values)
        return (Membership.of(items.rows, items.codes, self.size, len(items.vocabulary)),
                items.vocabulary)

    def country_in_regions(self, regions: tuple[str, ...], region_sets: RegionSets | None):
        """Per country code: True when the country is in one of ``regions`` (remembered per
        ``region_sets`` object and selection; the app passes the same immutable object)."""
        key = (id(region_sets), tuple(sorted(set(regions))))
        with self._lock:
            cached = self._in_regions.get(key)
        if cached is not None and cached[0] is region_sets:
            return cached[1]
        members = frozenset() if region_sets is None else region_sets.countries_of(regions)
        in_regions = np.fromiter((iso3 in members for iso3 in self.country_ids),
                                 dtype=bool, count=len(self.country_ids))
        in_regions.setflags(write=False)
        with self._lock:
            if len(self._in_regions) >= _REGION_CACHE_SIZE:
                self._in_regions.clear()
            self._in_regions[key] = (region_sets, in_regions)
        return in_regions


_REGION_CACHE_SIZE = 256


def _theme_pairs(pair_rows: np.ndarray, theme_rows: np.ndarray, theme_codes: np.ndarray,
                 size: int) -> tuple[np.ndarray, np.ndarray]:
    """Every (programme-country pair, theme of that programme), for the themes per country:
    the pair's position and the theme's code, 32-bit (a join of the two long tables cost
    about 30 MB at 1,000x the demo)."""
    order = np.argsort(theme_rows, kind="stable")
    per_row = np.bincount(theme_rows, minlength=size)
    first = np.cumsum(per_row) - per_row  # where each programme's themes start in ``order``
    repeats = per_row[pair_rows]
    pairs = np.repeat(np.arange(len(pair_rows), dtype=np.int32), repeats)
    themes = theme_codes[order][ranges(first[pair_rows], repeats)]
    return pairs, themes.astype(np.int32)


@dataclass(frozen=True)
class Membership:
    """Which programmes hold each value of a list column: the programme rows grouped by value
    (``rows[bounds[v]:bounds[v + 1]]`` hold value ``v``). A programme-by-value matrix would
    cost a byte per programme and value: 75 MB for the partners at 1,000x the demo."""

    size: int
    rows: np.ndarray
    bounds: np.ndarray

    @classmethod
    def of(cls, rows: np.ndarray, codes: np.ndarray, size: int, width: int) -> Membership:
        """From the (programme row, value code) pairs of a list column (-1: no value)."""
        valid = codes >= 0
        rows, codes = rows[valid], codes[valid]
        order = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[order], np.arange(width + 1))
        return cls(size, rows[order].astype(np.int32), bounds)

    def any_of(self, columns: list[int]) -> np.ndarray:
        """Boolean mask over programmes: True where a programme holds one of ``columns``."""
        mask = np.zeros(self.size, dtype=bool)
        for column in columns:
            mask[self.rows[self.bounds[column]:self.bounds[column + 1]]] = True
        return mask


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """32-bit codes of ``values`` into their sorted distinct values (-1 for missing): half
    the bytes of pandas' int64 codes, one array a column and long table (2-4 MiB each at
    1,000x the demo)."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), sort=True,
                                  size_hint=FACTORIZE_START)
    return codes.astype(np.int32), np.asarray(uniques, dtype=object)


def _years(dates: pd.Series) -> np.ndarray:
    """Calendar years as floats, NaN where the date is missing."""
    return dates.dt.year.to_numpy(dtype=float, na_value=np.nan)


def _lookup(vocabulary: np.ndarray, selected: tuple[str, ...]) -> np.ndarray:
    """Boolean per code of ``vocabulary`` (plus a False slot for code -1): True if selected."""
    chosen = set(selected)
    table = np.zeros(len(vocabulary) + 1, dtype=bool)
    table[:-1] = [value in chosen for value in vocabulary]
    return table


def _rows_with(membership: Membership, vocabulary: np.ndarray,
               values: tuple[str, ...]) -> np.ndarray:
    """Boolean mask over programmes: True where a programme has one of ``values``."""
    chosen = set(values)
    return membership.any_of([position for position, value in enumerate(vocabulary)
                              if value in chosen])


def _criterion_mask(index: FilterIndex, criterion: Criterion,
                    regions: RegionSets | None) -> np.ndarray:
    """Boolean mask over programmes for one active criterion."""
    values = criterion.values
    if criterion.match == "asof":  # a date the network is shown on, no selection by itself
        return np.ones(index.size, dtype=bool)
    if criterion.match == "years":
        first, last = values
        end = index.end_year
        return (index.start_year <= last) & (np.isnan(end) | (end >= first))  # no end: ongoing
    if criterion.match == "regions":
        in_region = index.country_in_regions(values, regions)[index.pair_countries]
        region_mask = np.zeros(index.size, dtype=bool)
        region_mask[index.pair_rows[in_region]] = True
        return region_mask
    table, vocabulary = index.column(criterion.column)
    if criterion.match == "any":
        return _rows_with(table, vocabulary, values)
    return _lookup(vocabulary, values)[table]


def programme_mask(
    source: Network | FilterIndex, state: FilterState, regions: RegionSets | None = None
) -> np.ndarray:
    """Boolean mask over the programmes: True for programmes matching ``state``.

    ``source`` is a :class:`FilterIndex` (the app's, owned by the data served) or a Network.
    ``regions`` are the data's region sets (:class:`geodata.regions.RegionSets`); they are
    needed only when ``state.regions`` is set.
    """
    index = FilterIndex.of(source)
    mask = np.ones(index.size, dtype=bool)
    for criterion in state.active():
        mask &= _criterion_mask(index, criterion, regions)
    return mask


def matching_programmes(
    source: Network | FilterIndex, state: FilterState, regions: RegionSets | None = None
) -> pd.DataFrame:
    """The programmes matching ``state`` (a slice of ``network.programmes``)."""
    index = FilterIndex.of(source)
    return index.network.programmes[programme_mask(index, state, regions)]


def kept_pairs(index: FilterIndex, state: FilterState, regions: RegionSets | None,
                mask: np.ndarray) -> np.ndarray:
    """Per programme-country pair: its programme matches and its country is in the regions."""
    keep = mask[index.pair_rows]
    if state.regions:
        keep &= index.country_in_regions(state.regions, regions)[index.pair_countries]
    return keep


def _per_country(index: FilterIndex, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Matching-programme count and budget per country code."""
    countries = index.pair_countries[keep]
    n_countries = len(index.country_ids)
    counts = np.bincount(countries, minlength=n_countries)
    return counts, _sums(countries, index.pair_budget[keep], n_countries)


def _sums(codes: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Per-code sums of ``values``, correctly rounded in practice: whole euros are added
    exactly (below 2**53) and only the fractions carry rounding error, so a total such as
    x.5 stays x.5 and rounds as a compensated (pandas) sum would."""
    whole = np.rint(values)
    return (np.bincount(codes, weights=whole, minlength=size)
            + np.bincount(codes, weights=values - whole, minlength=size))


def country_totals(
    source: Network | FilterIndex,
    state: FilterState,
    regions: RegionSets | None = None,
    mask: np.ndarray | None = None,
) -> tuple[dict[str, int], dict[str, float]]:
    """The ``count`` and ``budget`` columns of :func:`country_aggregates` as two dicts keyed by
    iso3 (budgets only where positive), without building a frame: the map's fast path."""
    index = FilterIndex.of(source)
    if mask is None:
        mask = programme_mask(index, state, regions)
    counts, budgets = _per_country(index, kept_pairs(index, state, regions, mask))
    present = np.flatnonzero(counts)
    iso3 = index.country_ids[present].tolist()
    positive = np.flatnonzero(budgets > 0)
    return (dict(zip(iso3, counts[present].tolist(), strict=True)),
            dict(zip(index.country_ids[positive].tolist(), budgets[positive].tolist(),
                     strict=True)))


def country_aggregates(
    source: Network | FilterIndex,
    state: FilterState,
    regions: RegionSets | None = None,
    mask: np.ndarray | None = None,
) -> pd.DataFrame:
    """Per country with at least one matching programme: ``count``, ``budget`` (the sum of the
    budget shares) and ``themes`` (sorted tuple of theme ids present, among the chosen themes
    when a filter is set on them), indexed by iso3."""
    index = FilterIndex.of(source)
    network = index.network
    if mask is None:
        mask = programme_mask(index, state, regions)
    keep = kept_pairs(index, state, regions, mask)
    counts, budgets = _per_country(index, keep)
    present = np.flatnonzero(counts)
    if present.size == 0:
        return pd.DataFrame(
            {"count": pd.Series(dtype="int64"), "budget": pd.Series(dtype=float),
             "themes": pd.Series(dtype=object)}
        ).rename_axis("country_iso3")
    theme_keep = keep[index.theme_pair_pairs]
    chosen_themes = state.on_column("themes")
    if chosen_themes:
        theme_keep &= _lookup(index.theme_ids, chosen_themes)[index.theme_pair_themes]
    n_themes = len(index.theme_ids)
    cells = (index.pair_countries[index.theme_pair_pairs[theme_keep]] * n_themes
             + index.theme_pair_themes[theme_keep])
    has_theme = np.bincount(cells, minlength=len(index.country_ids) * n_themes) > 0
    has_theme = has_theme.reshape(len(index.country_ids), n_themes)
    themes = [tuple(index.theme_ids[has_theme[code]].tolist()) for code in present]
    iso3 = pd.Index(index.country_ids[present], name="country_iso3",
                    dtype=network.programme_countries["country_iso3"].dtype)
    return pd.DataFrame(
        {"count": counts[present].astype("int64"), "budget": budgets[present],
         "themes": pd.Series(themes, index=iso3, dtype=object)},
        index=iso3,
    )


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
    source: Network | FilterIndex,
    state: FilterState,
    regions: RegionSets | None = None,
    mask: np.ndarray | None = None,
) -> Kpis:
    """Posts, staff and covered countries (within the selected regions), and the number and
    total budget of the matching programmes."""
    index = FilterIndex.of(source)
    if mask is None:
        mask = programme_mask(index, state, regions)
    posts, staff, covered = len(index.post_countries), index.staff_total, index.covered_total
    if state.regions:
        in_region = index.country_in_regions(state.regions, regions)
        post_in_region = in_region[index.post_countries]
        posts = int(post_in_region.sum())
        staff = int(index.post_staff[post_in_region].sum())
        covered_codes = index.coverage_countries[in_region[index.coverage_countries]]
        covered = int(np.unique(covered_codes).size)
    return Kpis(
        posts=posts,
        staff=staff,
        covered_countries=covered,
        programmes=int(mask.sum()),
        budget_eur=float(np.nansum(index.budget[mask])),
    )
