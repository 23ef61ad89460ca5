"""The view state and its query-string form, e.g.
``/?mode=programmes&themes=drugs,terrorism&status=active&years=2020-2026&country=MLI&lang=en``.

Keys: ``mode`` (coverage | programmes), ``metric`` (count | budget), ``layers``
(posts,links,labels; absent: all three shown; empty: none), one key per filter of
:data:`viewmodel.filters.FILTERS` (``themes``, ``types``, ``status`` (absent: active;
``all`` or empty: every status), ``regions``, ``years`` (``2020-2026`` or ``2024``),
``beneficiaries``, ``partners``), ``country`` (ISO3: the country panel), ``post`` (a post
id such as ``SSI-DAKAR``: the post panel; when both are given the post wins and
``country`` is dropped), ``lang`` (fr | en), ``lat``/``lon``/``zoom``. List values are
comma-separated ids of the data. Unknown values are dropped, inverted years swapped,
out-of-range numbers clamped: a bad query string gives a sane view, never an error.

The filter controls travel as one mapping, control key -> widget value (:data:`CONTROL_KEYS`):
:func:`control_values` shows a view on them, :func:`view_from_controls` reads it back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, parse_qsl, urlencode

from geodata.filters import FilterState
from geodata.i18n import DEFAULT_LANG, LANGS
from viewmodel.filters import FILTERS, chosen_values, domains, filter_state, known_ids

if TYPE_CHECKING:
    from viewmodel.data import AtlasData

MODES = ("coverage", "programmes")
METRICS = ("count", "budget")
LAYER_NAMES = ("posts", "links", "labels")
MAX_ZOOM = 12
#: The map zooms in quarter steps (the world view fits the window at any size).
ZOOM_STEP = 0.25
MAX_QUERY = 4000
DEFAULT_YEAR_BOUNDS = (2018, 2027)
#: The controls of the filter column, in order: how the map is drawn, then every filter.
DISPLAY_CONTROLS = ("mode", "metric", "layers")
CONTROL_KEYS = DISPLAY_CONTROLS + tuple(spec.key for spec in FILTERS)


@dataclass(frozen=True)
class ViewState:
    """Everything a shared link restores."""

    filters: FilterState = field(default_factory=filter_state)
    mode: str = "coverage"
    metric: str = "count"
    layers: tuple[str, ...] = LAYER_NAMES
    country: str | None = None
    post: str | None = None
    lang: str = DEFAULT_LANG
    lat: float | None = None
    lon: float | None = None
    zoom: float | None = None  # in steps of ZOOM_STEP


@dataclass(frozen=True)
class Vocabulary:
    """What a query may name in the data served: countries, posts, each filter's values
    (``domains``, by filter key) and the programmes' year span."""

    countries: frozenset[str]
    posts: frozenset[str] = frozenset()
    domains: Mapping[str, frozenset[str]] = field(default_factory=dict)
    year_bounds: tuple[int, int] = DEFAULT_YEAR_BOUNDS

    @classmethod
    def of(cls, data: AtlasData) -> Vocabulary:
        """The vocabulary of the data being served."""
        return cls(countries=frozenset(data.countries["iso3"]),
                   posts=frozenset(data.network.posts["post_id"]),
                   domains=domains(data), year_bounds=data.year_bounds)

    def allowed(self, key: str) -> frozenset[str]:
        """The ids filter ``key`` may choose (empty when the data offers none)."""
        return self.domains.get(key, frozenset())


def _one(query: dict[str, list[str]], key: str) -> str | None:
    values = query.get(key)
    return values[-1].strip() if values else None


def _float(text: str | None, low: float, high: float) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return None
    return min(max(value, low), high)


def parse_post(text: str | None, posts: frozenset[str]) -> str | None:
    """A post id of the data, matched exactly or, failing that, in upper case."""
    if not text:
        return None
    if text in posts:
        return text
    return text.upper() if text.upper() in posts else None


def _choice(text: str | None, choices: tuple[str, ...]) -> str:
    return text if text in choices else choices[0]


