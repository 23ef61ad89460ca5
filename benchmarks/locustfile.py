"""The atlas's load scenario for Locust: users who open the page, change filters, open country
panels and export, with a pause of 1 to 5 s between actions (``ATLAS_LOAD_THINK="1,5"``).

    locust -f benchmarks/locustfile.py --headless -u 200 -r 20 -t 60s --host http://127.0.0.1:8660

(``python benchmarks/underload.py`` starts gunicorn as the Procfile does, runs this and samples
the workers' memory.) Each user plays the page as the browser does, from ``/_dash-layout`` and
``/_dash-dependencies``: it keeps the page's values, and after a change it posts every server
callback that has the changed property as an input, then those fed by what came back (each
callback once per action), so the requests are those of the real page, whatever its callbacks.
Mix of actions (``ATLAS_LOAD_MIX``, weights): page load 5, filter change 70, country panel
20, export 5 (every user also loads the page when it arrives). ``ATLAS_LOAD_ONCE=1`` (the
smoke test): each user plays every action once, a CSV export last, then the run ends.

An export opens the dialog (its title callback, and the preview, a background job), then
starts the download. A background callback is played as the browser plays it: a POST with the
page's ``endId`` answered by a job handle, then a poll every ``interval`` ms with the handle
until the answer holds the file (the preview) or a message. "Busy" (the host's export queue
full) is counted, not an error; so is a preview left out (every export slot taken).

Request names: ``page`` (the page's files), ``page callback``, ``filter``, ``panel``,
``export dialog``, ``preview start``, ``preview poll``, ``export start``, ``export poll``.
Figures of type ``METRIC`` are not
requests: ``filter while exporting`` (each filter callback that started while one of this
process's exports was running), ``filter change`` (a whole change, every callback of its
chain), ``export done`` and ``export busy`` (an export from click to answer), ``preview
done`` (from the dialog's opening to the preview's answer). Anything else
than a 200/204, a file or a "busy" answer is a failure.
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
import time
from pathlib import Path

from locust import FastHttpUser, between, events, task

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.dashpage import body, layout_values, prop_ids, served_callbacks  # noqa: E402
from geodata.i18n import describe  # noqa: E402  (the busy message, in both languages)

UPDATE = "/_dash-update-component"
JSON_HEADERS = {"Content-Type": "application/json", "Accept": "application/json",
                "Accept-Encoding": "gzip"}
CONFIG = re.compile(r'<script id="_dash-config" type="application/json">(.*?)</script>', re.S)
COUNTRIES = ("MLI", "SEN", "ESP", "MAR", "USA", "BRA", "IND", "NGA", "KEN", "TUR", "FRA", "JOR")
#: The export triggers and their share: the dialog's download button (with its format), and
#: the table buttons.
EXPORTS = ((("export-confirm", "png"), 4), (("export-confirm", "pptx"), 2),
           (("export-csv", None), 3), (("export-xlsx", None), 1))
MAX_LEVELS = 4  # chained callbacks followed after a change
EXPORT_WAIT_S = 300.0
METRIC = "METRIC"
#: Exports of this process under way (every user of a Locust process shares one thread).
RUNNING = {"exports": 0}


MIX = {"page": 5, "filter": 70, "panel": 20, "export": 5}


def mix() -> dict[str, int]:
    """The actions' weights: :data:`MIX`, changed by ``ATLAS_LOAD_MIX`` ("export=1,page=1")."""
    weights = dict(MIX)
    for part in filter(None, os.environ.get("ATLAS_LOAD_MIX", "").split(",")):
        name, _, weight = part.partition("=")
        weights[name.strip()] = int(weight)
    return weights


def think_range() -> tuple[float, float]:
    """The users' pause between actions, seconds (``ATLAS_LOAD_THINK``, default 1 to 5)."""
    low, high = (float(x) for x in os.environ.get("ATLAS_LOAD_THINK", "1,5").split(","))
    return low, high


def metric(name: str, seconds: float, exception: Exception | None = None) -> None:
    events.request.fire(request_type=METRIC, name=name, response_time=1000 * seconds,
                        response_length=0, exception=exception, context={})


