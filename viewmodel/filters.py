"""The filters, each declared once.

A declaration says everything about one filter: its URL key (also its CLI option ``--key``,
its name in the :class:`~geodata.filters.FilterState` and its control's key in the page),
the programmes column it tests and how, its domain from the data, how it parses and prints
(URL and CLI share one codec), its widget, its label, and how it reads in words on an export.
The URL codec, the layout, the callbacks, the CLI options and the exports' descriptions loop
over :data:`FILTERS`; nothing else names a filter.

Adding a filter on an existing programmes column is one entry in :data:`FILTERS` plus its
catalogue texts (``filters.<key>``); see ``docs/architecture.md``.

This module imports neither Dash nor Flask: the web app turns :attr:`Filter.widget` into a
component (``dashboard/layout.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from geodata.filters import Criterion, FilterState
from geodata.i18n import t
from geodata.network import BENEFICIARIES, COOPERATION_TYPES, STATUSES
from viewmodel.search import SEARCH_LIMIT, normalise, search_matches, search_text

if TYPE_CHECKING:
    from viewmodel.data import AtlasData

YEAR_BOUNDS = (1950, 2100)
MAX_ITEMS = 100  # values read from one URL key or CLI option
WIDGETS = ("dropdown", "checklist", "range")


@dataclass(frozen=True)
class Option:
    """One value a filter offers: its id, its label in a language, words the search matches,
    and a colour swatch where the value has one (themes)."""

    value: str
    label: str
    search: str = ""
    color: str | None = None


def _catalogue_label(prefix: str) -> Callable[[AtlasData, str, str], str]:
    return lambda _data, value, lang: t(f"{prefix}.{value}", lang)


def _theme_label(data: AtlasData, value: str, lang: str) -> str:
    column = "label_en" if lang == "en" else "label_fr"
    labels = data.memo.get(("theme_labels", column), lambda: data.network.themes.set_index(
        "theme_id")[column].astype(str).to_dict())
    return labels.get(value, value)


def _themes(data: AtlasData) -> tuple[str, ...]:
    return tuple(data.network.themes["theme_id"])


def _theme_options(data: AtlasData, lang: str) -> list[Option]:
    column = "label_en" if lang == "en" else "label_fr"
    return [Option(row.theme_id, getattr(row, column),
                   f"{row.label_fr} {row.label_en} {row.theme_id}", row.color)
            for row in data.network.themes.itertuples(index=False)]


def _regions(data: AtlasData) -> tuple[str, ...]:
    """The regions that hold a covered country, in their table's order."""
    covered = set(data.network.coverage["country_iso3"])
    return tuple(region for region in data.regions.ids
                 if not covered.isdisjoint(data.regions.countries(region)))


def _partners(data: AtlasData) -> tuple[str, ...]:
    """Every partner or funder named by a programme, most frequent first, then by name."""
    counts = data.network.programmes["partners"].explode().dropna().value_counts()
    return tuple(sorted(counts.index, key=lambda name: (-int(counts[name]), str(name).lower())))


def _fixed(values: tuple[str, ...]) -> Callable[[AtlasData], tuple[str, ...]]:
    return lambda _data: values


class _Declared:
    """What every filter derives from its key."""

    key: str

    @property
    def label(self) -> str:
        """The catalogue key of the control's label."""
        return f"filters.{self.key}"


