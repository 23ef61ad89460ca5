"""The atlas held under load: the Locust scenario (``benchmarks/locustfile.py``) against gunicorn
started as the Procfile does, with the workers' memory sampled during the run.

    python benchmarks/underload.py                       # 200 users, 60 s
    python benchmarks/underload.py --users 20 --seconds 20 --json load.json
    python benchmarks/underload.py --users 50 --seconds 30 --reload-midway

Starts gunicorn (``gunicorn.conf.py``, 2 workers, the demo data, a job folder of its own) on
127.0.0.1, waits until its workers are idle, runs Locust headless in a process of its own (its
users think 1 to 5 s between actions), samples each worker's resident memory every second, and
stops everything. ``benchmarks/run.py`` calls :func:`measure` and adds :func:`budget_rows` and
:func:`report_lines` to its report. Exit status 0 when no request failed.

``--reload-midway`` runs the same with access control on (Basic auth, the users as a viewer)
and a data root, and half way through uploads a valid new version (the demo programmes less
20) as an editor, while a probe posts the unfiltered map callback every 0.2 s; then checks that
nothing was lost: no failed request, every probe counted the programmes of the old or of the
new version (never anything else), every worker serves the new version afterwards, the
published file is the upload, the seed is kept and the demo folder is unchanged.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import pandas as pd  # noqa: E402
import requests  # noqa: E402

from accounts.users import add_user  # noqa: E402
from benchmarks import dashpage, servers  # noqa: E402
from geodata.loading import DEMO_DIR  # noqa: E402

LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
APP = "dashboard.wsgi:server"
#: What the issue asks: no error, a filter callback's p95 while exports run, memory flat.
#: Memory is "flat" when the workers' memory at the end is within 5 % of what it was half way
#: (after the users arrived and each kind of request warmed its caches): a leak keeps growing.
BUDGETS = {"filter_p95_ms": 50.0, "rss_growth": 0.05}
EDITOR = ("bench-editor", "bench-editor-password")
VIEWER = ("bench-viewer", "bench-viewer-password")
DROPPED_PROGRAMMES = 20
#: The probe's filters: none, so that its programme count names the data version served.
PROBE_CONTROLS = ("filter-status.value", "filter-themes.value", "filter-types.value",
                  "filter-regions.value", "filter-beneficiaries.value", "filter-partners.value")
ACTIONS = ("page", "page callback", "filter", "panel", "export dialog", "preview start",
           "preview poll", "export start", "export poll")


@dataclass
class Figures:
    """One row of Locust's statistics (times in ms)."""

    count: int = 0
    failures: int = 0
    p50: float = 0.0
    p95: float = 0.0
    p99: float = 0.0
    max: float = 0.0


