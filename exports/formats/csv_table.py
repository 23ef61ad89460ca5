"""CSV: the matching programmes for Excel set to French (see :mod:`exports.tables`)."""

from __future__ import annotations

from exports.formats.base import ExportFormat, ExportOptions, Kind
from exports.tables import programmes_table, to_csv_bytes
from viewmodel.data import AtlasData
from viewmodel.urlstate import ViewState


def write_csv(data: AtlasData, view: ViewState, options: ExportOptions) -> bytes:
    """The programmes matching ``view`` (and involving ``options.country``) as CSV."""
    frame = programmes_table(data, view, view.lang, country=options.country)
    return to_csv_bytes(frame, view.lang)


FORMAT = ExportFormat(id="csv", mime_type="text/csv", extension="csv", kind=Kind.TABLE,
                      label_key="export.csv", write=write_csv)
