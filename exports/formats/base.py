"""What an export format declares, and the options an export request carries."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from viewmodel.data import AtlasData
from viewmodel.urlstate import ViewState

#: The optional parts of a snapshot page.
INCLUDE_ALL = frozenset({"legend", "kpis", "filters"})


class Kind(StrEnum):
    """What a format exports: the map as shown (a snapshot) or the matching programmes (a
    table)."""

    SNAPSHOT = "snapshot"
    TABLE = "table"


@dataclass(frozen=True)
class ExportOptions:
    """One export request besides the view. Snapshots read ``size`` (16:9, 4:3, a4),
    ``scale`` (1 or 2), ``title`` (None: from the filters), ``include`` (parts of
    :data:`INCLUDE_ALL`) and ``bbox`` (W, S, E, N in degrees; None: the world); tables read
    ``country`` (keep the programmes involving it; None: all). Both print ``marking``."""

    size: str = "16:9"
    scale: int = 1
    title: str | None = None
    include: Iterable[str] = INCLUDE_ALL
    marking: str = ""
    bbox: tuple[float, float, float, float] | None = None
    country: str | None = None
    #: A line under the title (the filters follow it), the speaker notes of a slide, the
    #: map as native PowerPoint shapes, the base URL of the view's link (``ATLAS_PUBLIC_URL``).
    subtitle: str = ""
    notes: str = ""
    vector_map: bool = False
    public_url: str = ""


#: A format's writer: the file's bytes for the data, the view and the options.
Writer = Callable[[AtlasData, ViewState, ExportOptions], bytes]


@dataclass(frozen=True)
class ExportFormat:
    """One export format: ``id`` (as typed in ``--format`` and sent by the dialog), MIME type,
    file extension (no dot), kind, catalogue key of its label (:mod:`geodata.i18n`) and
    writer."""

    id: str
    mime_type: str
    extension: str
    kind: Kind
    label_key: str
    write: Writer
    #: Added to the file's stem, for a format sharing its extension with another (the
    #: playback's slide beside the snapshot's: ``atlas-coverage-...-video.pptx``).
    stem_suffix: str = ""

    def file_name(self, stem: str) -> str:
        """``stem`` with this format's extension."""
        return f"{stem}{self.stem_suffix}.{self.extension}"
