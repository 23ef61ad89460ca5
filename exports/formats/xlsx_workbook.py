"""Excel: the matching programmes as a typed workbook with an information sheet (see
:mod:`exports.tables`)."""

from __future__ import annotations

from exports.formats.base import ExportFormat, ExportOptions, Kind
from exports.tables import about_rows, programmes_table, to_xlsx_bytes
from exports.trace import author_of
from viewmodel.data import AtlasData
from viewmodel.urlstate import ViewState


def write_xlsx(data: AtlasData, view: ViewState, options: ExportOptions) -> bytes:
    """The programmes matching ``view`` (and involving ``options.country``) as a workbook."""
    frame = programmes_table(data, view, view.lang, country=options.country)
    return to_xlsx_bytes(frame, view.lang, about_rows(data, view, len(frame), options.marking),
                         author_of(data))


FORMAT = ExportFormat(
    id="xlsx", mime_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    extension="xlsx", kind=Kind.TABLE, label_key="export.xlsx", write=write_xlsx,
)
