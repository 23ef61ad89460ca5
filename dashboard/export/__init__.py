"""Exports: map snapshots (PNG, SVG, PDF, PowerPoint) and the programmes table (CSV, Excel)."""

from dashboard.export.mapdraw import BadBbox, ExportError, parse_bbox
from dashboard.export.snapshot import FORMATS, INCLUDE_ALL, SIZES, render_snapshot

__all__ = ["BadBbox", "ExportError", "FORMATS", "INCLUDE_ALL", "SIZES", "parse_bbox",
           "render_snapshot"]
