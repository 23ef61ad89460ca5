"""HTTP client side of the benchmark: Dash callback payloads, timed requests and a bounded
throughput run in several processes (``http.client`` connections, kept alive and reopened when
the server closes them)."""

from __future__ import annotations

import datetime
import http.client
import json
import multiprocessing
import os
import random
import resource
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from dashboard import ids
from viewmodel.urlstate import CONTROL_KEYS

JSON_HEADERS = {"Content-Type": "application/json", "Accept-Encoding": "gzip",
                "Accept": "application/json"}
CONTROL_FIELDS = {ids.control(key): key for key in CONTROL_KEYS}
TYPE_CHOICES = ("technical", "operational", "institutional", "partnership")
STATUS_CHOICES = ("planned", "active", "completed")
BENEFICIARY_CHOICES = ("police", "gendarmerie", "customs", "civil_security", "justice")


def filter_states(count: int, *, themes: list[str], regions: list[str],
                  countries: list[str], year_bounds: tuple[int, int],
                  seed: int = 20261123) -> list[dict]:
    """``count`` varied control values, keyed by component id, from a fixed seed."""
    rng = random.Random(seed)

    def some(pool, sizes):
        return rng.sample(list(pool), min(rng.choice(sizes), len(pool)))

    first, last = year_bounds
    states = []
    for _ in range(count):
        if rng.random() < 0.5:
            years = [first, last]
        else:
            low, high = sorted(rng.randint(first, last) for _ in range(2))
            years = [low, high]
        states.append({
            ids.MODE: rng.choice(("coverage", "programmes", "programmes")),
            ids.METRIC: rng.choice(("count", "budget")),
            ids.LAYER_TOGGLES: rng.choice((["posts", "links"], ["posts"], [])),
            ids.control("themes"): some(themes, (0, 0, 1, 1, 2, 3)),
            ids.control("types"): some(TYPE_CHOICES, (0, 0, 1, 2)),
            ids.control("status"): rng.choice((["active"], ["active"], [], ["planned", "active"],
                                               ["completed"])),
            ids.control("regions"): some(regions, (0, 0, 0, 1, 2)),
            ids.control("years"): years,
            ids.control("beneficiaries"): some(BENEFICIARY_CHOICES, (0, 0, 0, 1)),
            ids.control("partners"): [],
            ids.SELECTED_COUNTRY: (rng.choice(countries) if countries and rng.random() < 0.3
                                   else None),
            ids.LANG: rng.choice(("fr", "en")),
        })
    return states


