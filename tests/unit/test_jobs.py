"""The export queue and the background jobs: at most ATLAS_EXPORT_WORKERS exports at once per
host, the others in line with their place shown, a busy answer when the line is full, and
jobs that stop when their request is abandoned; a briefing pack through a real Redis server
and a real Celery worker."""

from __future__ import annotations

import base64
import fcntl
import io
import os
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import diskcache
import psutil
import pytest
from dash import no_update
from pptx import Presentation

from benchmarks.dashpage import layout_values
from dashboard import exportpool, ids
from dashboard.app import create_app
from dashboard.callbacks.export import export_job, queue_text
from dashboard.exportpool import Busy, Cancelled, ExportPool
from dashboard.jobs import EmbeddedJobs, JobControl
from dashboard.settings import DEMO_DATA_DIR, Settings
from dataversions.versions import DataVersions
from geodata.countries import load_countries
from geodata.loading import load_network
from tests.unit.serving import callback_payload, callback_spec, run_job
from viewmodel.data import build_atlas_data
from viewmodel.store import DataStore

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def slots_taken(folder: Path, count: int):
    """``count`` slots held by exports of another worker of the host."""
    folder.mkdir(parents=True, exist_ok=True)
    handles = [open(folder / f"slot-{number}", "a+") for number in range(count)]  # noqa: SIM115
    for handle in handles:
        fcntl.flock(handle, fcntl.LOCK_EX)
    try:
        yield
    finally:
        for handle in handles:
            handle.close()


# --- the queue ------------------------------------------------------------------------------

def test_waiting_exports_learn_their_place_in_order_of_arrival(tmp_path):
    pool = ExportPool(1, tmp_path, queue=4)
    places = {"first": [], "second": []}
    got_slot = []

    def export(name):
        with pool.queued(on_place=places[name].append, max_wait_s=30):
            got_slot.append(name)

    with slots_taken(tmp_path, 1):
        first = threading.Thread(target=export, args=("first",))
        first.start()
        while pool.waiting() < 1:
            time.sleep(0.05)
        second = threading.Thread(target=export, args=("second",))
        second.start()
        while pool.waiting() < 2:
            time.sleep(0.05)
        time.sleep(0.5)
        assert places == {"first": [1], "second": [2]}
    first.join(10)
    second.join(10)
    assert got_slot == ["first", "second"]
    assert pool.waiting() == 0


def test_a_full_queue_answers_busy_at_once(tmp_path):
    pool = ExportPool(2, tmp_path, queue=1)
    stop = threading.Event()
    with slots_taken(tmp_path, 2):
        waiter = threading.Thread(target=lambda: pytest.raises(
            Cancelled, lambda: pool.queued(should_stop=stop.is_set).__enter__()))
        waiter.start()
        while pool.waiting() < 1:
            time.sleep(0.05)
        places = []
        with pytest.raises(Busy) as busy, pool.queued(on_place=places.append, max_wait_s=60):
            pass
        assert places == []  # told at once: never in line
        assert (busy.value.running, busy.value.waiting) == (2, 1)
        stop.set()
        waiter.join(10)
    assert pool.waiting() == 0


def test_a_waiting_export_leaves_the_line_when_told_to_stop(tmp_path):
    pool = ExportPool(1, tmp_path, queue=3)
    asked = []

    def should_stop():
        asked.append(1)
        return len(asked) > 3

    with slots_taken(tmp_path, 1), pytest.raises(Cancelled), pool.queued(
            should_stop=should_stop, max_wait_s=60):
        pass
    assert pool.waiting() == 0


def test_the_ticket_of_a_dead_waiter_is_swept(tmp_path):
    pool = ExportPool(1, tmp_path, queue=3)
    tickets = tmp_path / exportpool.TICKETS
    tickets.mkdir(parents=True)
    (tickets / "00000000000000000001-1-dead").write_text("")  # nobody holds it
    assert pool.waiting() == 0
    assert list(tickets.iterdir()) == []


