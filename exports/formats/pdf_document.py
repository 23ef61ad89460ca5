"""PDF: the snapshot page as a one-page document, fonts embedded, no timestamp, titled and
tagged with its language (the document catalogue's ``/Lang``, its title shown by viewers)."""

from __future__ import annotations

import re

from exports.formats.base import ExportFormat, ExportOptions, Kind
from exports.page import Page, figure_bytes, render_page
from exports.trace import DEFAULT_AUTHOR, author_of
from viewmodel.data import AtlasData
from viewmodel.urlstate import ViewState

PDF_LANGS = {"fr": "fr-FR", "en": "en-GB"}


def with_pdf_language(content: bytes, lang: str) -> bytes:
    """``content`` (a PDF as matplotlib writes it) with ``/Lang`` and ``/ViewerPreferences
    << /DisplayDocTitle true >>`` in its catalogue, added as an incremental update (a new
    version of the catalogue object, its cross-reference section and trailer appended), so
    that no byte offset of the original changes."""
    tail = content[-1024:]
    root = re.search(rb"/Root (\d+) 0 R", tail)
    size = re.search(rb"/Size (\d+)", tail)
    start = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", tail)
    info = re.search(rb"/Info (\d+) 0 R", tail)
    if not (root and size and start):
        return content
    number = int(root.group(1))
    catalogue = re.search(rb"\n%d 0 obj\s*<<(.*?)>>\s*endobj" % number, content, re.S)
    if catalogue is None:
        return content
    body = catalogue.group(1).strip()
    language = PDF_LANGS.get(lang, lang)
    obj = (b"%d 0 obj\n<< " % number + body
           + b" /Lang (" + language.encode("ascii") + b") /ViewerPreferences "
           b"<< /DisplayDocTitle true >> >>\nendobj\n")
    prefix = content if content.endswith(b"\n") else content + b"\n"
    offset = len(prefix)
    xref_at = offset + len(obj)
    xref = b"xref\n%d 1\n%010d 00000 n \n" % (number, offset)
    trailer = (b"trailer\n<< /Size " + size.group(1) + b" /Root %d 0 R" % number
               + (b" /Info " + info.group(1) + b" 0 R" if info else b"")
               + b" /Prev " + start.group(1) + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref_at)
    return prefix + obj + xref + trailer


def pdf_bytes(page: Page, title: str, lang: str = "fr", author: str = DEFAULT_AUTHOR) -> bytes:
    """``page`` as PDF, titled ``title``, its language ``lang``, its author ``author`` (who
    exported it; same page, same bytes)."""
    return with_pdf_language(
        figure_bytes(page, "pdf", {"Title": title, "Author": author, "Creator": "Atlas",
                                   "Producer": "Atlas", "CreationDate": None}), lang)


def write_pdf(data: AtlasData, view: ViewState, options: ExportOptions) -> bytes:
    """The snapshot of ``view`` as a PDF page."""
    return render_page(data, view, options,
                       lambda page, title: pdf_bytes(page, title, view.lang, author_of(data)))


FORMAT = ExportFormat(id="pdf", mime_type="application/pdf", extension="pdf",
                      kind=Kind.SNAPSHOT, label_key="export.format.pdf", write=write_pdf)
