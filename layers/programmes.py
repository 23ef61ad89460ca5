"""Programmes colouring: countries in up to 5 classed steps of the matching programmes' count
or budget (ColorBrewer YlOrRd); countries with none stay neutral."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from geodata.i18n import format_money, format_number, t
from layers import palette
from layers._base import Legend, LegendEntry
from layers.classes import class_breaks, class_indexes


def hideout(values: dict[str, float]) -> dict:
    """Style inputs of the programmes mode: class lower bounds and their colours."""
    breaks = class_breaks(values.values())
    return {
        "breaks": breaks,
        "colors": palette.class_colors(len(breaks)),
        "none_color": palette.NONE,
    }


def fills(values: dict[str, float], style: dict) -> dict[str, str]:
    """The class colour of every country with a positive value (iso3 -> colour)."""
    if not values:
        return {}
    iso3s = list(values)
    figures = np.fromiter((values[iso3] for iso3 in iso3s), dtype=float, count=len(iso3s))
    classes = class_indexes(figures, style["breaks"])
    colors = style["colors"]
    return {iso3: colors[index] for iso3, index in zip(iso3s, classes.tolist(), strict=True)
            if index >= 0}


def class_labels(breaks: list[float], metric: str, lang: str) -> list[str]:
    """Readable ranges for the classes: "1", "2–4", "5+" (counts) or money ranges."""

    def fmt(value: float) -> str:
        return format_money(value, lang) if metric == "budget" else format_number(value, lang)

    labels = []
    for low, high in zip(breaks, [*breaks[1:], None], strict=True):
        if high is None:
            labels.append(f"{fmt(low)}+" if len(breaks) > 1 else f"≥ {fmt(low)}")
        elif metric == "count" and high - 1 <= low:
            labels.append(fmt(low))
        elif metric == "count":
            labels.append(f"{fmt(low)}–{fmt(high - 1)}")
        else:
            labels.append(f"{fmt(low)} – {fmt(high)}")
    return labels


def legend(style: dict, metric: str, lang: str) -> Legend:
    """The programmes legend for a hideout's classes, plus "none"."""
    return _legend(tuple(style["breaks"]), tuple(style["colors"]), style["none_color"], metric,
                   lang)


@lru_cache(maxsize=1024)
def _legend(breaks: tuple, colors: tuple, none_color: str, metric: str, lang: str) -> Legend:
    """Built once per distinct classes (formatting the labels costs more than the filtering);
    a Legend is immutable, so sharing it is safe."""
    labels = class_labels(list(breaks), metric, lang)
    entries = [
        LegendEntry(color=color, label=label)
        for color, label in zip(colors, labels, strict=True)
    ]
    entries.append(LegendEntry(color=none_color, label=t("legend.none", lang)))
    title = t("legend.title.budget" if metric == "budget" else "legend.title.count", lang)
    return Legend(title=title, entries=tuple(entries))
