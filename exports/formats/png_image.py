"""PNG: the snapshot page as an image (16:9 at scale 1 is 1920 x 1080 pixels)."""

from __future__ import annotations

from exports.formats.base import ExportFormat, ExportOptions, Kind
from exports.page import Page, figure_bytes, render_page
from exports.trace import DEFAULT_AUTHOR, author_of
from viewmodel.data import AtlasData
from viewmodel.urlstate import ViewState

#: zlib's level for the PNG's pixels: 1 encodes a 1920 x 1080 page in about a third of the
#: time of Pillow's default (6) for a file about a tenth larger; the pixels are the same.
COMPRESS_LEVEL = 1


def png_bytes(page: Page, title: str, author: str = DEFAULT_AUTHOR) -> bytes:
    """``page`` as PNG, titled ``title``, its author ``author`` (who exported it)."""
    return figure_bytes(page, "png", {"Title": title, "Author": author, "Software": "Atlas"},
                        pil_kwargs={"compress_level": COMPRESS_LEVEL})


def write_png(data: AtlasData, view: ViewState, options: ExportOptions) -> bytes:
    """The snapshot of ``view`` as a PNG image."""
    return render_page(data, view, options,
                       lambda page, title: png_bytes(page, title, author_of(data)))


FORMAT = ExportFormat(id="png", mime_type="image/png", extension="png", kind=Kind.SNAPSHOT,
                      label_key="export.format.png", write=write_png)
