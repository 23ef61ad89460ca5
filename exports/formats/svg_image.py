"""SVG: the snapshot page as vector graphics, texts kept as text, no timestamp."""

from __future__ import annotations

import re

from exports.formats.base import ExportFormat, ExportOptions, Kind
from exports.page import Page, figure_bytes, render_page
from exports.trace import DEFAULT_AUTHOR, author_of
from viewmodel.data import AtlasData
from viewmodel.urlstate import ViewState

#: The font list an SVG names: the export font first, then its metric twins on other systems.
SVG_FONT_STACK = "'Liberation Sans', Arial, Helvetica, 'DejaVu Sans', sans-serif"


def svg_bytes(page: Page, title: str, author: str = DEFAULT_AUTHOR) -> bytes:
    """``page`` as SVG, titled ``title``, its creator ``author`` (who exported it), naming
    :data:`SVG_FONT_STACK` (same page, same bytes)."""
    content = figure_bytes(page, "svg", {"Title": title, "Date": None, "Creator": author})
    return re.sub(rb"font-family: [^;\"]+", b"font-family: " + SVG_FONT_STACK.encode(), content)


def write_svg(data: AtlasData, view: ViewState, options: ExportOptions) -> bytes:
    """The snapshot of ``view`` as an SVG image."""
    return render_page(data, view, options,
                       lambda page, title: svg_bytes(page, title, author_of(data)))


FORMAT = ExportFormat(id="svg", mime_type="image/svg+xml", extension="svg", kind=Kind.SNAPSHOT,
                      label_key="export.format.svg", write=write_svg)