@dataclass
class LoadRun:
    """What one run measured."""

    users: int
    seconds: float
    think: str
    by_name: dict[str, Figures] = field(default_factory=dict)
    metrics: dict[str, Figures] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    #: (seconds since the start, [VmRSS kB of each worker]) every second.
    rss: list[tuple[float, list[int]]] = field(default_factory=list)
    export_workers: int = 2
    export_queue: int = 6
    command: str = ""
    error: str = ""
    #: VmRSS kB of each worker's job host at the end (``dashboard.jobhost``).
    host_rss: list[int] = field(default_factory=list)
    #: CPU seconds the web workers used during the run (job processes not included).
    worker_cpu_seconds: float = 0.0
    #: CPU seconds Locust used, and the machine's 1-minute load average at the end.
    locust_cpu_seconds: float = 0.0
    load_average: float = 0.0
    #: ``--reload-midway``: each check's outcome, and the upload's status and seconds.
    reload: dict = field(default_factory=dict)

    @property
    def requests(self) -> int:
        return sum(f.count for f in self.by_name.values())

    @property
    def errors(self) -> int:
        return (sum(f.failures for f in self.by_name.values())
                + sum(f.failures for f in self.metrics.values()))

    def metric(self, name: str) -> Figures:
        return self.metrics.get(name) or Figures()

    def rss_mib(self) -> tuple[float, float, float, float]:
        """(start, half way, peak, end) of the workers' summed resident memory, MiB."""
        totals = [sum(sizes) / 1024 for _, sizes in self.rss if sizes]
        if not totals:
            return (0.0, 0.0, 0.0, 0.0)
        return totals[0], totals[len(totals) // 2], max(totals), totals[-1]


def _stats(path: Path) -> tuple[dict[str, Figures], dict[str, Figures]]:
    requests, metrics = {}, {}
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == "Aggregated":
                continue
            figures = Figures(int(row["Request Count"]), int(row["Failure Count"]),
                              float(row["50%"] or 0), float(row["95%"] or 0),
                              float(row["99%"] or 0), float(row["Max Response Time"] or 0))
            (metrics if row["Type"] == "METRIC" else requests)[row["Name"]] = figures
    return requests, metrics


def _failures(path: Path) -> list[str]:
    if not path.exists():
        return []
    with path.open(newline="") as handle:
        return [f"{row['Occurrences']}x {row['Name']}: {row['Error']}"[:300]
                for row in csv.DictReader(handle)]


def _sample(server: servers.Gunicorn, into: list, stop: threading.Event, start: float) -> None:
    while not stop.is_set():
        try:
            into.append((round(time.monotonic() - start, 1), server.worker_memory_kb("VmRSS")))
        except OSError:
            pass
        stop.wait(1.0)


def locust_command(host: str, users: int, seconds: float, spawn_rate: float,
                   csv_prefix: Path) -> list[str]:
    """The headless Locust run of the scenario against ``host``."""
    return [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
            "--host", host, "-u", str(users), "-r", f"{spawn_rate:g}", "-t", f"{seconds:g}s",
            "--csv", str(csv_prefix), "--only-summary", "--loglevel", "WARNING",
            "--exit-code-on-error", "0"]


#: Locust's priority over the server's processes (a nice value; needs root, else left as it
#: is). Its users stand for browsers on other machines: when Locust waited for the CPU behind
#: the workers it shares the 2 cores with, that wait was counted in every response time.
LOCUST_NICE = -5


def _ahead_of_the_server() -> None:
    try:
        os.nice(LOCUST_NICE)
    except OSError:
        pass


def run_locust(host: str, users: int, seconds: float, *, spawn_rate: float | None = None,
               think: str = "1,5", mix: str = "", once: bool = False,
               workdir: Path) -> tuple[dict, dict, list[str]]:
    """Run the scenario (users arriving over the first third of the run, unless
    ``spawn_rate``; ``once``: each user plays every action once, then the run ends); returns
    (requests, metrics, failures) by name."""
    prefix = workdir / "locust"
    rate = spawn_rate or max(1.0, users / max(1.0, seconds / 3))
    env = dict(os.environ, ATLAS_LOAD_THINK=think, ATLAS_LOAD_MIX=mix,
               ATLAS_LOAD_ONCE="1" if once else "",
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO),
                                                        os.environ.get("PYTHONPATH")])))
    with open(workdir / "locust.log", "wb") as log:
        subprocess.run(locust_command(host, users, seconds, rate, prefix), cwd=REPO, env=env,
                       stdout=log, stderr=subprocess.STDOUT, timeout=seconds + 120, check=True,
                       preexec_fn=_ahead_of_the_server)
    requests, metrics = _stats(Path(f"{prefix}_stats.csv"))
    return requests, metrics, _failures(Path(f"{prefix}_failures.csv"))


