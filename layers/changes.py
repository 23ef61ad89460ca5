"""Changes colouring (``mode=changes``): each country by what happened in the period
(:mod:`viewmodel.changes`): coverage gained, lost or moved to another post, more programmes
started than ended or removed, more ended or removed than started, as many of each; the
others stay neutral."""

from __future__ import annotations

from geodata.i18n import t
from layers import palette
from layers._base import Legend, LegendEntry

#: The categories, in the order a country takes the first that applies and the legend lists.
CATEGORIES = ("gained", "lost", "moved", "more", "fewer", "even")


def country_classes(categories: dict[str, str]) -> dict[str, int]:
    """The class (an index into :data:`CATEGORIES`) of every country that changed."""
    return {iso3: CATEGORIES.index(category) for iso3, category in categories.items()
            if category in CATEGORIES}


def class_colors() -> list[str]:
    """The colour of each category."""
    return [palette.CHANGES[category] for category in CATEGORIES]


def legend(title: str, present: set[str], lang: str) -> Legend:
    """The categories present on the map (all of them when none is), then "no change"."""
    shown = [c for c in CATEGORIES if c in present] or list(CATEGORIES)
    entries = [LegendEntry(color=palette.CHANGES[c], label=t(f"legend.changes.{c}", lang))
               for c in shown]
    entries.append(LegendEntry(color=palette.NONE, label=t("legend.changes.none", lang)))
    return Legend(title=title, entries=tuple(entries))
