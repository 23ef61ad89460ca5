"""PowerPoint: the snapshot as one editable slide (:mod:`dashboard.export.powerpoint`)."""

from __future__ import annotations

from dashboard.data import AtlasData
from dashboard.export.formats.base import ExportFormat, ExportOptions, Kind
from dashboard.export.powerpoint import render_pptx
from viewmodel.urlstate import ViewState


def write_pptx(data: AtlasData, view: ViewState, options: ExportOptions) -> bytes:
    """The snapshot of ``view`` as a one-slide presentation."""
    return render_pptx(data, view, size=options.size, scale=options.scale, title=options.title,
                       include=options.include, marking=options.marking, bbox=options.bbox)


FORMAT = ExportFormat(
    id="pptx",
    mime_type="application/vnd.openxmlformats-officedocument.presentationml.presentation",
    extension="pptx", kind=Kind.SNAPSHOT, label_key="export.format.pptx", write=write_pptx,
)
