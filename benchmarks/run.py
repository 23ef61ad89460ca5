"""Benchmark the atlas against the usual approach and check the performance budgets.

    python benchmarks/run.py [--quick] [--out docs/benchmark-results.md]
    python benchmarks/run.py --first-load   # only the first load, printed, nothing written
    python benchmarks/run.py --felt         # only the filter changes as felt in the browser

Runs the real app under gunicorn (the Procfile's two sync workers, on 127.0.0.1) on the demo
data and on deterministic 10x, 100x and 1,000x copies of its programmes (generated once and
kept, with their validated stored form, in the benchmark's cache folder, ``ATLAS_BENCH_CACHE``,
default ``<temp>/atlas-bench-cache``, keyed by the digest of what makes them), and measures:
the worker's boot and peak memory at each scale, the first load
(bytes on the wire, time until every country shape is drawn in headless Chromium, cold and
warm), a filter change (response bytes, server time in-process and over HTTP), callbacks per
second, worker memory, the snapshot exports, and a briefing pack (the world, 6 regions and 20
country briefs, PowerPoint and PDF) with the map's callback latency while one is built, and the
app held under load (``benchmarks/underload.py``: 200 Locust users for 60 s, exports among
their actions, the workers' memory sampled). The same
filter changes go to a baseline app that rebuilds a Plotly choropleth in the callback
(``benchmarks/baseline.py``); the first draw is compared with a bare page drawing the same
shapes (``benchmarks/bare.py``), loaded in turns with the atlas in the same run, and a filter
change as felt in the browser (click -> fills painted) with the same page whose radio's server
callback returns only a new hideout. Writes a
markdown report (budgets with PASS/FAIL first) and prints it. ``--quick`` runs a small version
(fewer states, shorter runs, no 100x) for a smoke test.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks import browser, loadgen, servers, synthetic, underload  # noqa: E402
from benchmarks.baseline import (  # noqa: E402
    GRAPH_ID,
    baseline_figure,
    create_baseline_app,
    load_geojson,
)
from dashboard import ids  # noqa: E402
from dashboard.app import create_app  # noqa: E402
from dashboard.layout import legend_children, year_bounds  # noqa: E402
from dashboard.settings import Settings  # noqa: E402
from geodata.countries import load_countries  # noqa: E402
from geodata.loading import DEMO_DIR, load_network  # noqa: E402
from geodata.stored import NetworkStore  # noqa: E402
from layers import countries as countries_layer  # noqa: E402
from layers import links as links_layer  # noqa: E402
from layers import posts as posts_layer  # noqa: E402
from layers import small_states as small_states_layer  # noqa: E402
from viewmodel.data import GEOJSON_ROOT, AtlasData, build_atlas_data  # noqa: E402
from viewmodel.mapview import map_view  # noqa: E402
from viewmodel.store import DataStore  # noqa: E402
from viewmodel.urlstate import LAYER_NAMES, ViewState, view_from_controls  # noqa: E402

UPDATE_PATH = "/_dash-update-component"
MAP_OUTPUT = f"{countries_layer.LAYER_ID}.hideout"
BASELINE_OUTPUT = f"{GRAPH_ID}.figure"
KB = 1000
BARE_APP = "benchmarks.bare:wsgi_server()"
BARE_FILTER_APP = "benchmarks.bare:filter_wsgi_server()"

BUDGETS = {
    "bytes_ratio": 100,          # a filter change: at most 1/100 of the baseline's bytes
    "time_ratio": 20,            # ... and 1/20 of its server time
    "p95_1x_ms": 20.0,
    "p95_100x_ms": 100.0,
    "geometry_bytes": 150 * KB,
    "first_draw_ms": 500.0,
    "first_draw_ratio": 1.2,     # the atlas's cold first draw vs the bare page's (same run)
    "callbacks_per_second": 2000.0,
    "png_seconds": 0.3,          # the world map with its names and insets (the default layers)
    "pptx_seconds": 0.4,
    "worker_rss_mib": 400.0,     # at 100x
    "boot_1000x_seconds": 30.0,  # a worker ready (gunicorn started -> both workers idle)
    "p95_1000x_ms": 50.0,
    "worker_rss_1000x_mib": 600.0,
    "asof_p95_1x_ms": 100.0,     # an as-of change (a new date, not one seen before)
    "asof_p95_100x_ms": 500.0,
    "playback_fps": 4.0,         # dates painted per second while playing, headless Chromium
    "pack_seconds": 15.0,        # a pack of the world, 6 regions and 20 country briefs
    "pack_page_seconds": 0.5,
    "felt_ratio": 1.3,           # a change as felt in the browser vs the bare page's (p50)
    "felt_p95_ms": 100.0,
}


@dataclass(frozen=True)
class Plan:
    """How much to measure."""

    scales: tuple[int, ...]
    states: int
    baseline_states: int
    throughput_seconds: float
    baseline_throughput_seconds: float
    clients: int
    browser_runs: int
    export_repeats: int
    export_formats: tuple[str, ...]
    asof_states: int = 60
    playback_seconds: float = 5.0
    pack_regions: int = 6
    pack_briefs: int = 20
    pack_formats: tuple[str, ...] = ("pptx", "pdf")
    load_users: int = 200  # the Locust scenario (benchmarks/underload.py)
    load_seconds: float = 60.0
    felt_changes: int = 12       # filter changes as felt, per page, at 1x and 100x


#: Payloads of the throughput run on new requests: more than the workers answer in its time.
NEW_REQUESTS = 15_000

FULL = Plan(scales=(1, 10, 100, 1000), states=300, baseline_states=200, throughput_seconds=10.0,
            baseline_throughput_seconds=5.0, clients=4, browser_runs=3, export_repeats=3,
            export_formats=("png", "svg", "pdf", "pptx"))
QUICK = Plan(scales=(1, 10), states=40, baseline_states=8, throughput_seconds=2.0,
             baseline_throughput_seconds=2.0, clients=2, browser_runs=1, export_repeats=1,
             export_formats=("png", "pptx"), asof_states=8, playback_seconds=2.0,
             pack_regions=2, pack_briefs=3, pack_formats=("pptx",), load_users=20,
             load_seconds=10.0, felt_changes=4)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..100) of ``values``; NaN when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def ms(seconds: float) -> str:
    """Seconds as milliseconds for the report."""
    if seconds != seconds:
        return "n/a"
    return f"{seconds * 1000:.2f}" if seconds < 0.01 else f"{seconds * 1000:.1f}"


def size(n_bytes: float) -> str:
    """A byte count for the report (KB = 1000 bytes)."""
    if n_bytes != n_bytes:
        return "n/a"
    if n_bytes < 10 * KB:
        return f"{n_bytes:,.0f} B"
    return f"{n_bytes / KB:,.1f} KB"


def verdict(ok: bool | None) -> str:
    """PASS, FAIL or n/a (not measured)."""
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


# --------------------------------------------------------------------------------------------
# Machine
# --------------------------------------------------------------------------------------------


def _command_output(command: list[str]) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine() -> dict:
    """What the numbers were measured on."""
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor())
    versions = {name: _version(name) for name in
                ("dash", "plotly", "dash-leaflet", "flask", "flask-compress", "gunicorn",
                 "pandas", "numpy", "selenium")}
    return {
        "nproc": _command_output(["nproc"]),
        "free": _command_output(["free", "-g"]),
        "cpu": cpu,
        "python": platform.python_version(),
        "chromium": _command_output(["/usr/bin/chromium", "--version"]),
        "versions": versions,
        "kernel": platform.release(),
        "revision": _command_output(["git", "-C", str(REPO), "describe", "--always", "--dirty"])
        or "unknown (not a git checkout)",
    }


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def load_snapshot() -> dict:
    """The load average and the busiest other processes, to tell whether the machine was quiet."""
    load = os.getloadavg()
    # The second of two samples one second apart: the first one averages since boot.
    top = _command_output(["top", "-bn2", "-d", "1", "-o", "%CPU", "-w", "200"]).splitlines()
    headers = [i for i, line in enumerate(top) if line.lstrip().startswith("PID")]
    header = headers[-1] if headers else None
    busy = []
    if header is not None:
        for line in top[header + 1:header + 12]:
            parts = line.split(None, 11)
            if len(parts) >= 12 and parts[0] != str(os.getpid()):
                try:
                    cpu = float(parts[8].replace(",", "."))
                except ValueError:
                    continue
                if cpu >= 20:
                    busy.append(f"{parts[11][:60]} ({cpu:.0f}% CPU)")
    return {"load": load, "busy": busy}


# --------------------------------------------------------------------------------------------
# In-process measurements
# --------------------------------------------------------------------------------------------


@dataclass
class FilterRun:
    """Per-request times (s) and response sizes (bytes) for one set of filter changes."""

    seconds: list[float] = field(default_factory=list)
    wire_bytes: list[int] = field(default_factory=list)
    raw_bytes: list[int] = field(default_factory=list)
    errors: int = 0

    def p(self, q: float) -> float:
        return percentile(self.seconds, q)

    def median_wire(self) -> float:
        return statistics.median(self.wire_bytes) if self.wire_bytes else math.nan

    def median_raw(self) -> float:
        return statistics.median(self.raw_bytes) if self.raw_bytes else math.nan


def view_of(values: dict, data: AtlasData, vocabulary) -> ViewState:
    """The view the map callback computes from these control values."""
    controls = {name: values.get(control_id)
                for control_id, name in loadgen.CONTROL_FIELDS.items()}
    return view_from_controls(controls, vocabulary, country=values.get(ids.SELECTED_COUNTRY),
                              lang=values.get(ids.LANG))


def compute_app(data: AtlasData, states: list[dict]) -> FilterRun:
    """``map_view`` plus the JSON of what the callback returns, per state."""
    from plotly.io.json import to_json_plotly

    vocabulary = DataStore(data).vocabulary()
    views = [view_of(values, data, vocabulary) for values in states]
    run = FilterRun()
    for view in views[:5]:
        map_view(data, view)
    for view in views:
        start = time.perf_counter()
        result = map_view(data, view)
        body = to_json_plotly([result.countries_hideout, result.countries_hideout,
                               *result.kpi_texts, legend_children(result.legends)])
        run.seconds.append(time.perf_counter() - start)
        run.raw_bytes.append(len(body.encode("utf-8")))
    return run


def compute_baseline(data: AtlasData, geojson: dict, states: list[dict]) -> FilterRun:
    """The baseline's figure build plus its JSON, per state."""
    from plotly.io.json import to_json_plotly

    vocabulary = DataStore(data).vocabulary()
    run = FilterRun()
    for values in states:
        view = view_of(values, data, vocabulary)
        start = time.perf_counter()
        body = to_json_plotly(baseline_figure(geojson, data, view))
        run.seconds.append(time.perf_counter() - start)
        run.raw_bytes.append(len(body.encode("utf-8")))
    return run


