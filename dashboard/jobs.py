"""Background jobs (the export dialog's files and briefing packs), away from the web workers.

Two managers of Dash background callbacks, chosen by :func:`jobs_manager`:

- **embedded** (the default): Dash's disk cache in ``ATLAS_JOBS_DIR``; each job is a process
  of its own, forked from the web worker's *job host* (:mod:`dashboard.jobhost`: a fresh
  single-threaded interpreter that keeps the data being served; while it loads, jobs start
  from a fork server and load the data themselves), never forked from the threaded web
  worker, whose other threads may hold locks at that moment (a child forked then would wait
  for them forever).
- **Celery** when ``ATLAS_REDIS_URL`` is set: the jobs run in a Celery worker
  (``celery -A dashboard.worker worker``, see the README) with Redis as broker and result
  store; the worker builds the app once and follows the current data version.

Both count the browser's polls of a job (:meth:`beat`): a job whose count stops moving for
``ABANDON_S`` seconds of the job's own clock has lost its browser and stops at its next
check (:class:`JobControl`), as does one running longer than ``JOB_TIMEOUT_S``. Dash's cancel
(the dialog's Cancel button) ends the job's process at once.
"""

from __future__ import annotations

import secrets
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import diskcache
import psutil
from dash import CeleryManager, DiskcacheManager, ctx

from dashboard.access import NAMESPACE
from dashboard.exportpool import Cancelled
from dashboard.jobhost import JobHost
from dashboard.settings import Settings
from dataversions.baselines import Baselines
from dataversions.versions import DataVersions
from geodata.countries import load_countries
from viewmodel.data import build_atlas_data
from viewmodel.store import DataStore

ABANDON_S = 10.0  # no poll from the browser for this long: the job's request is abandoned
JOB_TIMEOUT_S = 900.0  # no job runs longer (its wait in the export queue included)
EXPIRE_S = 3600  # results, progress and poll counts are dropped after an hour
BEAT_PREFIX = "atlas-polls-"
JOB_KEY = "atlas_job"
TRIGGER_KEY = "atlas_trigger"
#: Where a job finds who asked for it in its callback context's ``custom_data``.
IDENTITY = NAMESPACE


@dataclass
class JobControl:
    """What a running job knows of its request: its key, the control that started it, and
    whether it should stop (see the module's doc)."""

    key: str = ""
    trigger: str | None = None
    polls: Callable[[], object] = lambda: None
    #: Who asked (``dashboard.access.request_identity``: name, role, scope); None: nobody known.
    identity: dict | None = None
    abandon_s: float = ABANDON_S
    timeout_s: float = JOB_TIMEOUT_S
    _started: float = field(default_factory=time.monotonic)
    _seen: object = None
    _seen_at: float = field(default_factory=time.monotonic)

    def stopped(self) -> bool:
        """True when the browser stopped polling or the job ran out of time."""
        now = time.monotonic()
        count = self.polls()
        if count != self._seen:
            self._seen, self._seen_at = count, now
        return now - self._seen_at > self.abandon_s or now - self._started > self.timeout_s

    def check(self) -> None:
        """Raise :class:`Cancelled` when the job should stop."""
        if self.stopped():
            raise Cancelled()


def _trigger(context) -> str | None:
    triggered = (context or {}).get("triggered_inputs") or []
    prop = triggered[0].get("prop_id", "") if triggered else ""
    return prop.rsplit(".", 1)[0] or None


class EmbeddedJobs(DiskcacheManager):
    """Dash's disk-cache manager whose jobs are forked from a warm job host (see the
    module's doc)."""

    def __init__(self, cache: diskcache.Cache, settings: Settings):
        self.settings = settings  # before Dash's constructor registers earlier callbacks
        self.folder = cache.directory
        self.host = JobHost(settings, cache.directory)
        super().__init__(cache, cache_by=[new_job_key], expire=EXPIRE_S)

    def beat(self, key: str) -> None:
        """Count one poll of job ``key`` by its browser."""
        self.handle.incr(BEAT_PREFIX + key, default=0, retry=True)
        self.handle.touch(BEAT_PREFIX + key, expire=EXPIRE_S)

    def get_progress(self, key):
        self.beat(key)
        return super().get_progress(key)

    def terminate_job(self, job):
        """Dash's, for a job process that may exit while it is being stopped: the poll that
        collects a finished job's file stops its process, which has often just ended on its
        own; psutil then raises NoSuchProcess, which made that poll, and the download, fail
        (seen under load)."""
        try:
            super().terminate_job(job)
        except psutil.NoSuchProcess:
            pass

    def make_job_fn(self, fn, progress, key=None):
        # The job is the callback's module-level ``job`` (see :func:`background_job`), named
        # so that the job host can find it.
        job = getattr(fn, "job", None)
        if job is None:
            return super().make_job_fn(fn, progress, key)
        return job

    def call_job_fn(self, key, job_fn, args, context):
        self.beat(key)
        return self.host.start(job_fn, key, self._make_progress_key(key), args,
                               trigger=_trigger(context),
                               identity=(context.get("custom_data") or {}).get(IDENTITY))


