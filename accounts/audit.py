"""The audit trail: who signed in, was refused, exported, published or restored what, and when.

One JSON object per line (``time``, ``user``, ``action``, then the action's fields), appended
to ``ATLAS_AUDIT_LOG``, never rewritten. Actions and their fields:

``sign_in``        method (basic | proxy), address: a user's first request in an hour
``refused``        reason (bad_credentials | too_many_attempts | editors_only |
                   untrusted_proxy), path, address; ``user`` is the name tried ("" if none)
``export``         format, what (page | table | brief), view (the URL keys), size (bytes),
                   file, source (web | cli)
``pack``           the same, and pages
``upload`` / ``publish`` / ``restore``
                   version, previous, ok, counts (after), changed (after - before, per
                   count), problems (how many, when refused), source (web | cli)
``scope_refused``  kind (country | post), value, route

Several processes (gunicorn workers, background jobs, the CLI) append to one file safely:
each event is written by one ``write`` on a file opened with ``O_APPEND`` while holding an
exclusive ``flock`` on ``<log>.lock``, which also guards the rotation (the file renamed to
``<log>.1``, ``.1`` to ``.2``... when it would pass ``max_bytes``; ``backups`` files are
kept). The sign-ins of the last hour are remembered in ``<log>.signins`` under the same lock,
so a user's first request in an hour is recorded once whichever worker answers it.

Time comes from one clock, given to :class:`AuditLog` (``system_clock`` by default: UTC,
seconds), never read elsewhere.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ACTIONS = ("sign_in", "refused", "export", "pack", "upload", "publish", "restore",
           "scope_refused")
MAX_BYTES = 10_000_000
BACKUPS = 10
SIGN_IN_EVERY = timedelta(hours=1)
#: Longest text kept in one field (a view's URL keys, a path sent by a client).
MAX_FIELD_CHARS = 2000


def system_clock() -> datetime:
    """The time now, in UTC (the audit trail's clock unless another is given)."""
    return datetime.now(UTC)


def _bounded(value):
    if isinstance(value, str):
        return value[:MAX_FIELD_CHARS]
    if isinstance(value, dict):
        return {str(k)[:100]: _bounded(v) for k, v in list(value.items())[:100]}
    if isinstance(value, list | tuple):
        return [_bounded(v) for v in list(value)[:100]]
    return value


class AuditLog:
    """The audit trail at ``path`` (see the module's docstring)."""

    def __init__(self, path: str | Path, *, clock: Callable[[], datetime] = system_clock,
                 max_bytes: int = MAX_BYTES, backups: int = BACKUPS):
        self.path = Path(path)
        self.clock = clock
        self.max_bytes = max_bytes
        self.backups = backups
        self._signed_in: dict[str, datetime] = {}  # this process's memory of the sidecar
        self._memory_lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return True

    def now(self) -> datetime:
        """The clock's time (UTC, to the second)."""
        return self.clock().astimezone(UTC).replace(microsecond=0)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path.with_name(self.path.name + ".lock"), os.O_RDWR | os.O_CREAT,
                     0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def record(self, action: str, user: str, **fields) -> dict:
        """Append one event; returns it."""
        event = {"time": self.now().isoformat(), "user": str(user)[:200], "action": action,
                 **{key: _bounded(value) for key, value in fields.items()}}
        line = (json.dumps(event, ensure_ascii=False, default=str) + "\n").encode("utf-8")
        with self._locked():
            self._rotate_for(len(line))
            self._append(line)
        return event

    def _append(self, line: bytes) -> None:
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            written = 0
            while written < len(line):
                written += os.write(fd, line[written:])
        finally:
            os.close(fd)

    def _rotate_for(self, size: int) -> None:
        try:
            current = self.path.stat().st_size
        except FileNotFoundError:
            return
        if current == 0 or current + size <= self.max_bytes:
            return
        for index in range(self.backups - 1, 0, -1):
            older = self.path.with_name(f"{self.path.name}.{index}")
            if older.exists():
                os.replace(older, self.path.with_name(f"{self.path.name}.{index + 1}"))
        os.replace(self.path, self.path.with_name(f"{self.path.name}.1"))

    def sign_in(self, user: str, **fields) -> bool:
        """Record ``user``'s sign-in unless they were recorded in the last hour (by any
        process); True when this call recorded it."""
        now = self.now()
        with self._memory_lock:
            last = self._signed_in.get(user)
        if last is not None and timedelta(0) <= now - last < SIGN_IN_EVERY:
            return False
        sidecar = self.path.with_name(self.path.name + ".signins")
        with self._locked():
            try:
                seen = json.loads(sidecar.read_text(encoding="utf-8"))
                seen = seen if isinstance(seen, dict) else {}
            except (OSError, ValueError):
                seen = {}
            try:
                last = datetime.fromisoformat(seen.get(user, ""))
            except (TypeError, ValueError):
                last = None
            fresh = last is None or not timedelta(0) <= now - last < SIGN_IN_EVERY
            if fresh:
                event = {"time": now.isoformat(), "user": user[:200], "action": "sign_in",
                         **{key: _bounded(value) for key, value in fields.items()}}
                line = (json.dumps(event, ensure_ascii=False) + "\n").encode("utf-8")
                self._rotate_for(len(line))
                self._append(line)
                seen = {name: when for name, when in seen.items()
                        if _recent(when, now)}
                seen[user] = now.isoformat()
                temp = sidecar.with_name(sidecar.name + ".tmp")
                temp.write_text(json.dumps(seen), encoding="utf-8")
                os.replace(temp, sidecar)
            else:
                now = last
        with self._memory_lock:
            if len(self._signed_in) > 10_000:
                self._signed_in.clear()
            self._signed_in[user] = now
        return fresh

    def files(self) -> list[Path]:
        """The trail's files, oldest first."""
        rotated = [self.path.with_name(f"{self.path.name}.{i}")
                   for i in range(self.backups, 0, -1)]
        return [path for path in (*rotated, self.path) if path.exists()]

    def events(self, *, since: date | datetime | None = None, user: str | None = None,
               action: str | None = None) -> list[dict]:
        """The events, oldest first, from ``since`` (a day, or a time), of ``user``, of
        ``action`` (each None: any). A line that is not an event is skipped."""
        return read_events(self.files(), since=since, user=user, action=action)


def _recent(when: str, now: datetime) -> bool:
    try:
        return now - datetime.fromisoformat(when) < SIGN_IN_EVERY
    except (TypeError, ValueError):
        return False


def read_events(files: list[Path], *, since: date | datetime | None = None,
                user: str | None = None, action: str | None = None) -> list[dict]:
    """The events of ``files`` (read in order) matching the filters."""
    if isinstance(since, datetime):
        start = since.astimezone(UTC) if since.tzinfo else since.replace(tzinfo=UTC)
    elif isinstance(since, date):
        start = datetime(since.year, since.month, since.day, tzinfo=UTC)
    else:
        start = None
    found = []
    for path in files:
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        for line in lines:
            try:
                event = json.loads(line)
                when = datetime.fromisoformat(event["time"])
            except (ValueError, KeyError, TypeError):
                continue
            if not isinstance(event, dict):
                continue
            if start is not None and when < start:
                continue
            if user is not None and event.get("user") != user:
                continue
            if action is not None and event.get("action") != action:
                continue
            found.append(event)
    return found


class NoAudit:
    """The trail when ``ATLAS_AUDIT_LOG`` is not set: nothing is recorded."""

    enabled = False
    path = None

    def __init__(self, clock: Callable[[], datetime] = system_clock):
        self.clock = clock

    def now(self) -> datetime:
        return self.clock().astimezone(UTC).replace(microsecond=0)

    def record(self, action: str, user: str, **fields) -> dict:
        return {}

    def sign_in(self, user: str, **fields) -> bool:
        return False

    def events(self, **_filters) -> list[dict]:
        return []


def open_audit(path: str, clock: Callable[[], datetime] = system_clock) -> AuditLog | NoAudit:
    """The trail at ``path`` (``ATLAS_AUDIT_LOG``), or a :class:`NoAudit` when it is empty."""
    return AuditLog(path, clock=clock) if path else NoAudit(clock)