def _unzipped(body: bytes, headers) -> bytes:
    return gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body


def client_round_trips(app, output: str, states: list[dict], *, warm_up: int = 3) -> FilterRun:
    """Flask test client POSTs of the callback that writes ``output``, one per state, after
    ``warm_up`` untimed ones."""
    client = app.server.test_client()
    spec = loadgen.callback_spec(client.get("/_dash-dependencies").get_json(), output)
    bodies = [loadgen.callback_body(spec, values) for values in states]
    headers = {"Accept-Encoding": "gzip", "Content-Type": "application/json"}
    for body in (bodies * (1 + warm_up // max(len(bodies), 1)))[:warm_up]:
        client.post(UPDATE_PATH, data=body, headers=headers)
    run = FilterRun()
    for body in bodies:
        start = time.perf_counter()
        response = client.post(UPDATE_PATH, data=body, headers=headers)
        run.seconds.append(time.perf_counter() - start)
        if response.status_code != 200:
            run.errors += 1
            continue
        run.wire_bytes.append(len(response.data))
        run.raw_bytes.append(len(_unzipped(response.data, response.headers)))
    return run


def http_round_trips(port: int, output: str, states: list[dict],
                     warm_states: list[dict] | None = None) -> FilterRun:
    """The same POSTs over HTTP to gunicorn, one after the other from one client, after
    untimed ones (the first six states, or ``warm_states``)."""
    dependencies = json.loads(_unzipped_reply(loadgen.get(servers.HOST, port,
                                                          "/_dash-dependencies")))
    spec = loadgen.callback_spec(dependencies, output)
    bodies = [loadgen.callback_body(spec, values) for values in states]
    warm = ([loadgen.callback_body(spec, values) for values in warm_states]
            if warm_states is not None else bodies[:6])
    loadgen.timed_posts(servers.HOST, port, UPDATE_PATH, warm)
    run = FilterRun()
    for reply in loadgen.timed_posts(servers.HOST, port, UPDATE_PATH, bodies):
        run.seconds.append(reply.seconds)
        if reply.status != 200:
            run.errors += 1
            continue
        run.wire_bytes.append(len(reply.body))
        run.raw_bytes.append(len(_unzipped_reply(reply)))
    return run


def _unzipped_reply(reply: loadgen.Reply) -> bytes:
    if reply.headers.get("content-encoding") == "gzip":
        return gzip.decompress(reply.body)
    return reply.body


def export_times(data: AtlasData, plan: Plan) -> dict[str, tuple[float, float]] | None:
    """Seconds per format at 1920x1080 (first call, median of the repeats); None without the
    export module. The view is the world's programmes map with every layer on: the country
    names placed and the two insets drawn, as a director's slide shows them."""
    try:
        from exports import render_snapshot
        from exports.mapdraw import INSETS
    except ImportError:
        return None
    view = ViewState(mode="programmes", layers=LAYER_NAMES)
    assert "labels" in view.layers and INSETS  # what the rows say they measure
    results = {}
    for fmt in plan.export_formats:
        times = []
        for _ in range(1 + plan.export_repeats):
            start = time.perf_counter()
            render_snapshot(data, view, fmt=fmt, size="16:9", scale=1)
            times.append(time.perf_counter() - start)
        results[fmt] = (times[0], statistics.median(times[1:]))
    return results


def pack_pages(data: AtlasData, regions: int, briefs: int) -> tuple:
    """The benchmark's briefing pack: the world, the first ``regions`` regions and a brief for
    each of the ``briefs`` countries with the most active programmes."""
    from exports.deck import preset_pages

    world, *by_region = preset_pages(data, "regions")
    return (world, *by_region[:regions], *preset_pages(data, "countries")[:briefs])


def pack_times(data: AtlasData, pages: tuple, formats: tuple[str, ...]) -> dict[str, float]:
    """Seconds to build the pack in each format, in-process (a job process, warm)."""
    from exports.deck import DeckOptions, build_deck

    build_deck(data, pages[:1], "pptx", DeckOptions())  # imports and first-use caches
    times = {}
    for fmt in formats:
        start = time.perf_counter()
        build_deck(data, pages, fmt, DeckOptions())
        times[fmt] = time.perf_counter() - start
    return times


@dataclass
class PackRun:
    """The pack benchmark: build times per format, and the web worker's filter callbacks over
    HTTP when idle and while a pack is being built beside it."""

    pages: int
    seconds: dict[str, float]
    idle: FilterRun
    busy: FilterRun
    pack_wall_seconds: float


def _write_spec(pages: tuple, path: Path) -> Path:
    import yaml

    spec = {"pages": [{"view": page.view, **({"brief": True} if page.brief else {})}
                      for page in pages]}
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    return path


def pack_beside_server(data: AtlasData, plan: Plan, port: int, states: list[dict],
                       workdir: Path) -> PackRun:
    """Build the pack in-process per format, then serve the demo with gunicorn and time the
    filter callbacks over HTTP, idle and while ``atlas deck`` builds the same pack (PowerPoint)
    in a process of its own, as a background job does."""
    pages = pack_pages(data, plan.pack_regions, plan.pack_briefs)
    seconds = pack_times(data, pages, plan.pack_formats)
    spec = _write_spec(pages, workdir / "pack.yaml")
    server = servers.start_gunicorn("dashboard.wsgi:server", port, DEMO_DIR,
                                    log_path=workdir / "gunicorn-pack.log")
    try:
        idle = http_round_trips(port, MAP_OUTPUT, states)
        busy = FilterRun()
        started = time.perf_counter()
        deck = subprocess.Popen([sys.executable, "-m", "cli", "deck", "--spec", str(spec),
                                 "--out", str(workdir / "pack.pptx"), "--data", str(DEMO_DIR)],
                                cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        while deck.poll() is None:
            run_ = http_round_trips(port, MAP_OUTPUT, states[:10])
            busy.seconds += run_.seconds
            busy.errors += run_.errors
        wall = time.perf_counter() - started
        if deck.returncode != 0:
            raise RuntimeError(f"atlas deck failed: {deck.stderr.read().decode()[-2000:]}")
    finally:
        server.stop()
    return PackRun(len(pages), seconds, idle, busy, wall)


# --------------------------------------------------------------------------------------------
# Over HTTP: first load, throughput, memory
# --------------------------------------------------------------------------------------------


def _find_props(node, component_id: str):
    if isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict):
            if props.get("id") == component_id:
                return props
            for value in props.values():
                found = _find_props(value, component_id)
                if found is not None:
                    return found
        return None
    if isinstance(node, list):
        for child in node:
            found = _find_props(child, component_id)
            if found is not None:
                return found
    return None


@dataclass
class FirstLoad:
    """Bytes of the first load, by kind: (wire bytes, uncompressed bytes, files)."""

    parts: dict[str, tuple[int, int, int]]
    uncompressed_files: list[str]
    geometry_url: str
    #: Each script's wire bytes, largest first.
    scripts: list[tuple[str, int]] = field(default_factory=list)


def first_load_bytes(port: int, extra_paths: list[str]) -> FirstLoad:
    """Fetch the page and everything it needs with ``Accept-Encoding: gzip``; count the bytes
    as sent. ``extra_paths`` are scripts the browser loaded on demand (Dash async chunks)."""
    page = loadgen.get(servers.HOST, port, "/")
    html_text = _unzipped_reply(page).decode("utf-8")
    scripts = re.findall(r'<script[^>]*\ssrc="([^"]+)"', html_text)
    styles = re.findall(r'<link[^>]*\shref="([^"]+\.css[^"]*)"', html_text)
    scripts += [path for path in extra_paths if path not in scripts]
    parts: dict[str, list[int]] = {}
    uncompressed = []
    script_sizes = []

    def count(kind: str, reply: loadgen.Reply, path: str) -> None:
        wire, raw, files = parts.setdefault(kind, [0, 0, 0])
        body = _unzipped_reply(reply)
        parts[kind] = [wire + len(reply.body), raw + len(body), files + 1]
        if kind == "scripts (JS)":
            script_sizes.append((path.split("?")[0], len(reply.body)))
        if reply.headers.get("content-encoding") != "gzip" and len(body) > 1000:
            uncompressed.append(path)

    count("page HTML", page, "/")
    for kind, paths in (("scripts (JS)", scripts), ("styles (CSS)", styles)):
        for path in paths:
            count(kind, loadgen.get(servers.HOST, port, path), path)
    layout = loadgen.get(servers.HOST, port, "/_dash-layout")
    count("layout (/_dash-layout)", layout, "/_dash-layout")
    count("callbacks (/_dash-dependencies)",
          loadgen.get(servers.HOST, port, "/_dash-dependencies"), "/_dash-dependencies")
    # The country shapes' URL: the store the page's decoder reads (a topology), else the
    # layer's own URL.
    shapes = _find_props(json.loads(_unzipped_reply(layout)), ids.COUNTRY_SHAPES) or {}
    props = _find_props(json.loads(_unzipped_reply(layout)), countries_layer.LAYER_ID) or {}
    geometry_url = shapes.get("data") or props.get("url", f"{GEOJSON_ROOT}/countries.geojson")
    count("geometry (country shapes)", loadgen.get(servers.HOST, port, geometry_url),
          geometry_url)
    for layer in (posts_layer, small_states_layer, links_layer):
        url = (_find_props(json.loads(_unzipped_reply(layout)), layer.LAYER_ID) or {}).get("url")
        if url:  # overlays fetched by URL after the first render
            count("overlays (posts, small states, links)",
                  loadgen.get(servers.HOST, port, url), url)
    return FirstLoad({k: tuple(v) for k, v in parts.items()}, uncompressed, geometry_url,
                     sorted(script_sizes, key=lambda item: -item[1]))


@dataclass
class Served:
    """What one gunicorn run measured."""

    scale: int
    boot_seconds: float
    http: FilterRun
    throughput: loadgen.Throughput | None
    worker_hwm_kb: list[int]
    worker_class: str = ""
    command: str = ""
    first_load: FirstLoad | None = None
    cold: list[browser.PageLoad] = field(default_factory=list)
    warm: list[browser.PageLoad] = field(default_factory=list)
    browser_error: str = ""
    #: The bare page's cold loads, in turns with the atlas's (``benchmarks/bare.py``).
    bare_cold: list[browser.PageLoad] = field(default_factory=list)
    asof_http: FilterRun = field(default_factory=FilterRun)
    playback: browser.Playback | None = None
    playback_error: str = ""
    #: Changes as felt in headless Chromium (``measure_felt``), by page.
    felt: dict[str, list[browser.Felt]] = field(default_factory=dict)
    felt_error: str = ""
    #: The throughput on requests none of which was asked before (no kept answer).
    throughput_new: loadgen.Throughput | None = None


def serve_and_measure(app_path: str, output: str, data_dir: Path, scale: int, states,
                      plan: Plan, port: int, log_dir: Path, *, page: bool,
                      store_dir: Path | None = None,
                      throughput_seconds: float, asof: tuple[list, list] | None = None,
                      playback: bool = False, felt_dates: list[str] | None = None) -> Served:
    """Start gunicorn on ``app_path`` and measure a filter change, throughput and memory (and
    the first load when ``page``; the as-of changes ``asof`` = (warm-up states, timed
    states); the playback's frame rate when ``playback``; the changes as felt in the browser,
    with the bare page, when given ``felt_dates``)."""
    log_path = log_dir / f"gunicorn-{app_path.split(':')[0].split('.')[-1]}-{scale}x.log"
    server = servers.start_gunicorn(app_path, port, data_dir, log_path=log_path,
                                    store_dir=store_dir)
    try:
        served = Served(scale, server.boot_seconds, FilterRun(), None, [],
                        worker_class=server.worker_class(),
                        command=" ".join(["gunicorn", *server.command[3:]]))
        if page:
            measure_page(served, port, data_dir, plan, log_dir)
        if felt_dates:
            measure_felt(served, port, data_dir, plan, log_dir, felt_dates)
        served.http = http_round_trips(port, output, states)
        if asof:
            served.asof_http = http_round_trips(port, output, asof[1], warm_states=asof[0])
        if playback:
            try:
                served.playback = browser.playback_rate(
                    f"http://{servers.HOST}:{port}/?mode=programmes",
                    seconds=plan.playback_seconds)
            except Exception as error:  # the rest of the benchmark still runs
                served.playback_error = f"{type(error).__name__}: {error}"
        dependencies = json.loads(_unzipped_reply(loadgen.get(servers.HOST, port,
                                                              "/_dash-dependencies")))
        spec = loadgen.callback_spec(dependencies, output)
        bodies = [loadgen.callback_body(spec, values) for values in states]
        served.throughput = loadgen.throughput(servers.HOST, port, UPDATE_PATH, bodies,
                                               duration=throughput_seconds,
                                               clients=plan.clients)
        if any(item["id"] == ids.MAP_EXTENT for item in spec.get("state", [])):
            # The same filter states, each request with a map position of its own: none has a
            # kept answer (dashboard/answers.py), every one runs the callback.
            new = [loadgen.callback_body(spec, {**states[i % len(states)], ids.MAP_EXTENT: {
                       "lat": 10 + i * 1e-4, "lon": 0.0, "zoom": 4.0}})
                   for i in range(NEW_REQUESTS)]
            served.throughput_new = loadgen.throughput(servers.HOST, port, UPDATE_PATH, new,
                                                       duration=throughput_seconds,
                                                       clients=plan.clients)
        served.worker_hwm_kb = server.worker_memory_kb("VmHWM")
        return served
    finally:
        server.stop()


def measure_page(served: Served, port: int, data_dir: Path, plan: Plan, log_dir: Path) -> None:
    """The first load of the atlas served on ``port``: cold and warm draws in headless
    Chromium, in turns with the bare page (started on ``port + 1`` for the time being), and
    the bytes of every part."""
    bare = servers.start_gunicorn(BARE_APP, port + 1, data_dir,
                                  log_path=log_dir / "gunicorn-bare.log")
    try:
        cold, warm = browser.cold_in_turns(
            {"atlas": f"http://{servers.HOST}:{port}/",
             "bare": f"http://{servers.HOST}:{port + 1}/"}, runs=plan.browser_runs)
        served.cold, served.warm, served.bare_cold = cold["atlas"], warm["atlas"], cold["bare"]
    except Exception as error:  # the rest of the benchmark still runs
        served.browser_error = f"{type(error).__name__}: {error}"
    finally:
        bare.stop()
    # Scripts the page loaded on demand or preloaded (a preload's initiator is "link").
    extra = sorted({_local_path(r["name"]) for load in served.cold for r in load.resources
                    if r["type"] == "script" or r["name"].split("?")[0].endswith(".js")})
    served.first_load = first_load_bytes(port, extra)


FELT_PAGES = {"atlas": "the atlas, mode radio (coverage / programmes)",
              "atlas as-of": "the atlas, as-of date typed (programmes map)",
              "bare": "bare page, radio -> server callback -> new hideout"}


def measure_felt(served: Served, port: int, data_dir: Path, plan: Plan, log_dir: Path,
                 dates: list[str]) -> None:
    """Filter changes as felt in headless Chromium, each page in a browser of its own and in
    turns: the atlas's mode radio, an as-of date typed on its programmes map (``dates``), and
    the bare page's radio (``benchmarks/bare.py``, started on ``port + 1``)."""
    from benchmarks.bare import FILTER_ID, FILTER_VALUES

    count = plan.felt_changes
    bare = servers.start_gunicorn(BARE_FILTER_APP, port + 1, data_dir,
                                  log_path=log_dir / f"gunicorn-bare-filter-{served.scale}x.log")
    atlas = f"http://{servers.HOST}:{port}/"
    try:
        served.felt = browser.felt_in_turns({
            "atlas": (atlas, [browser.click_option(ids.MODE, ("programmes", "coverage")[i % 2])
                              for i in range(count)]),
            "atlas as-of": (atlas + "?mode=programmes",
                            [browser.type_date(f"input#{ids.control('asof')}", day)
                             for day in dates[:count]]),
            "bare": (f"http://{servers.HOST}:{port + 1}/",
                     [browser.click_option(FILTER_ID, FILTER_VALUES[(i + 1) % 2])
                      for i in range(count)]),
        })
    except Exception as error:  # the rest of the benchmark still runs
        served.felt_error = f"{type(error).__name__}: {error}"
    finally:
        bare.stop()


def felt_dates(data: AtlasData, count: int) -> list[str]:
    """``count`` month ends spread over the data's years, for the as-of changes as felt."""
    base = {ids.control("asof"): None}
    return [values[ids.control("asof")]
            for values in loadgen.asof_states(base, year_bounds(data), count)]


def felt_only(plan: Plan, port: int, log: callable) -> list[Served]:
    """Only the changes as felt, at 1x and 100x (``--felt``; 1x alone with ``--quick``)."""
    workdir = Path(tempfile.mkdtemp(prefix="atlas-bench-"))
    countries = load_countries()
    measured = []
    try:
        for scale in (1,) if plan is QUICK else (1, 100):
            folder = scale_data(scale, workdir)
            data = build_atlas_data(load_network(folder, countries), countries)
            log(f"{scale}x: gunicorn, filter changes as felt with the bare page")
            server = servers.start_gunicorn("dashboard.wsgi:server", port, folder,
                                            log_path=workdir / f"gunicorn-atlas-{scale}x.log")
            try:
                served = Served(scale, server.boot_seconds, FilterRun(), None, [])
                measure_felt(served, port, folder, plan, workdir,
                             felt_dates(data, plan.felt_changes))
                measured.append(served)
            finally:
                server.stop()
            del data
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return measured


def first_load_only(plan: Plan, port: int, log: callable) -> Served:
    """Only the first load, on the demo data (``--first-load``)."""
    workdir = Path(tempfile.mkdtemp(prefix="atlas-bench-"))
    try:
        log("1x: gunicorn, first load with the bare page")
        server = servers.start_gunicorn("dashboard.wsgi:server", port, DEMO_DIR,
                                        log_path=workdir / "gunicorn-atlas.log")
        try:
            served = Served(1, server.boot_seconds, FilterRun(), None, [],
                            worker_class=server.worker_class(),
                            command=" ".join(["gunicorn", *server.command[3:]]))
            measure_page(served, port, DEMO_DIR, plan, workdir)
            return served
        finally:
            server.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _local_path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


# --------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------


@dataclass
class ScaleResult:
    """Everything measured at one scale."""

    scale: int
    programmes: int
    load_seconds: float
    build_seconds: float
    compute: FilterRun
    client: FilterRun
    served: Served | None = None
    asof_client: FilterRun = field(default_factory=FilterRun)
    #: Reading the validated network from its stored form (what a worker does at boot).
    stored_seconds: float = math.nan


#: Where the scaled data sets and their stored form are kept between runs.
CACHE = Path(os.environ.get("ATLAS_BENCH_CACHE")
             or Path(tempfile.gettempdir()) / "atlas-bench-cache")
#: Scales whose full validation is timed in every run; above, it runs once per data set (its
#: stored form is kept in the cache) and the run times the stored read only.
VALIDATED_SCALES = (1, 10, 100)


def scale_data(scale: int, cache: Path = CACHE) -> Path:
    """The data folder for ``scale`` (the demo itself at 1x), generated once and kept in
    ``cache`` under the digest of the demo's files, the generator and the scale."""
    if scale == 1:
        return DEMO_DIR
    digest = hashlib.sha256(f"{scale}:{synthetic.SEED}".encode())
    digest.update(Path(synthetic.__file__).read_bytes())
    for path in sorted(DEMO_DIR.glob("*.csv")):
        digest.update(path.name.encode() + path.read_bytes())
    folder = cache / f"data-{scale}x-{digest.hexdigest()[:16]}"
    if not (folder / "programmes.csv").is_file():
        partial = cache / f".{folder.name}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        synthetic.write_scaled(scale, partial)
        os.replace(partial, folder)
    return folder


def run(plan: Plan, port: int, log: callable) -> dict:
    """Measure everything; returns the raw results for the report."""
    started = datetime.now()
    before = load_snapshot()
    loads = [before["load"][0]]
    log_message = log

    def log(message: str) -> None:
        loads.append(os.getloadavg()[0])
        log_message(message)

    workdir = Path(tempfile.mkdtemp(prefix="atlas-bench-"))
    countries = load_countries()
    store = NetworkStore(CACHE / "store")
    # The day the workers check undated data's warnings on: the stored form's key.
    today = Settings.load().current_date()
    # One day for the whole run: a run that crosses midnight would otherwise start servers
    # whose day no longer matches the stored forms' key, and every worker would validate again.
    os.environ["ATLAS_TODAY"] = today.isoformat()
    results: list[ScaleResult] = []
    baseline: dict = {}
    exports = None
    pack = None
    try:
        for scale in plan.scales:
            folder = scale_data(scale)
            load_seconds = math.nan
            if scale in VALIDATED_SCALES:
                log(f"{scale}x: loading and validating {folder}")
                start = time.perf_counter()
                load_network(folder, countries, today=today)
                load_seconds = time.perf_counter() - start
            log(f"{scale}x: the stored form (validated and stored if not yet)")
            store.load(folder, countries, today=today)
            start = time.perf_counter()
            network = store.load(folder, countries, today=today)
            stored_seconds = time.perf_counter() - start
            start = time.perf_counter()
            data = build_atlas_data(network, countries)
            build_seconds = time.perf_counter() - start
            states = _states(data, plan.states)
            log(f"{scale}x: {len(network.programmes)} programmes, in-process filter changes")
            compute = compute_app(data, states)
            # No kept answers in-process: the warm-up asks every timed state first, and the
            # rows time what a filter change costs the server, not a reused answer.
            app = create_app(Settings.load(data_dir=folder, answers_kept=0), network=network)
            client = client_round_trips(app, MAP_OUTPUT, states, warm_up=len(states))
            result = ScaleResult(scale, len(network.programmes), load_seconds, build_seconds,
                                 compute, client, stored_seconds=stored_seconds)
            log(f"{scale}x: as-of changes in-process")
            asof = _asof_states(data, states, plan.asof_states)
            client_round_trips(app, MAP_OUTPUT, asof[0], warm_up=0)
            result.asof_client = client_round_trips(app, MAP_OUTPUT, asof[1], warm_up=0)
            if scale == 1:
                log("1x: baseline in-process")
                baseline_states = states[:plan.baseline_states]
                baseline["compute"] = compute_baseline(data, load_geojson(), baseline_states)
                baseline_app = create_baseline_app(Settings.load(data_dir=folder),
                                                   network=network)
                baseline["client"] = client_round_trips(baseline_app, BASELINE_OUTPUT,
                                                        baseline_states)
                baseline["app_same_states"] = client_round_trips(
                    app, MAP_OUTPUT, baseline_states, warm_up=len(baseline_states))
                log("1x: exports")
                exports = export_times(data, plan)
                log("1x: briefing pack, and the map's callbacks beside it")
                pack = pack_beside_server(data, plan, port, states, workdir)
            log(f"{scale}x: gunicorn")
            result.served = serve_and_measure(
                "dashboard.wsgi:server", MAP_OUTPUT, folder, scale, states, plan, port, workdir,
                store_dir=store.folder,
                page=scale == 1, throughput_seconds=plan.throughput_seconds,
                asof=_asof_states(data, states, plan.asof_states), playback=scale == 1,
                felt_dates=(felt_dates(data, plan.felt_changes) if scale in (1, 100)
                            else None))
            if scale == 1:
                log("1x: baseline under gunicorn")
                baseline["served"] = serve_and_measure(
                    "benchmarks.baseline:wsgi_server()", BASELINE_OUTPUT, folder, scale,
                    states[:plan.baseline_states], plan, port, workdir, page=False,
                    throughput_seconds=plan.baseline_throughput_seconds)
            results.append(result)
            del app, data, network
        log(f"held under load: {plan.load_users} Locust users for {plan.load_seconds:g} s")
        held = underload.measure(port + 2, users=plan.load_users, seconds=plan.load_seconds)
    except Exception:
        for path in sorted(workdir.glob("*.log")):
            log(f"tail of {path.name}:\n{path.read_text(errors='replace')[-3000:]}")
        raise
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return {"plan": plan, "results": results, "baseline": baseline, "exports": exports,
            "pack": pack, "held": held, "machine": machine(), "before": before,
            "after": load_snapshot(),
            "loads": loads,
            "started": started, "seconds": (datetime.now() - started).total_seconds()}


def _asof_states(data: AtlasData, states: list[dict], count: int) -> tuple[list, list]:
    """(warm-up, timed) control values of as-of changes: the programmes map of the first
    filter state, on ``count`` month ends across the data's years (warm-up: mid-months, so
    that every timed date is one the server has not seen)."""
    base = {**states[0], ids.MODE: "programmes", ids.control("status"): ["active"],
            ids.SELECTED_COUNTRY: None}
    bounds = year_bounds(data)
    return (loadgen.asof_states(base, bounds, min(count, 6), day=15),
            loadgen.asof_states(base, bounds, count))


def _states(data: AtlasData, count: int) -> list[dict]:
    covered = data.network.coverage["country_iso3"]
    regions = [region for region in data.regions.ids
               if not set(covered).isdisjoint(data.regions.countries(region))]
    return loadgen.filter_states(count, themes=list(data.network.themes["theme_id"]),
                                 regions=regions, countries=sorted(set(covered)),
                                 year_bounds=year_bounds(data))


# --------------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------------


def _draw_times(loads: list[browser.PageLoad]) -> list[float]:
    return [load.drawn_ms for load in loads if load.drawn_ms is not None]


def budget_rows(raw: dict) -> list[tuple[str, str, str, str]]:
    """(budget, limit, measured, verdict) rows."""
    results: list[ScaleResult] = raw["results"]
    by_scale = {r.scale: r for r in results}
    baseline = raw["baseline"]
    rows = []
    one = by_scale.get(1)
    served_one = one.served if one else None
    same, base_client = baseline.get("app_same_states"), baseline.get("client")
    if same and base_client and same.wire_bytes and base_client.wire_bytes:
        app_bytes, base_bytes = same.median_wire(), base_client.median_wire()
        ratio = base_bytes / app_bytes
        rows.append(("filter change: bytes on the wire vs baseline (gzip, median)", "<= 1/100",
                     f"{size(app_bytes)} vs {size(base_bytes)} (1/{ratio:,.0f})",
                     verdict(ratio >= BUDGETS["bytes_ratio"])))
    if baseline.get("client") and baseline.get("app_same_states"):
        app_time = baseline["app_same_states"].p(50)
        base_time = baseline["client"].p(50)
        ratio = base_time / app_time
        rows.append(("filter change: server time vs baseline (p50, in-process)", "<= 1/20",
                     f"{ms(app_time)} ms vs {ms(base_time)} ms (1/{ratio:,.0f})",
                     verdict(ratio >= BUDGETS["time_ratio"])))
    for what, prefix, client_of, http_of in (
            ("filter change", "p95", lambda r: r.client, lambda s: s.http),
            ("as-of change", "asof_p95", lambda r: r.asof_client, lambda s: s.asof_http)):
        for scale in (1, 100, 1000):
            result = by_scale.get(scale)
            if f"{prefix}_{scale}x_ms" not in BUDGETS:
                continue
            limit = BUDGETS[f"{prefix}_{scale}x_ms"]
            label = f"{what} p95 server time at {scale}x"
            if result is None or not client_of(result).seconds:
                rows.append((label, f"< {limit:.0f} ms", "not run", verdict(None)))
                continue
            run = client_of(result)
            http_p95 = http_of(result.served).p(95) if result.served else math.nan
            rows.append((label, f"< {limit:.0f} ms",
                         f"{ms(run.p(95))} ms in-process; {ms(http_p95)} ms over HTTP",
                         verdict(run.p(95) * 1000 < limit and not run.errors)))
    if served_one:
        played = served_one.playback
        fps = played.frames_per_second if played else math.nan
        rows.append(("playback frame rate at 1x, headless Chromium", ">= 4 frames/s",
                     (f"{fps:.1f} frames/s ({len(played.times_ms)} dates painted, longest "
                      f"{played.longest_gap_ms:,.0f} ms on one, {played.requests} callback "
                      f"request{'' if played.requests == 1 else 's'})"
                      if played and fps == fps
                      else f"not measured {served_one.playback_error}".strip()),
                     verdict(None if fps != fps else fps >= BUDGETS["playback_fps"])))
    rows += felt_rows({r.scale: r.served for r in results if r.served and r.served.felt})
    if served_one:
        rows += first_load_rows(served_one)
        load = served_one.throughput
        rows.append(("filter callbacks per second, 2 workers (the 300 states in turn)",
                     ">= 2,000/s, 0 errors",
                     f"{load.requests_per_second:,.0f}/s, {load.errors} errors",
                     verdict(load.requests_per_second >= BUDGETS["callbacks_per_second"]
                             and load.errors == 0)))
        new = served_one.throughput_new
        if new is not None:
            rows.append(("filter callbacks per second, every request new to the workers "
                         "(no kept answer; for reference)", "",
                         f"{new.requests_per_second:,.0f}/s, {new.errors} errors",
                         verdict(None)))
    exports = raw["exports"]
    for fmt, key, label in (("png", "png_seconds", "PNG"), ("pptx", "pptx_seconds", "PowerPoint")):
        limit = BUDGETS[key]
        what = f"{label} export at 1920x1080, world with names and insets"
        if exports is None or fmt not in exports:
            rows.append((what, f"< {limit:g} s", "n/a (export not available)", verdict(None)))
            continue
        first, steady = exports[fmt]
        rows.append((what, f"< {limit:g} s", f"{steady:.2f} s (first call {first:.2f} s)",
                     verdict(steady < limit)))
    pack: PackRun | None = raw.get("pack")
    for fmt in ("pptx", "pdf"):
        label = f"briefing pack ({fmt.upper()}), world + regions + country briefs"
        if pack is None or fmt not in pack.seconds:
            rows.append((label, "< 15 s, < 0.5 s a page", "not run", verdict(None)))
            continue
        total = pack.seconds[fmt]
        full = pack.pages >= 27  # the pack; a quick run's is smaller
        rows.append((label, "< 15 s, < 0.5 s a page",
                     f"{total:.1f} s for {pack.pages} pages ({total / pack.pages:.2f} s a page)",
                     verdict((total < BUDGETS["pack_seconds"] or not full)
                             and total / pack.pages < BUDGETS["pack_page_seconds"])))
    rows += underload.budget_rows(raw.get("held"))
    hundred = by_scale.get(100)
    if hundred and hundred.served:
        peak = max(hundred.served.worker_hwm_kb) / 1024
        rows.append(("worker peak RSS at 100x", "< 400 MB", f"{peak:,.0f} MiB (VmHWM)",
                     verdict(peak < BUDGETS["worker_rss_mib"])))
    else:
        rows.append(("worker peak RSS at 100x", "< 400 MB", "not run", verdict(None)))
    thousand = by_scale.get(1000)
    if thousand and thousand.served:
        boot = thousand.served.boot_seconds
        peak = max(thousand.served.worker_hwm_kb) / 1024
        rows.append(("1,000x: workers ready after start", "< 30 s", f"{boot:.1f} s",
                     verdict(boot < BUDGETS["boot_1000x_seconds"])))
        rows.append(("worker peak RSS at 1,000x", "< 600 MB", f"{peak:,.0f} MiB (VmHWM)",
                     verdict(peak < BUDGETS["worker_rss_1000x_mib"])))
    else:
        rows.append(("1,000x: workers ready after start", "< 30 s", "not run", verdict(None)))
        rows.append(("worker peak RSS at 1,000x", "< 600 MB", "not run", verdict(None)))
    return rows


def _felt_ms(changes: list[browser.Felt]) -> list[float]:
    return [change.ms for change in changes if change.ms is not None]


def felt_rows(measured: dict[int, Served]) -> list[tuple[str, str, str, str]]:
    """The budget rows of the changes as felt: at 1x and 100x, the atlas's mode radio and its
    as-of date against the bare page of the same run (p50 ratio), and their p95."""
    rows = []
    ratio_limit, p95_limit = BUDGETS["felt_ratio"], BUDGETS["felt_p95_ms"]
    limit = f"<= {ratio_limit:g}x bare (p50), p95 < {p95_limit:.0f} ms"
    for scale in (1, 100):
        served = measured.get(scale)
        for page, what in (("atlas", "filter change (mode radio)"),
                           ("atlas as-of", "as-of date change")):
            label = f"{what} as felt at {scale}x, headless Chromium"
            felt = _felt_ms(served.felt.get(page, [])) if served else []
            bare = _felt_ms(served.felt.get("bare", [])) if served else []
            if not felt or not bare:
                error = served.felt_error if served else ""
                rows.append((label, limit, f"not measured {error}".strip(), verdict(None)))
                continue
            missed = len(served.felt[page]) - len(felt)
            ratio = percentile(felt, 50) / percentile(bare, 50)
            rows.append((label, limit,
                         f"p50 {percentile(felt, 50):,.0f} ms vs bare {percentile(bare, 50):,.0f}"
                         f" ms ({ratio:.2f}x); p95 {percentile(felt, 95):,.0f} ms"
                         + (f"; {missed} change(s) not painted" if missed else ""),
                         verdict(ratio <= ratio_limit and percentile(felt, 95) < p95_limit
                                 and not missed)))
    return rows


def felt_lines(measured: dict[int, Served], plan: Plan) -> list[str]:
    """The report's section on the changes as felt in the browser."""
    lines = ["## Filter change as felt", "",
             "Headless Chromium, one browser per page, the pages in turns in the same minute: "
             "time from the user's event (the click, or Enter after a date typed; its "
             "`event.timeStamp`) until the animation frame that paints the last change of the "
             "country fills (a MutationObserver installed before any page script compares "
             f"every country path's fill at each frame after a change in the map); "
             f"{plan.felt_changes} changes per page, alternating values (the as-of: month "
             "ends spread over the data's years). *Requests* are the callback requests one "
             "change sends; *nodes* the DOM nodes added or removed outside the map (components "
             "drawn again).", ""]
    rows = []
    for scale, served in sorted(measured.items()):
        for page, label in FELT_PAGES.items():
            changes = served.felt.get(page, [])
            felt = _felt_ms(changes)
            if not changes:
                continue
            rows.append([f"{scale}x", label,
                         f"{percentile(felt, 50):,.0f}" if felt else "n/a",
                         f"{percentile(felt, 95):,.0f}" if felt else "n/a",
                         f"{max(felt):,.0f}" if felt else "n/a",
                         f"{statistics.median(len(c.requests) for c in changes):g}",
                         f"{statistics.median(c.nodes for c in changes):g}",
                         f"{statistics.median(c.fill_changes for c in changes):g}",
                         len(changes) - len(felt)])
        if served.felt_error:
            lines += [f"{scale}x: not measured: {served.felt_error}", ""]
    lines += _table(["data", "page", "p50 (ms)", "p95 (ms)", "max (ms)", "requests",
                     "nodes", "fills changed", "not painted"], rows)
    return lines


def first_load_rows(served: Served) -> list[tuple[str, str, str, str]]:
    """The first load's budget rows: the shapes' bytes, the cold draw and its ratio to the
    bare page's."""
    rows = []
    if served.first_load:
        wire = served.first_load.parts["geometry (country shapes)"][0]
        rows.append(("geometry on the wire (gzip)", "< 150 KB", size(wire),
                     verdict(wire < BUDGETS["geometry_bytes"])))
    cold, bare = _draw_times(served.cold), _draw_times(served.bare_cold)
    measured = (f"{statistics.median(cold):,.0f} ms (median of {len(cold)})" if cold
                else f"not drawn {served.browser_error}".strip())
    rows.append(("first draw, cold, loopback", "< 500 ms (quiet machine)", measured,
                 verdict(bool(cold) and statistics.median(cold) < BUDGETS["first_draw_ms"])))
    if cold and bare:
        ratio = statistics.median(cold) / statistics.median(bare)
        rows.append(("first draw, cold, vs a bare page of the same shapes (same run)",
                     f"<= {BUDGETS['first_draw_ratio']:g}x",
                     f"{statistics.median(cold):,.0f} ms vs {statistics.median(bare):,.0f} ms "
                     f"({ratio:.2f}x)", verdict(ratio <= BUDGETS["first_draw_ratio"])))
    else:
        rows.append(("first draw, cold, vs a bare page of the same shapes (same run)",
                     f"<= {BUDGETS['first_draw_ratio']:g}x", "not drawn", verdict(None)))
    return rows


def first_load_lines(served: Served, plan: Plan) -> list[str]:
    """The report's first-load section: bytes by part, the largest scripts, the draws."""
    first = served.first_load
    lines = ["## First load", "",
             "Fetched with `Accept-Encoding: gzip` from gunicorn; *wire* is the compressed "
             "body as sent. Scripts include the Dash async chunks the browser loaded.", ""]
    rows = [[kind, size(wire), size(raw_bytes), files]
            for kind, (wire, raw_bytes, files) in first.parts.items()]
    total_wire = sum(v[0] for v in first.parts.values())
    total_raw = sum(v[1] for v in first.parts.values())
    rows.append(["**total**", f"**{size(total_wire)}**", size(total_raw), ""])
    lines += _table(["part", "wire (gzip)", "uncompressed", "files"], rows)
    if first.uncompressed_files:
        lines += ["Sent without compression: " + ", ".join(first.uncompressed_files), ""]
    lines += ["Largest scripts (wire): " + "; ".join(
        f"`{path.rsplit('/', 1)[-1]}` {size(wire)}" for path, wire in first.scripts[:8]), ""]
    lines += [f"Geometry URL: `{first.geometry_url}`", ""]
    rows = []
    for label, loads_ in (("cold (new profile)", served.cold),
                          ("warm (same browser)", served.warm),
                          ("bare page, cold (`benchmarks/bare.py`)", served.bare_cold)):
        if not loads_:
            continue
        drawn = _draw_times(loads_)
        dom_ready = statistics.median([load.dom_content_loaded_ms or 0 for load in loads_])
        rows.append([label,
                     f"{statistics.median(drawn):,.0f}" if drawn else "not drawn",
                     f"{min(drawn):,.0f}–{max(drawn):,.0f}" if drawn else "",
                     f"{dom_ready:,.0f}",
                     size(statistics.median([load.transfer_bytes for load in loads_])),
                     max(load.shapes for load in loads_)])
    lines += ["Headless Chromium, time from navigation start until "
              "`path.atlas-country` count >= 250 (MutationObserver installed before any "
              f"page script); {plan.browser_runs} run(s) each, the atlas and the bare page in "
              "turns.", ""]
    lines += _table(["load", "drawn (ms, median)", "range (ms)", "DOMContentLoaded (ms)",
                     "transferred", "country paths"], rows)
    if served.browser_error:
        lines += [f"Browser error: {served.browser_error}", ""]
    console = sorted({message for load in served.cold + served.warm + served.bare_cold
                      for message in load.console})
    if console:
        lines += ["Browser console errors on a load that did not draw:", "",
                  *[f"- `{message}`" for message in console[:5]], ""]
    return lines


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines + [""]


def report(raw: dict, command: str) -> str:
    """The markdown report."""
    plan: Plan = raw["plan"]
    info = raw["machine"]
    results: list[ScaleResult] = raw["results"]
    baseline = raw["baseline"]
    lines = ["# Benchmark results", "",
             f"`{command}` — {raw['started']:%Y-%m-%d %H:%M}, {raw['seconds']:.0f} s"
             + (" (quick mode: small samples, not for budgets)" if plan is QUICK else ""), ""]
    lines += ["## Machine", "",
              f"- CPU: {info['cpu']}; `nproc`: {info['nproc']}; kernel {info['kernel']}",
              f"- Python {info['python']}; "
              + ", ".join(f"{k} {v}" for k, v in info["versions"].items()),
              f"- {info['chromium']}", f"- Code: {info['revision']}", "", "```", "$ free -g",
              info["free"], "```", ""]
    loads = ", ".join(f"{value:.2f}" for value in raw["before"]["load"])
    after = ", ".join(f"{value:.2f}" for value in raw["after"]["load"])
    others = sorted(set(raw["before"]["busy"]))
    # Before the run only: during it the benchmark's own server and clients load the machine.
    load1, load5, _ = raw["before"]["load"]
    quiet = load1 < 0.5 and load5 < 1.0 and not raw["before"]["busy"]
    during = raw["loads"]
    lines += [f"Load average before: {loads}; after: {after}; 1-minute load during the run: "
              f"{min(during):.2f} to {max(during):.2f}. "
              + ("The machine was quiet." if quiet else
                 "**The machine was also busy with other work during this run**, so times are "
                 "pessimistic and noisy; rerun on a quiet machine for reference figures."
                 + (" Busy processes before the run: " + "; ".join(others[:6]) + "." if others
                    else "")), ""]
    lines += ["## Budgets", "",
              "How the app reaches these figures, and the known causes of misses: "
              "[performance.md](performance.md).", ""]
    lines += _table(["budget", "limit", "measured", "result"],
                    [list(row) for row in budget_rows(raw)])

    one = next((r for r in results if r.scale == 1), None)
    if one and one.served and one.served.first_load:
        lines += first_load_lines(one.served, plan)

    lines += ["## Filter change", "",
              "Server time per callback (`update_map`: hideouts, KPI texts, legend) for "
              f"{plan.states} filter states from a fixed seed (themes, types, status, regions, "
              "years, beneficiaries, mode, metric, selected country, language). *compute* = "
              "`map_view` + JSON of the callback's return value; *test client* = Flask test "
              "client round trip of the real `/_dash-update-component` POST; *HTTP* = the same "
              "POST to gunicorn over loopback, one client. Bytes are medians per response.", ""]
    rows = []
    for r in results:
        http_run = r.served.http if r.served else FilterRun()
        rows.append([f"{r.scale}x", f"{r.programmes:,}",
                     "cached" if r.load_seconds != r.load_seconds else f"{r.load_seconds:.2f}",
                     f"{r.stored_seconds:.2f}",
                     f"{ms(r.compute.p(50))} / {ms(r.compute.p(95))}",
                     f"{ms(r.client.p(50))} / {ms(r.client.p(95))}",
                     f"{ms(http_run.p(50))} / {ms(http_run.p(95))}",
                     size(http_run.median_wire() if http_run.wire_bytes
                          else r.client.median_wire()),
                     size(r.client.median_raw()),
                     r.client.errors + http_run.errors])
    if baseline:
        base_http = baseline["served"].http
        rows.append([f"**baseline** 1x ({plan.baseline_states} states)",
                     f"{results[0].programmes:,}" if results else "", "", "",
                     f"{ms(baseline['compute'].p(50))} / {ms(baseline['compute'].p(95))}",
                     f"{ms(baseline['client'].p(50))} / {ms(baseline['client'].p(95))}",
                     f"{ms(base_http.p(50))} / {ms(base_http.p(95))}",
                     size(base_http.median_wire()), size(baseline["client"].median_raw()),
                     baseline["client"].errors + base_http.errors])
    lines += _table(["data", "programmes", "load + validate (s)", "stored read (s)",
                     "compute p50 / p95 (ms)",
                     "test client p50 / p95 (ms)", "HTTP p50 / p95 (ms)", "wire bytes",
                     "JSON bytes", "errors"], rows)
    if baseline:
        same = baseline["app_same_states"]
        base_client = baseline["client"]
        base_http = baseline["served"].http
        app_http = one.served.http if one and one.served else FilterRun()
        lines += ["Atlas vs baseline on the same states (1x):", ""]
        lines += _table(
            ["", "atlas", "baseline", "ratio"],
            [["wire bytes (gzip, HTTP)", size(app_http.median_wire()),
              size(base_http.median_wire()),
              f"1/{base_http.median_wire() / app_http.median_wire():,.0f}"],
             ["JSON bytes", size(same.median_raw()), size(base_client.median_raw()),
              f"1/{base_client.median_raw() / same.median_raw():,.0f}"],
             ["server time p50 (test client)", f"{ms(same.p(50))} ms",
              f"{ms(base_client.p(50))} ms", f"1/{base_client.p(50) / same.p(50):,.0f}"],
             ["server time p95 (test client)", f"{ms(same.p(95))} ms",
              f"{ms(base_client.p(95))} ms", f"1/{base_client.p(95) / same.p(95):,.0f}"],
             ["HTTP round trip p50", f"{ms(app_http.p(50))} ms", f"{ms(base_http.p(50))} ms",
              f"1/{base_http.p(50) / app_http.p(50):,.0f}"]])

    felt = {r.scale: r.served for r in results if r.served and r.served.felt}
    if felt:
        lines += felt_lines(felt, plan)

    lines += ["## As-of change and playback", "",
              "An as-of change: the map callback's POST for the programmes map of one filter "
              f"state, {plan.asof_states} times on a new date (month ends spread over the "
              "data's years; the warm-up used mid-months, so no timed date was cached). "
              "*test client* in-process, *HTTP* to gunicorn over loopback, one client.", ""]
    rows = []
    for r in results:
        http_run = r.served.asof_http if r.served else FilterRun()
        rows.append([f"{r.scale}x", f"{ms(r.asof_client.p(50))} / {ms(r.asof_client.p(95))}",
                     f"{ms(http_run.p(50))} / {ms(http_run.p(95))}",
                     size(r.asof_client.median_raw()), r.asof_client.errors + http_run.errors])
    lines += _table(["data", "test client p50 / p95 (ms)", "HTTP p50 / p95 (ms)",
                     "JSON bytes", "errors"], rows)
    played = one.served.playback if one and one.served else None
    if played is not None:
        lines += ["Playback by month on the demo (1x) in headless Chromium, "
                  f"{plan.playback_seconds:g} s after the first frame: each animation frame "
                  "reads the date on the map; a new date is a frame painted.", ""]
        lines += _table(["frames/s", "dates painted", "longest on screen (ms)",
                         "callback requests while playing", "main-thread task time per frame (ms)",
                         "first, last"],
                        [[f"{played.frames_per_second:.2f}", len(played.times_ms),
                          f"{played.longest_gap_ms:,.0f}", played.requests,
                          f"{played.task_ms_per_frame:,.0f}",
                          f"{played.labels[0]}, {played.labels[-1]}" if played.labels
                          else ""]])
    elif one and one.served and one.served.playback_error:
        lines += [f"Playback not measured: {one.served.playback_error}", ""]

    served_one = one.served if one else None
    lines += ["## Throughput and memory", "",
              f"`{served_one.command if served_one else 'gunicorn'}` (worker class "
              f"{served_one.worker_class if served_one else '?'}; `--timeout` raised only so "
              f"that a worker never meets it at boot), the workers reading the validated data's "
              f"stored form (`ATLAS_STORE_DIR`, written by the in-process load), "
              f"load from {served_one.throughput.tool if served_one else '?'} "
              f"({plan.clients} keep-alive connections) for {plan.throughput_seconds:g} s, "
              "cycling through the filter payloads (Debian's `wrk` when installed, else Python "
              "`http.client` processes, which take a larger share of the 2 cores); peak RSS is "
              "`VmHWM` of each worker after the runs. From the second round on, each payload "
              "is answered from the answers the workers keep (`dashboard/answers.py`: per "
              "data version, user's scope and request); *new requests* is the same run on "
              "payloads that each carry a map position of their own, so that every one runs "
              "the callback.", ""]
    rows = []
    for r in results:
        served = r.served
        if not served:
            continue
        load = served.throughput
        new = served.throughput_new
        rows.append([f"{r.scale}x", f"{served.boot_seconds:.1f}",
                     f"{load.requests_per_second:,.0f}"
                     + (f" ({new.requests_per_second:,.0f} new requests)" if new else ""),
                     f"{load.ok:,}", load.errors,
                     f"{ms(load.p50)} / {ms(load.p95)}",
                     f"{load.client_cpu_share:.0%}",
                     ", ".join(f"{kb / 1024:,.0f}" for kb in served.worker_hwm_kb)])
    if baseline:
        served = baseline["served"]
        load = served.throughput
        rows.append(["**baseline** 1x", f"{served.boot_seconds:.1f}",
                     f"{load.requests_per_second:,.1f}", f"{load.ok:,}", load.errors,
                     f"{ms(load.p50)} / {ms(load.p95)}",
                     f"{load.client_cpu_share:.0%}",
                     ", ".join(f"{kb / 1024:,.0f}" for kb in served.worker_hwm_kb)])
    lines += _table(["data", "boot until ready (s)", "callbacks/s", "answered", "errors",
                     "latency p50 / p95 (ms)", "client CPU share", "worker peak RSS (MiB)"],
                    rows)

    lines += underload.report_lines(raw.get("held"))
    lines += ["## Export", ""]
    exports = raw["exports"]
    if exports is None:
        lines += ["n/a (export not available)", ""]
    else:
        lines += ["`render_snapshot` on the demo data, the world's programmes view with every "
                  "layer on (country names placed, the Caribbean and European insets drawn), "
                  "16:9 page = 1920x1080 PNG at scale 1; in-process. *steady* is the median of "
                  "the calls after the first (a running worker); the first call includes imports "
                  "and caches.", ""]
        lines += _table(["format", "first call (s)", "steady (s)"],
                        [[fmt, f"{first:.2f}", f"{steady:.2f}"]
                         for fmt, (first, steady) in exports.items()])
    pack: PackRun | None = raw.get("pack")
    if pack is not None:
        lines += ["## Briefing pack", "",
                  f"`build_deck` on the demo data, {pack.pages} pages (the world, "
                  f"{plan.pack_regions} regions, {plan.pack_briefs} country briefs: the "
                  "countries with the most active programmes), 16:9, in-process after one "
                  "warm-up page. Then gunicorn (2 workers) serves the demo while "
                  "`atlas deck` builds the same pack as PowerPoint in a process of its own, "
                  "as a background job does; the map's filter callbacks are timed over HTTP, "
                  "one client, idle and during the pack "
                  f"({pack.pack_wall_seconds:.1f} s).", ""]
        lines += _table(["format", "pages", "seconds", "seconds a page"],
                        [[fmt, pack.pages, f"{total:.1f}", f"{total / pack.pages:.2f}"]
                         for fmt, total in pack.seconds.items()])
        lines += _table(["filter callbacks over HTTP", "requests", "p50 (ms)", "p95 (ms)",
                         "errors"],
                        [[label, len(run_.seconds), ms(run_.p(50)), ms(run_.p(95)),
                          run_.errors]
                         for label, run_ in (("idle", pack.idle),
                                             ("while the pack is built", pack.busy))])
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, write the report, print it; exit status 1 when a budget fails."""
    parser = argparse.ArgumentParser(description="Benchmark the atlas against the usual "
                                                 "approach and check the budgets.")
    parser.add_argument("--quick", action="store_true", help="small samples, no 100x")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "benchmark-results.md")
    parser.add_argument("--port", type=int, default=8765,
                        help="the atlas's port (the bare page takes the next one)")
    parser.add_argument("--first-load", action="store_true",
                        help="measure only the first load (with the bare page); print it, "
                             "write nothing")
    parser.add_argument("--felt", action="store_true",
                        help="measure only the filter changes as felt in the browser (with the "
                             "bare page), at 1x and 100x; print them, write nothing")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL

    def log(message: str) -> None:
        print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)

    if args.first_load:
        served = first_load_only(plan, args.port, log)
        print("\n".join(first_load_lines(served, plan)
                        + _table(["budget", "limit", "measured", "result"],
                                 [list(row) for row in first_load_rows(served)])))
        return 1 if any(row[3] == "FAIL" for row in first_load_rows(served)) else 0

    if args.felt:
        measured = {served.scale: served for served in felt_only(plan, args.port, log)}
        rows = felt_rows(measured)
        print("\n".join(felt_lines(measured, plan)
                        + _table(["budget", "limit", "measured", "result"],
                                 [list(row) for row in rows])))
        return 1 if any(row[3] == "FAIL" for row in rows) else 0

    raw = run(plan, args.port, log)
    command = "python benchmarks/run.py" + (" --quick" if args.quick else "")
    text = report(raw, command)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    failed = any(row[3] == "FAIL" for row in budget_rows(raw))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