@dataclass(frozen=True)
class ChoiceFilter(_Declared):
    """A filter choosing among ids (themes, types, statuses, regions, forces, partners)."""

    key: str
    column: str
    match: str  # see geodata.filters.MATCHES: "in", "any" or "regions"
    widget: str  # "dropdown" or "checklist"
    domain: Callable[[AtlasData], tuple[str, ...]]
    option_label: Callable[[AtlasData, str, str], str]
    cli_help: str
    default: tuple[str, ...] = ()
    all_word: str | None = None  # a URL value meaning "every value" (``status=all``)
    searchable: bool = False  # many values: the browser asks the server for matches
    in_title: bool = False  # named in an export's default title (programmes mode)
    lower_in_title: bool = False
    title_limit: int = 0  # more values than this: "N thèmes" in the title
    custom_options: Callable[[AtlasData, str], list[Option]] | None = None

    def options(self, data: AtlasData, lang: str) -> list[Option]:
        """Every value of the domain, labelled in ``lang``."""
        if self.custom_options is not None:
            return self.custom_options(data, lang)
        return [Option(value, self.option_label(data, value, lang), value)
                for value in self.domain(data)]

    def parse(self, text: str | None, allowed: Iterable[str]) -> tuple[str, ...]:
        """The values a URL or CLI text names, unknown ones dropped; ``None`` (key absent)
        gives the default, and so does a text naming nothing known when there is one."""
        if text is None:
            return self.default
        text = text.strip()
        if self.all_word is not None and text in ("", self.all_word):
            return ()
        chosen = known_ids(text, allowed)
        return chosen or self.default

    def unknown(self, text: str | None, allowed: Iterable[str]) -> list[str]:
        """The items of ``text`` the domain does not know (for the CLI's error)."""
        if text is None:
            return []
        accepted = set(allowed) | ({self.all_word} if self.all_word else set())
        return [item.strip() for item in text.split(",")[:MAX_ITEMS]
                if item.strip() and item.strip() not in accepted]

    def print(self, values: tuple[str, ...]) -> str | None:
        """The URL text of ``values``; ``None`` when they are the default (left out)."""
        if tuple(values) == self.default:
            return None
        if not values:
            return self.all_word or None
        return ",".join(values)

    def to_widget(self, values: tuple[str, ...], bounds: tuple[int, int]) -> list[str]:
        """The control's value showing ``values``."""
        return list(values)

    def from_widget(self, value, allowed: Iterable[str], bounds: tuple[int, int]) -> tuple:
        """The values a control shows (unknown or malformed values dropped)."""
        items = value if isinstance(value, list | tuple) else []
        return known_ids(",".join(str(item) for item in items), allowed)

    def criterion(self, values: tuple[str, ...]) -> Criterion:
        """The filter as the programmes see it."""
        return Criterion(self.column, self.match, tuple(values))

    def words(self, data: AtlasData, values: tuple[str, ...], lang: str) -> list[str]:
        """The chosen values in words (an export's description)."""
        return [self.option_label(data, value, lang) for value in values]

    def title_words(self, data: AtlasData, values: tuple[str, ...], lang: str) -> str:
        """The chosen values as a part of an export's title ("" when not named there)."""
        if not values:
            return ""
        if self.title_limit and len(values) > self.title_limit:
            return t(f"export.title.n_{self.key}", lang).format(n=len(values))
        words = self.words(data, values, lang)
        return ", ".join(word.lower() if self.lower_in_title else word for word in words)


@dataclass(frozen=True)
class YearsFilter(_Declared):
    """The years range: programmes whose [start, end] years overlap it."""

    key: str
    column: str
    cli_help: str
    widget: str = "range"
    match: str = "years"
    default: None = None
    searchable: bool = False
    in_title: bool = True

    def domain(self, data: AtlasData) -> tuple[int, int]:
        """The first and last programme years of the data (the slider's bounds)."""
        return data.year_bounds

    def parse(self, text: str | None, allowed=None) -> tuple[int, int] | None:
        """``2020-2026`` (or ``2024``) as a sorted, clamped pair; ``None`` when unreadable."""
        if not text:
            return None
        parts = text.replace("..", "-").split("-")
        try:
            numbers = [int(part) for part in parts if part.strip()][:2]
        except ValueError:
            return None
        if not numbers:
            return None
        low, high = YEAR_BOUNDS
        first, last = (min(max(n, low), high) for n in (numbers[0], numbers[-1]))
        return (min(first, last), max(first, last))

    def unknown(self, text: str | None, allowed=None) -> list[str]:
        """``[text]`` when it is given but does not read as years."""
        return [text] if text is not None and self.parse(text) is None else []

    def print(self, years: tuple[int, int] | None) -> str | None:
        """``2020-2026``; ``None`` when no range is set."""
        return f"{years[0]}-{years[1]}" if years else None

    def to_widget(self, years: tuple[int, int] | None, bounds: tuple[int, int]) -> list[int]:
        """The slider's value: the range, or the data's full span when none is set."""
        return list(years) if years else list(bounds)

    def from_widget(self, value, allowed, bounds: tuple[int, int]) -> tuple[int, int] | None:
        """The range a slider shows; the data's full span is no filter."""
        try:
            years = tuple(int(year) for year in (value or bounds))[:2]
        except (TypeError, ValueError):
            return None
        if len(years) != 2 or years == tuple(bounds):
            return None
        return (min(years), max(years))

    def criterion(self, years: tuple[int, int] | None) -> Criterion:
        """The filter as the programmes see it."""
        return Criterion(self.column, self.match, tuple(years) if years else ())

    def words(self, data: AtlasData, years: tuple[int, int] | None, lang: str) -> list[str]:
        """``2020–2026``, or ``2024`` for one year."""
        return [years_text(years)] if years else []

    def title_words(self, data: AtlasData, years, lang: str) -> str:
        """The range as a part of an export's title."""
        return years_text(years) if years else ""


Filter = ChoiceFilter | YearsFilter