def test_a_job_stops_when_its_browser_stops_polling():
    polls = iter(range(1000))
    count = [0]
    control = JobControl(polls=lambda: count[0], abandon_s=0.3)
    assert not control.stopped()
    for _ in range(3):
        time.sleep(0.2)
        count[0] = next(polls) + 1  # the browser polls
        assert not control.stopped()
    time.sleep(0.5)
    assert control.stopped()
    with pytest.raises(Cancelled):
        control.check()


def test_the_place_in_words():
    assert queue_text(2, "en") == "Waiting: 2nd in line"
    assert queue_text(1, "en") == "Waiting: 1st in line"
    assert queue_text(2, "fr") == "En attente : 2e"
    assert queue_text(1, "fr") == "En attente : 1er"


# --- the dialog's job -----------------------------------------------------------------------

def _pack_args(lang="en"):
    return dict(_confirm=1, fmt="pptx", size="16:9", scale=1, title="Sahel", include=[],
                marking="", bounds=None,
                dialog={"what": "pack", "extent": "regions", "options": ["labels"],
                        "subtitle": "", "notes": ""},
                view={"controls": {"mode": "programmes", "regions": ["sahel"]},
                      "country": None, "post": None, "lang": lang})


def test_a_pack_stops_between_pages_once_abandoned(tmp_path):
    """A pack whose browser has gone stops at the next page; the user's status says so."""
    store = DataStore(build_atlas_data(load_network(DEMO_DATA_DIR), load_countries()))
    pages = []
    control = JobControl(polls=lambda: 1)
    control.stopped = lambda: len(pages) >= 2  # the browser left after the second page

    def set_progress(values):
        if values[0] not in ("0", 0):
            pages.append(values[0])

    settings = Settings.load(data_dir=DEMO_DATA_DIR, jobs_dir=str(tmp_path))
    download, status = export_job(set_progress, control, lambda: store, settings,
                                  **_pack_args())
    assert status == "Export stopped."
    assert pages == ["1", "2"]
    assert download is no_update  # no file


@pytest.fixture
def job_app(tmp_path):
    settings = Settings.load(data_dir=DEMO_DATA_DIR, jobs_dir=str(tmp_path / "jobs"),
                             export_workers=1, export_queue=1)
    return create_app(settings), tmp_path / "jobs" / "exports"


def _body(client, values):
    spec = callback_spec(client, "export-status.children")
    base = {f"{ids.EXPORT_FORMAT}.value": "png", f"{ids.EXPORT_SIZE}.value": "16:9",
            f"{ids.LANG}.data": "en"}
    return callback_payload(spec, {**base, **values}, f"{ids.EXPORT_CONFIRM}.n_clicks")


def test_a_queued_export_shows_its_place_then_downloads(job_app):
    app, pool_folder = job_app
    client = app.server.test_client()
    body = _body(client, {})
    waiting = threading.Event()

    def release_when_seen():
        waiting.wait(120)
        held.close()

    pool_folder.mkdir(parents=True)
    held = open(pool_folder / "slot-0", "a+")  # noqa: SIM115 - another export runs
    fcntl.flock(held, fcntl.LOCK_EX)
    releaser = threading.Thread(target=release_when_seen)
    releaser.start()

    def place_seen(progress):
        if progress.get(f"{ids.EXPORT_QUEUE}.children") == "Waiting: 1st in line":
            waiting.set()
        return False

    answer, progress = run_job(client, body, until=place_seen)
    releaser.join(10)
    assert {f"{ids.EXPORT_QUEUE}.children": "Waiting: 1st in line",
            f"{ids.EXPORT_PROGRESS}.value": "0",
            f"{ids.EXPORT_PROGRESS}.max": "1"} in progress
    assert answer[ids.EXPORT_STATUS]["children"].startswith("File ready: ")
    png = base64.b64decode(answer[ids.EXPORT_DOWNLOAD]["data"]["content"])
    assert png.startswith(b"\x89PNG")