class Site:
    """What every user knows of the app, read once by the first user."""

    values: dict = {}
    callbacks: list[dict] = []
    export: dict | None = None
    preview: dict | None = None
    busy_texts: frozenset = frozenset()
    themes: list = []
    regions: list = []

    @classmethod
    def learn(cls, client) -> None:
        if cls.callbacks:
            return
        layout = client.get("/_dash-layout", name="page").json()
        cls.values = layout_values(layout, {})
        served = served_callbacks(client.get("/_dash-dependencies", name="page").json())
        background = [s for s in served if s.get("background")]
        cls.export = next((s for s in background if "export-download" in s["output"]
                           and "export-confirm.n_clicks" in prop_ids(s["inputs"])), None)
        cls.preview = next((s for s in background if "export-preview" in s["output"]), None)
        cls.callbacks = [s for s in served if not s.get("background")]
        cls.themes = [o["value"] for o in cls.values.get("filter-themes.options") or []]
        cls.regions = [o["value"] for o in cls.values.get("filter-regions.options") or []]
        cls.busy_texts = frozenset(describe("export.busy", lang, {"n": n})
                                   for lang in ("fr", "en") for n in range(1, 65))


WEIGHTS = mix()
ONCE = os.environ.get("ATLAS_LOAD_ONCE") == "1"


