"""Exports: map snapshots (PNG, SVG, PDF, PowerPoint) and the programmes table (CSV, Excel); the
formats are listed by :mod:`exports.formats.registry`."""

from exports.formats.base import INCLUDE_ALL
from exports.mapdraw import BadBbox, ExportError, parse_bbox
from exports.page import SIZES
from exports.snapshot import render_snapshot

__all__ = ["BadBbox", "ExportError", "INCLUDE_ALL", "SIZES", "parse_bbox", "render_snapshot"]