def test_a_job_started_while_another_thread_holds_a_lock_finishes(job_app):
    """Job processes are never forks of the threaded web worker: a lock held by another of
    its threads when the job starts (here the export fonts', while that thread looks the fonts
    up) cannot hang the job, which draws with those fonts."""
    from exports.page import EXPORT_FONTS

    app, _ = job_app
    client = app.server.test_client()
    body = _body(client, {})
    held, release = threading.Event(), threading.Event()

    def looking_up_the_fonts():
        with EXPORT_FONTS._lock:
            EXPORT_FONTS._families = None  # being looked up
            held.set()
            release.wait(300)

    looker = threading.Thread(target=looking_up_the_fonts)
    looker.start()
    held.wait(10)
    try:
        handle = client.post("/_dash-update-component", json=body).get_json()
    finally:
        release.set()
        looker.join(10)
    answer, _ = run_job(client, body, timeout=120, started=handle)
    assert answer[ids.EXPORT_STATUS]["children"].startswith("File ready: ")


def test_a_full_queue_says_the_server_is_busy(job_app):
    app, pool_folder = job_app
    client = app.server.test_client()
    pool = ExportPool(1, pool_folder, queue=1)
    stop = threading.Event()
    with slots_taken(pool_folder, 1):
        waiter = threading.Thread(target=lambda: pytest.raises(
            Cancelled, lambda: pool.queued(should_stop=stop.is_set).__enter__()))
        waiter.start()  # the one place in line is taken
        while pool.waiting() < 1:
            time.sleep(0.05)
        answer, _ = run_job(client, _body(client, {}), timeout=60)
        stop.set()
        waiter.join(10)
    assert answer[ids.EXPORT_STATUS]["children"] == (
        "The server is busy: 1 export is running and the queue is full. Try again in a moment.")
    assert ids.EXPORT_DOWNLOAD not in answer


def test_an_abandoned_export_leaves_the_queue_and_its_process_ends(job_app):
    """The export is started, then never polled (the browser was closed): within the abandon
    delay (10 s) and a queue poll, the job leaves the line and its process ends."""
    app, pool_folder = job_app
    client = app.server.test_client()
    pool = ExportPool(1, pool_folder, queue=1)
    with slots_taken(pool_folder, 1):
        handle = client.post("/_dash-update-component", json=_body(client, {})).get_json()
        job = psutil.Process(int(handle["job"].split("~")[0]))
        deadline = time.monotonic() + 60
        while pool.waiting() < 1 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert pool.waiting() == 1  # in line
        job.wait(timeout=30)  # psutil.TimeoutExpired if it did not stop
        assert pool.waiting() == 0


# --- Celery with Redis ----------------------------------------------------------------------

@pytest.fixture
def celery_worker(redis_url, tmp_path):
    """A real Celery worker (``celery -A dashboard.worker worker``, as the README starts it)
    on its own Redis database; its settings, like the web app's, from the environment."""
    import redis

    # A database of its own (1-15, taken in turn): the test command's runs share one server.
    database = redis.Redis.from_url(redis_url).incr("atlas-test-databases") % 15 + 1
    url = f"{redis_url.rstrip('/')}/{database}"
    redis.Redis.from_url(url).flushdb()
    env = {**os.environ, "ATLAS_REDIS_URL": url, "ATLAS_DATA_DIR": str(DEMO_DATA_DIR),
           "ATLAS_JOBS_DIR": str(tmp_path / "jobs"), "ATLAS_EXPORT_WORKERS": "1",
           "ATLAS_EXPORT_QUEUE": "1", "PYTHONPATH": str(ROOT)}
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "dashboard.worker",
                               "worker", "--loglevel=INFO", "--without-mingle",
                               "--without-gossip"],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    settings = Settings.load(data_dir=DEMO_DATA_DIR, redis_url=url,
                             jobs_dir=str(tmp_path / "jobs"), export_workers=1, export_queue=1)
    try:
        yield settings, tmp_path / "worker.log"
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)
        log.close()


