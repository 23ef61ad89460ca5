"""Coverage colouring: host of a post / covered from a post elsewhere / not covered."""

from __future__ import annotations

from geodata.i18n import t
from layers import palette
from layers._base import Legend, LegendEntry


def hideout() -> dict:
    """Style inputs of the coverage mode: the three state colours."""
    return {"coverage_colors": dict(palette.COVERAGE)}


#: The coverage states a country's class indexes, in this order.
STATES = ("host", "regional")


def country_classes(states: dict[str, str]) -> dict[str, int]:
    """The class (an index into :data:`STATES`) of every covered country; the others take
    "none"."""
    return {iso3: STATES.index(state) for iso3, state in states.items() if state in STATES}


def class_colors() -> list[str]:
    """The colour of each coverage class (:data:`STATES`)."""
    return [palette.COVERAGE[state] for state in STATES]


def legend(lang: str) -> Legend:
    """The coverage legend: host, regional, none."""
    return Legend(
        title=t("legend.title.coverage", lang),
        entries=tuple(
            LegendEntry(color=palette.COVERAGE[state], label=t(f"coverage.{state}", lang))
            for state in ("host", "regional", "none")
        ),
    )