def asof_states(base: dict, year_bounds: tuple[int, int], count: int, *,
                day: int | None = None) -> list[dict]:
    """``count`` copies of the control values ``base`` that differ by their as-of date only:
    months spread evenly over ``year_bounds``, on their last day (``day``: that day of the
    month instead, for warming up on other dates)."""
    first, last = year_bounds
    months = [(year, month) for year in range(first, last + 1) for month in range(1, 13)]
    step = max(1, len(months) // max(count, 1))
    chosen = months[::step][:count]
    states = []
    for year, month in chosen:
        if day is not None:
            when = f"{year:04d}-{month:02d}-{day:02d}"
        else:
            following = (year + month // 12, month % 12 + 1)
            when = (datetime.date(*following, 1) - datetime.timedelta(days=1)).isoformat()
        states.append({**base, ids.control("asof"): when})
    return states


def callback_spec(dependencies: list[dict], output: str) -> dict:
    """The callback of ``/_dash-dependencies`` whose outputs include ``output``."""
    return next(spec for spec in dependencies if output in spec["output"])


def callback_body(spec: dict, values: dict) -> bytes:
    """The JSON body the browser POSTs to ``/_dash-update-component`` for ``values`` (inputs
    without a value in ``values`` are sent as null)."""
    outputs = [{"id": item.split(".")[0], "property": item.split(".")[1]}
               for item in spec["output"].strip(".").split("...")]
    inputs = [{"id": item["id"], "property": item["property"], "value": values.get(item["id"])}
              for item in spec["inputs"]]
    state = [{"id": item["id"], "property": item["property"], "value": values.get(item["id"])}
             for item in spec.get("state", [])]
    changed = f"{inputs[0]['id']}.{inputs[0]['property']}" if inputs else ""
    payload = {"output": spec["output"], "outputs": outputs, "inputs": inputs,
               "changedPropIds": [changed], "state": state}
    return json.dumps(payload).encode("utf-8")


@dataclass(frozen=True)
class Reply:
    """One HTTP response as it came over the wire (body still compressed)."""

    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float


def request(connection: http.client.HTTPConnection, method: str, path: str,
            body: bytes | None = None, headers: dict | None = None) -> Reply:
    """One timed request on ``connection`` (reopened by http.client when the server closed it)."""
    start = time.perf_counter()
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    seconds = time.perf_counter() - start
    if response.will_close:
        connection.close()
    return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data, seconds)


def get(host: str, port: int, path: str, *, gzip: bool = True) -> Reply:
    """GET ``path`` on a fresh connection, asking for gzip."""
    connection = http.client.HTTPConnection(host, port, timeout=120)
    try:
        return request(connection, "GET", path,
                       headers={"Accept-Encoding": "gzip"} if gzip else {})
    finally:
        connection.close()


def timed_posts(host: str, port: int, path: str, bodies: list[bytes]) -> list[Reply]:
    """POST each body in turn (one client), returning the replies with their times."""
    connection = http.client.HTTPConnection(host, port, timeout=120)
    try:
        return [request(connection, "POST", path, body, JSON_HEADERS) for body in bodies]
    finally:
        connection.close()


def _throughput_client(host, port, path, bodies, duration, offset, ready, go, queue) -> None:
    """One client process: POST bodies in a loop for ``duration`` seconds once ``go`` is set."""
    connection = http.client.HTTPConnection(host, port, timeout=60)
    ok = errors = 0
    latencies = []
    position = offset
    ready.put(os.getpid())
    go.wait()
    cpu_start = os.times()
    end = time.perf_counter() + duration
    while time.perf_counter() < end:
        body = bodies[position % len(bodies)]
        position += 1
        try:
            reply = request(connection, "POST", path, body, JSON_HEADERS)
        except (OSError, http.client.HTTPException):
            errors += 1
            connection.close()
            continue
        latencies.append(reply.seconds)
        if reply.status == 200:
            ok += 1
        else:
            errors += 1
    cpu_end = os.times()
    cpu = (cpu_end.user - cpu_start.user) + (cpu_end.system - cpu_start.system)
    connection.close()
    queue.put({"ok": ok, "errors": errors, "latencies": latencies, "cpu": cpu})


@dataclass(frozen=True)
class Throughput:
    """Result of a bounded load run."""

    requests_per_second: float
    ok: int
    errors: int
    seconds: float
    clients: int
    client_cpu_share: float  # fraction of the machine's CPU time the clients used
    p50: float  # latency percentiles, seconds
    p95: float
    tool: str  # what generated the load


def throughput(host: str, port: int, path: str, bodies: list[bytes], *, duration: float,
               clients: int) -> Throughput:
    """Requests per second over ``duration`` s, cycling through ``bodies``: from Debian's
    ``wrk`` (one thread, ``clients`` keep-alive connections) when it is installed, as it uses a
    fraction of the CPU a Python client does on a machine the server shares; else from
    ``clients`` Python processes."""
    if shutil.which("wrk"):
        return wrk_throughput(host, port, path, bodies, duration=duration, clients=clients)
    return python_throughput(host, port, path, bodies, duration=duration, clients=clients)


#: wrk's script: POST the bodies of a file (one per line) in turn on each connection, and print
#: the run's figures as one JSON line at the end.
WRK_SCRIPT = """
local bodies, position = {}, 0
for line in io.lines(os.getenv("ATLAS_WRK_BODIES")) do bodies[#bodies + 1] = line end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.headers["Accept-Encoding"] = "gzip"
request = function()
  position = position + 1
  return wrk.format(nil, nil, nil, bodies[(position % #bodies) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "micros": %d, "connect": %d, "read": %d, "write": %d, "status": %d, '
    .. '"timeout": %d, "p50_us": %d, "p95_us": %d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95)))
end
"""


def wrk_throughput(host: str, port: int, path: str, bodies: list[bytes], *, duration: float,
                   clients: int) -> Throughput:
    """The load run through ``wrk`` (errors: its socket errors, timeouts and non-2xx/3xx
    answers)."""
    with tempfile.TemporaryDirectory(prefix="atlas-wrk-") as folder:
        script, lines = Path(folder) / "post.lua", Path(folder) / "bodies.jsonl"
        script.write_text(WRK_SCRIPT, encoding="utf-8")
        lines.write_bytes(b"\n".join(body.replace(b"\n", b" ") for body in bodies) + b"\n")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        finished = subprocess.run(
            ["wrk", "-t1", f"-c{clients}", f"-d{max(duration, 1):g}s", "--timeout", "10s",
             "-s", str(script), f"http://{host}:{port}{path}"],
            capture_output=True, text=True, timeout=duration + 60, check=True,
            env={**os.environ, "ATLAS_WRK_BODIES": str(lines)})
        elapsed = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures = json.loads(finished.stdout.strip().splitlines()[-1])
    errors = sum(figures[key] for key in ("connect", "read", "write", "status", "timeout"))
    seconds = figures["micros"] / 1e6
    ok = figures["requests"] - figures["status"]
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Throughput(ok / seconds, ok, errors, seconds, clients,
                      cpu / (elapsed * (os.cpu_count() or 1)),
                      figures["p50_us"] / 1e6, figures["p95_us"] / 1e6, "wrk")


def python_throughput(host: str, port: int, path: str, bodies: list[bytes], *,
                      duration: float, clients: int) -> Throughput:
    """The load run from ``clients`` processes, each on its own keep-alive-capable
    ``http.client`` connection."""
    context = multiprocessing.get_context("fork")  # light clients, no re-import of the caller
    ready, go, queue = context.Queue(), context.Event(), context.Queue()
    processes = [
        context.Process(target=_throughput_client,
                        args=(host, port, path, bodies, duration,
                              index * len(bodies) // clients, ready, go, queue))
        for index in range(clients)
    ]
    for process in processes:
        process.start()
    for _ in processes:
        ready.get(timeout=120)
    started = time.perf_counter()
    go.set()
    results = [queue.get(timeout=duration + 120) for _ in processes]
    elapsed = time.perf_counter() - started
    for process in processes:
        process.join()
    ok = sum(r["ok"] for r in results)
    errors = sum(r["errors"] for r in results)
    cpu = sum(r["cpu"] for r in results)
    latencies = sorted(x for r in results for x in r["latencies"])
    return Throughput(ok / elapsed, ok, errors, elapsed, clients,
                      cpu / (elapsed * (os.cpu_count() or 1)),
                      _percentile(latencies, 50), _percentile(latencies, 95),
                      f"{clients} Python processes")


def _percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile of sorted ``values`` (nearest rank; 0 when empty)."""
    if not values:
        return 0.0
    return values[min(len(values) - 1, max(0, round(q / 100 * len(values)) - 1))]
