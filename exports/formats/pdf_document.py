"""PDF: the snapshot page as a one-page document, fonts embedded, no timestamp."""

from __future__ import annotations

from exports.formats.base import ExportFormat, ExportOptions, Kind
from exports.page import Page, figure_bytes, render_page
from viewmodel.data import AtlasData
from viewmodel.urlstate import ViewState


def pdf_bytes(page: Page, title: str) -> bytes:
    """``page`` as PDF, titled ``title`` (same page, same bytes)."""
    return figure_bytes(page, "pdf", {"Title": title, "Creator": "Atlas", "Producer": "Atlas",
                                      "CreationDate": None})


def write_pdf(data: AtlasData, view: ViewState, options: ExportOptions) -> bytes:
    """The snapshot of ``view`` as a PDF page."""
    return render_page(data, view, options, pdf_bytes)


FORMAT = ExportFormat(id="pdf", mime_type="application/pdf", extension="pdf",
                      kind=Kind.SNAPSHOT, label_key="export.format.pdf", write=write_pdf)
