"""Start and stop gunicorn for the benchmark, and read its workers' memory."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.loadgen import get

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def _children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == pid:
            found.append(int(entry.name))
    return found


def _cpu_seconds(pid: int) -> float:
    try:
        fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cmdline(pid: int) -> bytes:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes()
    except OSError:
        return b""


def memory_kb(pid: int, key: str = "VmHWM") -> int:
    """A ``/proc/<pid>/status`` memory figure in kB (VmHWM: peak resident set)."""
    for line in (Path("/proc") / str(pid) / "status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


@dataclass
class Gunicorn:
    """A running gunicorn master and its workers."""

    process: subprocess.Popen
    port: int
    command: list[str]
    boot_seconds: float = 0.0
    log_path: Path | None = None
    workers: list[int] = field(default_factory=list)

    def worker_class(self) -> str:
        """The worker type gunicorn reported at start ("sync", "gthread"...)."""
        if self.log_path and self.log_path.exists():
            found = re.search(r"Using worker: (\S+)", self.log_path.read_text(errors="replace"))
            if found:
                return found.group(1)
        return "?"

    def worker_memory_kb(self, key: str = "VmHWM") -> list[int]:
        """The figure for each worker (the master excluded)."""
        return [memory_kb(pid, key) for pid in _children(self.process.pid)]

    def job_host_memory_kb(self, key: str = "VmRSS") -> list[int]:
        """The figure for each worker's job host (``python -m dashboard.jobhost``)."""
        hosts = [pid for worker in _children(self.process.pid) for pid in _children(worker)
                 if b"dashboard.jobhost" in _cmdline(pid)]
        return [memory_kb(pid, key) for pid in hosts]

    def cpu_seconds(self) -> float:
        """CPU time used so far by the workers."""
        return sum(_cpu_seconds(pid) for pid in _children(self.process.pid))

    def stop(self) -> None:
        """Stop the master (it stops its workers) and wait for it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def gunicorn_command(app: str, port: int, workers: int = 2) -> list[str]:
    """The Procfile's command on 127.0.0.1 (``-c gunicorn.conf.py`` when the repo has one)."""
    command = [sys.executable, "-m", "gunicorn"]
    if (REPO / "gunicorn.conf.py").exists():
        command += ["-c", str(REPO / "gunicorn.conf.py")]
    # A longer timeout only so that a slow boot is measured rather than killed.
    return command + ["--workers", str(workers), "--bind", f"{HOST}:{port}", "--timeout", "300",
                      app]


def start_gunicorn(app: str, port: int, data_dir: Path, *, workers: int = 2,
                   log_path: Path | None = None, timeout: float = 600,
                   store_dir: Path | None = None, env: dict[str, str] | None = None,
                   ready_path: str = "/_dash-dependencies") -> Gunicorn:
    """Start gunicorn on ``app`` with ``ATLAS_DATA_DIR=data_dir`` (and ``ATLAS_STORE_DIR=
    store_dir`` when given, and the variables ``env``); return once every worker has loaded its
    data (answers ``ready_path`` and has stopped using CPU)."""
    python_path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    extra = env or {}
    env = dict(os.environ, ATLAS_DATA_DIR=str(data_dir), PYTHONPATH=python_path)
    for variable in ("ATLAS_USERS_FILE", "ATLAS_AUTH_HEADER", "ATLAS_DATA_ROOT"):
        env.pop(variable, None)  # measure the app itself, not a login in front of it
    if store_dir is not None:
        env["ATLAS_STORE_DIR"] = str(store_dir)
    env.update(extra)
    command = gunicorn_command(app, port, workers)
    log = open(log_path, "wb") if log_path else subprocess.DEVNULL
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=log)
    server = Gunicorn(process, port, command, log_path=log_path)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log_path}")
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"gunicorn did not become ready in {timeout:.0f} s")
        try:
            if get(HOST, port, ready_path).status == 200:
                break
        except OSError:
            pass
        time.sleep(0.2)
    _wait_idle(server, deadline, workers)
    server.boot_seconds = time.perf_counter() - started
    server.workers = _children(process.pid)
    return server


def _wait_idle(server: Gunicorn, deadline: float, workers: int) -> None:
    """Wait until every worker is up and their CPU time stops growing (data loaded)."""
    previous = server.cpu_seconds()
    while time.monotonic() < deadline:
        time.sleep(0.5)
        current = server.cpu_seconds()
        if current - previous < 0.05 and len(_children(server.process.pid)) >= workers:
            return
        previous = current
