"""At most ``ATLAS_EXPORT_WORKERS`` exports at once on one host, shared by every worker and
thread: each export takes one of that many slot files with ``flock``; an export that finds
none free waits up to ``WAIT_S`` seconds for one (its place in the queue is the number of
exports waiting before it), then is told the server is busy. The map's callbacks never wait:
they do not take a slot, and with a short wait a waiting export holds its thread only briefly.

The slot files live in ``ATLAS_DATA_ROOT/.exports`` when a data root is set, else in the
system's temporary folder (``atlas-exports-<uid>``): the workers of one host share them.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

WAIT_S = 3.0
POLL_S = 0.1


class Busy(Exception):
    """Every slot stayed taken for ``WAIT_S`` seconds; ``running`` exports were running."""

    def __init__(self, running: int):
        super().__init__(f"{running} exports running")
        self.running = running


class ExportPool:
    """The slots of one host (see the module's doc)."""

    def __init__(self, slots: int, folder: Path | None = None, wait_s: float | None = None):
        self.slots = max(1, int(slots))
        self.folder = Path(folder or Path(tempfile.gettempdir()) / f"atlas-exports-{os.getuid()}")
        self.wait_s = WAIT_S if wait_s is None else wait_s
        self._waiting = 0
        self._lock = threading.Lock()

    def _try_slot(self):
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        for number in range(self.slots):
            handle = open(self.folder / f"slot-{number}", "a+")  # noqa: SIM115 - kept while held
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            return handle
        return None

    @contextmanager
    def slot(self):
        """Hold one slot while the block runs; raises :class:`Busy` when none frees in time."""
        with self._lock:
            self._waiting += 1
        try:
            deadline = time.monotonic() + self.wait_s
            handle = self._try_slot()
            while handle is None and time.monotonic() < deadline:
                time.sleep(POLL_S)
                handle = self._try_slot()
        finally:
            with self._lock:
                self._waiting -= 1
        if handle is None:
            raise Busy(self.slots)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()
