"""Map snapshots for presentations, in any snapshot format of the registry (PNG, SVG, PDF,
PowerPoint); the page itself is laid out by :mod:`exports.page`."""

from __future__ import annotations

from collections.abc import Iterable

from exports.formats.base import INCLUDE_ALL, ExportOptions, Kind
from exports.formats.registry import lookup
from viewmodel.data import AtlasData
from viewmodel.urlstate import ViewState


def render_snapshot(
    data: AtlasData,
    view: ViewState,
    *,
    fmt: str = "png",
    size: str = "16:9",
    scale: int = 1,
    title: str | None = None,
    include: Iterable[str] = INCLUDE_ALL,
    marking: str = "",
    bbox: tuple[float, float, float, float] | None = None,
) -> bytes:
    """The map of ``view`` as a file for a presentation.

    ``fmt``: a snapshot format's id (png | svg | pdf | pptx). ``size``: 16:9 | 4:3 | a4 (see
    :mod:`exports.page`; a PowerPoint file is one slide of PowerPoint's slide size of
    that name). ``scale`` 2 doubles a PNG's pixels (and the resolution of the slide's picture).
    ``title`` defaults to words derived from the filters.
    ``include`` names the optional parts: legend, kpis, filters. ``marking`` is printed at the
    top and bottom (e.g. "DIFFUSION RESTREINTE"). ``bbox`` (W, S, E, N in degrees) is the
    extent shown, the world when None. Raises :class:`ExportError` for a bad argument.

    >>> png = render_snapshot(data, ViewState(mode="programmes"))  # doctest: +SKIP
    """
    options = ExportOptions(size=size, scale=scale, title=title, include=include,
                            marking=marking, bbox=bbox)
    return lookup(fmt, Kind.SNAPSHOT).write(data, view, options)