class AtlasUser(FastHttpUser):
    """One person using the atlas in a browser tab."""

    wait_time = between(*think_range())

    def on_start(self) -> None:
        Site.learn(self.client)
        self.open_page()
        if ONCE:
            self.change_filter()
            self.open_panel()
            self.export()
            time.sleep(2.5)  # Locust writes its CSV figures every second: let it see the last
            self.environment.runner.quit()

    # -- what the browser does -------------------------------------------------------------

    def post(self, name: str, spec: dict, changed: list[str], query: str = "",
             *, blank: bool = False) -> dict | None:
        """POST one callback; returns its JSON (``{}`` for 204), None on failure."""
        exporting = RUNNING["exports"] > 0
        started = time.perf_counter()
        with self.client.post(UPDATE + query, data=body(spec, self.values, changed, blank=blank),
                              headers=JSON_HEADERS, name=name, catch_response=True) as reply:
            seconds = time.perf_counter() - started
            if reply.status_code == 204:
                answer = {}
            elif reply.status_code == 200:
                try:
                    answer = reply.json()
                except ValueError as error:
                    reply.failure(f"not JSON: {error}")
                    return None
            else:
                reply.failure(f"HTTP {reply.status_code}: {(reply.text or '')[:160]!r}")
                return None
        if name == "filter" and exporting:
            metric("filter while exporting", seconds)
        return answer

    def run_chain(self, name: str, changed: list[str], first: list[dict] | None = None) -> bool:
        """Post the callbacks ``changed`` triggers, then those their answers trigger."""
        fired: set[str] = set()
        pending = first if first is not None else self.triggered(changed, fired)
        for _ in range(MAX_LEVELS):
            if not pending:
                break
            returned: list[str] = []
            for spec in pending:
                fired.add(spec["output"])
                answer = self.post(name, spec, changed)
                if answer is None:
                    return False
                for component, props in (answer.get("response") or {}).items():
                    for prop, value in props.items():
                        key = f"{component}.{prop.split('@')[0]}"
                        self.values[key] = value
                        returned.append(key)
            changed = returned
            pending = self.triggered(changed, fired)
        return True

    def triggered(self, changed: list[str], fired: set[str]) -> list[dict]:
        changed_set = set(changed)
        return [spec for spec in Site.callbacks if spec["output"] not in fired
                and changed_set.intersection(prop_ids(spec["inputs"]))]

    # -- the actions ------------------------------------------------------------------------

    @task(WEIGHTS["page"])
    def open_page(self) -> None:
        """A page load: the HTML, the layout, the callbacks, the shapes, the first callbacks."""
        page = self.client.get("/", name="page")
        found = CONFIG.search(page.text or "")
        self.end_id = json.loads(found.group(1)).get("end_id") if found else None
        self.client.get("/_dash-layout", name="page")
        self.client.get("/_dash-dependencies", name="page")
        self.values = dict(Site.values)
        shapes = self.values.get("country-shapes.data")
        if isinstance(shapes, str) and shapes.startswith("/"):
            self.client.get(shapes, name="page", headers={"Accept-Encoding": "gzip"})
        first = [spec for spec in Site.callbacks if not spec.get("prevent_initial_call")]
        self.run_chain("page callback", prop_ids([i for spec in first for i in spec["inputs"]]),
                       first)

    @task(WEIGHTS["filter"])
    def change_filter(self) -> None:
        """One control changed, as a click in the filter column."""
        choices = {
            "filter-mode.value": lambda: random.choice(["coverage", "programmes"]),
            "filter-metric.value": lambda: random.choice(["count", "budget"]),
            "filter-themes.value": lambda: random.sample(Site.themes,
                                                         k=min(len(Site.themes),
                                                               random.randint(0, 2))),
            "filter-status.value": lambda: random.choice([["active"], ["active", "planned"],
                                                          []]),
            "filter-regions.value": lambda: random.sample(Site.regions,
                                                          k=min(len(Site.regions),
                                                                random.randint(0, 1))),
        }
        prop = random.choice(list(choices))
        self.values[prop] = choices[prop]()
        started = time.perf_counter()
        if self.run_chain("filter", [prop]):
            metric("filter change", time.perf_counter() - started)

    @task(WEIGHTS["panel"])
    def open_panel(self) -> None:
        """A click on a country: its panel opens (and the map and URL follow)."""
        prop = "layer-countries.clickData"
        self.values[prop] = {"type": "Feature", "properties": {"id": random.choice(COUNTRIES)}}
        self.run_chain("panel", [prop])

    @task(WEIGHTS["export"])
    def export(self) -> None:
        """Open the export dialog, then download as the browser does (a background job)."""
        spec = Site.export
        if spec is None or not self.end_id:
            return
        opener = "export-open.n_clicks"
        self.values[opener] = (self.values.get(opener) or 0) + 1
        opened = time.perf_counter()
        if not self.run_chain("export dialog", [opener]):
            return
        if Site.preview is not None:
            answer = self.run_job("preview", Site.preview, [opener], opened)
            if answer is None:
                return
            metric("preview done", time.perf_counter() - opened)
        (trigger, fmt), = (random.choices([e for e, _ in EXPORTS], [w for _, w in EXPORTS])
                           if not ONCE else [("export-csv", None)])
        clicks = f"{trigger}.n_clicks"
        self.values[clicks] = (self.values.get(clicks) or 0) + 1
        if fmt:
            self.values["export-format.value"] = fmt
        RUNNING["exports"] += 1
        started = time.perf_counter()
        try:
            self.download(spec, clicks, started)
        finally:
            RUNNING["exports"] -= 1

    def run_job(self, name: str, spec: dict, changed: list[str], started: float,
                ) -> dict | None:
        """Start a background callback and poll it until it answers (``{name} start``,
        ``{name} poll``); its answer, None when it failed (a ``{name} done`` metric says
        why)."""
        query = f"?endId={self.end_id}"
        handle = self.post(f"{name} start", spec, changed, query)
        if handle is None:
            return None
        if "cacheKey" not in handle:
            metric(f"{name} done", time.perf_counter() - started,
                   RuntimeError(f"no job handle: {str(handle)[:160]}"))
            return None
        poll = f"{query}&cacheKey={handle['cacheKey']}&job={handle['job']}"
        interval = (spec.get("background") or {}).get("interval", 1000) / 1000
        while time.perf_counter() - started < EXPORT_WAIT_S:
            time.sleep(interval)
            answer = self.post(f"{name} poll", spec, changed, poll, blank=True)
            if answer is None:
                return None
            if "response" in answer or not answer:
                for component, props in (answer.get("response") or {}).items():
                    for prop, value in props.items():
                        self.values[f"{component}.{prop}"] = value
                return answer
        metric(f"{name} done", time.perf_counter() - started, TimeoutError("no answer"))
        return None

    def download(self, spec: dict, clicks: str, started: float) -> None:
        answer = self.run_job("export", spec, [clicks], started)
        if answer is None:
            return
        seconds = time.perf_counter() - started
        response = answer.get("response") or {}
        status = (response.get("export-status") or {}).get("children")
        if (response.get("export-download") or {}).get("data"):
            metric("export done", seconds)
        elif status in Site.busy_texts:
            metric("export busy", seconds)
        else:
            metric("export done", seconds, RuntimeError(f"no file: {status!r}"[:200]))
