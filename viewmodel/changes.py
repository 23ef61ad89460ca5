"""The changes mode (URL ``mode=changes&since=VERSION_OR_DATE``): what happened in each country
between a baseline and the day shown.

The baseline is an earlier data version (its name, the name given at publish, or the demo's
earlier snapshot ``demo-previous``) or a date (``since=2026-01-01``). Between two dates only the
programmes can tell what changed (started, ended, by their dates); against a version the
coverage (gained, lost, moved to another post), the posts (opened, closed) and the programmes
removed from the data count too. The day shown is the view's as-of date (absent: the data's).

Every country with a change gets one category, the first that applies of
:data:`layers.changes.CATEGORIES`: coverage gained, lost or moved, then more programmes
started than ended or removed from the data, more ended or removed than started, as many of
each. The view's filters apply to the programmes counted (their status aside: a period has no
one status).

Baselines come from a *source* the app holds (:class:`dataversions.baselines.Baselines`):
``options(lang)`` lists ``(key, label)`` pairs, ``baseline(key)`` gives a :class:`Baseline`
or None. Nothing here reads files.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from geodata.asof import parse_day
from geodata.diff import country_line, coverage_words, network_diff, post_words
from geodata.filters import programme_mask
from geodata.i18n import count_text, describe, format_day, t
from geodata.network import Network
from viewmodel.asof import view_day
from viewmodel.data import AtlasData, Bounded
from viewmodel.filters import FILTERS, chosen_values, filter_state
from viewmodel.urlstate import ViewState

#: Countries listed in words on screen (the rest counted).
LISTED = 12


@dataclass(frozen=True)
class Baseline:
    """What a period starts from: a data version (``network``) or a date alone."""

    key: str
    label_fr: str
    label_en: str
    day: date | None
    network: Network | None = None

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_fr


@dataclass(frozen=True)
class CountryChange:
    """What changed in one country over the period."""

    iso3: str
    started: int = 0
    ended: int = 0
    removed: int = 0
    gained_from: str = ""  # the post covering it now (coverage gained)
    lost_from: str = ""  # the post that covered it (coverage lost)
    moved_from: str = ""
    moved_to: str = ""
    posts_opened: tuple[str, ...] = ()
    posts_closed: tuple[str, ...] = ()

    @property
    def category(self) -> str:
        if self.gained_from:
            return "gained"
        if self.lost_from:
            return "lost"
        if self.moved_to:
            return "moved"
        # A programme removed from the data no longer runs there: it counts with the ended.
        if self.started > self.ended + self.removed:
            return "more"
        if self.ended + self.removed > self.started:
            return "fewer"
        return "even"

    @property
    def weight(self) -> tuple:
        """Listing order: coverage changes first, then the most programme changes."""
        coverage = bool(self.gained_from or self.lost_from or self.moved_to)
        return (not coverage, -(self.started + self.ended + self.removed))


@dataclass(frozen=True)
class PeriodChanges:
    """The changes of every country that has one, and the period they cover."""

    baseline: Baseline
    day: date | None
    countries: tuple[CountryChange, ...]

    def categories(self) -> dict[str, str]:
        return {change.iso3: change.category for change in self.countries}


def baseline_for(text: str | None, source) -> Baseline | None:
    """The baseline ``since`` names: an ISO date, else a key of ``source`` (None: unknown)."""
    if not text:
        return None
    day = parse_day(text)
    if day is not None and len(text.strip()) == 10:
        return Baseline(key=day.isoformat(), label_fr=format_day(day, "fr"),
                        label_en=format_day(day, "en"), day=day)
    return source.baseline(text) if source is not None else None


def period_view(view: ViewState) -> ViewState:
    """``view`` without the filters that mean nothing over a period (the status)."""
    chosen = chosen_values(view.filters)
    for spec in FILTERS:
        if not getattr(spec, "applies_to_periods", True):
            chosen[spec.key] = ()
    return replace(view, filters=filter_state(chosen))


def period_changes(data: AtlasData, view: ViewState, baseline: Baseline | None
                   ) -> PeriodChanges | None:
    """The changes from ``baseline`` to the view's day (None without a baseline)."""
    if baseline is None:
        return None
    day = view_day(data, view)
    since = baseline.day
    network = data.network
    per: dict[str, dict] = {}

    def entry(iso3: str) -> dict:
        return per.setdefault(iso3, {})

    if since is not None and day is not None and since < day:
        mask = programme_mask(data.filter_index, period_view(view).filters,
                              data.regions)
        programmes = network.programmes
        start = programmes["start_date"].to_numpy()
        end = programmes["end_date"].to_numpy()
        lo, hi = np.datetime64(since), np.datetime64(day)
        started = mask & (start > lo) & (start <= hi)
        ended = mask & ~np.isnat(end) & (end >= lo) & (end < hi)
        pairs = network.programme_countries
        rows = pairs["row"].to_numpy()
        for key, chosen in (("started", started), ("ended", ended)):
            kept = pairs["country_iso3"].to_numpy()[chosen[rows]]
            for iso3, count in zip(*np.unique(kept, return_counts=True), strict=True):
                entry(str(iso3))[key] = int(count)
    if baseline.network is not None:
        diff = _diff(data, baseline)
        for item in diff["programmes"]["removed"]:
            for iso3 in item["countries"]:
                entry(iso3)["removed"] = entry(iso3).get("removed", 0) + 1
        for item in diff["coverage"]["gained"]:
            entry(item["country"])["gained_from"] = item["post"]
        for item in diff["coverage"]["lost"]:
            entry(item["country"])["lost_from"] = item["post"]
        for item in diff["coverage"]["moved"]:
            entry(item["country"]).update(moved_from=item["old_post"], moved_to=item["new_post"])
        for key in ("opened", "closed"):
            for post in diff["posts"][key]:
                place = entry(post["country"])
                place[f"posts_{key}"] = (*place.get(f"posts_{key}", ()), post["id"])
    changes = tuple(CountryChange(iso3=iso3, **values) for iso3, values in sorted(per.items()))
    return PeriodChanges(baseline=baseline, day=day,
                         countries=tuple(sorted(changes, key=lambda c: (*c.weight, c.iso3))))


