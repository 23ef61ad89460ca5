"""Programmes colouring: countries in up to 5 classed steps of the matching programmes' count
or budget (ColorBrewer YlOrRd); countries with none stay neutral."""

from __future__ import annotations

from geodata.i18n import format_money, format_number, t
from layers import palette
from layers._base import Legend, LegendEntry
from layers.classes import class_breaks


def hideout(values: dict[str, float]) -> dict:
    """Style inputs of the programmes mode: class lower bounds and their colours."""
    breaks = class_breaks(values.values())
    return {
        "breaks": breaks,
        "colors": palette.class_colors(len(breaks)),
        "none_color": palette.NONE,
    }


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
    labels = class_labels(style["breaks"], metric, lang)
    entries = [
        LegendEntry(color=color, label=label)
        for color, label in zip(style["colors"], labels, strict=True)
    ]
    entries.append(LegendEntry(color=palette.NONE, label=t("legend.none", lang)))
    title = t("legend.title.budget" if metric == "budget" else "legend.title.count", lang)
    return Legend(title=title, entries=tuple(entries))