def parse_query(search: str | None, vocabulary: Vocabulary) -> ViewState:
    """The view a query string asks for, with every unknown or bad value dropped."""
    query = parse_qs((search or "").lstrip("?")[:MAX_QUERY], keep_blank_values=True)
    layers_text = _one(query, "layers")
    post = parse_post(_one(query, "post"), vocabulary.posts)
    country = (_one(query, "country") or "").upper()
    zoom = _float(_one(query, "zoom"), 1, MAX_ZOOM)
    lang = _one(query, "lang")
    return ViewState(
        filters=filter_state({spec.key: spec.parse(_one(query, spec.key),
                                                   vocabulary.allowed(spec.key))
                              for spec in FILTERS}),
        mode=_choice(_one(query, "mode"), MODES),
        metric=_choice(_one(query, "metric"), METRICS),
        layers=LAYER_NAMES if layers_text is None else known_ids(layers_text, LAYER_NAMES),
        country=country if country in vocabulary.countries and post is None else None,
        post=post,
        lang=lang if lang in LANGS else DEFAULT_LANG,
        lat=_float(_one(query, "lat"), -85, 85),
        lon=_float(_one(query, "lon"), -180, 180),
        zoom=None if zoom is None else snapped_zoom(zoom),
    )


def snapped_zoom(zoom: float) -> float:
    """``zoom`` on the map's zoom steps (:data:`ZOOM_STEP`)."""
    return round(float(zoom) / ZOOM_STEP) * ZOOM_STEP


def to_query(view: ViewState) -> str:
    """The readable query string of ``view`` (``?...``), default values left out."""
    pairs: list[tuple[str, str]] = []
    if view.mode != MODES[0]:
        pairs.append(("mode", view.mode))
    if view.metric != METRICS[0]:
        pairs.append(("metric", view.metric))
    if tuple(view.layers) != LAYER_NAMES:
        pairs.append(("layers", ",".join(view.layers)))
    chosen = chosen_values(view.filters)
    for spec in FILTERS:
        text = spec.print(chosen[spec.key])
        if text is not None:
            pairs.append((spec.key, text))
    if view.country:
        pairs.append(("country", view.country))
    if view.post:
        pairs.append(("post", view.post))
    if view.lang != DEFAULT_LANG:
        pairs.append(("lang", view.lang))
    if view.lat is not None and view.lon is not None and view.zoom is not None:
        pairs.extend([("lat", f"{view.lat:.2f}"), ("lon", f"{view.lon:.2f}"),
                      ("zoom", f"{view.zoom:g}")])
    return "?" + urlencode(pairs, safe=",") if pairs else ""


def control_values(view: ViewState, vocabulary: Vocabulary) -> dict[str, object]:
    """The value of every control (:data:`CONTROL_KEYS`) showing ``view`` (the slider's full
    span when no year range is set)."""
    chosen = chosen_values(view.filters)
    values: dict[str, object] = {"mode": view.mode, "metric": view.metric,
                                 "layers": list(view.layers)}
    for spec in FILTERS:
        values[spec.key] = spec.to_widget(chosen[spec.key], vocabulary.year_bounds)
    return values


def view_from_controls(controls: Mapping[str, object], vocabulary: Vocabulary,
                       **view_fields) -> ViewState:
    """The view the controls show (``controls``: control key -> widget value; missing or
    malformed values read as empty); ``view_fields`` set the rest (country, language...)."""
    def listed(key: str) -> list:
        value = controls.get(key)
        return value if isinstance(value, list | tuple) else []

    filters = filter_state({spec.key: spec.from_widget(controls.get(spec.key),
                                                       vocabulary.allowed(spec.key),
                                                       vocabulary.year_bounds)
                            for spec in FILTERS})
    mode, metric = controls.get("mode"), controls.get("metric")
    view = ViewState(
        filters=filters,
        mode=_choice(mode if isinstance(mode, str) else None, MODES),
        metric=_choice(metric if isinstance(metric, str) else None, METRICS),
        layers=known_ids(",".join(str(name) for name in listed("layers")), LAYER_NAMES),
    )
    return replace(view, **view_fields)


def query_lang(search: str | None) -> str | None:
    """The ``lang`` a query string asks for, if it names a supported language."""
    values = parse_qs((search or "").lstrip("?")[:MAX_QUERY]).get("lang")
    return values[-1] if values and values[-1] in LANGS else None


def with_lang(search: str | None, lang: str) -> str:
    """The same query string with ``lang`` set (the French default is left out)."""
    pairs = [(k, v) for k, v in parse_qsl((search or "").lstrip("?")[:MAX_QUERY],
                                          keep_blank_values=True) if k != "lang"]
    if lang != DEFAULT_LANG:
        pairs.append(("lang", lang))
    return "?" + urlencode(pairs, safe=",") if pairs else "?"