def years_text(years: tuple[int, int]) -> str:
    """2020–2026, or 2024 for a single year."""
    first, last = years
    return str(first) if first == last else f"{first}–{last}"


#: Every filter, in the order of the filter column, the URL and an export's description.
FILTERS: tuple[Filter, ...] = (
    ChoiceFilter(
        key="themes", column="themes", match="any", widget="dropdown", domain=_themes,
        option_label=_theme_label, custom_options=_theme_options, cli_help="theme ids",
        in_title=True, title_limit=3,
    ),
    ChoiceFilter(
        key="types", column="cooperation_type", match="in", widget="dropdown",
        domain=_fixed(COOPERATION_TYPES), option_label=_catalogue_label("type"),
        cli_help="cooperation types", in_title=True, lower_in_title=True,
    ),
    ChoiceFilter(
        key="status", column="status", match="in", widget="checklist",
        domain=_fixed(STATUSES), option_label=_catalogue_label("status"),
        cli_help="statuses, or 'all' (default: active)", default=("active",), all_word="all",
        in_title=True, lower_in_title=True,
    ),
    ChoiceFilter(
        key="regions", column="countries", match="regions", widget="dropdown",
        domain=_regions, option_label=lambda data, value, lang: data.regions.label(value, lang),
        cli_help="region keys",
    ),
    YearsFilter(key="years", column="start_date", cli_help="e.g. 2020-2026"),
    ChoiceFilter(
        key="beneficiaries", column="beneficiaries", match="any", widget="dropdown",
        domain=_fixed(BENEFICIARIES), option_label=_catalogue_label("beneficiary"),
        cli_help="beneficiary forces",
    ),
    ChoiceFilter(
        key="partners", column="partners", match="any", widget="dropdown", domain=_partners,
        option_label=lambda _data, value, _lang: value, searchable=True,
        cli_help="partners or funders, as the data names them (e.g. EU,Interpol)",
    ),
)
FILTER_KEYS = tuple(spec.key for spec in FILTERS)


def filter_spec(key: str) -> Filter:
    """The declaration of filter ``key``."""
    for spec in FILTERS:
        if spec.key == key:
            return spec
    raise KeyError(key)


def filter_state(values: Mapping[str, object] | None = None, **named: object) -> FilterState:
    """The :class:`FilterState` of the chosen values by filter key (every filter not named
    takes its default: status = active, the others no restriction), e.g.
    ``filter_state(themes=("drugs",), status=())``."""
    chosen = {**(values or {}), **named}
    unknown = set(chosen) - set(FILTER_KEYS)
    if unknown:
        raise KeyError(f"unknown filters {', '.join(sorted(unknown))}")
    return FilterState(tuple(
        (spec.key, spec.criterion(chosen.get(spec.key, spec.default))) for spec in FILTERS))


def chosen_values(state: FilterState) -> dict[str, object]:
    """The chosen values by filter key (years as a pair or None), the inverse of
    :func:`filter_state`."""
    result = {}
    for spec in FILTERS:
        values = state.get(spec.key)
        result[spec.key] = (tuple(values) or None) if isinstance(spec, YearsFilter) else values
    return result


def domains(data: AtlasData) -> dict[str, frozenset]:
    """Per filter key, the ids a URL, a control or the CLI may choose, for ``data``."""
    return {spec.key: frozenset(spec.domain(data)) for spec in FILTERS
            if isinstance(spec, ChoiceFilter)}


def matching_options(spec: ChoiceFilter, data: AtlasData, lang: str, typed: str | None,
                     chosen: Iterable[str] = (), limit: int = SEARCH_LIMIT) -> list[Option]:
    """The options a searchable filter offers for what the user typed: the chosen values
    first (always kept), then at most ``limit`` matches (:func:`viewmodel.search.search_matches`;
    nothing typed: the first values of the domain, the most frequent partners)."""
    chosen = {value for value in chosen if isinstance(value, str)}
    options = spec.options(data, lang)
    by_value = {option.value: option for option in options}
    kept = [by_value[value] for value in by_value if value in chosen]
    others = [option for option in options if option.value not in chosen]
    if not normalise(typed or ""):
        return kept + others[:limit]
    choices = [{"label": option.label, "value": option.value,
                "search": search_text(option.label, option.search)} for option in others]
    return kept + [by_value[choice["value"]]
                   for choice in search_matches(choices, typed or "", limit)]


def known_ids(text: str, allowed: Iterable[str]) -> tuple[str, ...]:
    allowed = allowed if isinstance(allowed, set | frozenset) else set(allowed)
    seen: list[str] = []
    for item in text.split(",")[:MAX_ITEMS]:
        item = item.strip()
        if item in allowed and item not in seen:
            seen.append(item)
    return tuple(seen)
