"""Render time of each export format at 16:9 (1920 x 1080) on the demo data.

    python -m benchmarks.export_times [--repeat 5] [--view "?mode=programmes&country=MLI"]

Prints one row per format: the first call (which projects the country shapes, the layers'
points and lines once per data load and projection) and the median of the following calls,
with the file size. The default view is the world's programmes map with every layer on: the
country names placed and the insets drawn (what :mod:`benchmarks.run` budgets).
"""

from __future__ import annotations

import argparse
import statistics
import time

from dashboard.settings import DEMO_DATA_DIR
from exports.formats.base import ExportOptions, Kind
from exports.formats.registry import lookup
from geodata.countries import load_countries
from geodata.loading import load_network
from viewmodel.data import build_atlas_data
from viewmodel.store import DataStore
from viewmodel.urlstate import parse_query

VIEW = "?mode=programmes"
CASES = (
    ("png", "16:9", 1), ("png", "16:9", 2), ("svg", "16:9", 1), ("pdf", "16:9", 1),
    ("pptx", "16:9", 1), ("png", "a4", 1), ("csv", "", 1), ("xlsx", "", 1),
)


def _render(data, view, fmt: str, size: str, scale: int) -> bytes:
    """One file of the registered format ``fmt`` (tables ignore the size, scale and marking,
    as before)."""
    export_format = lookup(fmt)
    if export_format.kind == Kind.TABLE:
        return export_format.write(data, view, ExportOptions())
    return export_format.write(data, view, ExportOptions(size=size, scale=scale,
                                                         marking="DIFFUSION RESTREINTE"))


def main() -> None:
    """Time every case and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed calls after the first")
    parser.add_argument("--view", default=VIEW, help="the view's query string")
    args = parser.parse_args()
    countries = load_countries()
    data = build_atlas_data(load_network(DEMO_DATA_DIR, countries), countries)
    view = parse_query(args.view, DataStore(data).vocabulary())
    print(f"view {args.view} (layers {','.join(view.layers)}), "
          f"{len(data.network.programmes)} programmes, {len(data.countries)} countries\n")
    print(f"{'format':<8}{'size':<7}{'scale':>6}{'first (s)':>12}{'median (s)':>12}"
          f"{'bytes':>12}")
    for fmt, size, scale in CASES:
        start = time.perf_counter()
        content = _render(data, view, fmt, size, scale)
        first = time.perf_counter() - start
        times = []
        for _ in range(max(args.repeat, 1)):
            start = time.perf_counter()
            _render(data, view, fmt, size, scale)
            times.append(time.perf_counter() - start)
        print(f"{fmt:<8}{size or '-':<7}{scale:>6}{first:>12.2f}{statistics.median(times):>12.2f}"
              f"{len(content):>12,}")


if __name__ == "__main__":
    main()
