"""Every export format, in the order the command line and the dialog list them, and the
helpers to look them up. Adding a format: a module declaring its ``FORMAT``, listed here."""

from __future__ import annotations

from exports.formats import (
    csv_table,
    gif_playback,
    mp4_playback,
    pdf_document,
    png_image,
    pptx_playback,
    pptx_slide,
    svg_image,
    xlsx_workbook,
)
from exports.formats.base import ExportFormat, Kind
from exports.mapdraw import ExportError

FORMATS: tuple[ExportFormat, ...] = (
    png_image.FORMAT,
    svg_image.FORMAT,
    pdf_document.FORMAT,
    pptx_slide.FORMAT,
    gif_playback.FORMAT,
    mp4_playback.FORMAT,
    pptx_playback.FORMAT,
    csv_table.FORMAT,
    xlsx_workbook.FORMAT,
)
_BY_ID = {fmt.id: fmt for fmt in FORMATS}
if len(_BY_ID) != len(FORMATS):
    raise RuntimeError("two export formats share an id")


class UnknownFormat(ExportError):
    """A format id that is not registered (or not of the kind asked for)."""


def of_kind(kind: Kind) -> tuple[ExportFormat, ...]:
    """The formats of ``kind``, in registry order."""
    return tuple(fmt for fmt in FORMATS if fmt.kind == kind)


def format_ids(kind: Kind | None = None) -> tuple[str, ...]:
    """The ids of every format (or of the formats of ``kind``), in registry order."""
    return tuple(fmt.id for fmt in (FORMATS if kind is None else of_kind(kind)))


def lookup(format_id: str, kind: Kind | None = None) -> ExportFormat:
    """The format of ``format_id`` (of ``kind`` when given); raises :class:`UnknownFormat`
    naming the accepted ids."""
    fmt = _BY_ID.get(format_id)
    if fmt is None or (kind is not None and fmt.kind != kind):
        raise UnknownFormat(f"unknown format {format_id!r}; "
                            f"choose one of {', '.join(format_ids(kind))}")
    return fmt


def parse_format_list(text: str) -> list[ExportFormat]:
    """``"png,PDF"`` as formats, in the order given, repeats dropped; raises
    :class:`UnknownFormat` naming the unknown ids and the accepted ones."""
    asked = [part.strip().lower() for part in str(text).split(",") if part.strip()]
    unknown = [part for part in asked if part not in _BY_ID]
    if not asked or unknown:
        raise UnknownFormat(f"unknown format {', '.join(unknown) or repr(text)}; "
                            f"choose among {', '.join(format_ids())}")
    return [_BY_ID[part] for part in dict.fromkeys(asked)]


def is_extension(suffix: str) -> bool:
    """Whether ``suffix`` (with or without its dot, any case) is a format's file extension."""
    return suffix.lstrip(".").lower() in {fmt.extension for fmt in FORMATS}
