"""At most ``ATLAS_EXPORT_WORKERS`` exports at once on one host, the others queued in order.

Every worker, thread and job process of a host shares one folder: an export holds one of the
``slots`` slot files with ``flock`` while it runs. One that finds none free joins the queue: it
holds a ticket file (named by the time it arrived) with ``flock``, and its place is one plus
the number of live tickets before its own. The first ``slots`` in line try the slots; the
others wait, saying their place (``on_place``), and stop waiting when asked to
(``should_stop``: the browser has gone or the user cancelled) or after ``max_wait_s``. When
``queue`` exports are already waiting, a new one is told at once that the server is busy.
A ticket whose holder died is unlocked by the kernel and swept by the next reader; the map's
callbacks never take a slot.

The folder is ``ATLAS_DATA_ROOT/.exports`` when a data root is set, else the system's
temporary folder (``atlas-exports-<uid>``).
"""

from __future__ import annotations

import fcntl
import os
import secrets
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

WAIT_S = 3.0  # how long `slot()` waits for a slot
QUEUE_WAIT_S = 600.0  # how long a queued export (the dialog's) waits for its turn
POLL_S = 0.2
TICKETS = "queue"


class Busy(Exception):
    """No slot for this export: ``running`` exports run and ``waiting`` wait already."""

    def __init__(self, running: int, waiting: int = 0):
        super().__init__(f"{running} exports running, {waiting} waiting")
        self.running = running
        self.waiting = waiting


class Cancelled(Exception):
    """The export's request was abandoned (browser gone, cancelled, timed out)."""


class ExportPool:
    """The slots and queue of one host (see the module's doc)."""

    def __init__(self, slots: int, folder: Path | None = None, wait_s: float | None = None,
                 queue: int = 6):
        self.slots = max(1, int(slots))
        self.queue = max(0, int(queue))
        self.folder = Path(folder or Path(tempfile.gettempdir()) / f"atlas-exports-{os.getuid()}")
        self.wait_s = WAIT_S if wait_s is None else wait_s

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

    def _take_ticket(self):
        """A locked ticket file at the end of the queue (locked before it is visible)."""
        tickets = self.folder / TICKETS
        tickets.mkdir(parents=True, exist_ok=True, mode=0o700)
        name = f"{time.time_ns():020d}-{os.getpid()}-{secrets.token_hex(4)}"
        draft = tickets / f".{name}"
        handle = open(draft, "a+")  # noqa: SIM115 - kept while waiting
        fcntl.flock(handle, fcntl.LOCK_EX)
        os.rename(draft, tickets / name)
        return handle, name

    def waiting(self, before: str | None = None) -> int:
        """How many exports wait (those whose ticket sorts before ``before``, if given); a
        ticket nobody holds any more is removed."""
        tickets = self.folder / TICKETS
        try:
            names = sorted(n for n in os.listdir(tickets) if not n.startswith("."))
        except FileNotFoundError:
            return 0
        live = 0
        for name in names:
            if before is not None and name >= before:
                break
            try:
                probe = open(tickets / name)  # noqa: SIM115 - closed below
            except FileNotFoundError:
                continue
            try:
                fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                live += 1  # its holder is waiting
            else:
                (tickets / name).unlink(missing_ok=True)  # its holder died
            finally:
                probe.close()
        return live

    @contextmanager
    def slot(self):
        """Hold one slot while the block runs, waiting up to ``wait_s`` seconds in line;
        raises :class:`Busy` when the queue is full or no slot frees in time."""
        with self.queued(max_wait_s=self.wait_s):
            yield

    @contextmanager
    def queued(self, *, on_place: Callable[[int], None] | None = None,
               should_stop: Callable[[], bool] | None = None,
               max_wait_s: float = QUEUE_WAIT_S):
        """Hold one slot while the block runs; until one is free, wait in line, calling
        ``on_place(place)`` when the place changes (1 = next). Raises :class:`Busy` when
        ``queue`` exports already wait or after ``max_wait_s``, :class:`Cancelled` when
        ``should_stop()`` turns true while waiting."""
        handle = self._try_slot() if self.waiting() == 0 else None
        if handle is None:
            handle = self._wait_in_line(on_place, should_stop, max_wait_s)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()

    def _wait_in_line(self, on_place, should_stop, max_wait_s):
        if self.waiting() >= self.queue:
            raise Busy(self.slots, self.queue)
        ticket, name = self._take_ticket()
        try:
            deadline = time.monotonic() + max_wait_s
            shown = None
            while True:
                place = self.waiting(before=name) + 1
                if place <= self.slots:
                    handle = self._try_slot()
                    if handle is not None:
                        return handle
                if on_place is not None and place != shown:
                    on_place(place)
                    shown = place
                if should_stop is not None and should_stop():
                    raise Cancelled()
                if time.monotonic() >= deadline:
                    raise Busy(self.slots, self.waiting())
                time.sleep(POLL_S)
        finally:
            (self.folder / TICKETS / name).unlink(missing_ok=True)
            ticket.close()
