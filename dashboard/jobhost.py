"""The embedded jobs' warm host: one process per web worker (``python -m dashboard.jobhost``,
started on the worker's first job) that keeps the data being served and what an export loads
once per process (the world's projected shapes, the locale data, the fonts), and forks every
job from itself. A job then starts with all of that in memory: a job process that loads it
spends about 0.7 s of CPU before drawing a page of about 0.2 s.

The host stays single-threaded (it waits on its pipe, loads data and forks), so that forking it
is safe, unlike forking the threaded web worker. No web worker waits for it to load: while the
host loads (at its start, and when the version pointer has moved, which it checks before each
job) it says so, and the worker starts its jobs from the fork server instead, each loading the
data itself as before. The host ends when its web worker does (its pipe closes), when the
worker drops it, or after ``IDLE_S`` without a job.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import weakref
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

from dashboard.settings import Settings

log = logging.getLogger(__name__)

#: A host with no job for this long ends (it holds a copy of the data being served).
IDLE_S = 600.0
#: Job processes run at this lower CPU priority than the web workers: the exports take the
#: CPU the map's callbacks leave, never the other way round.
JOB_NICENESS = 10
#: What the fork server imports once, so that a job started from it has them loaded.
PRELOAD = ["dashboard.jobs", "dashboard.callbacks.export"]
#: Where the ``dashboard`` package is, for the host's interpreter to import it.
PROJECT_ROOT = str(Path(__file__).resolve().parents[1])
#: The host's message once the data being served is loaded (and after each reload).
READY = "ready"


def fork_server():
    """The multiprocessing context whose processes start from the fork server."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


class JobHost:
    """A web worker's handle on its host process (see the module's doc); thread-safe."""

    def __init__(self, settings: Settings, folder: str, idle_s: float = IDLE_S):
        self.settings = settings
        self.folder = folder
        self.idle_s = idle_s
        self._lock = threading.Lock()
        self._connection: Connection | None = None
        self._process: subprocess.Popen | None = None
        self._owner: int | None = None
        self._ready = False

    def start(self, job: Callable, key: str, progress_key: str, args, *,
              trigger: str | None = None, identity: dict | None = None) -> int:
        """Start ``job`` for request ``key``; its process id. Forked from the host when it has
        the data loaded, else started from the fork server (loading the data itself)."""
        request = (job, key, progress_key, args, trigger, identity)
        with self._lock:
            pid = self._start_in_host(request)
        if pid is not None:
            return pid
        process = fork_server().Process(target=run_alone, args=(self.settings, self.folder,
                                                                request))
        process.start()
        return process.pid

    def pid(self) -> int | None:
        """The host's process id, while one runs for this process."""
        process = self._process
        alive = process is not None and self._owner == os.getpid() and process.poll() is None
        return process.pid if alive else None

    def begin(self) -> None:
        """Start the host now, rather than on the first job (it loads the data meanwhile)."""
        with self._lock:
            self._connect()

    def ready(self) -> bool:
        """True when the host has the data being served loaded (as far as it has said)."""
        with self._lock:
            return self._connect() is not None and self._ready

    def close(self) -> None:
        """End the host (after the job it is starting, if any)."""
        with self._lock:
            self._forget()

    def _start_in_host(self, request) -> int | None:
        connection = self._connect()
        if connection is None or not self._ready:
            return None
        try:
            connection.send(request)
            pid, reloading = connection.recv()
        except (EOFError, OSError):
            # The host ended meanwhile (its idle time ran out, or it was killed); no job
            # started. The next call starts a new host.
            self._forget()
            return None
        self._ready = not reloading
        return pid

    def _connect(self) -> Connection | None:
        """The pipe to a running host, its messages read; starts one when none runs."""
        if self.pid() is None:
            self._forget()
            try:
                self._launch()
            except OSError:
                log.exception("could not start a job host; jobs load the data themselves")
                return None
        try:
            while self._connection.poll(0):
                if self._connection.recv() == READY:
                    self._ready = True
        except (EOFError, OSError):
            self._forget()
            return None
        return self._connection

    def _launch(self) -> None:
        ours, theirs = multiprocessing.Pipe()
        path = os.pathsep.join(filter(None, [PROJECT_ROOT, os.environ.get("PYTHONPATH")]))
        process = subprocess.Popen(  # a fresh interpreter: never a fork of this threaded one
            [sys.executable, "-m", "dashboard.jobhost", str(theirs.fileno())],
            pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL,
            # numpy's OpenBLAS would start a thread per core: the host stays single-threaded.
            env={**os.environ, "PYTHONPATH": path, "OPENBLAS_NUM_THREADS": "1"})
        theirs.close()
        ours.send((self.settings, self.folder, self.idle_s))
        self._connection, self._process, self._owner = ours, process, os.getpid()
        self._ready = False
        # A handle dropped (an app no longer used) ends its host too.
        weakref.finalize(self, ours.close)

    def _forget(self) -> None:
        if self._connection is not None and self._owner == os.getpid():
            self._connection.close()  # the host sees its pipe closed and ends
            try:
                self._process.wait(timeout=0)
            except subprocess.TimeoutExpired:
                pass  # it ends on its own; the subprocess module reaps it later
        self._connection = self._process = self._owner = None
        self._ready = False