def measure(port: int, *, users: int = 200, seconds: float = 60.0, think: str = "1,5",
            workdir: Path | None = None, spawn_rate: float | None = None,
            mix: str = "", reload_midway: bool = False, once: bool = False) -> LoadRun:
    """Start gunicorn on ``port``, run the scenario against it (``mix``: the actions' weights,
    as ``ATLAS_LOAD_MIX``; ``once``: every action once per user, then the end, ``seconds``
    being only a bound; ``reload_midway``: see the module's doc), stop it."""
    own = workdir is None
    workdir = Path(workdir or tempfile.mkdtemp(prefix="atlas-underload-"))
    jobs = workdir / "jobs"
    jobs.mkdir(parents=True, exist_ok=True)
    env = {"ATLAS_JOBS_DIR": str(jobs), "LOG_LEVEL": "warning"}
    base = host = f"http://{servers.HOST}:{port}"
    if reload_midway:
        for (name, password), role in ((EDITOR, "editor"), (VIEWER, "viewer")):
            add_user(workdir / "users.json", name, role, password)
        env.update(ATLAS_USERS_FILE=str(workdir / "users.json"),
                   ATLAS_DATA_ROOT=str(workdir / "root"))
        host = f"http://{VIEWER[0]}:{VIEWER[1]}@{servers.HOST}:{port}"
    result = LoadRun(users, seconds, think,
                     export_workers=int(os.environ.get("ATLAS_EXPORT_WORKERS", "2")),
                     export_queue=int(os.environ.get("ATLAS_EXPORT_QUEUE", "6")))
    demo_before = _digest(DEMO_DIR)
    server = servers.start_gunicorn(APP, port, DEMO_DIR, log_path=workdir / "gunicorn.log",
                                    env=env, ready_path="/healthz")
    result.command = " ".join(["gunicorn", *server.command[3:]])
    stop = threading.Event()
    threads = [threading.Thread(target=_sample, daemon=True,
                                args=(server, result.rss, stop, time.monotonic()))]
    probe: dict = {"counts": set(), "errors": []}
    upload: dict = {}
    if reload_midway:
        threads += [threading.Thread(target=_probe, args=(base, probe, stop), daemon=True),
                    threading.Thread(target=_upload, args=(base, seconds / 2, upload, stop),
                                     daemon=True)]
    try:
        for thread in threads:
            thread.start()
        cpu_before = server.cpu_seconds()
        locust_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        result.by_name, result.metrics, result.failures = run_locust(
            host, users, seconds, spawn_rate=spawn_rate, think=think, mix=mix, once=once,
            workdir=workdir)
        locust_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        result.worker_cpu_seconds = server.cpu_seconds() - cpu_before
        result.locust_cpu_seconds = (locust_after.ru_utime - locust_before.ru_utime
                                     + locust_after.ru_stime - locust_before.ru_stime)
        result.load_average = os.getloadavg()[0]
        result.host_rss = server.job_host_memory_kb()
        if reload_midway:
            threads[-1].join(timeout=150)  # the upload, if still under way
            stop.set()
            result.reload = _check_reload(base, workdir, upload, probe)
            result.reload["demo_folder_unchanged"] = _digest(DEMO_DIR) == demo_before
    except (subprocess.SubprocessError, OSError, KeyError, ValueError) as error:
        log = workdir / "locust.log"
        result.error = f"{type(error).__name__}: {error}; " + (
            log.read_text(errors="replace")[-600:] if log.exists() else "")
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        server.stop()
        if own:
            shutil.rmtree(workdir, ignore_errors=True)
    return result


