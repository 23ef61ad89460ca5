"""Load test: N simulated users against gunicorn started with the Procfile's config.

    python benchmarks/load.py                         # 50 users, 30 s
    python benchmarks/load.py --reload-midway --json results.json

Each user (a thread with its own HTTP session, logged in with Basic auth) repeats, with a short
random pause: a page load (``/``, ``/_dash-layout``, the country shapes, the first callback), a
filter change (the URL and map callbacks, as the browser posts them), a country panel and an
export (CSV, Excel or PNG) when the app has those callbacks. Payloads are built from
``/_dash-dependencies`` and the layout's own values.

``--reload-midway`` uploads a valid new version (the demo programmes less 20) as an editor half
way through, and checks that nothing was lost: no failed request, every map answer counts the
programmes of the old or of the new version (never anything else), every worker serves the new
version afterwards, the published files are the uploaded ones and the demo folder is unchanged.

The server binds 127.0.0.1 on a free port and is stopped at the end. Exit status 0 when there
was no error and every check passed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from functools import partial
from pathlib import Path

import pandas as pd
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from accounts.users import add_user  # noqa: E402
from dashboard.settings import DEMO_DATA_DIR  # noqa: E402

EDITOR = ("bench-editor", "bench-editor-password")
VIEWER = ("bench-viewer", "bench-viewer-password")
COUNTRIES = ("MLI", "SEN", "ESP", "MAR", "USA", "BRA", "IND", "NGA", "KEN", "TUR", "FRA", "JOR")
PROBE_CONTROLS = {"filter-status.value": [], "filter-themes.value": [], "filter-types.value": [],
                  "filter-regions.value": [], "filter-beneficiaries.value": []}
DROPPED_PROGRAMMES = 20
REQUEST_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def digest(folder: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            sha.update(path.name.encode() + path.read_bytes())
    return sha.hexdigest()


def layout_values(node, values: dict) -> dict:
    """Every ``"id.prop": value`` of the serialised layout (the page's initial state)."""
    if isinstance(node, list):
        for child in node:
            layout_values(child, values)
    elif isinstance(node, dict) and "props" in node:
        props = node["props"]
        if isinstance(props.get("id"), str):
            for name, value in props.items():
                if name != "children" or not isinstance(value, list | dict):
                    values[f"{props['id']}.{name}"] = value
        layout_values(props.get("children"), values)
    return values


def payload(spec: dict, values: dict, changed: str) -> dict:
    """The JSON the browser posts to ``/_dash-update-component`` for ``spec``."""
    outputs = [{"id": o.rsplit(".", 1)[0], "property": o.rsplit(".", 1)[1]}
               for o in spec["output"].strip(".").split("...")]

    def item(dep):
        return {"id": dep["id"], "property": dep["property"],
                "value": values.get(f"{dep['id']}.{dep['property']}")}

    return {"output": spec["output"],
            "outputs": outputs if spec["output"].startswith("..") else outputs[0],
            "inputs": [item(d) for d in spec["inputs"]], "state": [item(d) for d in spec["state"]],
            "changedPropIds": [changed]}


class Recorder:
    """Latencies and errors per kind of action, thread-safe."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)
        self.programme_counts: set[str] = set()

    def record(self, kind: str, seconds: float, error: str | None = None) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if error:
                self.errors[kind].append(error)

    def report(self, elapsed: float) -> dict:
        def pct(values, q):
            return round(1000 * statistics.quantiles(values, n=100)[q - 1], 1) if len(values) > 1 \
                else round(1000 * values[0], 1) if values else None

        kinds = {}
        for kind, values in sorted(self.latencies.items()):
            kinds[kind] = {"requests": len(values), "errors": len(self.errors[kind]),
                           "p50_ms": pct(values, 50), "p95_ms": pct(values, 95),
                           "p99_ms": pct(values, 99), "first_errors": self.errors[kind][:3]}
        total = sum(len(v) for v in self.latencies.values())
        return {"requests": total, "requests_per_s": round(total / elapsed, 1),
                "errors": sum(len(v) for v in self.errors.values()), "by_kind": kinds}


class Atlas:
    """What the simulated users need to know about the running app."""

    def __init__(self, base: str, auth: tuple[str, str] | None):
        self.base, self.auth = base, auth
        session = requests.Session()
        session.auth = auth
        layout = session.get(f"{base}/_dash-layout", timeout=30).json()
        self.values = layout_values(layout, {})
        text = json.dumps(layout)
        start = text.index("/atlas-data/countries.")  # .topojson: the country shapes
        self.geometry = text[start: text.index('"', start)]
        deps = session.get(f"{base}/_dash-dependencies", timeout=30).json()

        def find(output: str) -> dict | None:
            return next((d for d in deps if output in d["output"]), None)

        self.sync = find("filter-themes.value")
        self.map = find("kpi-programmes.children")
        self.panel = find("panel-title.children")
        self.export = find("export-download.data")
        self.themes = [o["value"] for o in self.values.get("filter-themes.options") or []]


def session_for(atlas: Atlas) -> requests.Session:
    session = requests.Session()
    session.auth = atlas.auth
    session.headers["Accept-Encoding"] = "gzip"
    return session


def timed(recorder: Recorder, kind: str, call) -> requests.Response | None:
    started = time.perf_counter()
    try:
        response = call()
    except requests.RequestException as error:
        recorder.record(kind, time.perf_counter() - started, f"{type(error).__name__}: {error}")
        return None
    seconds = time.perf_counter() - started
    ok = response.status_code in (200, 204)
    recorder.record(kind, seconds, None if ok else f"HTTP {response.status_code}: "
                    f"{response.text[:120]!r}")
    return response if ok else None


def random_controls(atlas: Atlas, rng: random.Random) -> dict:
    values = dict(atlas.values)
    values.update({
        "filter-mode.value": rng.choice(["coverage", "programmes"]),
        "filter-metric.value": rng.choice(["count", "budget"]),
        "filter-themes.value": rng.sample(atlas.themes, k=rng.randint(0, 2)) if atlas.themes
        else [],
        "filter-status.value": rng.choice([["active"], ["active", "planned"], []]),
        "url.search": "",
    })
    return values


def note_programmes(recorder: Recorder, response: requests.Response | None, values: dict) -> None:
    """Keep the programme KPI of answers whose filters select every programme."""
    if response is None or response.status_code != 200:
        return
    if any(values.get(key) for key in PROBE_CONTROLS):
        return
    years = values.get("filter-years.value")
    if years and years != [values.get("filter-years.min"), values.get("filter-years.max")]:
        return
    kpi = response.json()["response"].get("kpi-programmes", {}).get("children")
    with recorder.lock:
        recorder.programme_counts.add(str(kpi).replace("\u202f", "").replace("\xa0", ""))


def user_loop(atlas: Atlas, recorder: Recorder, deadline: float, think: float, seed: int):
    rng = random.Random(seed)
    session = session_for(atlas)
    update = f"{atlas.base}/_dash-update-component"
    actions = [("page", 15), ("filter", 55)]
    if atlas.panel:
        actions.append(("panel", 20))
    if atlas.export:
        actions.append(("export", 10))
    names, weights = zip(*actions, strict=True)

    def get(kind: str, url: str) -> None:
        timed(recorder, kind, partial(session.get, url, timeout=REQUEST_TIMEOUT_S))

    def post(kind: str, spec: dict, values: dict, changed: str):
        return timed(recorder, kind, partial(session.post, update, timeout=REQUEST_TIMEOUT_S,
                                             json=payload(spec, values, changed)))

    while time.monotonic() < deadline:
        action = rng.choices(names, weights)[0]
        values = random_controls(atlas, rng)
        if action == "page":
            for url in ("/", "/_dash-layout", atlas.geometry):
                get("page", atlas.base + url)
            post("page", atlas.sync, values, "url.search")
        elif action == "filter":
            post("filter", atlas.sync, values, "filter-themes.value")
            note_programmes(recorder, post("filter", atlas.map, values, "filter-themes.value"),
                            values)
        elif action == "panel":
            values["selected-country.data"] = rng.choice(COUNTRIES)
            post("panel", atlas.panel, values, "selected-country.data")
        else:
            trigger = rng.choices(["export-csv", "export-xlsx", "export-confirm"], [2, 1, 1])[0]
            values[f"{trigger}.n_clicks"] = 1
            values["export-format.value"] = "png"
            post(f"export-{trigger.split('-')[1]}", atlas.export, values, f"{trigger}.n_clicks")
        time.sleep(min(rng.uniform(0, 2 * think), max(0.0, deadline - time.monotonic())))


def probe_loop(atlas: Atlas, recorder: Recorder, deadline: float):
    """Every 0.2 s, the map callback with no filter: its programme KPI names the version."""
    session = session_for(atlas)
    values = dict(atlas.values, **PROBE_CONTROLS)
    values["filter-years.value"] = [values.get("filter-years.min"), values.get("filter-years.max")]
    while time.monotonic() < deadline:
        response = timed(recorder, "probe", partial(
            session.post, f"{atlas.base}/_dash-update-component", timeout=REQUEST_TIMEOUT_S,
            json=payload(atlas.map, values, "filter-status.value")))
        note_programmes(recorder, response, values)
        time.sleep(0.2)


def new_version_csv() -> bytes:
    frame = pd.read_csv(DEMO_DATA_DIR / "programmes.csv", dtype=str, keep_default_na=False)
    return frame.iloc[: len(frame) - DROPPED_PROGRAMMES].to_csv(index=False).encode("utf-8")


def reload_midway(atlas: Atlas, delay: float, outcome: dict):
    time.sleep(delay)
    content = new_version_csv()
    started = time.perf_counter()
    response = requests.post(f"{atlas.base}/admin/upload", auth=EDITOR, timeout=120,
                             files=[("files", ("programmes.csv", content, "text/csv"))])
    outcome.update(status=response.status_code, seconds=round(time.perf_counter() - started, 2),
                   body=response.json(), content_sha=hashlib.sha256(content).hexdigest())


def start_server(port: int, workdir: Path, workers: int, threads: int) -> subprocess.Popen:
    env = dict(os.environ, PORT=str(port), WEB_CONCURRENCY=str(workers),
               GUNICORN_THREADS=str(threads), ATLAS_USERS_FILE=str(workdir / "users.json"),
               ATLAS_DATA_ROOT=str(workdir / "root"), LOG_LEVEL="warning")
    env.pop("ATLAS_DATA_DIR", None)
    env.pop("ATLAS_AUTH_HEADER", None)
    log = open(workdir / "gunicorn.log", "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-b", f"127.0.0.1:{port}",
         "dashboard.wsgi:server"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_until_up(base: str, server: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited early; see its log")
        try:
            if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not answer /healthz in time")


def run(args: argparse.Namespace) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="atlas-load-"))
    add_user(workdir / "users.json", EDITOR[0], "editor", EDITOR[1])
    add_user(workdir / "users.json", VIEWER[0], "viewer", VIEWER[1])
    demo_before = digest(DEMO_DATA_DIR)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(port, workdir, args.workers, args.threads)
    try:
        wait_until_up(base, server)
        atlas = Atlas(base, VIEWER)
        recorder = Recorder()
        started = time.monotonic()
        deadline = started + args.duration
        threads = [threading.Thread(target=user_loop, daemon=True,
                                    args=(atlas, recorder, deadline, args.think, seed))
                   for seed in range(args.users)]
        threads.append(threading.Thread(target=probe_loop, args=(atlas, recorder, deadline),
                                        daemon=True))
        reload_outcome: dict = {}
        if args.reload_midway:
            threads.append(threading.Thread(target=reload_midway, daemon=True,
                                            args=(atlas, args.duration / 2, reload_outcome)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.duration + 180)
        elapsed = time.monotonic() - started
        result = {"users": args.users, "duration_s": args.duration, "workers": args.workers,
                  "threads": args.threads, "think_s": args.think, "cpus": os.cpu_count(),
                  "panel": bool(atlas.panel), "export": bool(atlas.export),
                  **recorder.report(elapsed)}
        checks = {"no_errors": result["errors"] == 0}
        if args.reload_midway:
            checks.update(check_reload(base, workdir, reload_outcome, recorder))
            result["reload"] = {k: v for k, v in reload_outcome.items() if k != "body"}
        checks["demo_folder_unchanged"] = digest(DEMO_DATA_DIR) == demo_before
        result["programme_kpis_seen"] = sorted(recorder.programme_counts)
        result["checks"] = checks
        return result
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def check_reload(base: str, workdir: Path, outcome: dict, recorder: Recorder) -> dict:
    """Zero data loss: the new version everywhere, nothing but old or new counts served, the
    published file identical to the upload, the seed still there to restore."""
    body = outcome.get("body") or {}
    version = body.get("version")
    new_total = (body.get("counts") or {}).get("programmes")
    old_total = None if new_total is None else new_total + DROPPED_PROGRAMMES
    seen = {int(text) for text in recorder.programme_counts if text.isdigit()}
    health = [requests.get(f"{base}/healthz", timeout=10).json() for _ in range(40)]
    published = workdir / "root" / "versions" / str(version) / "programmes.csv"
    listing = requests.get(f"{base}/admin/versions", auth=EDITOR, timeout=10).json()
    return {
        "reload_accepted": outcome.get("status") == 200,
        "only_old_or_new_counts_served": bool(seen) and seen <= {old_total, new_total},
        "new_version_seen_by_map_callbacks": new_total in seen,
        "every_worker_serves_new_version": all(h["data_version"] == version
                                               and h["counts"]["programmes"] == new_total
                                               for h in health),
        "published_file_is_the_upload": published.is_file() and hashlib.sha256(
            published.read_bytes()).hexdigest() == outcome.get("content_sha"),
        "previous_version_kept": [v["version"] for v in listing["versions"]] == [version, "seed"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50, help="simulated users (default 50)")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds (default 30)")
    parser.add_argument("--think", type=float, default=0.5,
                        help="mean pause between a user's actions, seconds (default 0.5)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (default 4)")
    parser.add_argument("--reload-midway", action="store_true",
                        help="upload a valid new version half way through and check for loss")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args(argv)
    result = run(args)
    text = json.dumps(result, indent=2, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    return 0 if all(result["checks"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