def test_a_briefing_pack_through_redis_and_a_celery_worker(celery_worker):
    """With ATLAS_REDIS_URL set, the dialog's pack is made by the Celery worker, reporting
    its progress page by page, and downloads as a PowerPoint with one slide per page."""
    settings, log = celery_worker
    app = create_app(settings)
    manager = app.server.extensions["atlas_jobs"]
    assert type(manager).__name__ == "CeleryJobs"
    deadline = time.monotonic() + 120
    while not manager.handle.control.ping(timeout=1):
        assert time.monotonic() < deadline, log.read_text()[-3000:]
    client = app.server.test_client()
    values = {f"{ids.EXPORT_FORMAT}.value": "pptx", f"{ids.EXPORT_SIZE}.value": "16:9",
              f"{ids.EXPORT_TITLE}.value": "Sahel", f"{ids.EXPORT_WHAT}.value": "pack",
              f"{ids.EXPORT_EXTENT}.value": "regions",
              f"{ids.control('mode')}.value": "programmes",
              f"{ids.control('regions')}.value": ["sahel"], f"{ids.LANG}.data": "en"}
    answer, progress = run_job(client, _body(client, values), timeout=300)
    status = answer[ids.EXPORT_STATUS]["children"]
    assert status.startswith("sahel-"), (status, log.read_text()[-3000:])
    slides = Presentation(io.BytesIO(base64.b64decode(
        answer[ids.EXPORT_DOWNLOAD]["data"]["content"]))).slides
    assert status.endswith(f"is ready ({len(slides)} pages).")
    assert slides[0].shapes.title.text_frame.text == "Sahel"
    assert len(slides) >= 3  # the view, its region, a brief per country
    assert "country brief" in slides[2].shapes.title.text_frame.text
    done = str(len(slides))  # the last page's progress, through Redis
    assert {f"{ids.EXPORT_PROGRESS}.value": done, f"{ids.EXPORT_PROGRESS}.max": done,
            f"{ids.EXPORT_QUEUE}.children": ""} in progress
    assert "succeeded" in log.read_text()  # the worker, not this process, made it


def test_the_dialog_preview_is_a_job_left_out_while_every_export_slot_is_taken(job_app):
    """The preview is a page drawn, as a background job (never in the web worker): it takes a
    slot like a download, without waiting, so that dialogs opened together cannot starve the
    downloads; with the slot taken it is left out, else it is the page as a PNG."""
    app, pool_folder = job_app
    client = app.server.test_client()
    spec = callback_spec(client, f"{ids.EXPORT_PREVIEW}.src")
    assert spec.get("background")
    page = layout_values(client.get("/_dash-layout").get_json(), {})  # the page on arrival
    body = callback_payload(spec, {**page, f"{ids.EXPORT_OPEN}.n_clicks": 1},
                            f"{ids.EXPORT_OPEN}.n_clicks")

    def preview():
        answer, _ = run_job(client, body, timeout=120)
        return answer[ids.EXPORT_PREVIEW]["src"]

    with slots_taken(pool_folder, 1):
        assert preview() is None
    src = preview()
    assert src.startswith("data:image/png;base64,")
    assert base64.b64decode(src.split(",", 1)[1]).startswith(b"\x89PNG")


