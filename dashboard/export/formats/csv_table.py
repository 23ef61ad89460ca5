"""CSV: the matching programmes for Excel set to French (see :mod:`dashboard.export.tables`)."""

from __future__ import annotations

from dashboard.data import AtlasData
from dashboard.export.formats.base import ExportFormat, ExportOptions, Kind
from dashboard.export.tables import programmes_table, to_csv_bytes
from viewmodel.urlstate import ViewState


def write_csv(data: AtlasData, view: ViewState, options: ExportOptions) -> bytes:
    """The programmes matching ``view`` (and involving ``options.country``) as CSV."""
    frame = programmes_table(data, view, view.lang, country=options.country)
    return to_csv_bytes(frame, view.lang)


FORMAT = ExportFormat(id="csv", mime_type="text/csv", extension="csv", kind=Kind.TABLE,
                      label_key="export.csv", write=write_csv)