def _diff(data: AtlasData, baseline: Baseline) -> dict:
    """The diff from a version to the data served, once per load and baseline."""
    cache = data.memo.get("baseline_diffs", lambda: Bounded(8))
    return cache.get(baseline.key, lambda: network_diff(baseline.network, data.network))


def _city(data: AtlasData, baseline: Baseline, post_id: str, lang: str) -> str:
    for network in (data.network, baseline.network):
        if network is None:
            continue
        posts = network.posts
        found = posts[posts["post_id"] == post_id]
        if len(found):
            return str(found.iloc[0]["city_en" if lang == "en" else "city"])
    return post_id


def change_words(data: AtlasData, changes: PeriodChanges, change: CountryChange,
                 lang: str) -> str:
    """"Niger : 2 programmes terminés, couverture désormais depuis Abuja"."""
    baseline = changes.baseline
    parts = []
    if change.started:
        parts.append(count_text("changes.started", change.started, lang))
    if change.ended:
        parts.append(count_text("changes.ended", change.ended, lang))
    if change.removed:
        parts.append(count_text("changes.removed", change.removed, lang))
    if change.gained_from:
        parts.append(coverage_words("gained", lang, _city(data, baseline, change.gained_from,
                                                          lang)))
    if change.lost_from:
        parts.append(coverage_words("lost", lang, _city(data, baseline, change.lost_from,
                                                        lang)))
    if change.moved_to:
        parts.append(coverage_words("moved", lang,
                                    _city(data, baseline, change.moved_to, lang),
                                    _city(data, baseline, change.moved_from, lang)))
    for key in ("opened", "closed"):
        for post in getattr(change, f"posts_{key}"):
            parts.append(post_words(key, lang, _city(data, baseline, post, lang)))
    return country_line(data.name(change.iso3, lang), parts, lang)


def changes_title(changes: PeriodChanges, lang: str) -> str:
    """"Changements depuis Comité du 15 juin (15 juin 2026)" / "... depuis le 1 janvier 2026"."""
    baseline = changes.baseline
    if baseline.network is None:
        return describe("changes.title.date", lang, {"date": baseline.label(lang)})
    return describe("changes.title.version", lang, {"version": baseline.label(lang)})


def period_title(data: AtlasData, view: ViewState, source=None) -> str:
    """The changes mode's title for ``view`` ("choose a baseline" when it names none)."""
    baseline = baseline_for(view.since, source if source is not None else data.baselines)
    if baseline is None:
        return t("changes.choose", view.lang)
    return changes_title(PeriodChanges(baseline, None, ()), view.lang)


def change_texts(data: AtlasData, changes: PeriodChanges, lang: str) -> list[str]:
    """Every country's changes in words, the most important first (coverage changes, then
    the most programme changes): the panel's lines and the export page's list."""
    return [change_words(data, changes, change, lang) for change in changes.countries]


def others_text(count: int, lang: str) -> str:
    """"… et 3 autres pays": the line standing for the countries a list leaves out."""
    return count_text("changes.others", count, lang)


def change_lines(data: AtlasData, changes: PeriodChanges, lang: str,
                 limit: int | None = LISTED) -> list[str]:
    """The countries' changes in words, coverage changes first; beyond ``limit``, one line
    saying how many other countries changed."""
    shown = changes.countries if limit is None else changes.countries[:limit]
    lines = change_texts(data, replace(changes, countries=shown), lang)
    others = len(changes.countries) - len(shown)
    if others > 0:
        lines.append(others_text(others, lang))
    if not changes.countries:
        lines.append(t("changes.none", lang))
    return lines
