"""The view state and its query-string form, e.g.
``/?mode=programmes&themes=drugs,terrorism&status=active&years=2020-2026&country=MLI&lang=en``.

Keys: ``mode`` (coverage | programmes), ``metric`` (count | budget), ``layers`` (posts,links;
absent: both shown; empty: none), ``themes``, ``types``, ``status`` (absent: active; ``all``
or empty: every status), ``regions``, ``years`` (``2020-2026`` or ``2024``), ``beneficiaries``,
``country`` (ISO3: the country panel), ``post`` (a post id such as ``SSI-DAKAR``: the post
panel; when both are given the post wins and ``country`` is dropped), ``lang`` (fr | en),
``lat``/``lon``/``zoom``. List values are comma-separated ids of the data. Unknown values are
dropped, inverted years swapped, out-of-range numbers clamped: a bad query string gives a sane
view, never an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import parse_qs, parse_qsl, urlencode

from geodata.filters import FilterState
from geodata.i18n import DEFAULT_LANG, LANGS
from geodata.network import BENEFICIARIES, COOPERATION_TYPES, STATUSES

MODES = ("coverage", "programmes")
METRICS = ("count", "budget")
LAYER_NAMES = ("posts", "links")
YEAR_BOUNDS = (1950, 2100)
MAX_ZOOM = 12
_MAX_ITEMS = 100


@dataclass(frozen=True)
class ViewState:
    """Everything a shared link restores."""

    filters: FilterState = field(default_factory=FilterState)
    mode: str = "coverage"
    metric: str = "count"
    layers: tuple[str, ...] = LAYER_NAMES
    country: str | None = None
    post: str | None = None
    lang: str = DEFAULT_LANG
    lat: float | None = None
    lon: float | None = None
    zoom: int | None = None


@dataclass(frozen=True)
class Vocabulary:
    """The ids a query may name (themes, regions and posts come from the data)."""

    themes: frozenset[str]
    regions: frozenset[str]
    countries: frozenset[str]
    posts: frozenset[str] = frozenset()


def _one(query: dict[str, list[str]], key: str) -> str | None:
    values = query.get(key)
    return values[-1].strip() if values else None


def _ids(text: str | None, allowed) -> tuple[str, ...]:
    if not text:
        return ()
    seen: list[str] = []
    for item in text.split(",")[:_MAX_ITEMS]:
        item = item.strip()
        if item in allowed and item not in seen:
            seen.append(item)
    return tuple(seen)


def _float(text: str | None, low: float, high: float) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return None
    return min(max(value, low), high)


def _years(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    parts = text.replace("..", "-").split("-")
    try:
        numbers = [int(p) for p in parts if p.strip()][:2]
    except ValueError:
        return None
    if not numbers:
        return None
    low, high = YEAR_BOUNDS
    first, last = (min(max(n, low), high) for n in (numbers[0], numbers[-1]))
    return (min(first, last), max(first, last))


def _post(text: str | None, posts: frozenset[str]) -> str | None:
    """A post id of the data, matched exactly or, failing that, in upper case."""
    if not text:
        return None
    if text in posts:
        return text
    return text.upper() if text.upper() in posts else None


def parse_query(search: str | None, vocabulary: Vocabulary) -> ViewState:
    """The view a query string asks for, with every unknown or bad value dropped."""
    query = parse_qs((search or "").lstrip("?")[:4000], keep_blank_values=True)
    status_text = _one(query, "status")
    if status_text is None:
        statuses = ("active",)
    elif status_text in ("", "all"):
        statuses = ()
    else:
        statuses = _ids(status_text, STATUSES) or ("active",)
    layers_text = _one(query, "layers")
    layers = LAYER_NAMES if layers_text is None else _ids(layers_text, LAYER_NAMES)
    country = (_one(query, "country") or "").upper()
    post = _post(_one(query, "post"), vocabulary.posts)
    zoom = _float(_one(query, "zoom"), 1, MAX_ZOOM)
    mode = _one(query, "mode")
    metric = _one(query, "metric")
    lang = _one(query, "lang")
    return ViewState(
        filters=FilterState(
            themes=_ids(_one(query, "themes"), vocabulary.themes),
            types=_ids(_one(query, "types"), COOPERATION_TYPES),
            statuses=statuses,
            regions=_ids(_one(query, "regions"), vocabulary.regions),
            years=_years(_one(query, "years")),
            beneficiaries=_ids(_one(query, "beneficiaries"), BENEFICIARIES),
        ),
        mode=mode if mode in MODES else "coverage",
        metric=metric if metric in METRICS else "count",
        layers=layers,
        country=country if country in vocabulary.countries and post is None else None,
        post=post,
        lang=lang if lang in LANGS else DEFAULT_LANG,
        lat=_float(_one(query, "lat"), -85, 85),
        lon=_float(_one(query, "lon"), -180, 180),
        zoom=None if zoom is None else int(round(zoom)),
    )


def to_query(view: ViewState) -> str:
    """The readable query string of ``view`` (``?...``), default values left out."""
    f = view.filters
    pairs: list[tuple[str, str]] = []
    if view.mode != "coverage":
        pairs.append(("mode", view.mode))
    if view.metric != "count":
        pairs.append(("metric", view.metric))
    if tuple(view.layers) != LAYER_NAMES:
        pairs.append(("layers", ",".join(view.layers)))
    for key, values in (("themes", f.themes), ("types", f.types)):
        if values:
            pairs.append((key, ",".join(values)))
    if tuple(f.statuses) != ("active",):
        pairs.append(("status", ",".join(f.statuses) or "all"))
    for key, values in (("regions", f.regions), ("beneficiaries", f.beneficiaries)):
        if values:
            pairs.append((key, ",".join(values)))
    if f.years:
        pairs.append(("years", f"{f.years[0]}-{f.years[1]}"))
    if view.country:
        pairs.append(("country", view.country))
    if view.post:
        pairs.append(("post", view.post))
    if view.lang != DEFAULT_LANG:
        pairs.append(("lang", view.lang))
    if view.lat is not None and view.lon is not None and view.zoom is not None:
        pairs.extend([("lat", f"{view.lat:.2f}"), ("lon", f"{view.lon:.2f}"),
                      ("zoom", str(view.zoom))])
    return "?" + urlencode(pairs, safe=",") if pairs else ""


@dataclass(frozen=True)
class Controls:
    """The filter controls' values, in the order the callbacks list them."""

    mode: str
    metric: str
    layers: list[str]
    themes: list[str]
    types: list[str]
    status: list[str]
    regions: list[str]
    years: list[int]
    beneficiaries: list[str]


