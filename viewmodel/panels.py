"""What the country and post panels show, as plain data: pure functions of (data, view state),
unit-tested without Dash (``tests/unit/test_panels.py``); ``dashboard.panel_layout`` turns them
into components. Nothing here knows a component id.

Figures agree with the map: a country's programme count is the map's ``counts[iso3]`` for the
same view (a multi-country programme counts once in each of its countries), and budgets are the
sums of the per-country budget shares (a programme's budget split evenly over its countries).
A post's area counts each programme once, however many of its countries it runs in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from geodata.filters import coverage_table, kept_pairs, programme_mask
from geodata.i18n import of_place
from geodata.network import STATUSES, localised_column
from viewmodel.asof import dated
from viewmodel.data import AtlasData
from viewmodel.extent import bounds_of
from viewmodel.search import normalise, search_text
from viewmodel.urlstate import ViewState

SORT_COLUMNS = ("title", "type", "status", "start", "budget")
DEFAULT_SORT = ("start", True)
MAX_TIMELINE_YEARS = 30


@dataclass(frozen=True)
class Place:
    """A country as the panels name it."""

    iso3: str
    name: str


@dataclass(frozen=True)
class PostSummary:
    """A post: where it sits, who heads it, its staff by corps and the countries it covers."""

    post_id: str
    city: str
    of_city: str  # the city after "of": "d'Abidjan", "du Caire" (fr); the city itself (en)
    host: Place
    head_title: str
    opened: int | None
    staff_police: int
    staff_gendarmerie: int
    staff_civil_security: int
    staff_total: int
    countries: tuple[Place, ...]


@dataclass(frozen=True)
class ThemeCount:
    """How many of the listed programmes carry a theme."""

    theme_id: str
    label: str
    color: str
    count: int
    #: The theme's short form (the themes table's ``short_fr`` / ``short_en``; the label when
    #: the data gives none), for narrow places; ``label`` stays the full name.
    short: str = ""


@dataclass(frozen=True)
class YearCount:
    """How many of the listed programmes run during a year, by status."""

    year: int
    planned: int
    active: int
    completed: int
    #: The year's budget: each programme's budget here spread evenly over its calendar years.
    budget: float = 0.0


@dataclass(frozen=True)
class ProgrammeRow:
    """One programme as the panel's table lists it."""

    programme_id: str
    title: str
    themes: tuple[ThemeCount, ...]
    cooperation_type: str
    status: str
    start: date
    end: date
    budget: float | None
    partners: tuple[str, ...]
    #: The programme's description in the page's language (English falls back to French).
    description: str = ""


@dataclass(frozen=True)
class Programmes:
    """The programmes of a country or a post's area matching the view's filters."""

    count: int
    budget: float
    outside: int
    rows: tuple[ProgrammeRow, ...]
    themes: tuple[ThemeCount, ...]
    years: tuple[YearCount, ...]


@dataclass(frozen=True)
class CountryPanel:
    """Everything the country panel shows."""

    place: Place
    region: str
    status: str  # host | regional | none
    post: PostSummary | None
    other_countries: tuple[Place, ...]
    programmes: Programmes
    bounds: list[list[float]] | None


@dataclass(frozen=True)
class AreaCountry:
    """A country of a post's area with its role and matching-programme count."""

    place: Place
    role: str  # resident | regional
    count: int


@dataclass(frozen=True)
class PostPanel:
    """Everything the post panel shows."""

    post: PostSummary
    region: str
    countries: tuple[AreaCountry, ...]
    programmes: Programmes
    bounds: list[list[float]] | None


def search_index(data: AtlasData, lang: str) -> list[dict]:
    """Search box choices, sorted by label: every country (of the data's scope, when it has
    one; ``value`` its iso3) and every post
    (``value`` ``post:<post_id>``). ``search`` holds the French and English names, with and
    without accents, and for a country the cities of its posts; ``kind`` is country or post."""
    posts = data.network.posts
    cities = {iso3: [*group["city"], *group["city_en"]]
              for iso3, group in posts.groupby("country_iso3")}
    entries = []
    for iso3, (fr, en) in data.names.items():
        if data.scope is not None and iso3 not in data.scope:
            continue  # a scoped user finds only the countries of their scope
        entries.append({"label": data.name(iso3, lang), "value": iso3, "kind": "country",
                        "search": search_text(fr, en, iso3, *cities.get(iso3, []))})
    city = localised_column("city", lang)
    for post in posts.itertuples(index=False):
        fr, en = data.names.get(post.country_iso3, (post.country_iso3,) * 2)
        entries.append({"label": f"{getattr(post, city)} · {post.post_id}",
                        "value": f"post:{post.post_id}", "kind": "post",
                        "search": search_text(post.city, post.city_en, post.post_id, fr, en)})
    return sorted(entries, key=lambda e: (normalise(e["label"]), e["kind"]))


def parse_choice(value: str | None) -> tuple[str | None, str | None]:
    """(country, post) named by a search box value."""
    if not value:
        return None, None
    if value.startswith("post:"):
        return None, value[len("post:"):]
    return value, None


