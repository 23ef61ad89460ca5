"""Programmes colouring: countries in up to 5 classes of the matching programmes' count or
budget (natural breaks, :mod:`layers.classes`; ColorBrewer YlOrRd); countries with none stay
neutral. The legend says what is counted, for which filters, and each class's exact range."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from geodata.i18n import format_money, format_number, t
from layers import palette
from layers._base import Legend, LegendEntry
from layers.classes import Classes, class_indexes, classify


def hideout(values: dict[str, float], breaks: tuple | None = None) -> dict:
    """Style inputs of the programmes mode: each class's range (``lows``, ``highs``), its
    colour, and the "none" colour; ``breaks`` (``(lows, highs)``) imposes the classes (a
    playback's, shared by its frames)."""
    classes = Classes(tuple(breaks[0]), tuple(breaks[1])) if breaks else classify(values.values())
    return {
        "lows": list(classes.lows),
        "highs": list(classes.highs),
        "colors": palette.class_colors(len(classes)),
        "none_color": palette.NONE,
    }


def classes_of(style: dict) -> Classes:
    """The :class:`Classes` a hideout carries."""
    return Classes(tuple(style["lows"]), tuple(style["highs"]))


def country_classes(values: dict[str, float], style: dict) -> dict[str, int]:
    """The class (an index into ``style["colors"]``) of every country with a positive value."""
    if not values:
        return {}
    iso3s = list(values)
    figures = np.fromiter((values[iso3] for iso3 in iso3s), dtype=float, count=len(iso3s))
    classes = class_indexes(figures, classes_of(style))
    return {iso3: index for iso3, index in zip(iso3s, classes.tolist(), strict=True)
            if index >= 0}


def class_labels(classes: Classes, metric: str, lang: str) -> list[str]:
    """Each class's range in the page's number format: "3", "5–10" (counts), "12 k€ – 180 k€"
    (budgets)."""

    def fmt(value: float) -> str:
        return format_money(value, lang) if metric == "budget" else format_number(value, lang)

    labels = []
    for low, high in zip(classes.lows, classes.highs, strict=True):
        if fmt(low) == fmt(high):
            labels.append(fmt(low))
        elif metric == "count":
            labels.append(f"{fmt(low)}–{fmt(high)}")
        else:
            labels.append(f"{fmt(low)} – {fmt(high)}")
    return labels


def legend(style: dict, metric: str, lang: str, title: str) -> Legend:
    """The programmes legend for a hideout's classes, plus "none", under ``title``."""
    return _legend(tuple(style["lows"]), tuple(style["highs"]), tuple(style["colors"]),
                   style["none_color"], metric, lang, title)


@lru_cache(maxsize=1024)
def _legend(lows: tuple, highs: tuple, colors: tuple, none_color: str, metric: str, lang: str,
            title: str) -> Legend:
    """Built once per distinct classes (formatting the labels costs more than the filtering);
    a Legend is immutable, so sharing it is safe."""
    labels = class_labels(Classes(lows, highs), metric, lang)
    entries = [
        LegendEntry(color=color, label=label)
        for color, label in zip(colors, labels, strict=True)
    ]
    entries.append(LegendEntry(color=none_color, label=t("legend.none", lang)))
    return Legend(title=title, entries=tuple(entries))


def legend_title(metric: str, lang: str, filter_words: list[str]) -> str:
    """What the colours count, and for which filters: "Programmes par pays — en cours ·
    Trafic de stupéfiants"."""
    head = t("legend.title.budget" if metric == "budget" else "legend.title.count", lang)
    words = " · ".join(word for word in filter_words if word)
    return f"{head} — {words}" if words else head
