"""PowerPoint: the snapshot as one editable slide (:mod:`exports.powerpoint`)."""

from __future__ import annotations

from exports.formats.base import ExportFormat, ExportOptions, Kind
from exports.powerpoint import render_pptx
from viewmodel.data import AtlasData
from viewmodel.urlstate import ViewState


def write_pptx(data: AtlasData, view: ViewState, options: ExportOptions) -> bytes:
    """The snapshot of ``view`` as a one-slide presentation."""
    return render_pptx(data, view, options)


FORMAT = ExportFormat(
    id="pptx",
    mime_type="application/vnd.openxmlformats-officedocument.presentationml.presentation",
    extension="pptx", kind=Kind.SNAPSHOT, label_key="export.format.pptx", write=write_pptx,
)