def _digest(folder: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            sha.update(path.name.encode() + path.read_bytes())
    return sha.hexdigest()


def _probe(base: str, found: dict, stop: threading.Event) -> None:
    """Every 0.2 s, the map callback with no filter: its programme count names the version."""
    session = requests.Session()
    session.auth = VIEWER
    values = dashpage.layout_values(session.get(f"{base}/_dash-layout", timeout=60).json(), {})
    spec = next(s for s in dashpage.served_callbacks(
        session.get(f"{base}/_dash-dependencies", timeout=60).json())
        if "kpi-programmes.children" in s["output"])
    values.update({key: [] for key in PROBE_CONTROLS})
    values["filter-years.value"] = [values.get("filter-years.min"),
                                    values.get("filter-years.max")]
    payload = dashpage.body(spec, values, ["filter-status.value"])
    while not stop.is_set():
        try:
            reply = session.post(f"{base}/_dash-update-component", data=payload, timeout=60,
                                 headers={"Content-Type": "application/json"})
            kpi = reply.json()["response"]["kpi-programmes"]["children"]
            digits = "".join(ch for ch in str(kpi) if ch.isdigit())
            found["counts"].add(int(digits))
        except (requests.RequestException, ValueError, KeyError) as error:
            found["errors"].append(f"{type(error).__name__}: {error}"[:200])
        stop.wait(0.2)


def _new_version_csv() -> bytes:
    frame = pd.read_csv(DEMO_DIR / "programmes.csv", dtype=str, keep_default_na=False)
    return frame.iloc[: len(frame) - DROPPED_PROGRAMMES].to_csv(index=False).encode("utf-8")


def _upload(base: str, delay: float, outcome: dict, stop: threading.Event) -> None:
    """Half way through, an editor uploads the demo's programmes less 20."""
    if stop.wait(delay):
        return
    content = _new_version_csv()
    started = time.perf_counter()
    try:
        reply = requests.post(f"{base}/admin/upload", auth=EDITOR, timeout=120,
                              headers={"Origin": base},  # as the upload page's browser sends
                              files=[("files", ("programmes.csv", content, "text/csv"))])
        outcome.update(status=reply.status_code, text=reply.text[:300])
        outcome.update(body=reply.json())
    except (requests.RequestException, ValueError) as error:
        outcome.update(status=None, body={}, error=str(error))
    outcome.update(seconds=round(time.perf_counter() - started, 2),
                   content_sha=hashlib.sha256(content).hexdigest())


def _check_reload(base: str, workdir: Path, outcome: dict, probe: dict) -> dict:
    """Nothing lost: the new version everywhere, nothing but the old or new counts served, the
    published file identical to the upload, the seed still there to restore."""
    body = outcome.get("body") or {}
    version = body.get("version")
    new_total = (body.get("counts") or {}).get("programmes")
    old_total = None if new_total is None else new_total + DROPPED_PROGRAMMES
    seen = probe["counts"]
    health = [requests.get(f"{base}/healthz", auth=EDITOR, timeout=10).json() for _ in range(40)]
    published = workdir / "root" / "versions" / str(version) / "programmes.csv"
    listing = requests.get(f"{base}/admin/versions", auth=EDITOR, timeout=10).json()
    return {
        "upload_seconds": outcome.get("seconds"),
        "upload_answer": None if outcome.get("status") == 200 else outcome.get("text"),
        "reload_accepted": outcome.get("status") == 200,
        "probe_without_error": not probe["errors"],
        "only_old_or_new_counts_served": bool(seen) and seen <= {old_total, new_total},
        "new_version_seen_by_map_callbacks": new_total in seen,
        "every_worker_serves_new_version": all(h.get("data_version") == version
                                               and (h.get("counts") or {}).get("programmes")
                                               == new_total
                                               for h in health),
        "published_file_is_the_upload": published.is_file() and hashlib.sha256(
            published.read_bytes()).hexdigest() == outcome.get("content_sha"),
        "previous_version_kept": [v["version"] for v in listing["versions"]] == [version, "seed"],
    }


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "**FAIL**")


def budget_rows(run: LoadRun | None) -> list[tuple[str, str, str, str]]:
    """(budget, limit, measured, verdict) rows of the run."""
    label = f"held under load: {run.users} users, {run.seconds:g} s" if run else "held under load"
    if run is None or run.error:
        return [(label, "0 errors", f"not run {run.error[:200] if run else ''}".strip(),
                 verdict(None))]
    busy, done = run.metric("export busy"), run.metric("export done")
    rows = [(f"{label}: errors (busy answers counted apart)", "0 errors",
             f"{run.errors} errors in {run.requests:,} requests; {done.count} exports done, "
             f"{busy.count} busy", verdict(run.errors == 0))]
    while_exporting = run.metric("filter while exporting")
    if while_exporting.count:
        p95 = while_exporting.p95
        rows.append(("filter callback p95 while exports run", "< 50 ms",
                     f"{p95:,.0f} ms ({while_exporting.count:,} callbacks; all filter "
                     f"callbacks {run.by_name.get('filter', Figures()).p95:,.0f} ms)",
                     verdict(p95 < BUDGETS["filter_p95_ms"])))
    else:
        rows.append(("filter callback p95 while exports run", "< 50 ms",
                     "no filter change met a running export", verdict(None)))
    start, middle, peak, end = run.rss_mib()
    rows.append(("worker memory over the run (sum of the workers' RSS)",
                 f"flat: end within {BUDGETS['rss_growth']:.0%} of half way",
                 f"start {start:,.0f} MiB, half way {middle:,.0f} MiB, peak {peak:,.0f} MiB, "
                 f"end {end:,.0f} MiB",
                 verdict(middle > 0 and end <= middle * (1 + BUDGETS["rss_growth"]))))
    if run.reload:
        failed = [name for name, ok in run.reload.items() if ok is False]
        rows.append(("a new data version uploaded half way, nothing lost", "every check",
                     "all held" if not failed else "failed: " + ", ".join(failed),
                     verdict(not failed)))
    return rows


