"""Coverage colouring: host of a post / covered from a post elsewhere / not covered."""

from __future__ import annotations

from geodata.i18n import t
from layers import palette
from layers._base import Legend, LegendEntry


def hideout() -> dict:
    """Style inputs of the coverage mode: the three state colours."""
    return {"coverage_colors": dict(palette.COVERAGE)}


def fills(states: dict[str, str]) -> dict[str, str]:
    """The fill of every covered country (iso3 -> colour); the others take "none"."""
    return {iso3: palette.COVERAGE[state] for iso3, state in states.items()
            if state in palette.COVERAGE}


def legend(lang: str) -> Legend:
    """The coverage legend: host, regional, none."""
    return Legend(
        title=t("legend.title.coverage", lang),
        entries=tuple(
            LegendEntry(color=palette.COVERAGE[state], label=t(f"coverage.{state}", lang))
            for state in ("host", "regional", "none")
        ),
    )