def test_the_panel_brief_is_a_job_that_waits_its_turn(job_app):
    """The panel's brief button starts a background job (never drawn in the web worker), which
    waits while the only export slot is taken and then downloads the country's brief."""
    app, pool_folder = job_app
    client = app.server.test_client()
    spec = next(dep for dep in client.get("/_dash-dependencies").get_json()
                if any(item["id"] == ids.PANEL_BRIEF for item in dep["inputs"]))
    assert spec.get("background")
    page = layout_values(client.get("/_dash-layout").get_json(), {})
    body = callback_payload(spec, {**page, f"{ids.PANEL_BRIEF}.n_clicks": 1,
                                   f"{ids.SELECTED_COUNTRY}.data": "MLI",
                                   f"{ids.LANG}.data": "en"}, f"{ids.PANEL_BRIEF}.n_clicks")
    with slots_taken(pool_folder, 1):
        started = client.post("/_dash-update-component", json=body).get_json()
        with pytest.raises(AssertionError, match="no answer in 3 s"):
            run_job(client, body, started=started, timeout=3)  # waits its turn
    answer, _ = run_job(client, body, started=started, timeout=120)
    status = answer[ids.EXPORT_STATUS]["children"]
    assert status == "File ready: mali-country-brief-2026-11-23.pptx"
    slides = Presentation(io.BytesIO(base64.b64decode(
        answer[ids.EXPORT_DOWNLOAD]["data"]["content"]))).slides
    assert "Mali" in slides[0].shapes.title.text_frame.text


def test_stopping_a_job_process_that_has_just_ended_is_no_error(tmp_path, monkeypatch):
    """The poll that collects a finished job's file stops its process, which may exit at that
    very moment (psutil then says it has no such process): the file must still be delivered."""
    manager = EmbeddedJobs(diskcache.Cache(str(tmp_path / "jobs")),
                           Settings.load(data_dir=DEMO_DATA_DIR))
    ended = subprocess.Popen([sys.executable, "-c", "pass"])

    def gone(self, recursive=False):
        raise psutil.NoSuchProcess(self.pid)

    monkeypatch.setattr(psutil.Process, "children", gone)
    manager.terminate_job(ended.pid)  # the process still exists when Dash looks, then ends
    ended.wait()


# --- the job host -----------------------------------------------------------------------------

def _programme_rows(client, body) -> list[str]:
    answer, _ = run_job(client, body)
    content = base64.b64decode(answer[ids.EXPORT_DOWNLOAD]["data"]["content"])
    return content.decode("utf-8-sig").splitlines()


def test_exports_keep_one_warm_host_that_follows_the_version_served(tmp_path):
    """A worker's exports are forked from one host that keeps the data between them; once a
    new version is published, the next export (a CSV of the programmes in view) has the new
    version's programmes, not the ones the host held."""
    settings = Settings.load(data_dir=DEMO_DATA_DIR, data_root=str(tmp_path / "root"),
                             jobs_dir=str(tmp_path / "jobs"), today=date(2026, 11, 23))
    versions = DataVersions(settings)
    countries = load_countries()
    programmes = (DEMO_DATA_DIR / "programmes.csv").read_text(encoding="utf-8").splitlines()
    assert versions.publish_seed(countries, user="t").ok
    app = create_app(settings)
    manager = app.server.extensions["atlas_jobs"]
    client = app.server.test_client()
    spec = callback_spec(client, "export-status.children")
    body = callback_payload(spec, {f"{ids.LANG}.data": "en"},
                            f"{ids.export_table_button('csv')}.n_clicks")

    before = _programme_rows(client, body)  # from the fork server: the host starts loading
    _wait_until(manager.host.ready)
    host = manager.host.pid()
    assert _programme_rows(client, body) == before  # forked from the host
    fewer = "\n".join(programmes[:-40]).encode("utf-8")
    assert versions.publish({"programmes.csv": fewer}, countries, user="t", action="upload",
                            allow_shrink=True).ok
    after = _programme_rows(client, body)  # the host sees the pointer moved, and reloads
    assert 0 < len(before) - len(after) <= 40
    _wait_until(manager.host.ready)
    assert _programme_rows(client, body) == after  # forked from the host, on the new version
    assert manager.host.pid() == host


def _wait_until(condition, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the job host did not load the data"
        time.sleep(0.2)