def report_lines(run: LoadRun | None) -> list[str]:
    """The report's section on the run."""
    lines = ["## Held under load", ""]
    if run is None or run.error:
        return lines + [f"Not run. {run.error if run else ''}".strip(), ""]
    lines += [f"Locust (`benchmarks/locustfile.py`), {run.users} users for {run.seconds:g} s "
              f"(arriving over the first third), a pause of {run.think.replace(',', ' to ')} s "
              "between a user's actions: a page load on arrival, then page load 5 %, filter "
              "change 70 %, country panel 20 %, export 5 % (the dialog's title; its preview, "
              "a background job polled every 0.25 s; then the download, a background job "
              "polled every second). "
              f"`{run.command}`, ATLAS_EXPORT_WORKERS="
              f"{run.export_workers}, ATLAS_EXPORT_QUEUE={run.export_queue}. Locust runs on the "
              "same 2 cores" + (f", at nice {LOCUST_NICE} (its users stand for browsers on other "
                                "machines: its own wait for the CPU is not the server's)"
                                if os.geteuid() == 0 else "") + ". Times in ms.", ""]
    rows = [[name, f"{f.count:,}", f.failures, f"{f.p50:,.0f}", f"{f.p95:,.0f}",
             f"{f.p99:,.0f}", f"{f.max:,.0f}"] for name, f in sorted(run.by_name.items())]
    rows += [[f"*{name}*", f"{f.count:,}", f.failures, f"{f.p50:,.0f}", f"{f.p95:,.0f}",
              f"{f.p99:,.0f}", f"{f.max:,.0f}"] for name, f in sorted(run.metrics.items())]
    lines += _table(["requests (*measures*)", "count", "failures", "p50", "p95", "p99", "max"],
                    rows)
    start, middle, peak, end = run.rss_mib()
    per_worker = ", ".join(f"{kb / 1024:,.0f}" for kb in (run.rss[-1][1] if run.rss else []))
    lines += [f"Workers' resident memory (sum): start {start:,.0f} MiB, half way "
              f"{middle:,.0f} MiB, peak {peak:,.0f} MiB, end {end:,.0f} MiB (each worker at "
              f"the end: {per_worker} MiB; sampled every second, {len(run.rss)} samples); "
              "the job hosts (`dashboard.jobhost`, the data kept for the exports) at the end: "
              f"{', '.join(f'{kb / 1024:,.0f}' for kb in run.host_rss) or 'none'} MiB. "
              f"The web workers used {run.worker_cpu_seconds:,.0f} s of CPU during the run "
              f"({run.worker_cpu_seconds / run.seconds:.2f} cores on average), Locust "
              f"{run.locust_cpu_seconds:,.0f} s; the machine's load average at the end was "
              f"{run.load_average:.1f} (above 2, other work shared the 2 cores). "
              "*export done* and *export busy* time an export from the click to the answer; "
              "*filter while exporting* are the filter callbacks sent while an export of the run "
              "was under way; *filter change* is a whole change (every callback it triggers, in "
              "turn).", ""]
    if run.failures:
        lines += ["Failures:", ""] + [f"- {failure}" for failure in run.failures[:10]] + [""]
    return lines


def _table(header: list[str], rows: list[list]) -> list[str]:
    return (["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            + ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows] + [""])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think", default="1,5", help="pause between actions, s (min,max)")
    parser.add_argument("--port", type=int, default=8660)
    parser.add_argument("--reload-midway", action="store_true",
                        help="access control on; upload a new version half way and check for "
                             "loss")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    run = measure(args.port, users=args.users, seconds=args.seconds, think=args.think,
                  reload_midway=args.reload_midway)
    print("\n".join(report_lines(run) + _table(["budget", "limit", "measured", "result"],
                                               [list(r) for r in budget_rows(run)])))
    if args.json:
        args.json.write_text(json.dumps(asdict(run), indent=2) + "\n")
    held = all(ok is not False for ok in run.reload.values())
    return 0 if not run.error and run.errors == 0 and held else 1


if __name__ == "__main__":
    sys.exit(main())
