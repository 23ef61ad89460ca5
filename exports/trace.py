"""Traceable exports: who made an export and when, on every page (a footer line) and in the
file's own metadata (PDF and PNG author, SVG creator, PPTX author and last modified by, XLSX
creator and last modified by, and a line of the workbook's information sheet).

The trace rides on the data exported (``AtlasData.export_trace``), set once at the entry
points (the dashboard's export callbacks, ``atlas export|deck --user``) from the request's
user and the app's clock: every page the export draws reads it through
:func:`exports.describe.footer_text`, whatever the format. CSV files carry none (a comment
line would be read as a row by Excel, pandas and most CSV readers).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

from geodata.i18n import describe, format_day
from viewmodel.data import AtlasData

#: The author a file names when it carries no trace.
DEFAULT_AUTHOR = "Atlas"


@dataclass(frozen=True)
class ExportTrace:
    """Who exported (``user``) and when (``at``, UTC)."""

    user: str
    at: datetime

    def line(self, lang: str) -> str:
        """"Exporté par awa le 7 décembre 2026 à 09:30 UTC" / "Exported by awa on 7 December
        2026 at 09:30 UTC"."""
        at = self.at.astimezone(UTC)
        return describe("export.trace", lang, {"user": self.user, "date": format_day(
            at.date(), lang), "time": f"{at:%H:%M}"})


def traced(data: AtlasData, trace: ExportTrace | None) -> AtlasData:
    """``data`` carrying ``trace`` (``data`` itself when None)."""
    return data if trace is None else replace(data, export_trace=trace)


def author_of(data: AtlasData) -> str:
    """The author a file of ``data`` names: the user who exported it, else the atlas."""
    trace = getattr(data, "export_trace", None)
    return trace.user if trace is not None else DEFAULT_AUTHOR


def trace_line(data: AtlasData, lang: str) -> str:
    """The footer's trace line ("" without a trace)."""
    trace = getattr(data, "export_trace", None)
    return trace.line(lang) if trace is not None else ""