def requested_selection(request, vocabulary) -> tuple[str | None, str | None]:
    """(country, post) a panel request asks for, each dropped unless the data knows it."""
    if not isinstance(request, dict):
        return None, None
    country, post = request.get("country"), request.get("post")
    post = post if isinstance(post, str) and post in vocabulary.posts else None
    country = country if isinstance(country, str) and country in vocabulary.countries else None
    return (None, post) if post else (country, None)


def default_sort() -> dict:
    """The programme table's sort before any click (the store's form of :data:`DEFAULT_SORT`)."""
    return {"column": DEFAULT_SORT[0], "descending": DEFAULT_SORT[1]}


def next_sort(sort: dict | None, column: str) -> dict:
    """The table's sort after clicking ``column``: the same column flips, another starts
    descending for dates and budgets, ascending otherwise."""
    if column not in SORT_COLUMNS:
        return dict(sort or default_sort())
    if sort and sort.get("column") == column:
        return {"column": column, "descending": not sort.get("descending")}
    return {"column": column, "descending": column in ("start", "budget")}


def _place(data: AtlasData, iso3: str, lang: str) -> Place:
    return Place(iso3=iso3, name=data.name(iso3, lang))


def _places(data: AtlasData, iso3s, lang: str) -> tuple[Place, ...]:
    """Places sorted by their name in ``lang``."""
    return tuple(sorted((_place(data, i, lang) for i in iso3s), key=lambda p: normalise(p.name)))


def post_summary(data: AtlasData, post_id: str, lang: str) -> PostSummary:
    """One post's summary; its host country first in ``countries``, then the others by name."""
    post = data.memo.get("posts_by_id", lambda: data.network.posts.set_index("post_id")
                         ).loc[post_id]
    coverage = data.network.coverage
    covered = coverage.loc[coverage["post_id"] == post_id, "country_iso3"]
    others = _places(data, [c for c in covered if c != post["country_iso3"]], lang)
    opened = post["opened"]
    city = str(post[localised_column("city", lang)])
    return PostSummary(
        post_id=post_id,
        city=city,
        of_city=of_place(city, lang, str(post["city_fr_of"])),
        host=_place(data, post["country_iso3"], lang),
        head_title=str(post[localised_column("head_title", lang)] or ""),
        opened=None if pd.isna(opened) else int(opened),
        staff_police=int(post["staff_police"]),
        staff_gendarmerie=int(post["staff_gendarmerie"]),
        staff_civil_security=int(post["staff_civil_security"]),
        staff_total=int(post["staff_total"]),
        countries=(_place(data, post["country_iso3"], lang), *others),
    )


def _theme_counts(data: AtlasData, rows: np.ndarray, lang: str) -> tuple[ThemeCount, ...]:
    """Programmes per theme among the programme positions ``rows``, most frequent first."""
    themes = data.memo.get("themes_by_id", lambda: data.network.themes.set_index("theme_id"))
    index = data.filter_index
    counts = np.bincount(index.theme_codes[np.isin(index.theme_rows, rows)],
                         minlength=len(index.theme_ids))
    label = "label_en" if lang == "en" else "label_fr"
    short = "short_en" if lang == "en" else "short_fr"
    result = [ThemeCount(theme_id=t, label=str(themes.at[t, label]),
                         color=str(themes.at[t, "color"]), count=int(n),
                         short=str(themes.at[t, short]) if short in themes else "")
              for t, n in zip(index.theme_ids, counts, strict=True) if n and t in themes.index]
    order = {t: i for i, t in enumerate(themes.index)}
    return tuple(sorted(result, key=lambda c: (-c.count, order[c.theme_id])))


def _year_counts(programmes: pd.DataFrame, budgets: np.ndarray | None = None
                 ) -> tuple[YearCount, ...]:
    """Programmes running each year (start to end years; no end date: to the last year
    shown), by status, and the year's budget (``budgets``: each programme's budget in the
    area, spread evenly over its years); at most the last ``MAX_TIMELINE_YEARS`` years."""
    if programmes.empty:
        return ()
    starts = programmes["start_date"].dt.year.to_numpy(dtype=float)
    ends = programmes["end_date"].dt.year.to_numpy(dtype=float, na_value=np.nan)
    last = int(np.nanmax(np.concatenate([starts, ends])))
    ends = np.where(np.isnan(ends), last, ends)
    budgets = np.zeros(len(starts)) if budgets is None else np.nan_to_num(budgets)
    per_year = budgets / (ends - starts + 1)
    first = max(int(starts.min()), last - MAX_TIMELINE_YEARS + 1)
    statuses = programmes["status"].to_numpy()
    years = []
    for year in range(first, last + 1):
        running = (starts <= year) & (ends >= year)
        by_status = {s: int((running & (statuses == s)).sum()) for s in STATUSES}
        years.append(YearCount(year=year, **by_status, budget=float(per_year[running].sum())))
    return tuple(years)