def served_store(settings: Settings) -> DataStore:
    """The data being served by the settings' current version, as a web worker loads it."""
    countries = load_countries()
    versions = DataVersions(settings)
    network = versions.serve(countries).network
    store = DataStore(build_atlas_data(network, countries, served=False))
    store.baselines = Baselines(versions, countries, demo=network.is_demo)
    return store


def run_embedded(job, settings: Settings, folder: str, key: str, progress_key: str, args,
                 trigger: str | None = None, identity: dict | None = None,
                 stores: Callable[[], DataStore] | None = None) -> None:
    """A job process: run ``job(set_progress, control, stores, settings, **args)`` and leave
    its result where Dash's disk-cache manager reads it (an error as Dash's error record).
    ``stores()`` gives the data being served (by default loaded from the settings)."""
    cache = diskcache.Cache(folder)
    control = JobControl(key=key, trigger=trigger, identity=identity,
                         polls=lambda: cache.get(BEAT_PREFIX + key, retry=True))

    def set_progress(value):
        cache.set(progress_key, list(value) if isinstance(value, list | tuple) else [value])

    try:
        result = job(set_progress, control, stores or (lambda: served_store(settings)),
                     settings, **args)
    except Exception as error:  # noqa: BLE001 - handed to Dash, which logs it
        result = {"background_callback_error": {"msg": str(error),
                                                "tb": traceback.format_exc()}}
    cache.set(key, result, expire=EXPIRE_S)


class CeleryJobs(CeleryManager):
    """Dash's Celery manager that counts the browser's polls and tells the job its key."""

    def beat(self, key: str) -> None:
        """Count one poll of job ``key`` by its browser (in Redis)."""
        client = self.handle.backend.client
        client.incr(BEAT_PREFIX + key)
        client.expire(BEAT_PREFIX + key, EXPIRE_S)

    def get_progress(self, key):
        self.beat(key)
        return super().get_progress(key)

    def call_job_fn(self, key, job_fn, args, context):
        self.beat(key)
        context = dict(context)
        context["custom_data"] = {**(context.get("custom_data") or {}), JOB_KEY: key,
                                  TRIGGER_KEY: _trigger(context)}
        return super().call_job_fn(key, job_fn, args, context)

    def control(self) -> JobControl:
        """The running job's control, inside a Celery task."""
        data = ctx.custom_data or {}
        key = data.get(JOB_KEY, "")
        client = self.handle.backend.client
        return JobControl(key=key, trigger=data.get(TRIGGER_KEY), identity=data.get(IDENTITY),
                          polls=lambda: client.get(BEAT_PREFIX + key))


def celery_app(redis_url: str):
    """The Celery application of the atlas's jobs (broker and results in ``redis_url``)."""
    from celery import Celery  # only with ATLAS_REDIS_URL: the embedded mode needs no Celery

    app = Celery("atlas", broker=redis_url, backend=redis_url)
    app.conf.update(worker_prefetch_multiplier=1, task_acks_late=False,
                    result_expires=EXPIRE_S, broker_connection_retry_on_startup=True,
                    worker_hijack_root_logger=False)
    return app


def jobs_manager(settings: Settings):
    """The background-callback manager (see the module's doc)."""
    if settings.redis_url:
        return CeleryJobs(celery_app(settings.redis_url), cache_by=[new_job_key],
                          expire=EXPIRE_S)
    folder = Path(settings.jobs_dir or Path(tempfile.gettempdir()) / "atlas-jobs")
    folder.mkdir(parents=True, exist_ok=True)
    return EmbeddedJobs(diskcache.Cache(str(folder)), settings)


def new_job_key() -> str:
    """A part of every job's key that no other job shares: two viewers exporting the same view
    at the same time get two jobs (Dash keys a job by its inputs otherwise)."""
    return secrets.token_hex(8)


def background_job(manager, stores: Callable[[], DataStore], settings: Settings, job):
    """The function Dash registers for the background callback ``job`` (a module-level
    ``job(set_progress, control, stores, settings, **args)``; ``stores()`` gives the data
    being served): under Celery it runs in the worker with the worker's data; the embedded
    manager runs ``job`` itself in a job process, which loads the data being served."""

    def callback(*set_progress, **args):
        # Dash passes ``set_progress`` only to a callback that declares progress outputs.
        report = set_progress[0] if set_progress else _no_progress
        return job(report, manager.control(), stores, settings, **args)

    callback.job = job
    return callback


def _no_progress(_value) -> None:
    return None


def with_baselines(store: DataStore):
    """The data being served, with its baselines (the changes mode's)."""
    return replace(store.current(), baselines=store.baselines)
