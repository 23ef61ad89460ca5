"""Exports: map snapshots (PNG, SVG, PDF, PowerPoint) and the programmes table (CSV, Excel); the
formats are listed by :mod:`dashboard.export.formats.registry`."""

from dashboard.export.formats.base import INCLUDE_ALL
from dashboard.export.mapdraw import BadBbox, ExportError, parse_bbox
from dashboard.export.page import SIZES
from dashboard.export.snapshot import render_snapshot

__all__ = ["BadBbox", "ExportError", "INCLUDE_ALL", "SIZES", "parse_bbox", "render_snapshot"]