def _row(programme, themes: dict[str, ThemeCount], lang: str) -> ProgrammeRow:
    title = programme.title_en if lang == "en" and programme.title_en else programme.title_fr
    english = getattr(programme, "description_en", "")
    description = english if lang == "en" and english else programme.description
    budget = None if pd.isna(programme.budget_eur) else float(programme.budget_eur)
    return ProgrammeRow(
        programme_id=programme.programme_id,
        title=str(title),
        themes=tuple(themes[t] for t in programme.themes if t in themes),
        cooperation_type=programme.cooperation_type,
        status=programme.status,
        start=programme.start_date.date(),
        end=programme.end_date.date(),
        budget=budget,
        partners=tuple(programme.partners),
        description=str(description or ""),
    )


def area_programmes(data: AtlasData, view: ViewState, iso3s) -> tuple[Programmes, pd.Series]:
    """The programmes running in any of ``iso3s`` and matching the view, and the per-country
    counts (the map's counts for those countries). Computed on the filter index's arrays of
    programme-country pairs, as the map is."""
    index = data.filter_index
    mask = programme_mask(index, view.filters, data.regions)
    countries = index.pair_countries
    in_area = np.isin(index.country_ids, list(iso3s))[countries]
    positions = index.pair_rows
    keep = in_area & kept_pairs(index, view.filters, data.regions, mask)
    rows = np.unique(positions[keep])
    all_rows = np.unique(positions[in_area])
    themes = _theme_counts(data, rows, view.lang)
    every_theme = {t.theme_id: t for t in _theme_counts(data, all_rows, view.lang)}
    frame = data.network.programmes.iloc[rows]
    shares = index.pair_budget[keep]
    sort_column, descending = DEFAULT_SORT
    programmes = Programmes(
        count=len(rows),
        budget=float(shares.sum()),
        outside=len(all_rows) - len(rows),
        rows=sort_rows(tuple(_row(p, every_theme, view.lang) for p in frame.itertuples()),
                       sort_column, descending),
        themes=themes,
        years=_year_counts(frame, np.bincount(np.searchsorted(rows, positions[keep]),
                                              weights=shares, minlength=len(rows))),
    )
    per_country = np.bincount(countries[keep], minlength=len(index.country_ids))
    present = per_country > 0
    return programmes, pd.Series(per_country[present], index=index.country_ids[present])


def sort_rows(rows: tuple[ProgrammeRow, ...], column: str, descending: bool) -> tuple:
    """The rows sorted by one of ``SORT_COLUMNS`` (missing budgets last either way), ties by
    title."""
    if column not in SORT_COLUMNS:
        column, descending = DEFAULT_SORT
    by_title = sorted(rows, key=lambda r: normalise(r.title))
    keys = {
        "title": lambda r: normalise(r.title),
        "type": lambda r: r.cooperation_type,
        "status": lambda r: STATUSES.index(r.status) if r.status in STATUSES else len(STATUSES),
        "start": lambda r: (r.start, r.end),
    }
    if column == "budget":
        known = sorted((r for r in by_title if r.budget is not None), key=lambda r: r.budget,
                       reverse=descending)
        return tuple(known + [r for r in by_title if r.budget is None])
    return tuple(sorted(by_title, key=keys[column], reverse=descending))


def _region(data: AtlasData, iso3: str, lang: str) -> str:
    regions = data.regions.of(iso3)
    return data.regions.label(regions[0], lang) if regions else ""


def country_panel_data(data: AtlasData, view: ViewState, iso3: str) -> CountryPanel:
    """The country panel for ``iso3`` under the view's filters, as-of date and language."""
    data = dated(data, view)
    lang = view.lang
    table = data.memo.get("coverage_table", lambda: coverage_table(data.network))
    post = None
    status = "none"
    others: tuple[Place, ...] = ()
    if iso3 in table.index:
        status = str(table.at[iso3, "status"])
        post = post_summary(data, str(table.at[iso3, "post_id"]), lang)
        others = tuple(p for p in post.countries if p.iso3 != iso3)
    programmes, _ = area_programmes(data, view, [iso3])
    return CountryPanel(
        place=_place(data, iso3, lang),
        region=_region(data, iso3, lang),
        status=status,
        post=post,
        other_countries=others,
        programmes=programmes,
        bounds=bounds_of(data, [iso3]),
    )


def post_panel_data(data: AtlasData, view: ViewState, post_id: str) -> PostPanel:
    """The post panel for ``post_id``: its area's countries and their programmes (on the
    view's as-of date)."""
    data = dated(data, view)
    lang = view.lang
    post = post_summary(data, post_id, lang)
    coverage = data.network.coverage
    roles = coverage[coverage["post_id"] == post_id].set_index("country_iso3")["role"]
    iso3s = [p.iso3 for p in post.countries]
    programmes, per_country = area_programmes(data, view, iso3s)
    countries = tuple(
        AreaCountry(place=p, role=str(roles.get(p.iso3, "regional")),
                    count=int(per_country.get(p.iso3, 0)))
        for p in post.countries
    )
    return PostPanel(
        post=post,
        region=_region(data, post.host.iso3, lang),
        countries=countries,
        programmes=programmes,
        bounds=bounds_of(data, iso3s),
    )