def run_alone(settings: Settings, folder: str, request) -> None:
    """A job process started from the fork server: the job loads the data itself."""
    from dashboard.jobs import run_embedded

    os.nice(JOB_NICENESS)
    job, key, progress_key, args, trigger, identity = request
    run_embedded(job, settings, folder, key, progress_key, args, trigger=trigger,
                 identity=identity)


def serve_jobs(connection: Connection) -> None:
    """The host's loop: load the data being served and say so; then for each job request,
    fork a process that runs it and send back its pid (and whether the host now loads a new
    version, during which it takes no request)."""
    from dashboard.jobs import run_embedded

    settings, folder, idle_s = connection.recv()
    os.nice(JOB_NICENESS)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # ended jobs are reaped by the system
    warm = WarmData(settings)
    warm.load()
    connection.send(READY)
    while connection.poll(idle_s):
        try:
            job, key, progress_key, args, trigger, identity = connection.recv()
        except EOFError:
            return
        stores = warm.stores()  # None: the version moved, the job loads the data itself
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # a job's own subprocesses are waited
            connection.close()
            status = 1
            try:
                run_embedded(job, settings, folder, key, progress_key, args, trigger=trigger,
                             identity=identity, stores=stores)
                status = 0
            finally:
                os._exit(status)
        connection.send((pid, stores is None))
        if stores is None:
            warm.load()
            connection.send(READY)


class WarmData:
    """The data being served, kept by the host while the version pointer stays put."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._version: object = None
        self._store = None

    def load(self) -> None:
        """Load the version being served, then draw a page of the default view in every
        language, so that what a page loads once per process (projected shapes, locale data,
        fonts) is in memory; when the data does not load, jobs load it themselves (and say
        why, as a job always did)."""
        from dashboard.callbacks.export import export_request
        from dashboard.jobs import served_store
        from dataversions.versions import DataVersions
        from geodata.i18n import LANGS
        from viewmodel.urlstate import ViewState

        self._version = DataVersions(self.settings).wanted()
        self._store = None
        try:
            store = served_store(self.settings)
        except Exception:  # noqa: BLE001 - each job meets the same failure and reports it
            log.exception("the job host could not load the data being served")
            return
        self._store = store
        try:
            for lang in LANGS:
                export_request(store.current(), ViewState(lang=lang), "png")
        except Exception:  # noqa: BLE001 - the jobs then load what they need themselves
            log.exception("the job host could not draw its warm-up page")

    def stores(self) -> Callable | None:
        """What a job calls for the data being served: the kept store while the version
        pointer names the version loaded; None when it moved (or nothing loaded)."""
        from dataversions.versions import DataVersions

        store = self._store
        if store is None or DataVersions(self.settings).wanted() != self._version:
            return None
        return lambda: store


if __name__ == "__main__":
    try:
        serve_jobs(Connection(int(sys.argv[1])))
    except (BrokenPipeError, EOFError):
        pass  # its worker ended while the host loaded: nobody to serve