def to_controls(view: ViewState, year_bounds: tuple[int, int]) -> Controls:
    """Control values showing ``view`` (the full slider range when no year filter is set)."""
    f = view.filters
    years = list(f.years) if f.years else list(year_bounds)
    return Controls(view.mode, view.metric, list(view.layers), list(f.themes), list(f.types),
                    list(f.statuses), list(f.regions), years, list(f.beneficiaries))


def from_controls(
    controls: Controls, year_bounds: tuple[int, int], vocabulary: Vocabulary, **view_fields
) -> ViewState:
    """The view the controls show; a year range equal to the slider's bounds is no filter."""
    years = tuple(int(y) for y in (controls.years or year_bounds))
    query_like = ViewState(
        filters=FilterState(
            themes=_ids(",".join(controls.themes or []), vocabulary.themes),
            types=_ids(",".join(controls.types or []), COOPERATION_TYPES),
            statuses=_ids(",".join(controls.status or []), STATUSES),
            regions=_ids(",".join(controls.regions or []), vocabulary.regions),
            years=None if years == tuple(year_bounds) else (min(years), max(years)),
            beneficiaries=_ids(",".join(controls.beneficiaries or []), BENEFICIARIES),
        ),
        mode=controls.mode if controls.mode in MODES else "coverage",
        metric=controls.metric if controls.metric in METRICS else "count",
        layers=_ids(",".join(controls.layers or []), LAYER_NAMES),
    )
    return replace(query_like, **view_fields)


def query_lang(search: str | None) -> str | None:
    """The ``lang`` a query string asks for, if it names a supported language."""
    values = parse_qs((search or "").lstrip("?")[:4000]).get("lang")
    return values[-1] if values and values[-1] in LANGS else None


def with_lang(search: str | None, lang: str) -> str:
    """The same query string with ``lang`` set (the French default is left out)."""
    pairs = [(k, v) for k, v in parse_qsl((search or "").lstrip("?")[:4000],
                                          keep_blank_values=True) if k != "lang"]
    if lang != DEFAULT_LANG:
        pairs.append(("lang", lang))
    return "?" + urlencode(pairs, safe=",") if pairs else "?"
